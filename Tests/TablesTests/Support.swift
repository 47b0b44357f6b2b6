import Foundation
import Tables
import Testing
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
///
/// Every call also reads the file as record blocks, split in runs of 1, 2 and all rows, and records a test issue
/// unless that gives the same rows and lines, or the same error: so every format test covers both paths.
/// `options` adjusts the reader's options (the separator and block size are set first).
func readAll(_ path: String, blockSize: Int = 8 << 20, separator: UInt8 = UInt8(ascii: ","),
             options adjust: (inout CSVReader.Options) -> Void = { _ in },
             sourceLocation: SourceLocation = #_sourceLocation) throws -> ReadBack {
    var options = CSVReader.Options(separator: separator, blockSize: blockSize)
    adjust(&options)
    let fields = Result { try readFields(path, options: options) }
    for run in [1, 2, Int.max] {
        let records = Result { try readRecords(path, options: options, splitRun: run) }
        switch (fields, records) {
        case let (.success(a), .success(b)):
            #expect(a.header == b.header && a.rows == b.rows && a.lines == b.lines,
                    "record blocks split in runs of \(run) rows read otherwise", sourceLocation: sourceLocation)
        case let (.failure(a), .failure(b)):
            #expect("\(a)" == "\(b)", "record blocks split in runs of \(run) rows fail otherwise",
                    sourceLocation: sourceLocation)
        default:
            Issue.record("record blocks: \(records) but field blocks: \(fields)", sourceLocation: sourceLocation)
        }
    }
    return try fields.get()
}

/// `readAll` through `CSVReader.nextRecordBlock()`, splitting `splitRun` rows at a time into one reused index.
func readRecords(_ path: String, options: CSVReader.Options, splitRun: Int) throws -> ReadBack {
    var reader = try CSVReader(path: path, options: options)
    var result = ReadBack(header: reader.header, rows: [], lines: [], blocks: 0)
    let index = CSVFieldIndex()
    while let records = try reader.nextRecordBlock() {
        precondition(records.firstRowIndex == result.rows.count, "blocks must follow each other")
        result.blocks += 1
        var start = 0
        while start < records.rowCount {
            let end = start + min(splitRun, records.rowCount - start)
            let (block, ragged) = records.splitFields(rows: start..<end, into: index)
            for row in 0..<block.rowCount {
                precondition(block.lineNumber(ofRow: row) == records.lineNumber(ofRow: start + row))
                result.rows.append((0..<block.columnCount).map { block.string(row: row, column: $0) })
                result.lines.append(block.lineNumber(ofRow: row))
            }
            if let ragged { throw ragged }
            start = end
        }
    }
    return result
}

func readFields(_ path: String, options: CSVReader.Options) throws -> ReadBack {
    var reader = try CSVReader(path: path, options: options)
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
