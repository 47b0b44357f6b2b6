import struct Foundation.URL

/// A small CSV file loaded whole: header, rows of strings and the line each row started on.
///
/// For model inputs, rosters and reference data (thousands of rows), where convenience beats streaming.
/// It reads through `CSVReader`, so the format rules and errors are the same; the typed getters raise the same
/// `TableError`s as `CSVBlock`, naming file, line, column, value and expected form.
///
///     let credit = try CSVTable.read(url)
///     let amounts = try credit.doubles(named: "credit_amount")
///     let purpose = try credit.strings(named: "purpose")
public struct CSVTable: Sendable, Equatable {
    /// The file as named in error messages.
    public let fileName: String
    /// Column names, in file order.
    public let header: [String]
    /// The physical line of the header.
    public let headerLine: Int
    /// Data rows; every row has `header.count` fields (empty string = missing).
    public let rows: [[String]]
    /// The 1-based physical line each row starts on (rows with quoted line breaks span several lines).
    public let lineNumbers: [Int]

    /// A table built in memory (e.g. for tests or before writing).
    /// - Parameter lineNumbers: defaults to consecutive lines after the header.
    /// - Precondition: every row has `header.count` fields.
    public init(fileName: String, header: [String], rows: [[String]], lineNumbers: [Int]? = nil,
                headerLine: Int = 1) {
        precondition(rows.allSatisfy { $0.count == header.count }, "every row needs header.count fields")
        self.fileName = fileName
        self.header = header
        self.headerLine = headerLine
        self.rows = rows
        self.lineNumbers = lineNumbers ?? rows.indices.map { headerLine + 1 + $0 }
        precondition(self.lineNumbers.count == rows.count, "one line number per row")
    }

    /// Reads the whole file at `url`.
    /// - Throws: `TableError` as `CSVReader` does.
    public static func read(_ url: URL, options: CSVReader.Options = CSVReader.Options()) throws -> CSVTable {
        try read(path: url.path, options: options)
    }

    /// Reads the whole file at `path`; `displayName` names it in errors (its last path component by default).
    public static func read(path: String, displayName: String? = nil,
                            options: CSVReader.Options = CSVReader.Options()) throws -> CSVTable {
        var reader = try CSVReader(path: path, displayName: displayName, options: options)
        var rows: [[String]] = []
        var lines: [Int] = []
        while let block = try reader.nextBlock() {
            rows.reserveCapacity(rows.count + block.rowCount)
            for row in 0..<block.rowCount {
                rows.append((0..<block.columnCount).map { block.string(row: row, column: $0) })
                lines.append(block.lineNumber(ofRow: row))
            }
        }
        return CSVTable(fileName: reader.fileName, header: reader.header, rows: rows, lineNumbers: lines,
                        headerLine: reader.headerLine)
    }

    /// Rows in the table.
    public var rowCount: Int { rows.count }

    /// The 0-based position of `name` in the header, or nil.
    public func columnIndex(named name: String) -> Int? {
        header.firstIndex(of: name)
    }

    /// The positions of `names`, in order.
    /// - Throws: `TableError.Kind.missingColumns` listing every absent name.
    public func requireColumns(_ names: [String]) throws -> [Int] {
        try CSVReader.resolve(names, in: header, file: fileName, headerLine: headerLine)
    }

    /// The column `name` as strings.
    /// - Throws: `.missingColumns` when there is no such column.
    public func strings(named name: String) throws -> [String] {
        let column = try requireColumns([name])[0]
        return rows.map { $0[column] }
    }

    /// The column `name` as numbers under `policy` (strict by default: no missing or non-finite values).
    /// - Throws: `.missingColumns`, or `.notANumber`/`.missingValue`/`.nonFiniteNotAllowed` for the first
    ///   bad value, with its line.
    public func doubles(named name: String, policy: NumericPolicy = .strict) throws -> [Double] {
        try doubles(column: try requireColumns([name])[0], policy: policy)
    }

    /// Column `column` (0-based) as numbers under `policy`.
    public func doubles(column: Int, policy: NumericPolicy = .strict) throws -> [Double] {
        precondition(column >= 0 && column < header.count, "column out of range")
        var values: [Double] = []
        values.reserveCapacity(rows.count)
        for row in rows.indices {
            let parsed = DecimalParsing.parseDouble(rows[row][column])
            guard let value = policy.accept(parsed) else {
                let kind: TableError.Kind
                switch parsed {
                case .missing: kind = .missingValue
                case .nonFinite: kind = .nonFiniteNotAllowed
                default: kind = .notANumber
                }
                throw error(kind, row: row, column: column, expected: policy.expected(for: kind))
            }
            values.append(value)
        }
        return values
    }

    /// The column `name` as integers: optional sign and decimal digits only, within `Int`'s range.
    /// - Throws: `.missingColumns`, `.missingValue` for an empty field, `.invalidValue` (expected "an integer
    ///   like 42") for anything else.
    public func ints(named name: String) throws -> [Int] {
        let column = try requireColumns([name])[0]
        return try rows.indices.map { row in
            let text = rows[row][column]
            if text.isEmpty { throw error(.missingValue, row: row, column: column, expected: "an integer like 42") }
            // Int(_:) also rejects spaces, "1.0" and "1e3"; it accepts a leading "+", like the number grammar.
            guard let value = Int(text) else {
                throw error(.invalidValue, row: row, column: column, expected: "an integer like 42")
            }
            return value
        }
    }

    /// Writes the table (header, then rows) to `url` atomically with `CSVWriter`; fields are quoted only
    /// when needed, so `CSVTable.read` gives the same table back.
    public func write(to url: URL, separator: UInt8 = UInt8(ascii: ",")) throws {
        let writer = try CSVWriter(url: url, separator: separator)
        try writer.appendRow(header)
        for row in rows { try writer.appendRow(row) }
        try writer.commit()
    }

    /// An error about field (row, column), filled in with the file, the row's line, the column's number and
    /// name and the value (omitted when empty), for callers' own checks (`.invalidValue`, `.duplicateKey`, …).
    public func error(_ kind: TableError.Kind, row: Int, column: Int, expected: String?) -> TableError {
        let value = rows[row][column]
        return TableError(kind, file: fileName, line: lineNumbers[row], columnIndex: column,
                          columnName: header[column], value: value.isEmpty ? nil : value, expected: expected)
    }
}
