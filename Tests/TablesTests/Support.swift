import Foundation
import Tables
import TestSupport

/// Everything a reader returned, flattened.
struct ReadBack: Equatable {
    var header: [String]
    var rows: [[String]]
    var lines: [Int]
    var blocks: Int
}

/// A temporary directory holding files written from bytes or text.
final class Scratch {
    let directory: TemporaryDirectory
    init() throws { directory = try TemporaryDirectory("tables-tests") }
    deinit { directory.remove() }

    func write(_ name: String, bytes: [UInt8]) throws -> String {
        let url = directory.file(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    func write(_ name: String, _ text: String) throws -> String {
        try write(name, bytes: Array(text.utf8))
    }

    func path(_ name: String) -> String { directory.file(name).path }

    /// Names in the directory (to check that no temporary file is left behind).
    func listing() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.url.path).sorted()
    }
}

/// Reads `path` block by block with `blockSize`, checking block invariants on the way.
func readAll(_ path: String, blockSize: Int = 8 << 20, separator: UInt8 = UInt8(ascii: ",")) throws -> ReadBack {
    var reader = try CSVReader(path: path, options: .init(separator: separator, blockSize: blockSize))
    var result = ReadBack(header: reader.header, rows: [], lines: [], blocks: 0)
    while let block = try reader.nextBlock() {
        precondition(block.firstRowIndex == result.rows.count, "blocks must follow each other")
        result.blocks += 1
        for row in 0..<block.rowCount {
            result.rows.append((0..<block.columnCount).map { block.string(row: row, column: $0) })
            result.lines.append(block.lineNumber(ofRow: row))
        }
    }
    return result
}

/// The message of the `TableError` thrown by `body`, or a description of what happened instead.
func tableErrorMessage(_ body: () throws -> Void) -> String {
    do {
        try body()
        return "<no error>"
    } catch let error as TableError {
        return error.description
    } catch {
        return "<other error: \(error)>"
    }
}

/// The `TableError` thrown by `body`, if any.
func tableError(_ body: () throws -> Void) -> TableError? {
    do {
        try body()
        return nil
    } catch {
        return error as? TableError
    }
}
