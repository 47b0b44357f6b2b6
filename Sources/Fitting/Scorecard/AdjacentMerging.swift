/// The merging rules shared by numeric binning and categorical grouping, on bins laid out in a line (numeric
/// order, or categories sorted by event rate).
public struct MergingRules: Equatable, Sendable {
    /// The desired direction of the event rate across the bins.
    public enum Monotonicity: Equatable, Sendable {
        case none
        /// Whichever direction the bins' rank correlation with the event rate points to.
        case auto
        case increasing
        case decreasing
    }

    /// Every final bin holds at least this share of the (weighted) rows.
    public var minimumBinShare: Double = 0.05
    /// Adjacent bins whose 2 × 2 χ² (df = 1) is below this are merged: 3.841 is the 95 % point. 0 disables.
    public var chiSquareThreshold: Double = 3.841
    /// At most this many bins survive (the most similar adjacent pairs are merged first).
    public var maximumBins: Int = 8
    /// Event-rate monotonicity to enforce across the bins (merging the most similar violating pairs).
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
    /// Order of the passes: (1) monotonicity, merging the violating adjacent pair with the smallest χ²;
    /// (2) minimum share, merging the smallest bin into the neighbour it is most similar to (smaller χ²);
    /// (3) χ² threshold and bin limit, merging the most similar adjacent pair. Merging never breaks a rule an
    /// earlier pass established (a union of adjacent bins of a monotone sequence is monotone; shares only grow).
    /// Ties between equally similar pairs go to the leftmost, so the result is deterministic.
    /// - Complexity: O(k²) for k pre-bins.
    func merge(_ counts: [BinCounts]) -> (counts: [BinCounts], members: [[Int]]) {
        var bins = counts
        var members = counts.indices.map { [$0] }
        func join(_ k: Int) {  // bins k and k+1
            bins[k] = bins[k] + bins[k + 1]; bins.remove(at: k + 1)
            members[k] += members[k + 1]; members.remove(at: k + 1)
        }
        func mostSimilar(among pairs: [Int]) -> Int? {
            pairs.min { BinCounts.chiSquare(bins[$0], bins[$0 + 1]) < BinCounts.chiSquare(bins[$1], bins[$1 + 1]) }
        }
        let total = bins.reduce(0) { $0 + $1.total }

        if monotonicity != .none, bins.count > 1 {
            let increasing: Bool
            switch monotonicity {
            case .increasing: increasing = true
            case .decreasing: increasing = false
            default: increasing = Self.trend(bins) >= 0
            }
            while bins.count > 1 {
                let violating = (0..<(bins.count - 1)).filter {
                    increasing ? bins[$0].eventRate > bins[$0 + 1].eventRate : bins[$0].eventRate < bins[$0 + 1].eventRate
                }
                guard let k = mostSimilar(among: violating) else { break }
                join(k)
            }
        }
        while bins.count > 1 {
            guard let smallest = bins.indices.min(by: { bins[$0].total < bins[$1].total }),
                  bins[smallest].total < minimumBinShare * total else { break }
            let candidates = [smallest - 1, smallest].filter { $0 >= 0 && $0 + 1 < bins.count }
            join(mostSimilar(among: candidates)!)
        }
        while bins.count > 1, let k = mostSimilar(among: Array(0..<(bins.count - 1))) {
            guard bins.count > maximumBins || BinCounts.chiSquare(bins[k], bins[k + 1]) < chiSquareThreshold else { break }
            join(k)
        }
        return (bins, members)
    }

    /// The sign of the weighted covariance between bin position and event rate (> 0: risk rises along the line).
    static func trend(_ bins: [BinCounts]) -> Double {
        let total = bins.reduce(0) { $0 + $1.total }
        let meanPosition = bins.indices.reduce(0.0) { $0 + Double($1) * bins[$1].total } / total
        let meanRate = bins.reduce(0.0) { $0 + $1.events } / total
        return bins.indices.reduce(0.0) { $0 + bins[$1].total * (Double($1) - meanPosition) * (bins[$1].eventRate - meanRate) }
    }
}
