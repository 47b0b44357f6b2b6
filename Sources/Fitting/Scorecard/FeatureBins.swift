/// The raw values of one feature over all rows.
public enum FeatureColumn: Equatable, Sendable {
    /// Numbers; NaN is missing.
    case numeric(name: String, values: [Double])
    /// Category labels.
    case categorical(name: String, levels: [String])

    public var name: String {
        switch self {
        case let .numeric(name, _), let .categorical(name, _): return name
        }
    }

    public var count: Int {
        switch self {
        case let .numeric(_, values): return values.count
        case let .categorical(_, levels): return levels.count
        }
    }

    /// The same feature restricted to `rows`.
    public func selecting(rows: [Int]) -> FeatureColumn {
        switch self {
        case let .numeric(name, values): return .numeric(name: name, values: rows.map { values[$0] })
        case let .categorical(name, levels): return .categorical(name: name, levels: rows.map { levels[$0] })
        }
    }
}

/// The fitted bins of one feature, numeric or categorical, with their WOE.
public enum FeatureBins: Equatable, Sendable {
    case numeric(NumericBins)
    case categorical(CategoricalGroups)

    public var feature: String {
        switch self {
        case let .numeric(b): return b.feature
        case let .categorical(g): return g.feature
        }
    }

    public var informationValue: Double {
        switch self {
        case let .numeric(b): return b.informationValue
        case let .categorical(g): return g.informationValue
        }
    }

    public var woe: [Double] {
        switch self {
        case let .numeric(b): return b.woe
        case let .categorical(g): return g.woe
        }
    }

    public var counts: [BinCounts] {
        switch self {
        case let .numeric(b): return b.counts
        case let .categorical(g): return g.counts
        }
    }

    public var labels: [String] {
        switch self {
        case let .numeric(b): return b.labels
        case let .categorical(g): return g.labels
        }
    }

    /// The bin index of every row of `column` (nil: a categorical level unseen in training).
    /// - Throws: ``ScorecardError`` when the column's kind does not match the bins or a value cannot be binned.
    public func binIndices(_ column: FeatureColumn) throws -> [Int?] {
        switch (self, column) {
        case let (.numeric(bins), .numeric(_, values)):
            return try values.enumerated().map { try bins.bin(of: $1, row: $0) }
        case let (.categorical(groups), .categorical(_, levels)):
            var cache: [String: Int?] = [:]
            return levels.map { level in
                if let hit = cache[level] { return hit }
                let g = groups.group(of: level)
                cache[level] = g
                return g
            }
        default:
            throw ScorecardError.invalidParameter("feature \(feature): column kind does not match its bins")
        }
    }

    /// The WOE of every row; a level unseen in training gets 0 (no evidence either way).
    public func woeValues(_ column: FeatureColumn) throws -> [Double] {
        let woe = self.woe
        return try binIndices(column).map { $0.map { woe[$0] } ?? 0 }
    }
}
