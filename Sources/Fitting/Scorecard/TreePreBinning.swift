/// Supervised pre-binning by a classification tree (CART) on one numeric feature: the leaves of a best-first tree
/// grown on the Gini impurity are the pre-bins.
///
/// **Contract.** `values` are sorted ascending and finite, `outcomes[i]` is the 0/1 outcome of `values[i]`. A split
/// separates the rows below a value from those at or above it (so equal values never straddle a cut) and is allowed
/// only when both sides hold at least `minimumLeafRows` rows. Starting from one leaf, the leaf whose best split
/// reduces the total impurity `Σ_leaves nₗ·Gini(pₗ)` (with `Gini(p) = 2p(1 − p)`) the most is split, until there are
/// `maximumLeaves` leaves or no split reduces the impurity. This is the tree optbinning's default pre-binning grows
/// (scikit-learn's `DecisionTreeClassifier` with `max_leaf_nodes` and `min_samples_leaf`); the cut point here is the
/// first value of the upper side, an observed value, where scikit-learn uses the midpoint — the same partition of
/// the training rows.
///
/// Ties between equal impurity reductions go to the leftmost split (within a leaf) and the leftmost leaf, so the
/// result is deterministic.
enum TreePreBinning {
    /// The cut points (ascending, each an observed value greater than the smallest).
    /// - Complexity: O(L·d) for `d` distinct values and `L` = `maximumLeaves`, after an O(n) grouping pass.
    static func cutPoints(sortedValues values: [Double], outcomes: [Double], maximumLeaves: Int,
                          minimumLeafRows: Double) -> [Double] {
        var distinct: [Double] = [], counts: [BinCounts] = []
        for (v, y) in zip(values, outcomes) {
            if distinct.last != v { distinct.append(v); counts.append(BinCounts()) }
            counts[counts.count - 1].add(outcome: y)
        }
        return leafStarts(counts, maximumLeaves: maximumLeaves, minimumLeafRows: minimumLeafRows).map { distinct[$0] }
    }

    /// The same tree on a line of atoms that are never split (distinct values, or categories in a fixed order):
    /// the index of the first atom of every leaf but the first, ascending.
    /// - Complexity: O(L·d) for `d` atoms.
    static func leafStarts(_ atoms: [BinCounts], maximumLeaves: Int, minimumLeafRows: Double) -> [Int] {
        var prefix: [BinCounts] = [BinCounts()]
        for a in atoms { prefix.append(prefix.last! + a) }
        func counts(_ lower: Int, _ upper: Int) -> BinCounts {
            BinCounts(events: prefix[upper].events - prefix[lower].events,
                      nonEvents: prefix[upper].nonEvents - prefix[lower].nonEvents)
        }
        func impurity(_ c: BinCounts) -> Double {   // n·Gini
            c.total > 0 ? 2 * c.events * c.nonEvents / c.total : 0
        }
        /// The best split of leaf [lower, upper): (first atom of the upper side, impurity reduction).
        func bestSplit(_ lower: Int, _ upper: Int) -> (at: Int, gain: Double)? {
            let before = impurity(counts(lower, upper))
            var best: (at: Int, gain: Double)?
            for s in (lower + 1)..<max(lower + 1, upper) {
                let left = counts(lower, s), right = counts(s, upper)
                guard left.total >= minimumLeafRows, right.total >= minimumLeafRows else { continue }
                let gain = before - impurity(left) - impurity(right)
                if gain > (best?.gain ?? 0) { best = (s, gain) }
            }
            return best
        }
        var leaves: [(lower: Int, upper: Int, split: (at: Int, gain: Double)?)] = [(0, atoms.count, bestSplit(0, atoms.count))]
        while leaves.count < maximumLeaves {
            var chosen: Int?
            for k in leaves.indices {
                guard let gain = leaves[k].split?.gain else { continue }
                if chosen.map({ gain > leaves[$0].split!.gain }) ?? true { chosen = k }
            }
            guard let k = chosen else { break }
            let leaf = leaves[k], at = leaf.split!.at
            leaves.replaceSubrange(k...k, with: [(leaf.lower, at, bestSplit(leaf.lower, at)),
                                                 (at, leaf.upper, bestSplit(at, leaf.upper))])
        }
        return leaves.dropFirst().map(\.lower)
    }
}
