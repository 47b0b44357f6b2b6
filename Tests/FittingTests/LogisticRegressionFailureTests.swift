import Foundation
import LinearAlgebra
import Testing
import TestSupport
@testable import Fitting

/// Separation, singular designs and bad input must surface as typed ``FittingError`` cases.
@Suite struct LogisticRegressionFailureTests {
    /// `[1, x]` with y = 1 exactly when x > 0.
    static func completelySeparated() -> (Matrix, [Double]) {
        let xs = stride(from: -3.0, through: 3.0, by: 0.25).filter { $0 != 0 }
        return (Matrix(xs.map { [1, $0] }), xs.map { $0 > 0 ? 1 : 0 })
    }

    /// `[1, flag, noise]`: every row with flag = 1 is positive; rows with flag = 0 have both outcomes.
    static func quasiSeparated() -> (Matrix, [Double], flagged: [Int]) {
        var rng = SeededGenerator(seed: 42)
        var rows: [[Double]] = [], y: [Double] = [], flagged: [Int] = []
        for i in 0..<120 {
            let flag: Double = i % 4 == 0 ? 1 : 0
            let noise = rng.normal()
            let outcome: Double = flag == 1 ? 1 : (Double.random(in: 0..<1, using: &rng) < LogisticLoss.sigmoid(0.8 * noise) ? 1 : 0)
            if flag == 1 { flagged.append(i) }
            rows.append([1, flag, noise]); y.append(outcome)
        }
        return (Matrix(rows), y, flagged)
    }

    @Test func completeSeparationIsReported() throws {
        let (x, y) = Self.completelySeparated()
        let error = #expect(throws: FittingError.self) {
            try LogisticRegression().fit(design: x, outcome: y, columnNames: ["const", "score"])
        }
        guard case let .separation(report)? = error else {
            Issue.record("expected .separation, got \(String(describing: error))"); return
        }
        #expect(report.kind == .complete)
        #expect(report.separatedRows == Array(0..<x.rows))
        #expect(report.columns.first == 1)
        #expect(report.columnNames.first == "score")
        #expect(report.coefficientsAtStop[1] > 5, "the slope diverges: \(report.coefficientsAtStop)")
        #expect(report.logLikelihoodAtStop > -1e-6)
    }

    @Test func quasiCompleteSeparationNamesTheFlag() throws {
        let (x, y, flagged) = Self.quasiSeparated()
        let error = #expect(throws: FittingError.self) {
            try LogisticRegression().fit(design: x, outcome: y, columnNames: ["const", "flag", "noise"])
        }
        guard case let .separation(report)? = error else {
            Issue.record("expected .separation, got \(String(describing: error))"); return
        }
        #expect(report.kind == .quasiComplete)
        #expect(report.separatedRows == flagged)
        #expect(report.columnNames == ["flag"])
        #expect(report.coefficientsAtStop[1] > 10)
    }

    @Test func ridgePenaltyFitsSeparatedData() throws {
        let (x, y) = Self.completelySeparated()
        let fit = try LogisticRegression(l2Penalty: 1).fit(design: x, outcome: y)
        #expect(fit.coefficients[1] > 0 && fit.coefficients[1].isFinite)
        // Stationarity of the penalised objective: Xᵀ(μ − y) + λβ̃ = 0.
        let mu = fit.probabilities(x)
        for j in 0..<2 {
            var g = (0..<x.rows).reduce(0.0) { $0 + x[$1, j] * (mu[$1] - y[$1]) }
            if j == 1 { g += fit.coefficients[1] }
            #expect(abs(g) <= 1e-9)
        }
    }

    static func seededColumns(_ count: Int, rows: Int, seed: UInt64) -> ([[Double]], [Double]) {
        var rng = SeededGenerator(seed: seed)
        var columns = (0..<count).map { _ in (0..<rows).map { _ in rng.normal() } }
        let y = (0..<rows).map { i in Double.random(in: 0..<1, using: &rng) < LogisticLoss.sigmoid(columns[0][i]) ? 1.0 : 0.0 }
        columns.insert([Double](repeating: 1, count: rows), at: 0)
        return (columns, y)
    }

    static func design(_ columns: [[Double]]) -> Matrix {
        Matrix((0..<columns[0].count).map { i in columns.map { $0[i] } })
    }

    @Test func constantColumnIsNamed() throws {
        var (columns, y) = Self.seededColumns(2, rows: 60, seed: 7)
        columns.append([Double](repeating: 5, count: 60))
        #expect(throws: FittingError.constantColumn(column: 3, name: "region", value: 5)) {
            try LogisticRegression().fit(design: Self.design(columns), outcome: y,
                                         columnNames: ["const", "a", "b", "region"])
        }
        columns[3] = [Double](repeating: 0, count: 60)
        #expect(throws: FittingError.constantColumn(column: 3, name: "x3", value: 0)) {
            try LogisticRegression().fit(design: Self.design(columns), outcome: y)
        }
        // A penalised zero column is harmless (its coefficient stays 0) unless it is exempt from the penalty.
        let ridge = try LogisticRegression(l2Penalty: 0.5).fit(design: Self.design(columns), outcome: y)
        #expect(ridge.coefficients[3] == 0)
        #expect(throws: FittingError.constantColumn(column: 3, name: "x3", value: 0)) {
            try LogisticRegression(l2Penalty: 0.5, unpenalizedColumns: [0, 3]).fit(design: Self.design(columns), outcome: y)
        }
    }

    @Test func collinearColumnNamesItsCombination() throws {
        var (columns, y) = Self.seededColumns(3, rows: 80, seed: 11)
        columns.append(zip(columns[1], columns[3]).map { $0 - 2 * $1 })  // x4 = x1 − 2·x3
        let error = #expect(throws: FittingError.self) {
            try LogisticRegression().fit(design: Self.design(columns), outcome: y,
                                         columnNames: ["const", "a", "b", "c", "a_minus_2c"])
        }
        guard case let .collinearColumns(column, name, combination)? = error else {
            Issue.record("expected .collinearColumns, got \(String(describing: error))"); return
        }
        #expect(column == 4 && name == "a_minus_2c")
        #expect(combination.map(\.name) == ["c", "a"])
        #expect(abs(combination[0].coefficient + 2) <= 1e-8)
        #expect(abs(combination[1].coefficient - 1) <= 1e-8)
    }

    @Test func dummyTrapNamesTheLastLevel() throws {
        var (columns, y) = Self.seededColumns(1, rows: 90, seed: 3)
        columns.append((0..<90).map { $0 % 3 == 0 ? 1 : 0 })
        columns.append((0..<90).map { $0 % 3 == 0 ? 0 : 1 })
        let error = #expect(throws: FittingError.self) {
            try LogisticRegression().fit(design: Self.design(columns), outcome: y,
                                         columnNames: ["const", "a", "level_x", "level_y"])
        }
        guard case let .collinearColumns(column, _, combination)? = error else {
            Issue.record("expected .collinearColumns, got \(String(describing: error))"); return
        }
        #expect(column == 3)
        #expect(Set(combination.map(\.name)) == ["const", "level_x"])
        #expect(error?.description.contains("level_y") == true)
    }

    @Test func badInputIsRejected() throws {
        let x = Matrix([[1, 0.5], [1, -0.5], [1, 1.5], [1, 0.1]])
        #expect(throws: FittingError.outcomeNotBinary(row: 2, value: 2)) {
            try LogisticRegression().fit(design: x, outcome: [0, 1, 2, 0])
        }
        #expect(throws: FittingError.singleOutcomeClass(value: 1)) {
            try LogisticRegression().fit(design: x, outcome: [1, 1, 1, 1])
        }
        #expect(throws: FittingError.singleOutcomeClass(value: 0)) {
            try LogisticRegression().fit(design: x, outcome: [0, 1, 0, 0], weights: [1, 0, 1, 1])
        }
        #expect(throws: FittingError.invalidWeight(row: 1, value: -1)) {
            try LogisticRegression().fit(design: x, outcome: [0, 1, 1, 0], weights: [1, -1, 1, 1])
        }
        var withNaN = x
        withNaN[3, 1] = .nan
        let error = #expect(throws: FittingError.self) {
            try LogisticRegression().fit(design: withNaN, outcome: [0, 1, 1, 0])
        }
        guard case let .nonFiniteValue(row, column, _)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(row == 3 && column == 1)
        #expect(throws: FittingError.dimensionMismatch("design has 4 rows, outcome has 3 values")) {
            try LogisticRegression().fit(design: x, outcome: [0, 1, 1])
        }
        #expect(throws: FittingError.self) {
            try LogisticRegression(l2Penalty: -1).fit(design: x, outcome: [0, 1, 1, 0])
        }
    }
}
