import Foundation
import Supervision
import Tables
import Testing
@testable import Fitting

/// The reading rules of issue 17, item 4, one by one (the files are in `Tests/Fixtures/real-files/`, run end to end
/// by `FitRealFilesTests`).
@Suite struct RealFileReadingTests {
    static let standard = MissingValues.standard

    @Test func missingValueSpellings() {
        for text in ["", " ", "NA", "na", " NaN ", "NULL", "null", "N/A", "n/a"] { #expect(Self.standard.contains(text), "\(text)") }
        for text in ["0", "N", "NAN2", "none", "."] { #expect(!Self.standard.contains(text), "\(text)") }
        let custom = MissingValues([".", "-999"])
        #expect(custom.contains(".") && custom.contains("-999") && custom.contains("") && !custom.contains("NA"))
    }

    @Test func numbersWithSeparatorsPaddingAndCommas() {
        func read(_ t: String, comma: Bool = true) -> CellReading { CellReading.read(t, missing: Self.standard, commaDelimited: comma) }
        #expect(read("400,000") == .number(400_000, padded: false, grouped: true))
        #expect(read("-1,234,567.5") == .number(-1_234_567.5, padded: false, grouped: true))
        #expect(read(" 12 ") == .number(12, padded: true, grouped: false))
        #expect(read("12") == .number(12, padded: false, grouped: false))
        #expect(read("1,5") == .decimalComma && read("0,125") == .decimalComma && read("12,34") == .decimalComma)
        #expect(read("1,2345") == .decimalComma && read("1234,567") == .decimalComma)
        #expect(read("400,000", comma: false) == .ambiguousGrouping)
        #expect(read("1,234,567", comma: false) == .number(1_234_567, padded: false, grouped: true))
        #expect(read("1,234.5", comma: false) == .number(1234.5, padded: false, grouped: true))
        #expect(read("NA") == .missing && read("2014-09-02") == .date && read("9/2/2014") == .date)
        #expect(read("abc") == .text && read("Inf") == .text && read("1,2,3") == .text)
    }

    @Test func dateFormats() throws {
        let us = try #require(DateFormat("MM/DD/YYYY")), eu = try #require(DateFormat("DD.MM.YYYY"))
        let packed = try #require(DateFormat("YYYYMMDD"))
        let day = CalendarDate(year: 2014, month: 9, day: 2)
        #expect(us.date("9/2/2014") == day && us.date("09/02/2014 10:00") == day)
        #expect(eu.date("2.9.2014") == day && packed.date("20140902") == day)
        #expect(us.date("13/2/2014") == nil && packed.date("2014092") == nil && us.date("9/2/14") == nil)
        #expect(DateFormat("MM/DD") == nil && DateFormat("YYYY-MM-DD-DD") == nil && DateFormat("YYYY MM DD") == nil)
    }

    @Test func targetValuesCompareByMeaning() throws {
        func outcome(_ values: [String], _ positive: String) throws -> [Double] {
            try BinaryOutcome.read(CSVTable(fileName: "t.csv", header: ["y"], rows: values.map { [$0] }), column: 0,
                                   positive: positive).outcome
        }
        #expect(try outcome(["1.0", "0.0", "1.0"], "1") == [1, 0, 1])
        #expect(try outcome(["TRUE", "FALSE", "True"], "1") == [1, 0, 1])
        #expect(try outcome(["Yes", "No", "yes"], "yes") == [1, 0, 1])
        #expect(try outcome(["2", "1", "2.0"], "2") == [1, 0, 1])      // 1 is the negative; 2 = 2.0
        #expect(try outcome(["bad", "good"], "bad") == [1, 0])
        #expect(throws: TrainingDataError.self) { try outcome(["bad", "good"], "Bad") }   // text is exact
        #expect(throws: TrainingDataError.outcomeNotBinary(file: "t.csv", line: 4, column: "y", value: "maybe",
                                                           positive: "yes", negative: "no")) {
            try outcome(["yes", "no", "maybe"], "yes")
        }
        let missing = #expect(throws: TableError.self) { try outcome(["yes", "NA", "no"], "yes") }
        #expect(missing?.line == 3 && missing?.kind == .missingValue)
    }

    @Test func delimiterDetection() throws {
        func detect(_ text: String) throws -> UInt8 { try Delimiter.detect(Array(text.utf8), fileName: "f.csv") }
        #expect(try detect("a,b,c\n1,2,3\n") == UInt8(ascii: ","))
        #expect(try detect("a;b;c\n1,5;2;3\n") == UInt8(ascii: ";"))
        #expect(try detect("a\tb\n\"x;y\"\t2\n") == 9)
        #expect(try detect("only\n1\n2\n") == UInt8(ascii: ","))
        #expect(throws: TrainingDataError.ambiguousDelimiter(file: "f.csv", counts: [", gives 2 fields", "; gives 2 fields"])) {
            try detect("a;b,c\n1;x,2\n")
        }
        // A ragged comma file is left to the reader, which names the line.
        #expect(try detect("a,b,c\n1,2\n") == UInt8(ascii: ","))
    }

    @Test func errorTextIsBounded() {
        #expect(ErrorText.quoted(String(repeating: "x", count: 500)).count == 83)
        #expect(ErrorText.list((0..<25).map(String.init)) == "0, 1, 2, 3, 4, 5, 6, 7, 8, 9, (and 15 more)")
    }

    @Test func columnsByMajorityAndIdentifiers() throws {
        let rows = (0..<100).map { i -> [String] in [i == 5 ? "abc" : "\(i % 7)", "L\(i)", i % 2 == 0 ? "a" : "b", "\(i % 2)"] }
        let table = CSVTable(fileName: "m.csv", header: ["n", "code", "kind", "y"], rows: rows)
        let spec = TrainingData.Specification(target: "y", positive: "1")
        let mixed = #expect(throws: TrainingDataError.self) { try TrainingData(table: table, specification: spec) }
        #expect(mixed == .mixedColumn(file: "m.csv", line: 7, columnNumber: 1, column: "n", value: "abc", numbers: 99, others: 1))
        var declared = spec
        declared.categorical = ["n"]
        let identifier = #expect(throws: TrainingDataError.self) { try TrainingData(table: table, specification: declared) }
        #expect(identifier == .identifierColumn(file: "m.csv", column: "code", distinct: 100, rows: 100))
        declared.exclude = ["code"]
        let data = try TrainingData(table: table, specification: declared)
        #expect(data.features.map(\.name) == ["n", "kind"])
    }

    @Test func designFillsStandardisesAndTakesTheMostFrequentReference() throws {
        let values: [Double] = [1, .nan, 3, 10, .nan, 2]
        let kinds = ["b", "a", "c", "c", "a", "z"]
        let columns: [FeatureColumn] = [.numeric(name: "x", values: values), .categorical(name: "k", levels: kinds)]
        let median = DummyDesign(columns: columns, options: .init(imputation: Imputation(.median, indicator: true), standardize: true))
        guard case let .numeric(_, encoding) = median.columns[0], case let .categorical(_, reference, levels) = median.columns[1] else {
            Issue.record("unexpected columns"); return
        }
        #expect(encoding.fill == 2.5 && encoding.indicator)   // median of 1, 2, 3, 10
        let filled = [1, 2.5, 3, 10, 2.5, 2]
        let mean = filled.reduce(0, +) / 6
        let std = (filled.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 6).squareRoot()
        #expect(abs(encoding.mean! - mean) <= 1e-15 && abs(encoding.std! - std) <= 1e-15)
        #expect(reference == "a" && levels == ["b", "c", "z"])   // a and c twice: a first in byte order
        #expect(median.columnNames == ["intercept", "x", "x:missing", "k=b", "k=c", "k=z"])
        let x = try median.matrix(columns, rows: Array(0..<6))
        #expect(x[1, 1] == (2.5 - mean) / std && x[1, 2] == 1 && x[0, 2] == 0)
        let mean2 = DummyDesign(columns: columns, options: .init(imputation: Imputation(.mean)))
        guard case let .numeric(_, e2) = mean2.columns[0] else { return }
        #expect(e2.fill == 4 && !e2.indicator && e2.mean == nil)
    }
}
