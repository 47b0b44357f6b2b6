import Foundation
import GRDB
import Tables

/// Reading one CSV file of a city directory row by row, with the located errors of `ImportRow`.
///
/// Why a separate reader from `importCSV`: the city's files carry the planner's column names (`department`,
/// `scenario`, `lead`, `partners`, `entity_id`, …), and one city import reads several of them inside a single
/// transaction, so each file is streamed here and written by `CityImporter` with the statements it prepared.
struct CityFile {
    let url: URL
    let required: [String]
    let optional: [String]
    var blockSize: Int = 8 << 20

    /// The file name as errors show it.
    var name: String { url.lastPathComponent }

    /// Calls `body` for every data row; returns the number of rows.
    /// - Throws: `TableError` (missing columns, ragged rows, and whatever `body` throws).
    @discardableResult
    func forEachRow(header: (([String]) throws -> Void)? = nil, _ body: (ImportRow) throws -> Void) throws -> Int {
        var reader = try CSVReader(url: url, options: CSVReader.Options(blockSize: blockSize))
        _ = try reader.requireColumns(required)
        try header?(reader.header)
        var positions: [String: Int] = [:]
        for name in required + optional {
            if let index = reader.columnIndex(named: name) { positions[name] = index }
        }
        var rows = 0
        while let block = try reader.nextBlock() {
            var record = ImportRow(block: block, row: 0, positions: positions)
            for row in 0..<block.rowCount {
                record.row = row
                try body(record)
            }
            rows += block.rowCount
        }
        return rows
    }
}

extension ImportRow {
    /// The text of the field at header position `column` (used for columns not named in advance, e.g.
    /// the features of entities.csv).
    func field(at column: Int) -> String { block.string(row: row, column: column) }

    /// The error for the field at header position `column`.
    func fail(column: Int, _ kind: TableError.Kind, expected: String?) -> TableError {
        block.error(kind, row: row, column: column, expected: expected)
    }

    /// A `;`-separated list, empty elements dropped.
    func list(_ name: String) -> [String] { text(name).split(separator: ";").map(String.init) }
}

/// The measures of the city's items.csv (`on-site`) mapped to the registry's (`on_site`): both spellings are
/// accepted, so either file imports.
enum Measure {
    static let registry = ["on_site", "off_site", "documents"]
    static func normalised(_ text: String) -> String? {
        let value = text.replacingOccurrences(of: "-", with: "_")
        return registry.contains(value) ? value : nil
    }
    static let expected = "one of on-site, off-site, documents (or on_site, off_site)"
}

/// Runs a prepared statement whose argument count the importer guarantees.
@inline(__always)
func executeUnchecked(_ statement: Statement, _ arguments: StatementArguments) throws {
    statement.setUncheckedArguments(arguments)
    try statement.execute()
}
