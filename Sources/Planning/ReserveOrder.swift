import Supervision

/// The reserve list of a department, fixed at planning time (issue 4, item 11).
///
/// When a selected entity cannot be checked (it has closed, say), its replacement is the first unit of
/// the reserve list not yet used — never a new draw — so an adjustment cannot re-roll the sample.
///
/// The order is *sequential Poisson* order sampling (Ohlsson 1998) on the numbers that made the draw: a
/// department selects unit `i` when the position `p_i` of its permanent random number in this period's
/// interval is below `π_i` (``CoordinatedSelection``); the reserve lists the units *not* selected by
/// ascending `ξ_i = p_i / π_i`, ties by id in UTF-8 order. So the reserve is "the units that came closest to
/// being drawn": it needs no random number of its own (nothing to compute for millions of candidates, and
/// nothing that could be re-drawn), and as the departments share the permanent random numbers, an entity
/// just missed by several departments tends to be a reserve of each of them — replacements stay joint.
///
/// Given that a unit was not selected, `p_i` is uniform on `[π_i, 1)`, so `ξ_i − 1` is uniform on
/// `[0, 1/π_i − 1)`: the first reserve is unit `i` with probability
/// `∫ f_i(t) ∏_{j≠i} S_j(t) dt`, close to proportional to `π_i / (1 − π_i)` — likelier units come first.
/// Units with π = 0 are never reserves (no blind spot is closed by a replacement).
///
/// Replacements change the realised inclusion probabilities (no design survives removing units
/// exactly); the manifest records each adjustment so `verify` can replay it.
public struct ReserveOrder: Sendable, Equatable {
    /// Unit indices in reserve order.
    public let order: [Int]
    /// How many reserves have been used.
    public private(set) var used = 0

    /// - Parameters:
    ///   - ids: unit ids (ties are broken by id).
    ///   - probabilities: π per unit.
    ///   - positions: the position of each unit's permanent random number in the period's interval.
    ///   - selected: the drawn sample (excluded from the reserve).
    public init(ids: [EntityID], probabilities: [Double], positions: [Double], selected: [Int]) {
        precondition(ids.count == probabilities.count && ids.count == positions.count, "one π and position per id")
        var excluded = [Bool](repeating: false, count: ids.count)
        for unit in selected { excluded[unit] = true }
        order = Self.first(ids.count, ids: ids, units: Array(ids.indices), probabilities: probabilities,
                           positions: positions, excluded: excluded)
    }

    /// The next replacement, or nil when the reserve is exhausted.
    public mutating func nextReplacement() -> Int? {
        guard used < order.count else { return nil }
        defer { used += 1 }
        return order[used]
    }

    /// The first `k` units of the reserve order among `units`.
    ///
    /// A plan needs a few reserves per department out of hundreds of thousands of candidates, so this keeps
    /// the best `k` in a small sorted buffer instead of sorting them all.
    ///
    /// - Parameters:
    ///   - units: the candidates, as indices into `ids` and `positions` (e.g. a department's entities in scope).
    ///   - probabilities: π of each candidate (same positions as `units`).
    ///   - positions: by index into `ids`, the position of the unit's permanent random number.
    ///   - excluded: by index into `ids`, units that may not be reserves (already checked).
    /// - Returns: indices into `ids`, in reserve order.
    /// - Complexity: O(n) for n candidates when `k` is small; O(n log n) when `k` ≥ n.
    public static func first(_ k: Int, ids: [EntityID], units: [Int], probabilities: [Double], positions: [Double],
                             excluded: [Bool]) -> [Int] {
        precondition(units.count == probabilities.count, "one π per unit")
        guard k > 0 else { return [] }
        typealias Keyed = (key: Double, unit: Int)
        func precedes(_ a: Keyed, _ b: Keyed) -> Bool {
            a.key != b.key ? a.key < b.key : ids[a.unit] < ids[b.unit]
        }
        if k >= units.count {
            return zip(units, probabilities).filter { !excluded[$0.0] && $0.1 > 0 }
                .map { (key: positions[$0.0] / $0.1, unit: $0.0) }.sorted(by: precedes).map(\.unit)
        }
        var best: [Keyed] = []
        best.reserveCapacity(k + 1)
        for (unit, pi) in zip(units, probabilities) where !excluded[unit] && pi > 0 {
            let candidate = (key: positions[unit] / pi, unit: unit)
            if best.count == k, !precedes(candidate, best[k - 1]) { continue }
            best.insert(candidate, at: best.partitionPoint { precedes($0, candidate) })
            if best.count > k { best.removeLast() }
        }
        return best.map(\.unit)
    }
}
