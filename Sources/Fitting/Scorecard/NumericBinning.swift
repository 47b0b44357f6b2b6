/// Bins of one numeric feature: left-closed intervals between cut points, plus an optional missing-value bin.
///
/// Bin `0` is `(−∞, cutPoints[0])`, bin `k` is `[cutPoints[k−1], cutPoints[k])`, the last is
/// `[cutPoints.last, ∞)`. NaN is "missing": it has its own bin (index ``missingBin``) when the training data had
/// missing values.
public struct NumericBins: Equatable, Sendable {
    public let feature: String
    public let cutPoints: [Double]
    /// Training counts per bin, interval bins first, then the missing bin if any.
    public let counts: [BinCounts]
    /// WOE per bin (same indexing as ``counts``).
    public let woe: [Double]
    public let informationValue: Double
    /// The index of the missing-value bin, or nil when training had no missing values.
    public let missingBin: Int?

    /// The bin of `value`.
    /// - Throws: ``ScorecardError/missingValue(feature:row:)`` for NaN when there is no missing bin.
    public func bin(of value: Double, row: Int = -1) throws -> Int {
        if value.isNaN {
            guard let missingBin else { throw ScorecardError.missingValue(feature: feature, row: row) }
            return missingBin
        }
        var lo = 0, hi = cutPoints.count
        while lo < hi { let mid = (lo + hi) / 2; if cutPoints[mid] <= value { lo = mid + 1 } else { hi = mid } }
        return lo
    }

    /// Human-readable bin labels: `[-inf, 12)`, `[12, 24)`, …, `missing`.
    public var labels: [String] {
        var labels: [String] = []
        let edges = [-Double.infinity] + cutPoints + [Double.infinity]
        for k in 0...cutPoints.count {
            let lo = edges[k].isInfinite ? "-inf" : "\(edges[k])", hi = edges[k + 1].isInfinite ? "inf" : "\(edges[k + 1])"
            labels.append("[\(lo), \(hi))")
        }
        if missingBin != nil { labels.append("missing") }
        return labels
    }
}

/// Supervised binning of a numeric feature: pre-binning (``PreBinning``), then merging of adjacent pre-bins
/// (``MergingRules``: the partition of largest information value under the rules).
public struct NumericBinning: Equatable, Sendable {
    /// How the candidate cut points are found.
    public enum PreBinning: Equatable, Sendable {
        /// Order statistics at `k/preBins`: each pre-bin holds about `n/preBins` rows (unsupervised).
        case quantiles
        /// The leaves of a Gini classification tree with at most `preBins` leaves, each holding at least
        /// ``minimumPreBinShare`` of the rows (``TreePreBinning``; optbinning's default).
        case decisionTree
    }

    /// The largest number of pre-bins (before merging); fewer when the feature has fewer distinct values.
    public var preBins: Int = 20
    public var preBinning: PreBinning = .decisionTree
    /// The smallest share of the rows in a tree pre-bin (unused by `.quantiles`); a smaller
    /// ``MergingRules/minimumBinShare`` lowers it to that, so the final bins can be as fine as the rules allow.
    public var minimumPreBinShare: Double = 0.05
    public var rules: MergingRules = MergingRules()
    public var emptyCellCount: Double = WeightOfEvidence.defaultEmptyCellCount

    public init(preBins: Int = 20, preBinning: PreBinning = .decisionTree, minimumPreBinShare: Double = 0.05,
                rules: MergingRules = MergingRules()) {
        self.preBins = preBins
        self.preBinning = preBinning
        self.minimumPreBinShare = minimumPreBinShare
        self.rules = rules
    }

    /// Fits the bins on `values` and binary `outcomes` (1 = event).
    ///
    /// Pre-binning (non-missing values only): `.quantiles` takes the order statistics at `k/preBins`
    /// (`k = 1…preBins−1`), deduplicated; `.decisionTree` takes the leaves of ``TreePreBinning``. Either way cut
    /// points are observed values, so they print as the data does. The pre-bins are then merged by ``rules``.
    /// Missing values (NaN) form their own bin and are not merged.
    /// - Throws: ``ScorecardError`` for mismatched lengths, non-binary outcomes or no non-missing value.
    /// - Complexity: O(n log n + preBins·d + B·preBins³) for `d` distinct values, `B` = maximum bins.
    public func fit(feature: String, values: [Double], outcomes: [Double]) throws -> NumericBins {
        try ScorecardError.validate(feature: feature, count: values.count, outcomes: outcomes)
        let present = values.indices.filter { !values[$0].isNaN }
        guard !present.isEmpty else { throw ScorecardError.noValues(feature: feature) }
        for i in present where values[i].isInfinite { throw ScorecardError.nonFiniteValue(feature: feature, row: i, value: values[i]) }
        var candidates: [Double] = []
        switch preBinning {
        case .quantiles:
            let sorted = present.map { values[$0] }.sorted()
            for k in 1..<max(2, preBins) {
                let edge = sorted[k * sorted.count / max(2, preBins)]
                if edge > sorted[0], candidates.last.map({ edge > $0 }) ?? true { candidates.append(edge) }
            }
        case .decisionTree:
            // Sort by value, then outcome, so the grouping pass sees a fixed order whatever the input order.
            let order = present.sorted { (values[$0], outcomes[$0]) < (values[$1], outcomes[$1]) }
            candidates = TreePreBinning.cutPoints(
                sortedValues: order.map { values[$0] }, outcomes: order.map { outcomes[$0] },
                maximumLeaves: max(1, preBins),
                minimumLeafRows: min(minimumPreBinShare, rules.minimumBinShare) * Double(present.count))
        }
        let preliminary = NumericBins(feature: feature, cutPoints: candidates, counts: [], woe: [],
                                      informationValue: 0, missingBin: nil)
        var preCounts = [BinCounts](repeating: BinCounts(), count: candidates.count + 1)
        var missing = BinCounts()
        for i in values.indices {
            if values[i].isNaN { missing.add(outcome: outcomes[i]) } else {
                preCounts[try preliminary.bin(of: values[i])].add(outcome: outcomes[i])
            }
        }
        let (merged, members) = rules.merge(preCounts, emptyCellCount: emptyCellCount)
        // A merged bin [first member's lower edge, last member's upper edge): keep the lower edges of bins 1….
        let cutPoints = members.dropFirst().map { candidates[$0[0] - 1] }
        var counts = merged
        var missingBin: Int?
        if missing.total > 0 { missingBin = counts.count; counts.append(missing) }
        return NumericBins(feature: feature, cutPoints: cutPoints, counts: counts,
                           woe: WeightOfEvidence.woe(counts, emptyCellCount: emptyCellCount),
                           informationValue: WeightOfEvidence.informationValue(counts, emptyCellCount: emptyCellCount),
                           missingBin: missingBin)
    }
}
