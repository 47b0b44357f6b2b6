import Dispatch
import Foundation
import Testing
import TestSupport
@testable import Tables

/// `CSVReader.nextRecordBlock()` and `CSVRecordBlock.splitFields`. Every format test of `CSVReaderTests` also reads
/// its file this way (see `readAll`); these cover what only record blocks do.
@Suite("CSVRecordBlock: records first, fields split by the caller")
struct CSVRecordBlockTests {
    /// Seeded rows mixing plain fields, quoted fields with separators, escaped quotes and line breaks, CRLF and blank
    /// lines: every path of the record pass and of the split.
    static func mixedFile(_ scratch: Scratch, rows: Int, seed: UInt64) throws -> String {
        var rng = SeededGenerator(seed: seed)
        var text = "id,text,value\n"
        for i in 0..<rows {
            let cell: String
            switch Int.random(in: 0..<6, using: &rng) {
            case 0: cell = "\"a,b\""
            case 1: cell = "\"say \"\"\(i)\"\"\""
            case 2: cell = "\"two\nlines\""
            case 3: cell = "x\"y"
            default: cell = "plain\(i)"
            }
            text += "r\(i),\(cell),\(Double(i) / 4)" + (i % 7 == 0 ? "\r\n" : "\n")
            if i % 11 == 0 { text += "\n" }
        }
        return try scratch.write("mixed.csv", text)
    }

    @Test("shares split concurrently, each into its own index, read the same as field blocks")
    func concurrentSplits() throws {
        let scratch = try Scratch()
        let path = try Self.mixedFile(scratch, rows: 5000, seed: 11)
        let expected = try readFields(path, options: .init(blockSize: 16 << 10))
        var reader = try CSVReader(path: path, options: .init(blockSize: 16 << 10))
        let indexes = (0..<4).map { _ in CSVFieldIndex() }
        var rows: [[String]] = [], lines: [Int] = []
        while let records = try reader.nextRecordBlock() {
            let n = records.rowCount, parts = 4
            var results = [[(fields: [String], line: Int)]](repeating: [], count: parts)
            results.withUnsafeMutableBufferPointer { out in
                let out = out
                DispatchQueue.concurrentPerform(iterations: parts) { part in
                    let (block, ragged) = records.splitFields(rows: (n * part / parts)..<(n * (part + 1) / parts),
                                                              into: indexes[part])
                    precondition(ragged == nil)
                    out[part] = (0..<block.rowCount).map { row in
                        ((0..<block.columnCount).map { block.string(row: row, column: $0) }, block.lineNumber(ofRow: row))
                    }
                }
            }
            for part in results {
                rows += part.map(\.fields)
                lines += part.map(\.line)
            }
        }
        #expect(rows == expected.rows)
        #expect(lines == expected.lines)
        #expect(rows.count == 5000)
    }

    @Test("a ragged row: the rows before it come back split, with the row's error")
    func raggedRowSplitsTheRowsBeforeIt() throws {
        let scratch = try Scratch()
        let path = try scratch.write("ragged.csv", "a,b\n1,\"x\"\"y\"\n2,3\n4\n5,6\n")
        var reader = try CSVReader(path: path)
        let records = try #require(try reader.nextRecordBlock())
        #expect(records.rowCount == 4)
        let (block, error) = records.splitFields(rows: 0..<4, into: CSVFieldIndex())
        #expect(block.rowCount == 2)
        #expect(block.string(row: 0, column: 1) == "x\"y")
        #expect(block.string(row: 1, column: 1) == "3")
        #expect(error?.description == "ragged.csv:4: expected 2 fields, found 1")
        // The rows after it are untouched and can still be split.
        let (rest, none) = records.splitFields(rows: 3..<4, into: CSVFieldIndex())
        #expect(none == nil)
        #expect(rest.string(row: 0, column: 1) == "6")
        #expect(rest.firstRowIndex == 3)
        #expect(rest.lineNumber(ofRow: 0) == 5)
    }

    @Test("the record pass does not count columns; a quoting error is still the reader's")
    func quotingErrorsAreTheReaders() throws {
        let scratch = try Scratch()
        var reader = try CSVReader(path: try scratch.write("q.csv", "a,b\n1,2,3\n\"x\"y,2\n"))
        #expect(tableErrorMessage { _ = try reader.nextRecordBlock() }.hasPrefix("q.csv:3:1 (column \"a\"): "))
    }

    @Test("splitting a row twice stops the process: its quotes were already unescaped in place")
    func splittingTwiceIsCaught() async {
        await #expect(processExitsWith: .failure) {
            let scratch = try Scratch()
            var reader = try CSVReader(path: try scratch.write("twice.csv", "a\n\"x\"\"y\"\n"))
            let records = try #require(try reader.nextRecordBlock())
            _ = records.splitFields(rows: 0..<1, into: CSVFieldIndex())
            _ = records.splitFields(rows: 0..<1, into: CSVFieldIndex())
        }
    }

    @Test("reading record blocks one ahead recycles storages like field blocks")
    func readAheadRecycles() throws {
        let files = try Scratch()
        var text = "id,value\n"
        for i in 0..<2000 { text += "entity-\(i),\(Double(i) * 0.5)\n" }
        var reader = try CSVReader(path: try files.write("many.csv", text), options: .init(blockSize: 256))
        let index = CSVFieldIndex()
        var blocks = 0
        var ahead = try reader.nextRecordBlock()
        while let current = ahead {
            ahead = try reader.nextRecordBlock()
            let (block, _) = current.splitFields(rows: 0..<current.rowCount, into: index)
            #expect(block.string(row: 0, column: 0) == "entity-\(current.firstRowIndex)")
            blocks += 1
        }
        #expect(blocks > 50)
        #expect(reader.storagesAllocated <= 3)
    }
}
