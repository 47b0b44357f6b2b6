import Tables

/// Rows held in memory that a model can score: a block of a file being streamed (``CSVBlock``) or a whole table
/// (``TableRows``). Both the streaming job and in-memory scoring encode through ``DesignEncoder`` over this, so a
/// row gets the same design values, and then the same scores, whichever way it is read.
protocol ScoringRows {
    var rowCount: Int { get }
    /// The field as a number (``DecimalParsing``'s grammar, missing and non-finite values apart).
    func parseDouble(row: Int, column: Int) -> ParsedDouble
    /// The field's UTF-8 bytes (unquoted); empty means missing. The buffer must not escape `body`.
    func withFieldBytes<R>(row: Int, column: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R
    func isMissing(row: Int, column: Int) -> Bool
    /// An error about the field, with file, line, column, name and value filled in.
    func error(_ kind: TableError.Kind, row: Int, column: Int, expected: String?) -> TableError
}

extension CSVBlock: ScoringRows {}

/// The rows of a ``CSVTable`` to score: all of them, or a selection in the caller's order.
struct TableRows: ScoringRows {
    let table: CSVTable
    /// Table row of each row scored; nil for all rows in order.
    let selection: [Int]?

    var rowCount: Int { selection?.count ?? table.rowCount }

    @inline(__always)
    func tableRow(_ row: Int) -> Int { selection?[row] ?? row }

    func parseDouble(row: Int, column: Int) -> ParsedDouble {
        DecimalParsing.parseDouble(table.rows[tableRow(row)][column])
    }

    func withFieldBytes<R>(row: Int, column: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        var text = table.rows[tableRow(row)][column]
        return try text.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
    }

    func isMissing(row: Int, column: Int) -> Bool { table.rows[tableRow(row)][column].isEmpty }

    func error(_ kind: TableError.Kind, row: Int, column: Int, expected: String?) -> TableError {
        table.error(kind, row: tableRow(row), column: column, expected: expected)
    }
}
