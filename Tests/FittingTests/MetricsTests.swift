import Foundation
import LinearAlgebra
import Testing
import TestSupport
@testable import Fitting

/// Metrics against brute-force definitions on seeded data with many ties, and against the German credit reference.
@Suite struct MetricsTests {
    /// Scores rounded to one decimal so that ties are common, with outcomes that depend on the score.
    static func tiedSample(_ n: Int, seed: UInt64) -> ([Double], [Double]) {
        var rng = SeededGenerator(seed: seed)
        var scores: [Double] = [], outcomes: [Double] = []
        for _ in 0..<n {
            let s = (rng.normal() * 10).rounded() / 10
            scores.append(s)
            outcomes.append(Double.random(in: 0..<1, using: &rng) < LogisticLoss.sigmoid(1.5 * s) ? 1 : 0)
        }
        return (scores, outcomes)
    }

    @Test(arguments: [1 as UInt64, 2, 3])
    func aucEqualsPairCounting(seed: UInt64) throws {
        let (scores, outcomes) = Self.tiedSample(300, seed: seed)
        var wins = 0.0, pairs = 0.0
        for i in scores.indices where outcomes[i] == 1 {
            for j in scores.indices where outcomes[j] == 0 {
                pairs += 1
                wins += scores[i] > scores[j] ? 1 : (scores[i] == scores[j] ? 0.5 : 0)
            }
        }
        let auc = try Metrics.auc(scores: scores, outcomes: outcomes)
        #expect(abs(auc - wins / pairs) <= 1e-12)
        #expect(abs(try Metrics.gini(scores: scores, outcomes: outcomes) - (2 * wins / pairs - 1)) <= 1e-12)
        // Reversing the scores mirrors the AUC; a constant score gives exactly ½.
        #expect(abs(try Metrics.auc(scores: scores.map { -$0 }, outcomes: outcomes) - (1 - auc)) <= 1e-12)
        #expect(try Metrics.auc(scores: scores.map { _ in 3 }, outcomes: outcomes) == 0.5)
    }

    @Test(arguments: [4 as UInt64, 5])
    func ksEqualsMaximumOverThresholds(seed: UInt64) throws {
        let (scores, outcomes) = Self.tiedSample(250, seed: seed)
        let n1 = outcomes.filter { $0 == 1 }.count, n0 = outcomes.count - n1
        var best = 0.0
        for t in Set(scores) {
            let e = scores.indices.filter { scores[$0] <= t && outcomes[$0] == 1 }.count
            let ne = scores.indices.filter { scores[$0] <= t && outcomes[$0] == 0 }.count
            best = max(best, abs(Double(e) / Double(n1) - Double(ne) / Double(n0)))
        }
        #expect(abs(try Metrics.ks(scores: scores, outcomes: outcomes) - best) <= 1e-12)
    }

    @Test func topShareCountsTiesFractionally() throws {
        // Sorted by score descending: 0.9 (1), 0.8 (0), then a tie of four at 0.5 with two events.
        let scores = [0.5, 0.9, 0.5, 0.1, 0.8, 0.5, 0.5, 0.2, 0.3, 0.0]
        let outcomes: [Double] = [1, 1, 0, 0, 0, 1, 0, 1, 0, 0]
        let top = try Metrics.topShare(0.4, scores: scores, outcomes: outcomes)   // 4 rows: 2 + half the tie
        #expect(top.selected == 4)
        #expect(top.events == 1 + 0 + 2 * 0.5)
        #expect(top.hitRate == 0.5 && top.baseRate == 0.4)
        #expect(top.lift == 0.5 / 0.4)
        #expect(top.capture == 2.0 / 4.0)
        let all = try Metrics.topShare(1, scores: scores, outcomes: outcomes)
        #expect(all.hitRate == all.baseRate && all.lift == 1 && all.capture == 1)
        // The answer does not depend on row order.
        let permutation = [3, 7, 0, 9, 1, 5, 8, 2, 6, 4]
        let shuffled = try Metrics.topShare(0.4, scores: permutation.map { scores[$0] },
                                            outcomes: permutation.map { outcomes[$0] })
        #expect(shuffled == top)
        #expect(throws: MetricsError.invalidParameter("top share is 0.0; expected a fraction in (0, 1]")) {
            try Metrics.topShare(0, scores: scores, outcomes: outcomes)
        }
    }

    @Test func probabilityScoresMatchDefinitions() throws {
        let p = [0.1, 0.8, 0.5, 0.99, 0.3]
        let y: [Double] = [0, 1, 1, 1, 0]
        let expectedLogLoss = -(log(0.9) + log(0.8) + log(0.5) + log(0.99) + log(0.7)) / 5
        #expect(abs(try Metrics.logLoss(probabilities: p, outcomes: y) - expectedLogLoss) <= 1e-15)
        let eta = p.map(LogisticLoss.logit)
        #expect(abs(try Metrics.logLoss(linearPredictors: eta, outcomes: y) - expectedLogLoss) <= 1e-14)
        let expectedBrier = (0.01 + 0.04 + 0.25 + 0.0001 + 0.09) / 5
        #expect(abs(try Metrics.brier(probabilities: p, outcomes: y) - expectedBrier) <= 1e-15)
        #expect(try Metrics.logLoss(probabilities: [0, 0.5], outcomes: [1, 0]) == .infinity)
        #expect(throws: MetricsError.probabilityOutOfRange(index: 1, value: 1.5)) {
            try Metrics.brier(probabilities: [0.5, 1.5], outcomes: [1, 0])
        }
        #expect(throws: MetricsError.outcomeNotBinary(index: 0, value: 0.5)) {
            try Metrics.auc(scores: [0.5, 1.5], outcomes: [0.5, 0])
        }
        #expect(throws: MetricsError.singleOutcomeClass(value: 1)) {
            try Metrics.auc(scores: [0.5, 1.5], outcomes: [1, 1])
        }
        #expect(throws: MetricsError.lengthMismatch(scores: 2, outcomes: 1)) {
            try Metrics.ks(scores: [0.5, 1.5], outcomes: [1])
        }
    }

    @Test func calibrationGroupsByDecile() throws {
        var rng = SeededGenerator(seed: 8)
        let p = (0..<1003).map { _ in Double.random(in: 0..<1, using: &rng) }
        let y = p.map { Double.random(in: 0..<1, using: &rng) < $0 ? 1.0 : 0.0 }
        let table = try Metrics.calibration(probabilities: p, outcomes: y)
        #expect(table.bins.count == 10)
        #expect(table.bins.map(\.count).reduce(0, +) == 1003)
        #expect(Set(table.bins.map(\.count)).isSubset(of: [100, 101]))
        for (a, b) in zip(table.bins, table.bins.dropFirst()) { #expect(a.highestProbability <= b.lowestProbability) }
        let sorted = p.sorted()
        #expect(abs(table.bins[0].meanPredicted - sorted[0..<100].reduce(0, +) / 100) <= 1e-12)
        #expect(abs(table.bins.map(\.events).reduce(0, +) - y.reduce(0, +)) <= 1e-9)
        // Well-calibrated data: Hosmer–Lemeshow well below χ²₈'s 99.9 % point (26.1).
        #expect(table.hosmerLemeshow < 26.1)
    }

    @Test func reportGathersEveryMetric() throws {
        var rng = SeededGenerator(seed: 13)
        let p = (0..<500).map { _ in Double.random(in: 0.01..<0.99, using: &rng) }
        let y = p.map { Double.random(in: 0..<1, using: &rng) < $0 ? 1.0 : 0.0 }
        let report = try Metrics.report(probabilities: p, outcomes: y)
        #expect(report.count == 500 && report.events == Int(y.reduce(0, +)))
        #expect(report.auc == (try Metrics.auc(scores: p, outcomes: y)))
        #expect(report.gini == 2 * report.auc - 1)
        #expect(report.ks == (try Metrics.ks(scores: p, outcomes: y)))
        #expect(report.logLoss == (try Metrics.logLoss(probabilities: p, outcomes: y)))
        #expect(report.brier == (try Metrics.brier(probabilities: p, outcomes: y)))
        #expect(report.topDecile == (try Metrics.topShare(0.1, scores: p, outcomes: y)))
        #expect(report.calibration == (try Metrics.calibration(probabilities: p, outcomes: y)))
    }

    @Test func populationStability() throws {
        var rng = SeededGenerator(seed: 21)
        let reference = (0..<5000).map { _ in rng.normal() }
        let same = try Metrics.populationStability(expected: reference, actual: reference)
        #expect(same.index == 0)
        #expect(same.edges.count == 9)
        for share in same.expectedShares { #expect(abs(share - 0.1) <= 1e-12) }
        let shifted = reference.map { $0 + 0.5 }
        let drift = try Metrics.populationStability(expected: reference, actual: shifted)
        var brute = 0.0
        for k in 0...drift.edges.count {
            let lo = k == 0 ? -Double.infinity : drift.edges[k - 1]
            let hi = k == drift.edges.count ? Double.infinity : drift.edges[k]
            let e = max(Double(reference.filter { $0 >= lo && $0 < hi }.count) / 5000, 1e-4)
            let a = max(Double(shifted.filter { $0 >= lo && $0 < hi }.count) / 5000, 1e-4)
            brute += (a - e) * log(a / e)
        }
        #expect(abs(drift.index - brute) <= 1e-12)
        #expect(drift.index > 0.1)
        // Everything beyond the reference's top bin: one bin of the actual is empty, floored at ε.
        let far = try Metrics.populationStability(expected: reference, actual: reference.map { $0 + 100 })
        #expect(far.actualShares.last == 1)
        #expect(far.index.isFinite && far.index > 1)
    }

    @Test(.enabled(if: SharedData.shouldRun("german-credit/split_seed186.csv")),
          arguments: [("unpenalized", 0.0, 0.4889, 0.7868), ("l2_C1", 1.0, 0.5143, 0.7919)])
    func germanCreditHeldOutMatchesReference(label: String, lambda: Double, ks: Double, auc: Double) throws {
        let x = try GermanCreditReference.design()
        let y = try GermanCreditReference.outcome()
        let (train, test) = try GermanCreditReference.split()
        #expect(train.count == 700 && test.count == 300)
        let fit = try LogisticRegression(l2Penalty: lambda).fit(design: x.selecting(rows: train),
                                                               outcome: train.map { y[$0] })
        let scores = fit.probabilities(x.selecting(rows: test))
        let outcomes = test.map { y[$0] }
        // ref_summary.json rounds to 4 decimals.
        #expect(abs(try Metrics.auc(scores: scores, outcomes: outcomes) - auc) <= 5e-5, "\(label)")
        #expect(abs(try Metrics.ks(scores: scores, outcomes: outcomes) - ks) <= 5e-5, "\(label)")
    }
}
