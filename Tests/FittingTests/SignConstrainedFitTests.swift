import Foundation
import LinearAlgebra
import Tables
import Testing
import TestSupport
@testable import Fitting

/// ``LogisticRegression/fitNonNegative(design:outcome:nonNegative:columnNames:)`` against scipy's bounded optimum on
/// the design of `Tests/Fixtures/sign-constrained/` (its `make_reference.py` wrote the file and printed the figures
/// below: L-BFGS-B with the bounds, gradient at the optimum ≤ 3·10⁻⁸).
@Suite struct SignConstrainedFitTests {
    static func design() throws -> (x: Matrix, y: [Double]) {
        let table = try CSVTable.read(path: SharedData.bundled("Tests/Fixtures/sign-constrained/design.csv").path)
        let a = try table.doubles(named: "a"), b = try table.doubles(named: "b"), c = try table.doubles(named: "c")
        let y = try table.doubles(named: "y")
        var x = Matrix(rows: table.rowCount, columns: 4)
        for i in 0..<table.rowCount { x[i, 0] = 1; x[i, 1] = a[i]; x[i, 2] = b[i]; x[i, 3] = c[i] }
        return (x, y)
    }

    /// scipy: (λ, unconstrained optimum, constrained optimum, constrained objective).
    static let reference: [(Double, [Double], [Double], Double)] = [
        (0, [-0.48136768536167684, 0.9003404526836382, -0.15408262598965916, 0.4770208461738007],
         [-0.4816500986237913, 0.7443807426380313, 0, 0.47294311912603243], 296.2060216511429),
        (1, [-0.480112778593457, 0.7951236242881841, -0.05953397586125478, 0.46810959667240004],
         [-0.4803839424693371, 0.7356260206465475, 0, 0.4666794861473843], 296.59016414514593),
    ]

    @Test(arguments: [0, 1])
    func matchesScipysBoundedOptimum(_ k: Int) throws {
        let (x, y) = try Self.design()
        let (lambda, free, bounded, objective) = Self.reference[k]
        let model = LogisticRegression(l2Penalty: lambda)
        // Unconstrained, the middle column's coefficient is negative (the reason for the constraint).
        let plain = try model.fit(design: x, outcome: y)
        for j in 0..<4 { #expect(abs(plain.coefficients[j] - free[j]) <= 1e-7, "unconstrained β\(j)") }
        #expect(plain.coefficients[2] < 0)
        let constrained = try model.fitNonNegative(design: x, outcome: y, nonNegative: [1, 2, 3])
        #expect(constrained.zeroColumns == [2] && constrained.freeColumns == [0, 1, 3])
        for j in 0..<4 { #expect(abs(constrained.coefficients[j] - bounded[j]) <= 1e-7, "β\(j): \(constrained.coefficients[j]) vs \(bounded[j])") }
        #expect(abs(constrained.fit.objective - objective) <= 1e-9 * objective)
        // The KKT certificate: the gradient vanishes on the free columns and pushes the held one towards < 0.
        for j in constrained.freeColumns { #expect(abs(constrained.gradient[j]) <= 1e-6) }
        #expect(constrained.gradient[2] > 0.5)
        // The fit behind the model is the free columns' own fit.
        #expect(constrained.fit.coefficients == constrained.freeColumns.map { constrained.coefficients[$0] })
    }

    @Test func feasibleUnconstrainedOptimumIsKept() throws {
        let (x, y) = try Self.design()
        // Only a and c constrained: both are positive unconstrained, so nothing changes.
        let plain = try LogisticRegression().fit(design: x, outcome: y)
        let constrained = try LogisticRegression().fitNonNegative(design: x, outcome: y, nonNegative: [1, 3])
        #expect(constrained.zeroColumns.isEmpty)
        #expect(constrained.coefficients == plain.coefficients)
    }
}
