import Foundation
import Supervision
import Tables

/// A CSV file read block by block with named columns, for imports that look up a block's references in the store
/// at once before checking its rows one by one (``CityRow`` gives each row its located errors).
struct FileRows {
    let url: URL
    let required: [String]
    let optional: [String]
    var blockSize: Int

    /// The file as errors name it.
    var name: String { url.lastPathComponent }

    /// Calls `body` with every block and the positions of the required and present optional columns.
    /// - Returns: the number of records.
    @discardableResult
    func forEachBlock(header: (([String]) throws -> Void)? = nil,
                      _ body: (CSVBlock, [String: Int]) throws -> Void) throws -> Int {
        var reader = try CSVReader(url: url, options: CSVReader.Options(blockSize: blockSize))
        _ = try reader.requireColumns(required)
        try header?(reader.header)
        var positions: [String: Int] = [:]
        for name in required + optional {
            if let index = reader.columnIndex(named: name) { positions[name] = index }
        }
        var rows = 0
        while let block = try reader.nextBlock() {
            try body(block, positions)
            rows += block.rowCount
        }
        return rows
    }

    /// Calls `body` with every record.
    @discardableResult
    func forEachRow(header: (([String]) throws -> Void)? = nil, _ body: (CityRow) throws -> Void) throws -> Int {
        try forEachBlock(header: header) { block, positions in
            for index in 0..<block.rowCount { try body(CityRow(block: block, row: index, positions: positions)) }
        }
    }
}

/// The records of one block, one ``CityRow`` at a time, and the texts of a column across them (to look up a
/// block's references in the store at once before its rows are checked).
struct BlockRows: Sequence {
    let block: CSVBlock
    let positions: [String: Int]

    func makeIterator() -> AnyIterator<CityRow> {
        var index = 0
        return AnyIterator {
            guard index < block.rowCount else { return nil }
            defer { index += 1 }
            return CityRow(block: block, row: index, positions: positions)
        }
    }

    /// The text of column `name` in every record ("" when the file has no such column).
    func texts(_ name: String) -> [String] {
        guard let column = positions[name] else { return Array(repeating: "", count: block.rowCount) }
        return (0..<block.rowCount).map { block.string(row: $0, column: column) }
    }

    /// The credit codes among the texts of column `name`.
    func creditCodes(_ name: String) -> [CreditCode] { texts(name).compactMap { try? CreditCode(validating: $0) } }
}

extension CityRow {
    /// The field of column `name` as a credit code, or nil when it is not one (for looking up references before
    /// the row's own checks report the field).
    func creditCodeIfValid(_ name: String) -> CreditCode? { try? CreditCode(validating: text(name)) }
}
