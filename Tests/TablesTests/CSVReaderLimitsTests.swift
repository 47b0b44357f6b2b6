import Foundation
@testable import Tables
import Testing

/// Pathological fields: a field over the limit is refused as soon as the reader holds that much of it, and no
/// message echoes more than about 80 characters of any text.
@Suite("CSV reader: field limit and message length")
struct CSVReaderLimitsTests {
    static let tenMegabytes = 10 << 20

    @Test("a 10 MiB field is refused from its first MiB or two, with a short message, by every path")
    func hugeField() throws {
        let scratch = try Scratch()
        var bytes = Array("id,name,score\nE1,ok,1\nE2,".utf8)
        bytes += [UInt8](repeating: UInt8(ascii: "a"), count: Self.tenMegabytes)
        bytes += Array(",2\nE3,x,3\n".utf8)
        let path = try scratch.write("entities.csv", bytes: bytes)
        let blockSize = 64 << 10
        for recordBlocks in [false, true] {
            var reader = try CSVReader(path: path, options: .init(blockSize: blockSize))
            var rows = 0
            do {
                if recordBlocks {
                    while let block = try reader.nextRecordBlock() { rows += block.rowCount }
                } else {
                    while let block = try reader.nextBlock() { rows += block.rowCount }
                }
                Issue.record("the huge field was read")
            } catch let error as TableError {
                #expect(error.kind == .fieldTooLong(limit: 1 << 20))
                #expect(error.line == 3 && error.column == 2 && error.columnName == "name")
                let message = "\(error)"
                #expect(message == "entities.csv:3:2 (column \"name\"): a field is longer than 1,048,576 bytes, "
                        + "starting \"\(String(repeating: "a", count: 64))…\"; expected at most 1,048,576 bytes in a field")
                #expect(message.count < 200)
            }
            #expect(rows == 1, "the row before the huge field is read")
            // The buffer doubles from 64 KiB until it holds more than the limit: 2 MiB, never the whole field.
            #expect(reader.bytesRead <= 2 << 20 + blockSize, "record blocks: \(recordBlocks)")
            #expect(reader.storagesAllocated <= 7)
        }
    }

    @Test("the limit counts a field's content: at the limit it is read, one byte over it is refused")
    func limitIsExact() throws {
        let scratch = try Scratch()
        let limit = 10
        let fits = String(repeating: "x", count: limit)
        for blockSize in [1, 4, 16, 1 << 20] {
            // Quotes are not counted; a CR before the LF is not content.
            let ok = try scratch.write("ok.csv", "a,b\n\(fits),\"\(fits)\"\r\n\"\(fits)\",\(fits)\n")
            let read = try readAll(ok, blockSize: blockSize, maxFieldBytes: limit)
            #expect(read.rows == [[fits, fits], [fits, fits]])
            for (text, line, column) in [("a,b\n1,2\n3,\(fits)y\n", 3, 2), ("a,b\n\"q\n\(fits)\",2\n", 2, 1),
                                         ("a,b\n1,\"\(fits)\"\"\"\n", 2, 2), ("a\(fits),b\n1,2\n", 1, 1)] {
                let path = try scratch.write("long.csv", text)
                #expect(throws: TableError.self, "block size \(blockSize): \(text)") {
                    try readAll(path, blockSize: blockSize, maxFieldBytes: limit)
                }
                do {
                    _ = try readAll(path, blockSize: blockSize, maxFieldBytes: limit)
                } catch let error as TableError {
                    #expect(error.kind == .fieldTooLong(limit: limit) && error.line == line && error.column == column,
                            "block size \(blockSize): \(text) → \(error)")
                }
            }
        }
    }

    @Test("every kind of error shows at most about 80 characters of each value, name and expected form")
    func shortMessages() {
        let huge = String(repeating: "v", count: Self.tenMegabytes)
        let name = String(repeating: "n", count: 5000)
        let kinds: [TableError.Kind] = [
            .cannotOpen(reason: "No such file"), .ioFailure(reason: "I/O"), .emptyFile, .missingColumns([huge, name]),
            .duplicateHeader(firstColumn: 1), .raggedRow(expected: 2, found: 3), .unterminatedQuotedField,
            .malformedQuotedField, .recordTooLong(limit: 64), .missingValue, .notANumber, .nonFiniteNotAllowed,
            .invalidValue, .duplicateKey(firstLine: 2), .unknownCategory,
            .invalidText(encoding: .utf8, bytes: [0xC3, 0x28]), .unsupportedEncoding(name: "UTF-16"),
            .carriageReturnLineEnds, .fieldTooLong(limit: 1 << 20),
        ]
        for kind in kinds {
            let error = TableError(kind, file: "f.csv", line: 3, columnIndex: 1, columnName: name, value: huge,
                                   expected: huge)
            let message = "\(error)"
            // Location + column name (≤ 40) + value (≤ 64) + its length + expected (≤ 400) + fixed words.
            #expect(message.count < 700, "\(kind): \(message.count) characters")
        }
        let value = TableError.notANumber(file: "f.csv", line: 2, columnIndex: 0, columnName: "x", value: huge)
        #expect("\(value)" == "f.csv:2:1 (column \"x\"): \"\(String(repeating: "v", count: 64))…\" (10,485,760 bytes) "
                + "is not a number; expected a decimal number like 12.5")
        // A vocabulary of long names: twelve names, each cut.
        let categories = TableError.unknownCategory(file: "f.csv", line: 2, columnIndex: 0, columnName: "c",
                                                    value: "z", categories: Array(repeating: huge, count: 20))
        #expect("\(categories)".count < 1000)
        // Escaped characters count as what is shown.
        #expect(TableError.quoted(String(repeating: "\n", count: 100), limit: 3) == "\"\\n\\n\\n…\" (100 bytes)")
        #expect(TableError.quoted("short") == "\"short\"")
    }
}

/// `readAll` with a field limit.
func readAll(_ path: String, blockSize: Int, maxFieldBytes: Int,
             sourceLocation: SourceLocation = #_sourceLocation) throws -> ReadBack {
    try readAll(path, blockSize: blockSize, options: { $0.maxFieldBytes = maxFieldBytes },
                sourceLocation: sourceLocation)
}
