/// Groups of the levels of one categorical feature.
public struct CategoricalGroups: Equatable, Sendable {
    public let feature: String
    /// Levels per group, groups in ascending order of event rate, levels sorted within a group.
    public let groups: [[String]]
    public let counts: [BinCounts]
    public let woe: [Double]
    public let informationValue: Double

    /// The group of `level`, or nil for a level not seen in training (score it with WOE 0: no evidence).
    public func group(of level: String) -> Int? {
        groups.firstIndex { $0.contains(level) }
    }

    public var labels: [String] { groups.map { $0.joined(separator: " | ") } }
}

/// Supervised grouping of categorical levels.
///
/// 1. Levels holding less than ``MergingRules/minimumBinShare`` of the rows are *rare*; all rare levels are
///    pooled into one group first (their individual event rates are too noisy to place them).
/// 2. Groups are sorted by event rate (ties by level name), which makes the WOE monotone along the line.
/// 3. Adjacent groups are then merged with the same ``MergingRules`` as numeric bins (minimum share, χ²,
///    maximum number of groups).
public struct CategoricalGrouping: Equatable, Sendable {
    public var rules: MergingRules = MergingRules()
    public var emptyCellCount: Double = WeightOfEvidence.defaultEmptyCellCount

    public init(rules: MergingRules = MergingRules()) { self.rules = rules }

    /// - Complexity: O(n + L²) for L levels.
    public func fit(feature: String, levels: [String], outcomes: [Double]) throws -> CategoricalGroups {
        try ScorecardError.validate(feature: feature, count: levels.count, outcomes: outcomes)
        guard !levels.isEmpty else { throw ScorecardError.noValues(feature: feature) }
        var byLevel: [String: BinCounts] = [:]
        for (level, y) in zip(levels, outcomes) { byLevel[level, default: BinCounts()].add(outcome: y) }
        let total = Double(levels.count)
        var groups: [(levels: [String], counts: BinCounts)] = []
        var rare: (levels: [String], counts: BinCounts) = ([], BinCounts())
        for level in byLevel.keys.sorted() {
            let c = byLevel[level]!
            if c.total < rules.minimumBinShare * total { rare.levels.append(level); rare.counts = rare.counts + c } else {
                groups.append(([level], c))
            }
        }
        if !rare.levels.isEmpty { groups.append(rare) }
        groups.sort { a, b in
            a.counts.eventRate < b.counts.eventRate
                || (a.counts.eventRate == b.counts.eventRate && a.levels.lexicographicallyPrecedes(b.levels))
        }
        var sortedRules = rules
        sortedRules.monotonicity = .none  // already monotone by construction
        let (merged, members) = sortedRules.merge(groups.map(\.counts))
        let levelsPerGroup = members.map { $0.flatMap { groups[$0].levels }.sorted() }
        return CategoricalGroups(feature: feature, groups: levelsPerGroup, counts: merged,
                                 woe: WeightOfEvidence.woe(merged, emptyCellCount: emptyCellCount),
                                 informationValue: WeightOfEvidence.informationValue(merged, emptyCellCount: emptyCellCount))
    }
}
