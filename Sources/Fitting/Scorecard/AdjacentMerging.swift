/// The merging rules shared by numeric binning and categorical grouping, on bins laid out in a line (numeric
/// order, or categories sorted by event rate).
public struct MergingRules: Equatable, Sendable {
    /// The desired direction of the event rate across the bins.
    public enum Monotonicity: Equatable, Sendable {
        case none
        /// Increasing or decreasing, whichever gives the larger information value.
        case auto
        case increasing
        case decreasing
        /// Rising, then falling (a turn the data choose; either part may be empty).
        case peak
        /// Falling, then rising.
        case valley
        /// Increasing or decreasing, or a peak or valley when that fits significantly better
        /// (see ``optimalPartition(_:emptyCellCount:)``).
        case autoShape
    }

    /// Every final bin holds at least this share of the (weighted) rows.
    public var minimumBinShare: Double = 0.05
    /// Adjacent bins whose 2 × 2 χ² (df = 1) is below this are merged: 3.841 is the 95 % point. 0 disables.
    public var chiSquareThreshold: Double = 3.841
    /// At most this many bins survive.
    public var maximumBins: Int = 8
    /// Event-rate monotonicity (strict) to enforce across the bins.
    public var monotonicity: Monotonicity = .none

    public init(minimumBinShare: Double = 0.05, chiSquareThreshold: Double = 3.841, maximumBins: Int = 8,
                monotonicity: Monotonicity = .none) {
        self.minimumBinShare = minimumBinShare
        self.chiSquareThreshold = chiSquareThreshold
        self.maximumBins = maximumBins
        self.monotonicity = monotonicity
    }

    /// Merges adjacent bins until the rules hold. `members[k]` lists the pre-bins that make up bin `k`.
    ///
    /// First the partition of largest information value that satisfies the minimum share, the bin limit and the
    /// monotonicity (``optimalPartition(_:emptyCellCount:)``, exact); then, while the most similar adjacent pair
    /// has χ² below ``chiSquareThreshold``, that pair is merged. The χ² pass cannot break what the first
    /// established (a union of adjacent bins of a monotone sequence is monotone, of a unimodal one keeps at most
    /// one turn; shares only grow; bins only get fewer). Ties between equally similar pairs go to the leftmost, so the result is deterministic.
    /// - Complexity: O(B·k³) for k pre-bins and B = ``maximumBins`` (O(B·k²) without monotonicity).
    func merge(_ counts: [BinCounts], emptyCellCount: Double = WeightOfEvidence.defaultEmptyCellCount)
        -> (counts: [BinCounts], members: [[Int]]) {
        // The partition already respects the bin limit, so only the χ² rule can merge further.
        var members = optimalPartition(counts, emptyCellCount: emptyCellCount)
        var bins = members.map { $0.reduce(BinCounts()) { $0 + counts[$1] } }
        func chiSquare(_ k: Int) -> Double { BinCounts.chiSquare(bins[k], bins[k + 1]) }   // bins k and k+1
        while bins.count > 1, let k = (0..<(bins.count - 1)).min(by: { chiSquare($0) < chiSquare($1) }),
              chiSquare(k) < chiSquareThreshold {
            bins[k] = bins[k] + bins[k + 1]; bins.remove(at: k + 1)
            members[k] += members[k + 1]; members.remove(at: k + 1)
        }
        return (bins, members)
    }
}
