import Foundation
import Testing
import TestSupport
@testable import Fitting

/// The exact optimal partition against brute force, the tree pre-binning against an exhaustive first split, and
/// the shape rule on data with a known shape.
@Suite struct OptimalBinningTests {
    /// Every partition of `0..<m` into runs (2^(m−1) of them).
    static func allPartitions(_ m: Int) -> [[[Int]]] {
        (0..<(1 << (m - 1))).map { mask in
            var runs: [[Int]] = [[0]]
            for k in 1..<m { if mask & (1 << (k - 1)) != 0 { runs.append([k]) } else { runs[runs.count - 1].append(k) } }
            return runs
        }
    }

    /// Whether the event rates along `bins` have `shape` (strict steps; peak/valley: at most one turn).
    static func hasShape(_ rates: [Double], _ shape: MergingRules.Monotonicity) -> Bool {
        let steps = zip(rates, rates.dropFirst()).map { $0 < $1 ? 1 : ($0 > $1 ? -1 : 0) }
        if steps.contains(0) && shape != .none { return false }
        switch shape {
        case .none: return true
        case .increasing: return steps.allSatisfy { $0 == 1 }
        case .decreasing: return steps.allSatisfy { $0 == -1 }
        case .peak: return !zip(steps, steps.dropFirst()).contains { $0 == -1 && $1 == 1 }
        case .valley: return !zip(steps, steps.dropFirst()).contains { $0 == 1 && $1 == -1 }
        case .auto, .autoShape: return true
        }
    }

    @Test(arguments: [MergingRules.Monotonicity.none, .increasing, .decreasing, .peak, .valley])
    func optimalPartitionIsTheBruteForceOptimum(shape: MergingRules.Monotonicity) {
        var rng = SeededGenerator(seed: 2026)
        for trial in 0..<300 {
            let m = 2 + trial % 8
            // Small counts make empty cells and ties between rates likely, so those paths are exercised too.
            let counts = (0..<m).map { _ in
                BinCounts(events: Double(Int.random(in: 0...6, using: &rng)), nonEvents: Double(Int.random(in: 0...12, using: &rng)))
            }
            guard counts.reduce(0, { $0 + $1.events }) > 0, counts.reduce(0, { $0 + $1.nonEvents }) > 0 else { continue }
            let rules = MergingRules(minimumBinShare: [0.0, 0.05, 0.15][trial % 3], chiSquareThreshold: 0,
                                     maximumBins: [2, 3, 8][trial % 3 == 0 ? 2 : trial % 2], monotonicity: shape)
            let total = counts.reduce(0) { $0 + $1.total }
            func feasible(_ p: [[Int]]) -> Bool {
                let bins = p.map { $0.reduce(BinCounts()) { $0 + counts[$1] } }
                return p.count <= rules.maximumBins && bins.allSatisfy { !($0.total < rules.minimumBinShare * total) }
                    && Self.hasShape(bins.map(\.eventRate), shape)
            }
            func iv(_ p: [[Int]]) -> Double {
                WeightOfEvidence.informationValue(p.map { $0.reduce(BinCounts()) { $0 + counts[$1] } })
            }
            let found = rules.optimalPartition(counts)
            #expect(found.flatMap { $0 } == Array(0..<m), "trial \(trial): runs must tile the line")
            let candidates = Self.allPartitions(m).filter(feasible)
            guard let best = candidates.map(iv).max() else {
                #expect(found == [Array(0..<m)], "trial \(trial): nothing feasible ⇒ one bin")
                continue
            }
            #expect(feasible(found), "trial \(trial): \(found) breaks the rules for \(counts)")
            #expect(abs(iv(found) - best) <= 1e-12 * max(1, best), "trial \(trial): IV \(iv(found)) < optimum \(best)")
            // Ties go to fewer bins.
            let fewest = candidates.filter { abs(iv($0) - best) <= 1e-12 * max(1, best) }.map(\.count).min()!
            #expect(found.count == fewest, "trial \(trial)")
        }
    }

    @Test func autoTakesTheBetterDirectionAndAutoShapeATurnOnlyWhenSignificant() {
        // A clear valley: rates 40 %, 20 %, 10 %, 20 %, 40 % on 200 rows each.
        let valley = [80, 40, 20, 40, 80].map { BinCounts(events: Double($0), nonEvents: Double(200 - $0)) }
        var rules = MergingRules(minimumBinShare: 0.05, chiSquareThreshold: 0, maximumBins: 8, monotonicity: .autoShape)
        #expect(rules.optimalPartition(valley) == [[0], [1], [2], [3], [4]])
        rules.monotonicity = .auto
        let monotone = rules.optimalPartition(valley)
        let rates = monotone.map { $0.reduce(BinCounts()) { $0 + valley[$1] }.eventRate }
        #expect(Self.hasShape(rates, .increasing) || Self.hasShape(rates, .decreasing))
        // A rising line with one small, insignificant wobble (rates 10, 20, 19, 30, 40 % on 100 rows each):
        // the monotone fit stands.
        let wobble = [10, 20, 19, 30, 40].map { BinCounts(events: Double($0), nonEvents: Double(100 - $0)) }
        rules.monotonicity = .autoShape
        #expect(rules.optimalPartition(wobble) == [[0], [1, 2], [3], [4]])
        // Falling data gives a falling partition under .auto.
        rules.monotonicity = .auto
        #expect(rules.optimalPartition(wobble.reversed()) == [[0], [1], [2, 3], [4]])
    }

    @Test func treePreBinningSplitsWhereGiniFallsMostAndRespectsTheLeafSize() throws {
        var rng = SeededGenerator(seed: 7)
        let n = 600
        var values = (0..<n).map { _ in Double(Int.random(in: 0..<60, using: &rng)) }
        values.sort()
        let outcomes = values.map { v in Double.random(in: 0..<1, using: &rng) < (v < 20 ? 0.1 : v < 45 ? 0.35 : 0.6) ? 1.0 : 0 }
        // One leaf split: the exhaustive best cut by impurity reduction.
        func impurity(_ rows: ArraySlice<Double>) -> Double {
            let e = rows.reduce(0, +), t = Double(rows.count)
            return t > 0 ? 2 * e * (t - e) / t : 0
        }
        var bestCut: Double?, bestGain = 0.0
        for k in 1..<n where values[k] > values[k - 1] && k >= 30 && n - k >= 30 {
            let gain = impurity(outcomes[...]) - impurity(outcomes[..<k]) - impurity(outcomes[k...])
            if gain > bestGain { bestGain = gain; bestCut = values[k] }
        }
        #expect(TreePreBinning.cutPoints(sortedValues: values, outcomes: outcomes, maximumLeaves: 2, minimumLeafRows: 30)
                == [try #require(bestCut)])
        // Twenty leaves at most, each at least 5 % of the rows, cut points observed values in ascending order.
        let cuts = TreePreBinning.cutPoints(sortedValues: values, outcomes: outcomes, maximumLeaves: 20, minimumLeafRows: 30)
        #expect(cuts.count <= 19 && cuts.count >= 2)
        #expect(cuts == cuts.sorted() && Set(cuts).count == cuts.count && cuts.allSatisfy { values.contains($0) })
        let edges = [-Double.infinity] + cuts + [.infinity]
        for k in 0...cuts.count { #expect(values.filter { $0 >= edges[k] && $0 < edges[k + 1] }.count >= 30) }
        // The true steps at 20 and 45 are among the cuts.
        #expect(cuts.contains(20) && cuts.contains(45), "\(cuts)")
        // A pure line cannot be improved: no cut.
        #expect(TreePreBinning.cutPoints(sortedValues: values, outcomes: values.map { _ in 0 }, maximumLeaves: 20,
                                         minimumLeafRows: 30).isEmpty)
    }

    @Test func aSmallerMinimumBinShareAllowsFinerPreBins() throws {
        // Risk is high only in a narrow band holding 3 % of the rows: bins of ≥ 2 % can isolate it, the default
        // 5 % pre-bins cannot.
        var rng = SeededGenerator(seed: 17)
        let values = (0..<4000).map { _ in Double(Int.random(in: 0..<1000, using: &rng)) }
        let outcomes = values.map { v in Double.random(in: 0..<1, using: &rng) < (v >= 500 && v < 530 ? 0.9 : 0.1) ? 1.0 : 0 }
        var binning = NumericBinning()
        binning.rules = MergingRules(minimumBinShare: 0.02, chiSquareThreshold: 0, maximumBins: 8, monotonicity: .autoShape)
        let fine = try binning.fit(feature: "x", values: values, outcomes: outcomes)
        #expect(fine.cutPoints.contains(500) && fine.cutPoints.contains(530), "\(fine.cutPoints)")
        for c in fine.counts { #expect(c.total >= 0.02 * 4000) }
        binning.rules.minimumBinShare = 0.05
        let coarse = try binning.fit(feature: "x", values: values, outcomes: outcomes)
        for c in coarse.counts { #expect(c.total >= 0.05 * 4000) }
        #expect(fine.informationValue > coarse.informationValue)
    }

    @Test func numericBinningDoesNotDependOnRowOrder() throws {
        let (values, outcomes) = ScorecardBuildingBlockTests.riskRisingWithValue(2000, seed: 5)
        var order = Array(values.indices)
        var rng = SeededGenerator(seed: 9)
        order.shuffle(using: &rng)
        let binning = NumericBinning()
        let a = try binning.fit(feature: "x", values: values, outcomes: outcomes)
        let b = try binning.fit(feature: "x", values: order.map { values[$0] }, outcomes: order.map { outcomes[$0] })
        #expect(a == b)
    }
}
