import Foundation
import Testing
import TestSupport
@testable import Tables

@Suite("CSVReader: format")
struct CSVReaderFormatTests {
    @Test("plain records, header, line numbers")
    func plain() throws {
        let scratch = try Scratch()
        let path = try scratch.write("plain.csv", "id,name,score\n1,ann,2.5\n2,bob,-3\n")
        let read = try readAll(path)
        #expect(read.header == ["id", "name", "score"])
        #expect(read.rows == [["1", "ann", "2.5"], ["2", "bob", "-3"]])
        #expect(read.lines == [2, 3])
    }

    @Test("quoted fields with separators, escaped quotes and line breaks; line numbers follow physical lines")
    func quoting() throws {
        let scratch = try Scratch()
        let text = "a,b\n\"x,y\",\"say \"\"hi\"\"\"\n\"line1\nline2\nline3\",z\n\"\",\"\"\"\"\nlast,\"q\"\n"
        let read = try readAll(try scratch.write("quoted.csv", text))
        #expect(read.rows == [["x,y", "say \"hi\""], ["line1\nline2\nline3", "z"], ["", "\""], ["last", "q"]])
        #expect(read.lines == [2, 3, 6, 7])
    }

    @Test("UTF-8 byte-order mark is stripped from the first header name")
    func byteOrderMark() throws {
        let scratch = try Scratch()
        let path = try scratch.write("bom.csv", bytes: [0xEF, 0xBB, 0xBF] + Array("名前,値\n東京,1\n".utf8))
        for blockSize in [1, 2, 3, 4, 1 << 20] {
            let read = try readAll(path, blockSize: blockSize)
            #expect(read.header == ["名前", "値"], "block size \(blockSize)")
            #expect(read.rows == [["東京", "1"]])
        }
        // Only at the start: a BOM-looking sequence later is data.
        let inner = try scratch.write("inner.csv", bytes: Array("a\n".utf8) + [0xEF, 0xBB, 0xBF] + Array("x\n".utf8))
        #expect(try readAll(inner).rows == [["\u{FEFF}x"]])
    }

    @Test("CRLF line ends, also inside and after quoted fields; CR inside quotes is data")
    func crlf() throws {
        let scratch = try Scratch()
        let path = try scratch.write("crlf.csv", "a,b\r\n1,\"two\"\r\n\"3\r\n3\",4\r\n")
        let read = try readAll(path)
        #expect(read.header == ["a", "b"])
        #expect(read.rows == [["1", "two"], ["3\r\n3", "4"]])
        #expect(read.lines == [2, 3])
    }

    @Test("last line without a line end, with and without quotes and with an empty last field")
    func noFinalNewline() throws {
        let scratch = try Scratch()
        #expect(try readAll(try scratch.write("a.csv", "a,b\n1,2")).rows == [["1", "2"]])
        #expect(try readAll(try scratch.write("b.csv", "a,b\n1,\"2\"")).rows == [["1", "2"]])
        #expect(try readAll(try scratch.write("c.csv", "a,b\n1,")).rows == [["1", ""]])
        #expect(try readAll(try scratch.write("d.csv", "a,b\r\n1,2\r")).rows == [["1", "2"]])
        #expect(try readAll(try scratch.write("f.csv", "a,b\r\n1,\"2\"\r")).rows == [["1", "2"]])
        #expect(try readAll(try scratch.write("e.csv", "a,b")).rows.isEmpty)
    }

    @Test("blank lines are skipped but counted in line numbers; a quoted empty field is not blank")
    func blankLines() throws {
        let scratch = try Scratch()
        let read = try readAll(try scratch.write("blank.csv", "\na\n\n1\n\r\n\"\"\n\n"))
        #expect(read.header == ["a"])
        #expect(read.rows == [["1"], [""]])
        #expect(read.lines == [4, 6])
    }

    @Test("quotes inside unquoted fields are literal; long fields cross the scanner's 64-byte chunks")
    func literalQuotesAndLongFields() throws {
        let scratch = try Scratch()
        let long = String(repeating: "abcdefghij", count: 20)
        let text = "a,b,c\nx\"y,\"\(long),\(long)\",\(long)\"\n\(long),,\"q\"\"\"\n"
        for blockSize in [1, 50, 100, 1 << 20] {
            let read = try readAll(try scratch.write("long.csv", text), blockSize: blockSize)
            #expect(read.rows == [["x\"y", long + "," + long, long + "\""], [long, "", "q\""]], "block size \(blockSize)")
            #expect(read.lines == [2, 3])
        }
    }

    @Test("other separators")
    func separator() throws {
        let scratch = try Scratch()
        let path = try scratch.write("semi.csv", "a;b\n\"1;5\";2,5\n")
        let read = try readAll(path, separator: UInt8(ascii: ";"))
        #expect(read.rows == [["1;5", "2,5"]])
    }

    @Test("every block size gives the same records: boundaries inside quotes, escapes and CRLF pairs")
    func tinyBlocks() throws {
        let scratch = try Scratch()
        let text = "h1,h2,h3\r\n\"a\"\"b\",\"c\r\nd\",e\r\n,,\r\n\"\"\"\",\"x,\"\"y\"\"\",\"\"\r\nplain,text,\"é\u{1F600}\"\r\n"
        let path = try scratch.write("tiny.csv", text)
        let reference = try readAll(path)
        #expect(reference.rows == [["a\"b", "c\r\nd", "e"], ["", "", ""], ["\"", "x,\"y\"", ""],
                                   ["plain", "text", "é\u{1F600}"]])
        #expect(reference.lines == [2, 4, 5, 6])
        for blockSize in 1...(text.utf8.count + 1) {
            var read = try readAll(path, blockSize: blockSize)
            #expect(read.blocks >= 1)
            read.blocks = reference.blocks
            #expect(read == reference, "block size \(blockSize)")
        }
    }

    @Test("small blocks split a large file into many blocks with consecutive row indices")
    func manyBlocks() throws {
        let scratch = try Scratch()
        var text = "k,v\n"
        for i in 0..<5000 { text += "\(i),\"v\n\(i)\"\n" }
        let path = try scratch.write("many.csv", text)
        let read = try readAll(path, blockSize: 4096)
        #expect(read.blocks > 10)
        #expect(read.rows.count == 5000)
        #expect(read.rows[4321] == ["4321", "v\n4321"])
        #expect(read.lines[4321] == 2 + 2 * 4321)
    }

    @Test("field access: bytes, lengths, missing values, numbers")
    func fieldAccess() throws {
        let scratch = try Scratch()
        let path = try scratch.write("fields.csv", "x,y\n1.5,\n\"-2e3\",abc\n")
        var reader = try CSVReader(path: path)
        let block = try #require(try reader.nextBlock())
        #expect(block.rowCount == 2 && block.columnCount == 2 && block.firstRowIndex == 0)
        #expect(block.isMissing(row: 0, column: 1))
        #expect(!block.isMissing(row: 0, column: 0))
        #expect(block.fieldLength(row: 1, column: 0) == 4)
        #expect(block.withFieldBytes(row: 1, column: 1) { Array($0) } == Array("abc".utf8))
        #expect(try block.double(row: 0, column: 0) == 1.5)
        #expect(try block.double(row: 1, column: 0) == -2000)
        #expect(block.parseDouble(row: 0, column: 1) == .missing)
        #expect(block.parseDouble(row: 1, column: 1) == .invalid)
        #expect(try block.double(row: 0, column: 1, policy: .init(missing: .substitute(-1))) == -1)
        #expect(try block.double(row: 0, column: 1, policy: .missingAsNaN).isNaN)
        #expect(try reader.nextBlock() == nil)
        #expect(try reader.nextBlock() == nil)
    }

    @Test("disjoint row ranges of one block parse concurrently to the same values as sequentially")
    func concurrentParsing() throws {
        var rng = SeededGenerator(seed: 77)
        let scratch = try Scratch()
        var text = "a,b,c,d\n"
        for _ in 0..<20_000 {
            text += (0..<4).map { _ in String(Double.random(in: -1e4...1e4, using: &rng)) }.joined(separator: ",") + "\n"
        }
        var reader = try CSVReader(path: try scratch.write("numbers.csv", text), options: .init(blockSize: 4 << 20))
        let block = try #require(try reader.nextBlock())
        #expect(block.rowCount == 20_000)
        var sequential = [Double]()
        for row in 0..<block.rowCount {
            for column in 0..<4 { sequential.append(try block.double(row: row, column: column)) }
        }
        var parallel = [Double](repeating: .nan, count: sequential.count)
        parallel.withUnsafeMutableBufferPointer { out in
            let out = out
            DispatchQueue.concurrentPerform(iterations: 7) { part in
                let rows = (block.rowCount * part / 7)..<(block.rowCount * (part + 1) / 7)
                for row in rows {
                    for column in 0..<4 { out[row * 4 + column] = (try? block.double(row: row, column: column)) ?? -1 }
                }
            }
        }
        #expect(parallel.map(\.bitPattern) == sequential.map(\.bitPattern))

        // Bulk extraction into row-major and column-major storage, concurrently over row ranges.
        var rowMajor = [Double](repeating: .nan, count: sequential.count)
        var columnMajor = [Double](repeating: .nan, count: sequential.count)
        let n = block.rowCount
        var succeeded = [Bool](repeating: false, count: 3)
        rowMajor.withUnsafeMutableBufferPointer { rm in
            columnMajor.withUnsafeMutableBufferPointer { cm in
                succeeded.withUnsafeMutableBufferPointer { ok in
                    let rm = rm, cm = cm, ok = ok
                    DispatchQueue.concurrentPerform(iterations: 3) { part in
                        let rows = (n * part / 3)..<(n * (part + 1) / 3)
                        ok[part] = (try? block.parseDoubles(rows: rows, columns: [0, 1, 2, 3],
                                                            into: rm.baseAddress! + rows.lowerBound * 4, rowStride: 4)) != nil
                            && (try? block.parseDoubles(rows: rows, columns: [0, 1, 2, 3],
                                                        into: cm.baseAddress! + rows.lowerBound,
                                                        rowStride: 1, columnStride: n)) != nil
                    }
                }
            }
        }
        #expect(succeeded == [true, true, true])
        #expect(rowMajor.map(\.bitPattern) == sequential.map(\.bitPattern))
        let transposed = (0..<n).flatMap { row in (0..<4).map { columnMajor[$0 * n + row] } }
        #expect(transposed.map(\.bitPattern) == sequential.map(\.bitPattern))
    }

    @Test("bulk extraction: selected columns, policy, and the first bad value's location")
    func bulkExtraction() throws {
        let scratch = try Scratch()
        let path = try scratch.write("bulk.csv", "id,x,y\nA,1,2\nB,,4\nC,5,x\n")
        var reader = try CSVReader(path: path)
        let block = try #require(try reader.nextBlock())
        var out = [Double](repeating: 0, count: 6)
        try out.withUnsafeMutableBufferPointer {
            try block.parseDoubles(rows: 0..<2, columns: [2, 1], policy: .init(missing: .substitute(-9)),
                                   into: $0.baseAddress!, rowStride: 2)
        }
        #expect(out == [2, 1, 4, -9, 0, 0])
        #expect(tableErrorMessage {
            try out.withUnsafeMutableBufferPointer {
                try block.parseDoubles(rows: 0..<3, columns: [1, 2], policy: .missingAsNaN, into: $0.baseAddress!, rowStride: 2)
            }
        } == "bulk.csv:4:3 (column \"y\"): \"x\" is not a number; expected a decimal number like 12.5")
    }

    @Test("requireColumns resolves positions in the requested order")
    func columns() throws {
        let scratch = try Scratch()
        let reader = try CSVReader(path: try scratch.write("c.csv", "a,b,c\n"))
        #expect(try reader.requireColumns(["c", "a"]) == [2, 0])
        #expect(reader.columnIndex(named: "b") == 1)
        #expect(reader.columnIndex(named: "z") == nil)
    }
}

@Suite("CSVReader: block storage reuse")
struct CSVReaderStorageReuseTests {
    /// A 2,000-row file read in small blocks (dozens of them).
    static func manyBlocks(_ files: Scratch) throws -> String {
        var text = "id,value\n"
        for i in 0..<2000 { text += "entity-\(i),\(Double(i) * 0.5)\n" }
        return try files.write("many.csv", text)
    }

    @Test("a block dropped before the next read gives its storage back: two storages serve the whole file")
    func droppedBlocksAreRecycled() throws {
        let files = try Scratch()
        var reader = try CSVReader(path: try Self.manyBlocks(files), options: .init(blockSize: 256))
        var blocks = 0
        while try reader.nextBlock() != nil { blocks += 1 }
        #expect(blocks > 50)
        #expect(reader.storagesAllocated <= 2)
    }

    @Test("reading one block ahead (as the scoring job's prefetcher does) needs at most three storages")
    func readAheadRecyclesToo() throws {
        let files = try Scratch()
        var reader = try CSVReader(path: try Self.manyBlocks(files), options: .init(blockSize: 256))
        var blocks = 0
        var ahead = try reader.nextBlock()
        while let current = ahead {
            ahead = try reader.nextBlock()   // read while `current` is still held
            #expect(current.string(row: 0, column: 0) == "entity-\(current.firstRowIndex)")
            blocks += 1
        }
        #expect(blocks > 50)
        #expect(reader.storagesAllocated <= 3)
    }
}
