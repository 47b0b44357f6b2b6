import Foundation
import Testing
import Tables

@Suite("TableError: every kind, with its exact message")
struct TableErrorTests {
    @Test("file cannot be opened")
    func cannotOpen() throws {
        let scratch = try Scratch()
        let error = tableError { _ = try CSVReader(path: scratch.path("missing.csv")) }
        #expect(error?.kind == .cannotOpen(reason: "No such file or directory"))
        #expect(error?.description == "missing.csv: cannot open the file: No such file or directory")
    }

    @Test("empty file, BOM only, blank lines only", arguments: [[], [0xEF, 0xBB, 0xBF], Array("\n\r\n\n".utf8)])
    func emptyFile(bytes: [UInt8]) throws {
        let scratch = try Scratch()
        let path = try scratch.write("empty.csv", bytes: bytes)
        #expect(tableErrorMessage { _ = try CSVReader(path: path) }
                == "empty.csv: the file is empty; expected a header line naming the columns")
    }

    @Test("missing required columns are all listed")
    func missingColumns() throws {
        let scratch = try Scratch()
        let path = try scratch.write("entities.csv", "id,age\n")
        let reader = try CSVReader(path: path)
        let error = tableError { _ = try reader.requireColumns(["id", "income", "sector"]) }
        #expect(error?.kind == .missingColumns(["income", "sector"]))
        #expect(error?.description == "entities.csv:1: missing required columns \"income\", \"sector\"")
        #expect(tableErrorMessage { _ = try reader.requireColumns(["x"]) }
                == "entities.csv:1: missing required column \"x\"")
    }

    @Test("duplicate header names")
    func duplicateHeader() throws {
        let scratch = try Scratch()
        let path = try scratch.write("dup.csv", "id,age,name,age\n1,2,3,4\n")
        #expect(tableErrorMessage { _ = try CSVReader(path: path) }
                == "dup.csv:1:4 (column \"age\"): duplicate column name \"age\" (first at column 2); expected unique column names")
        let reader = try CSVReader(path: path, options: .init(allowsDuplicateHeaderNames: true))
        #expect(reader.columnIndex(named: "age") == 1)
    }

    @Test("ragged rows: too few and too many fields, with the record's line")
    func raggedRow() throws {
        let scratch = try Scratch()
        let few = try scratch.write("few.csv", "a,b,c\n1,2,3\n\"multi\nline\",2,3\n4,5\n")
        let error = tableError { _ = try readAll(few) }
        #expect(error?.kind == .raggedRow(expected: 3, found: 2))
        #expect(error?.description == "few.csv:5: expected 3 fields, found 2")
        let many = try scratch.write("many.csv", "a\n1\n1,2\n")
        #expect(tableErrorMessage { _ = try readAll(many) } == "many.csv:3: expected 1 field, found 2")
    }

    @Test("unterminated quoted field, at any block size")
    func unterminated() throws {
        let scratch = try Scratch()
        let path = try scratch.write("open.csv", "a,b\n1,2\n3,\"never\nclosed\n")
        for blockSize in [1, 5, 1 << 20] {
            #expect(tableErrorMessage { _ = try readAll(path, blockSize: blockSize) }
                    == "open.csv:3:2 (column \"b\"): quoted field is not closed; expected a closing double quote before the end of the file")
        }
    }

    @Test("an open quote that runs past the record-length limit")
    func unterminatedAtLimit() throws {
        let scratch = try Scratch()
        let path = try scratch.write("open.csv", "a,b\n1,\"" + String(repeating: "x\n", count: 3000))
        let error = tableError { _ = try CSVTable.read(path: path, options: .init(blockSize: 64, maxRecordBytes: 1000)) }
        #expect(error?.kind == .unterminatedQuotedField)
        #expect(error?.description
                == "open.csv:2: quoted field is not closed; expected a closing double quote within 1000 bytes")
    }

    @Test("text after a closing quote")
    func malformedQuote() throws {
        let scratch = try Scratch()
        let path = try scratch.write("bad.csv", "a,b\n\"x\"y,2\n")
        let error = tableError { _ = try readAll(path) }
        #expect(error?.kind == .malformedQuotedField)
        #expect(error?.description
                == "bad.csv:2:1 (column \"a\"): a closing quote must be followed by a separator or the end of the line, found \"y\"; expected a separator or line end after the closing quote")
    }

    @Test("a record longer than the limit")
    func recordTooLong() throws {
        let scratch = try Scratch()
        let path = try scratch.write("long.csv", "a\n" + String(repeating: "x", count: 5000) + "\n")
        let options = CSVReader.Options(blockSize: 64, maxRecordBytes: 1000)
        let error = tableError {
            var reader = try CSVReader(path: path, options: options)
            while try reader.nextBlock() != nil {}
        }
        #expect(error?.kind == .recordTooLong(limit: 1000))
        #expect(error?.description == "long.csv:2: a record is longer than 1000 bytes")
    }

    @Test("not a number, non-finite, missing: from blocks, with file, line, column, value and expected form")
    func numbers() throws {
        let scratch = try Scratch()
        let path = try scratch.write("entities.csv", "id,x,y,age\nE1,1,2,3\n\"E\n2\",1,2,abc\nE3,,inf,4\n")
        var reader = try CSVReader(path: path)
        let block = try #require(try reader.nextBlock())
        let age = try reader.requireColumns(["age"])[0]
        let notNumber = tableError { _ = try block.double(row: 1, column: age) }
        #expect(notNumber?.kind == .notANumber)
        #expect(notNumber?.line == 3 && notNumber?.column == 4 && notNumber?.value == "abc")
        #expect(notNumber?.description
                == "entities.csv:3:4 (column \"age\"): \"abc\" is not a number; expected a decimal number like 12.5")
        #expect(tableErrorMessage { _ = try block.double(row: 2, column: 1) }
                == "entities.csv:5:2 (column \"x\"): missing value; expected a decimal number like 12.5")
        #expect(tableErrorMessage { _ = try block.double(row: 2, column: 2) }
                == "entities.csv:5:3 (column \"y\"): \"inf\" is not a finite number; expected a finite decimal number like 12.5")
        let allowing = NumericPolicy(allowsNonFinite: true)
        #expect(try block.double(row: 2, column: 2, policy: allowing) == .infinity)
    }

    @Test("caller-raised kinds: invalid value, duplicate key, unknown category")
    func callerKinds() throws {
        let invalid = TableError.invalidValue(file: "plan.csv", line: 7, columnIndex: 2, columnName: "date",
                                              value: "2024-13-01", expected: "a date like 2024-03-31")
        #expect(invalid.kind == .invalidValue)
        #expect(invalid.description
                == "plan.csv:7:3 (column \"date\"): \"2024-13-01\" is not valid; expected a date like 2024-03-31")
        let duplicate = TableError.duplicateKey(file: "entities.csv", line: 12, columnIndex: 0, columnName: "id",
                                                value: "E-1", firstLine: 5)
        #expect(duplicate.kind == .duplicateKey(firstLine: 5))
        #expect(duplicate.description
                == "entities.csv:12:1 (column \"id\"): duplicate key \"E-1\" (first on line 5); expected a unique key")
        let unknown = TableError.unknownCategory(file: "e.csv", line: 3, columnIndex: 1, columnName: "sector",
                                                 value: "mining", categories: ["food", "retail", "fire"])
        #expect(unknown.kind == .unknownCategory)
        #expect(unknown.description
                == "e.csv:3:2 (column \"sector\"): \"mining\" is not a known category; expected one of \"food\", \"retail\" or \"fire\"")
        let many = TableError.expectedOneOf((1...15).map { "c\($0)" })
        #expect(many.hasSuffix("\"c12\" (and 3 more)"))
    }

    @Test("values with quotes and line breaks are escaped in messages")
    func escapedValues() {
        let error = TableError.notANumber(file: "f.csv", line: 2, columnIndex: 0, columnName: "a\"b",
                                          value: "1\n2\\")
        #expect(error.description == "f.csv:2:1 (column \"a\\\"b\"): \"1\\n2\\\\\" is not a number; expected a decimal number like 12.5")
    }
}
