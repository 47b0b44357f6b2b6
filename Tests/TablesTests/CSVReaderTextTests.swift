import Foundation
@testable import Tables
import Testing

/// Text encodings: invalid UTF-8 is refused with its place, legacy encodings are transcoded, UTF-16 and CR-only
/// line ends are named.
@Suite("CSV reader: text encoding")
struct CSVReaderTextTests {
    /// Block sizes that put every boundary somewhere inside the test files' multibyte sequences.
    static let blockSizes = [1, 2, 3, 5, 7, 13, 64, 1 << 20]

    /// The message for `bytes` as the last field of a file, read through every path and block size.
    func message(_ scratch: Scratch, _ bytes: [UInt8], blockSize: Int) -> String {
        let path = (try? scratch.write("entities.csv", bytes: bytes)) ?? ""
        do {
            _ = try readAll(path, blockSize: blockSize)
            return "read"
        } catch {
            return "\(error)"
        }
    }

    @Test("invalid UTF-8 is refused at its line and column, with the bytes in hexadecimal, by every path")
    func invalidUTF8() throws {
        let scratch = try Scratch()
        let head = Array("id,score,name\nE1,1,ok\nE2,2,\"two\nlines\"\n".utf8)
        let expected = "; expected UTF-8 text — if the file is GB18030 or Latin-1, pass --encoding gb18030|latin1"
        // (bytes of the field, how they are quoted). The bad field is on line 5, column 3 ("name").
        let cases: [([UInt8], String)] = [
            ([0x61, 0xC3, 0x28], "bytes C3 28"),                // a lead byte followed by ASCII
            ([0xC0, 0xAF], "byte C0"),                          // overlong "/"
            ([0xE0, 0x80, 0xAF], "bytes E0 80"),                // overlong three-byte form
            ([0xED, 0xA0, 0x80], "bytes ED A0"),                // a surrogate (U+D800)
            ([0xF4, 0x90, 0x80, 0x80], "bytes F4 90"),          // above U+10FFFF
            ([0xF5, 0x80], "byte F5"),
            ([0x80], "byte 80"),                                // a stray continuation byte
            ([0xFF], "byte FF"),
            ([0xE2, 0x82], "bytes E2 82"),                      // cut by the end of the file
        ]
        for (field, quoted) in cases {
            for blockSize in Self.blockSizes {
                let got = message(scratch, head + Array("E3,3,".utf8) + field, blockSize: blockSize)
                #expect(got == "entities.csv:5:3 (column \"name\"): invalid UTF-8 (\(quoted))" + expected,
                        "field \(field), block size \(blockSize)")
            }
        }
        // Cut by the end of a field (the separator), by the closing quote, and inside a quoted field that spans
        // lines: the line is the bad byte's own.
        for blockSize in Self.blockSizes {
            #expect(message(scratch, head + Array("E3,".utf8) + [0xE2, 0x82] + Array(",x\n".utf8), blockSize: blockSize)
                    == "entities.csv:5:2 (column \"score\"): invalid UTF-8 (bytes E2 82 2C)" + expected)
            #expect(message(scratch, head + Array("E3,3,\"a\nb".utf8) + [0xC3] + Array("\"\n".utf8), blockSize: blockSize)
                    == "entities.csv:6:3 (column \"name\"): invalid UTF-8 (bytes C3 22)" + expected)
            // In the header: no column name yet.
            #expect(message(scratch, Array("id,na".utf8) + [0xE9] + Array("me\nE1,x\n".utf8), blockSize: blockSize)
                    == "entities.csv:1:2: invalid UTF-8 (bytes E9 6D)" + expected)
        }
    }

    @Test("well-formed UTF-8 of every length passes, split at any block boundary")
    func validUTF8() throws {
        let scratch = try Scratch()
        let names = ["é", "中文", "\u{1F600}", "\u{10FFFF}", "\u{E000}\u{D7FF}", String(repeating: "ü", count: 70)]
        let text = "id,name\n" + names.enumerated().map { "E\($0.offset),\($0.element)\n" }.joined()
        let path = try scratch.write("valid.csv", text)
        for blockSize in Self.blockSizes {
            #expect(try readAll(path, blockSize: blockSize).rows.map { $0[1] } == names, "block size \(blockSize)")
        }
    }

    @Test("CSVTable refuses invalid UTF-8 instead of replacing it by U+FFFD")
    func tableRefuses() throws {
        let scratch = try Scratch()
        let path = try scratch.write("t.csv", bytes: Array("a,b\n1,".utf8) + [0xE9] + Array("t\u{E9}\n".utf8))
        #expect(throws: TableError.self) { try CSVTable.read(path: path) }
        do {
            _ = try CSVTable.read(path: path)
        } catch let error as TableError {
            #expect(error.kind == .invalidText(encoding: .utf8, bytes: [0xE9, 0x74]))
            #expect(error.line == 2 && error.column == 2 && error.columnName == "b")
        }
    }

    /// Reads `bytes` with `encoding` through every path and block size and checks they all give `rows`.
    func expectTranscoded(_ bytes: [UInt8], _ encoding: TextEncoding, header: [String], rows: [[String]],
                          sourceLocation: SourceLocation = #_sourceLocation) throws {
        let scratch = try Scratch()
        let path = try scratch.write("legacy.csv", bytes: bytes)
        for blockSize in Self.blockSizes {
            let options = CSVReader.Options(blockSize: blockSize, encoding: encoding)
            let table = try CSVTable.read(path: path, options: options)
            #expect(table.header == header && table.rows == rows, "block size \(blockSize)",
                    sourceLocation: sourceLocation)
            var reader = try CSVReader(path: path, options: options)
            var split: [[String]] = []
            let index = CSVFieldIndex()
            while let records = try reader.nextRecordBlock() {
                let (block, error) = records.splitFields(rows: 0..<records.rowCount, into: index)
                #expect(error == nil, sourceLocation: sourceLocation)
                for row in 0..<block.rowCount { split.append((0..<block.columnCount).map { block.string(row: row, column: $0) }) }
            }
            #expect(split == rows, "record blocks, block size \(blockSize)", sourceLocation: sourceLocation)
        }
    }

    @Test("GB18030 is transcoded while reading, characters split across reads included")
    func gb18030() throws {
        // 企业名称 (two-byte characters), U+0080 and U+1F600 (four-byte forms), ASCII around them.
        let name: [UInt8] = [0xC6, 0xF3, 0xD2, 0xB5, 0xC3, 0xFB, 0xB3, 0xC6]
        let bytes = Array("id,".utf8) + name + Array("\nE1,\"".utf8) + [0xD6, 0xD0, 0x2C, 0xCE, 0xC4]
            + Array("\"\nE2,".utf8) + [0x81, 0x30, 0x81, 0x30, 0x94, 0x39, 0xFC, 0x36] + Array("\n".utf8)
        try expectTranscoded(bytes, .gb18030, header: ["id", "企业名称"],
                             rows: [["E1", "中,文"], ["E2", "\u{80}\u{1F600}"]])
    }

    @Test("bytes that are not GB18030 are refused at their line and column in the original file")
    func invalidGB18030() throws {
        let scratch = try Scratch()
        let good = Array("id,name,n\nE1,".utf8) + [0xD6, 0xD0] + Array(",1\nE2,\"a\nb\",2\nE3,x".utf8)
        let cases: [([UInt8], String)] = [([0x81, 0x20], "bytes 81 20"), ([0xFF], "byte FF"),
                                          ([0x81, 0x30, 0x20, 0x20], "bytes 81 30 20 20")]
        for (bad, quoted) in cases {
            let path = try scratch.write("gb.csv", bytes: good + bad + Array(",3\n".utf8))
            for blockSize in Self.blockSizes {
                var reader = try CSVReader(path: path, options: .init(blockSize: blockSize, encoding: .gb18030))
                var rows = 0
                do {
                    while let block = try reader.nextBlock() { rows += block.rowCount }
                    Issue.record("read \(rows) rows without an error")
                } catch {
                    #expect("\(error)" == "gb.csv:5:2 (column \"name\"): invalid GB18030 (\(quoted)); "
                            + "expected GB18030 text (as --encoding says)", "block size \(blockSize)")
                    #expect(rows == 2, "the rows before the bad bytes are read, block size \(blockSize)")
                }
            }
        }
        // A file that ends inside a character.
        let cut = try scratch.write("cut.csv", bytes: Array("id\nE".utf8) + [0xD6])
        #expect(throws: TableError(.invalidText(encoding: .gb18030, bytes: [0xD6]), file: "cut.csv", line: 2,
                                   columnIndex: 0, columnName: "id", expected: TableError.expectedText(.gb18030))) {
            try CSVTable.read(path: cut, options: .init(blockSize: 2, encoding: .gb18030))
        }
    }

    @Test("Latin-1: every byte is its own character")
    func latin1() throws {
        let all = (0x80...0xFF).map { UInt8($0) }
        let bytes = Array("id,text\nE1,caf".utf8) + [0xE9] + Array("\nE2,".utf8) + all + Array("\n".utf8)
        let text = String(decoding: all.map { UInt16($0) }, as: UTF16.self)
        try expectTranscoded(bytes, .latin1, header: ["id", "text"], rows: [["E1", "café"], ["E2", text]])
    }

    @Test("a UTF-16 file is named, with or without a byte-order mark")
    func utf16() throws {
        let scratch = try Scratch()
        let text = "id,name\nE1,x\n"
        let little = text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let big = text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        let cases: [([UInt8], String, String)] = [
            ([0xFF, 0xFE] + little, "little-endian", "UTF-16LE"), (little, "little-endian", "UTF-16LE"),
            ([0xFE, 0xFF] + big, "big-endian", "UTF-16BE"), (big, "big-endian", "UTF-16BE"),
        ]
        for (bytes, order, name) in cases {
            let path = try scratch.write("wide.csv", bytes: bytes)
            for blockSize in [1, 3, 1 << 20] {
                for encoding in TextEncoding.allCases {
                    #expect(throws: TableError(.unsupportedEncoding(name: "UTF-16 (\(order))"), file: "wide.csv",
                                               line: 1, expected: "UTF-8 — convert with `iconv -f \(name) -t UTF-8`")) {
                        try CSVReader(path: path, options: .init(blockSize: blockSize, encoding: encoding))
                    }
                }
            }
        }
    }

    @Test("CR-only line ends are named, whether the first line fits the buffer or not")
    func carriageReturnOnly() throws {
        let scratch = try Scratch()
        let path = try scratch.write("mac.csv", "id,name\rE1,x\rE2,y\r")
        for blockSize in [1, 4, 9, 1 << 20] {
            #expect(throws: TableError(.carriageReturnLineEnds, file: "mac.csv", line: 1,
                                       expected: "LF or CRLF line ends — convert with `tr '\\r' '\\n' < old.csv > new.csv`")) {
                try CSVReader(path: path, options: .init(blockSize: blockSize))
            }
        }
        // CRLF, and a CR at a block's end before its LF, are line ends as before.
        let crlf = try scratch.write("crlf.csv", "id,name\r\nE1,x\r\n")
        for blockSize in [1, 8, 9, 1 << 20] {
            #expect(try readAll(crlf, blockSize: blockSize).rows == [["E1", "x"]])
        }
    }
}
