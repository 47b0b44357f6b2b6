import Foundation
import LinearAlgebra
import Scoring
import Testing
import TestSupport
@testable import Fitting

@Suite struct ScorecardBuildingBlockTests {
    @Test func chiSquareAndWOEMatchHandComputation() {
        let a = BinCounts(events: 10, nonEvents: 30), b = BinCounts(events: 20, nonEvents: 20)
        // Expected: events 15/15, non-events 25/25 ⇒ χ² = 2·(25/15) + 2·(25/25).
        #expect(abs(BinCounts.chiSquare(a, b) - (50.0 / 15 + 2)) <= 1e-12)
        #expect(BinCounts.chiSquare(BinCounts(events: 0, nonEvents: 5), BinCounts(events: 0, nonEvents: 9)) == 0)
        let woe = WeightOfEvidence.woe([a, b])
        #expect(abs(woe[0] - log((10.0 / 30) / (30.0 / 50))) <= 1e-12)
        #expect(abs(woe[1] - log((20.0 / 30) / (20.0 / 50))) <= 1e-12)
        let iv = (10.0 / 30 - 30.0 / 50) * woe[0] + (20.0 / 30 - 20.0 / 50) * woe[1]
        #expect(abs(WeightOfEvidence.informationValue([a, b]) - iv) <= 1e-12)
        // An empty cell is replaced by ½ in that bin only; totals stay observed.
        let withEmpty = WeightOfEvidence.woe([BinCounts(events: 0, nonEvents: 10), BinCounts(events: 5, nonEvents: 10)])
        #expect(abs(withEmpty[0] - log((0.5 / 5) / (10.0 / 20))) <= 1e-12)
        #expect(abs(withEmpty[1] - log((5.0 / 5) / (10.0 / 20))) <= 1e-12)
    }

    static func riskRisingWithValue(_ n: Int, seed: UInt64) -> ([Double], [Double]) {
        var rng = SeededGenerator(seed: seed)
        var values: [Double] = [], outcomes: [Double] = []
        for _ in 0..<n {
            let v = (rng.normal() * 100).rounded()
            values.append(v)
            outcomes.append(Double.random(in: 0..<1, using: &rng) < LogisticLoss.sigmoid(-1 + v / 60) ? 1 : 0)
        }
        return (values, outcomes)
    }

    @Test func numericBinsRespectTheRules() throws {
        let (values, outcomes) = Self.riskRisingWithValue(3000, seed: 31)
        var binning = NumericBinning(preBins: 20)
        binning.rules.monotonicity = .auto
        binning.rules.minimumBinShare = 0.05
        let bins = try binning.fit(feature: "amount", values: values, outcomes: outcomes)
        #expect(bins.cutPoints == bins.cutPoints.sorted() && Set(bins.cutPoints).count == bins.cutPoints.count)
        #expect(bins.counts.count >= 3 && bins.counts.count <= 8)
        #expect(bins.missingBin == nil)
        for c in bins.counts { #expect(c.total >= 0.05 * 3000) }
        for (lower, upper) in zip(bins.woe, bins.woe.dropFirst()) { #expect(lower < upper) }   // risk rises with value
        // Re-binning the training data reproduces the stored counts.
        var recount = [BinCounts](repeating: BinCounts(), count: bins.counts.count)
        for (v, y) in zip(values, outcomes) { recount[try bins.bin(of: v)].add(outcome: y) }
        #expect(recount == bins.counts)
        #expect(abs(bins.informationValue - WeightOfEvidence.informationValue(bins.counts)) <= 1e-15)
        #expect(bins.informationValue > 0.3)
        // Adjacent final bins differ significantly (χ² above the threshold).
        for (a, b) in zip(bins.counts, bins.counts.dropFirst()) { #expect(BinCounts.chiSquare(a, b) >= 3.841) }
        // Missing values get their own bin; a NaN without one is an error.
        var withMissing = values
        for i in stride(from: 0, to: 3000, by: 10) { withMissing[i] = .nan }
        let missingBins = try binning.fit(feature: "amount", values: withMissing, outcomes: outcomes)
        #expect(missingBins.missingBin == missingBins.counts.count - 1)
        #expect(missingBins.counts.last?.total == 300)
        #expect(throws: ScorecardError.missingValue(feature: "amount", row: 4)) { try bins.bin(of: .nan, row: 4) }
    }

    @Test func categoricalLevelsAreGroupedByEventRate() throws {
        // Levels a…e with rising event rates, plus two rare levels (x, y) too small for a group of their own:
        // each joins the levels next to it in event rate (x at 90 % with e at 83 %, y at 10 % with a).
        var levels: [String] = [], outcomes: [Double] = []
        for (level, count, events) in [("a", 200, 20), ("b", 200, 22), ("c", 200, 60), ("d", 200, 100),
                                       ("e", 180, 150), ("x", 10, 9), ("y", 10, 1)] {
            for k in 0..<count { levels.append(level); outcomes.append(k < events ? 1 : 0) }
        }
        let groups = try CategoricalGrouping().fit(feature: "purpose", levels: levels, outcomes: outcomes)
        #expect(groups.groups.contains { $0.contains("x") && $0.contains("e") })
        #expect(groups.groups.contains { $0.contains("a") && $0.contains("y") })
        #expect(groups.groups.contains { $0.contains("a") && $0.contains("b") })  // 10 % vs 11 %: merged (χ²)
        #expect(!groups.groups.contains { $0.contains("x") && $0.contains("y") })
        for c in groups.counts { #expect(c.total >= 50) }
        for (lower, upper) in zip(groups.counts, groups.counts.dropFirst()) { #expect(lower.eventRate < upper.eventRate) }
        for (lower, upper) in zip(groups.woe, groups.woe.dropFirst()) { #expect(lower < upper) }
        #expect(groups.group(of: "zzz") == nil)
        #expect(groups.counts.reduce(0) { $0 + $1.total } == Double(levels.count))
    }

    @Test func pointsScalingAndGrades() throws {
        let scaling = ScoringModel.PointsScaling(basePoints: 600, baseOdds: 50, pointsToDoubleOdds: 20)
        #expect(abs(scaling.factor - 20 / log(2)) <= 1e-12)
        #expect(abs(scaling.offset - (600 - 20 / log(2) * log(50))) <= 1e-12)
        // Good:bad odds 50 ⇒ event log-odds −ln 50 ⇒ 600 points; doubling the odds adds 20 points.
        #expect(abs(scaling.points(logOdds: -log(50)) - 600) <= 1e-9)
        #expect(abs(scaling.points(logOdds: -log(100)) - 620) <= 1e-9)
        #expect(abs(scaling.logOdds(points: 620) + log(100)) <= 1e-12)
        let scores = (0..<100).map { Double($0) }
        let bands = try ScoringModel.GradeBands.pointQuantiles(of: scores)
        #expect(bands.cuts == [75, 50, 25] && bands.measure == .points)
        #expect(bands.label(of: 99) == "A" && bands.label(of: 75) == "A" && bands.label(of: 74.5) == "B" && bands.label(of: 0) == "D")
        #expect(Dictionary(grouping: scores, by: bands.label(of:)).mapValues(\.count) == ["A": 25, "B": 25, "C": 25, "D": 25])
        #expect(throws: ScorecardError.self) { try ScoringModel.GradeBands.pointQuantiles(of: scores, shares: [0.5, 0.5], labels: ["A"]) }
        // Ties that leave two cuts equal cannot make distinct bands.
        #expect(throws: ScorecardError.self) { try ScoringModel.GradeBands.pointQuantiles(of: [1, 1, 1, 1, 1, 1, 1, 2]) }
    }
}

@Suite struct GermanCreditScorecardTests {
    @Test(.enabled(if: SharedData.shouldRun(GermanCredit.path)))
    func scorecardOnTrainRowsReachesTheTargetTestAUC() throws {
        let (columns, outcome) = try GermanCredit.load()
        #expect(columns.count == 20 && outcome.count == 1000 && outcome.reduce(0, +) == 300)
        let (train, test) = try GermanCreditReference.split()
        let builder = ScorecardBuilder()
        let card = try builder.fit(columns: columns, outcome: outcome, trainingRows: train)
        let testColumns = columns.map { $0.selecting(rows: test) }
        let testOutcome = test.map { outcome[$0] }
        let probabilities = try card.probabilities(testColumns)
        let auc = try Metrics.auc(scores: probabilities, outcomes: testOutcome)
        let ks = try Metrics.ks(scores: probabilities, outcomes: testOutcome)
        print("German credit scorecard: \(card.bins.count) features, test AUC \(auc), KS \(ks)")
        for b in card.candidates { print("  \(b.feature): IV \(b.informationValue), bins \(b.counts.count)") }
        #expect(auc >= 0.80)
        // Points rank exactly opposite to risk.
        let scores = try card.scores(testColumns)
        #expect(abs(try Metrics.auc(scores: scores.map { -$0 }, outcomes: testOutcome) - auc) <= 1e-12)
        // Base points plus the points of the row's bins is its score.
        let table = card.pointsTable
        #expect(table.count == card.bins.reduce(0) { $0 + $1.counts.count })
        for row in [0, 17, 299] {
            var total = card.basePoints
            var offset = 0
            for feature in card.bins {
                let column = testColumns.first { $0.name == feature.feature }!.selecting(rows: [row])
                if let bin = try feature.binIndices(column)[0] { total += table[offset + bin].points }
                offset += feature.counts.count
            }
            #expect(abs(total - scores[row]) <= 1e-9)
        }
        // Only training rows were binned: the bins' counts add up to the 700 training rows.
        for feature in card.candidates { #expect(feature.counts.reduce(0) { $0 + $1.total } == 700) }
        // Quarter bands on the training scores: A is the safest band, D the riskiest on the test rows.
        let bands = try ScoringModel.GradeBands.pointQuantiles(of: try card.scores(columns.map { $0.selecting(rows: train) }))
        let rate = { (grade: String) -> Double in
            let rows = scores.indices.filter { bands.label(of: scores[$0]) == grade }
            return rows.reduce(0.0) { $0 + testOutcome[$1] } / Double(rows.count)
        }
        #expect(rate("A") < rate("B") && rate("B") < rate("C") && rate("C") < rate("D"))
        print("bad rate by grade (test): A \(rate("A")) B \(rate("B")) C \(rate("C")) D \(rate("D"))")
    }
}
