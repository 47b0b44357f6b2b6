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

/// Supervised grouping of categorical levels, as optbinning groups them.
///
/// 1. Levels are sorted by event rate (ties by level name), which makes the WOE monotone along the line.
/// 2. Pre-groups: the leaves of a Gini classification tree on that line (``TreePreBinning``, at most ``preBins``
///    leaves of at least ``minimumPreBinShare`` — or the smaller minimum bin share — of the rows each). A level is
///    never split; a rare level joins the levels next to it in event rate rather than a pool of unrelated rare
///    levels.
/// 3. Adjacent pre-groups are merged with the same ``MergingRules`` as numeric bins: the grouping of largest
///    information value with the minimum share and the maximum number of groups, then the χ² pass.
public struct CategoricalGrouping: Equatable, Sendable {
    /// The largest number of pre-groups.
    public var preBins: Int = 20
    /// The smallest share of the rows in a pre-group; a smaller ``MergingRules/minimumBinShare`` lowers it to that.
    public var minimumPreBinShare: Double = 0.05
    public var rules: MergingRules = MergingRules()
    public var emptyCellCount: Double = WeightOfEvidence.defaultEmptyCellCount

    public init(preBins: Int = 20, minimumPreBinShare: Double = 0.05, rules: MergingRules = MergingRules()) {
        self.preBins = preBins
        self.minimumPreBinShare = minimumPreBinShare
        self.rules = rules
    }

    /// - Complexity: O(n + L log L + preBins·L + B·L²) for L levels and B maximum groups.
    public func fit(feature: String, levels: [String], outcomes: [Double]) throws -> CategoricalGroups {
        try ScorecardError.validate(feature: feature, count: levels.count, outcomes: outcomes)
        guard !levels.isEmpty else { throw ScorecardError.noValues(feature: feature) }
        var byLevel: [String: BinCounts] = [:]
        for (level, y) in zip(levels, outcomes) { byLevel[level, default: BinCounts()].add(outcome: y) }
        let line = byLevel.sorted { a, b in
            a.value.eventRate < b.value.eventRate || (a.value.eventRate == b.value.eventRate && a.key < b.key)
        }
        let leafRows = min(minimumPreBinShare, rules.minimumBinShare) * Double(levels.count)
        let starts = [0] + TreePreBinning.leafStarts(line.map(\.value), maximumLeaves: max(1, preBins),
                                                     minimumLeafRows: leafRows)
        let preGroups = starts.indices.map { k in Array(line[starts[k]..<(k + 1 < starts.count ? starts[k + 1] : line.count)]) }
        var sortedRules = rules
        sortedRules.monotonicity = .none  // already monotone by construction
        let (merged, members) = sortedRules.merge(preGroups.map { $0.reduce(BinCounts()) { $0 + $1.value } },
                                                  emptyCellCount: emptyCellCount)
        let levelsPerGroup = members.map { $0.flatMap { preGroups[$0].map(\.key) }.sorted() }
        return CategoricalGroups(feature: feature, groups: levelsPerGroup, counts: merged,
                                 woe: WeightOfEvidence.woe(merged, emptyCellCount: emptyCellCount),
                                 informationValue: WeightOfEvidence.informationValue(merged, emptyCellCount: emptyCellCount))
    }
}
