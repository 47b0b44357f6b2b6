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

extension CityRow {
    /// The rows of `block`.
    static func rows(of block: CSVBlock, positions: [String: Int]) -> [CityRow] {
        (0..<block.rowCount).map { CityRow(block: block, row: $0, positions: positions) }
    }

    /// The field of column `name` as a credit code, or nil when it is not one (for looking up references before
    /// the row's own checks report the field).
    func creditCodeIfValid(_ name: String) -> CreditCode? { try? CreditCode(validating: text(name)) }
}
