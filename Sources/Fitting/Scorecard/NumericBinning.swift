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

/// Supervised binning of a numeric feature: quantile pre-binning, then adjacent merging (``MergingRules``).
public struct NumericBinning: Equatable, Sendable {
    /// The number of quantile pre-bins (before merging); fewer when the feature has fewer distinct values.
    public var preBins: Int = 20
    public var rules: MergingRules = MergingRules()
    public var emptyCellCount: Double = WeightOfEvidence.defaultEmptyCellCount

    public init(preBins: Int = 20, rules: MergingRules = MergingRules()) {
        self.preBins = preBins
        self.rules = rules
    }

    /// Fits the bins on `values` and binary `outcomes` (1 = event).
    ///
    /// Pre-binning: the candidate cut points are the order statistics at `k/preBins` (`k = 1…preBins−1`),
    /// deduplicated, so each pre-bin holds about `n/preBins` rows unless a single value is heavier. Cut points
    /// are observed values, so they print as the data does. Missing values (NaN) form their own bin and are not
    /// merged.
    /// - Throws: ``ScorecardError`` for mismatched lengths, non-binary outcomes or no non-missing value.
    /// - Complexity: O(n log n + preBins²).
    public func fit(feature: String, values: [Double], outcomes: [Double]) throws -> NumericBins {
        try ScorecardError.validate(feature: feature, count: values.count, outcomes: outcomes)
        let present = values.indices.filter { !values[$0].isNaN }
        guard !present.isEmpty else { throw ScorecardError.noValues(feature: feature) }
        for i in present where values[i].isInfinite { throw ScorecardError.nonFiniteValue(feature: feature, row: i, value: values[i]) }
        let sorted = present.map { values[$0] }.sorted()
        var candidates: [Double] = []
        for k in 1..<max(2, preBins) {
            let edge = sorted[k * sorted.count / max(2, preBins)]
            if edge > sorted[0], candidates.last.map({ edge > $0 }) ?? true { candidates.append(edge) }
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
        let (merged, members) = rules.merge(preCounts)
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
