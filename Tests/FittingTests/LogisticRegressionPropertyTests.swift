import Foundation
import LinearAlgebra
import Testing
import TestSupport
@testable import Fitting

/// Properties of the fit on seeded synthetic data.
@Suite struct LogisticRegressionPropertyTests {
    static func synthetic(rows: Int, truth: [Double], seed: UInt64) -> (Matrix, [Double]) {
        var rng = SeededGenerator(seed: seed)
        var x = Matrix(rows: rows, columns: truth.count)
        var y = [Double](repeating: 0, count: rows)
        for i in 0..<rows {
            var eta = 0.0
            for j in 0..<truth.count {
                x[i, j] = j == 0 ? 1 : rng.normal()
                eta += truth[j] * x[i, j]
            }
            y[i] = Double.random(in: 0..<1, using: &rng) < LogisticLoss.sigmoid(eta) ? 1 : 0
        }
        return (x, y)
    }

    @Test(arguments: [0.0, 0.7])
    func weightedFitEqualsFitOnDuplicatedRows(lambda: Double) throws {
        let (x, y) = Self.synthetic(rows: 150, truth: [-0.4, 1.0, -0.5, 0.25], seed: 2026)
        var rng = SeededGenerator(seed: 99)
        let weights = (0..<x.rows).map { _ in Double(Int.random(in: 0...3, using: &rng)) }
        var duplicated: [Int] = []
        for (i, w) in weights.enumerated() { duplicated += Array(repeating: i, count: Int(w)) }
        let model = LogisticRegression(l2Penalty: lambda)
        let weighted = try model.fit(design: x, outcome: y, weights: weights)
        let expanded = try model.fit(design: x.selecting(rows: duplicated), outcome: duplicated.map { y[$0] })
        #expect(weighted.totalWeight == Double(duplicated.count))
        for j in 0..<4 {
            #expect(abs(weighted.coefficients[j] - expanded.coefficients[j]) <= 1e-10)
            #expect(abs(weighted.standardErrors[j] - expanded.standardErrors[j]) <= 1e-10)
        }
        #expect(abs(weighted.logLikelihood - expanded.logLikelihood) <= 1e-9)
        #expect(abs(weighted.objective - expanded.objective) <= 1e-9)
    }

    @Test func recoversTheGeneratingCoefficients() throws {
        let truth = [-1.0, 0.8, -0.6, 0.0, 1.5]
        let (x, y) = Self.synthetic(rows: 20_000, truth: truth, seed: 5)
        let fit = try LogisticRegression().fit(design: x, outcome: y)
        for j in truth.indices {
            let z = (fit.coefficients[j] - truth[j]) / fit.standardErrors[j]
            #expect(abs(z) < 4, "column \(j): β̂ = \(fit.coefficients[j]), SE = \(fit.standardErrors[j])")
        }
    }

    @Test func stationaryGradientAndStableLikelihood() throws {
        let (x, y) = Self.synthetic(rows: 400, truth: [0.3, 2.0, -1.0], seed: 17)
        let fit = try LogisticRegression().fit(design: x, outcome: y)
        let eta = fit.linearPredictor(x)
        var ll = 0.0
        for i in 0..<x.rows {
            let mu = 1 / (1 + exp(-eta[i]))
            ll += y[i] == 1 ? log(mu) : log(1 - mu)
            _ = mu
        }
        #expect(abs(ll - fit.logLikelihood) <= 1e-9 * abs(ll))
        let mu = fit.probabilities(x)
        for j in 0..<3 {
            let g = (0..<x.rows).reduce(0.0) { $0 + x[$1, j] * (mu[$1] - y[$1]) }
            #expect(abs(g) <= 1e-9)
        }
        // A penalty shrinks the penalised coefficients and leaves the objective ≥ the data loss.
        let ridge = try LogisticRegression(l2Penalty: 50).fit(design: x, outcome: y)
        #expect(abs(ridge.coefficients[1]) < abs(fit.coefficients[1]))
        #expect(ridge.objective > -ridge.logLikelihood)
    }

    @Test func lossIsStableAtExtremes() {
        #expect(LogisticLoss.softplus(1000) == 1000)
        #expect(LogisticLoss.softplus(-1000) == 0)
        #expect(LogisticLoss.loss(outcome: 1, linearPredictor: -800) == 800)
        #expect(LogisticLoss.loss(outcome: 0, linearPredictor: 40) == 40 + log1p(exp(-40)))
        #expect(abs(LogisticLoss.loss(outcome: 1, linearPredictor: 40) - exp(-40)) <= 1e-30)
        #expect(LogisticLoss.sigmoid(-800) == 0 && LogisticLoss.sigmoid(800) == 1)
        #expect(abs(LogisticLoss.logit(LogisticLoss.sigmoid(3)) - 3) <= 1e-12)
    }
}
