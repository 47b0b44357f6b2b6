import Foundation
import Tables
import Testing
@testable import Fitting

@Suite struct TrainingDataTests {
    static func table(_ rows: [[String]], header: [String] = ["id", "amount", "kind", "target"]) -> CSVTable {
        CSVTable(fileName: "loans.csv", header: header, rows: rows)
    }

    @Test func detectsKindsAndMapsTheOutcome() throws {
        let t = Self.table([["a", "1.5", "x", "bad"], ["b", "", "y", "good"], ["c", "3", "7", "bad"]])
        let data = try TrainingData(table: t, specification: .init(target: "target", positive: "bad", idColumn: "id"))
        #expect(data.outcome == [1, 0, 1])
        #expect(data.negativeValue == "good")
        #expect(data.features.map(\.name) == ["amount", "kind"])
        guard case let .numeric(_, values) = data.features[0] else { Issue.record("amount should be numeric"); return }
        #expect(values[0] == 1.5 && values[1].isNaN && values[2] == 3)
        #expect(data.features[1] == .categorical(name: "kind", levels: ["x", "y", "7"]))
        // Declaring overrides detection.
        let declared = try TrainingData(table: t, specification: .init(target: "target", positive: "bad",
                                                                       categorical: ["amount"], idColumn: "id"))
        #expect(declared.features[0] == .categorical(name: "amount", levels: ["1.5", "", "3"]))
    }

    @Test func typedErrorsNameTheLine() throws {
        let t = Self.table([["a", "1", "x", "bad"], ["b", "2", "y", "good"], ["c", "3", "x", "unknown"]])
        #expect(throws: TrainingDataError.outcomeNotBinary(file: "loans.csv", line: 4, column: "target", value: "unknown",
                                                           positive: "bad", negative: "good")) {
            try TrainingData(table: t, specification: .init(target: "target", positive: "bad"))
        }
        #expect(throws: TrainingDataError.positiveValueAbsent(file: "loans.csv", column: "target", positive: "BAD",
                                                              found: ["bad", "good", "unknown"])) {
            try TrainingData(table: t, specification: .init(target: "target", positive: "BAD"))
        }
        let missing = #expect(throws: TableError.self) {
            try TrainingData(table: t, specification: .init(target: "target", positive: "bad", exclude: ["zone"]))
        }
        #expect(missing?.description.contains("zone") == true)
        let constant = Self.table([["a", "1", "x", "bad"], ["b", "2", "x", "good"]])
        let data = try TrainingData(table: constant, specification: .init(target: "target", positive: "bad", idColumn: "id"))
        #expect(throws: TrainingDataError.constantColumn(file: "loans.csv", column: "kind", value: "x", rows: 2)) {
            try data.validateTraining(rows: [0, 1])
        }
    }

    @Test func logisticFitNeedsCompleteNumbersAndNamesTheField() throws {
        let t = Self.table([["a", "1", "x", "bad"], ["b", "", "y", "good"], ["c", "2", "y", "bad"]])
        let data = try TrainingData(table: t, specification: .init(target: "target", positive: "bad", idColumn: "id"))
        let error = #expect(throws: TableError.self) { try data.fitLogistic(rows: [0, 1, 2], penalty: 1) }
        #expect(error?.line == 3 && error?.columnName == "amount")
    }
}
