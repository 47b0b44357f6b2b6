import LinearAlgebra

/// The design matrix of a plain logistic regression on raw features: an intercept, numeric columns as they are,
/// and categorical columns one-hot encoded with the first level (in sorted order) dropped as the reference.
///
/// Levels are learned from the training rows only; a level not seen there is encoded as the reference level
/// (all its dummies 0), so scoring new data never fails on a new category. Numeric NaN is an error here — impute
/// first, or use a scorecard (which bins missing values).
public struct DummyDesign: Equatable, Sendable {
    public enum Column: Equatable, Sendable {
        case numeric(name: String)
        /// Dummies for `levels` (the reference level, dropped, is not listed).
        case categorical(name: String, reference: String, levels: [String])
    }

    public let columns: [Column]

    /// Design column names: `intercept`, numeric names, and `name=level` for each dummy.
    public var columnNames: [String] {
        ["intercept"] + columns.flatMap { column -> [String] in
            switch column {
            case let .numeric(name): return [name]
            case let .categorical(name, _, levels): return levels.map { "\(name)=\($0)" }
            }
        }
    }

    /// Learns the categorical levels from `rows` (all rows when nil).
    public init(columns: [FeatureColumn], rows: [Int]? = nil) {
        self.columns = columns.map { column in
            switch column {
            case let .numeric(name, _):
                return .numeric(name: name)
            case let .categorical(name, levels):
                let seen = Set(rows.map { $0.map { levels[$0] } } ?? levels).sorted()
                return .categorical(name: name, reference: seen.first ?? "", levels: Array(seen.dropFirst()))
            }
        }
    }

    /// The design for `rows` of `data` (matched by column name).
    /// - Throws: ``ScorecardError/unknownFeature(_:)`` or ``ScorecardError/nonFiniteValue(feature:row:value:)``.
    public func matrix(_ data: [FeatureColumn], rows: [Int]) throws -> Matrix {
        let byName = Dictionary(data.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var x = Matrix(rows: rows.count, columns: columnNames.count)
        for r in rows.indices { x[r, 0] = 1 }
        var j = 1
        for column in columns {
            switch column {
            case let .numeric(name):
                guard case let .numeric(_, values)? = byName[name] else { throw ScorecardError.unknownFeature(name) }
                for (r, i) in rows.enumerated() {
                    guard values[i].isFinite else { throw ScorecardError.nonFiniteValue(feature: name, row: i, value: values[i]) }
                    x[r, j] = values[i]
                }
                j += 1
            case let .categorical(name, _, levels):
                guard case let .categorical(_, raw)? = byName[name] else { throw ScorecardError.unknownFeature(name) }
                let position = Dictionary(uniqueKeysWithValues: levels.enumerated().map { ($1, $0) })
                for (r, i) in rows.enumerated() { if let k = position[raw[i]] { x[r, j + k] = 1 } }
                j += levels.count
            }
        }
        return x
    }
}

extension TargetingBacktest {
    /// Fits a logistic regression on `trainRows` (intercept + numeric + one-hot categorical features) and backtests
    /// its scores on `testRows`.
    public static func fitAndEvaluate(features: [FeatureColumn], outcome: [Double], days: [Int], trainRows: [Int],
                                      testRows: [Int], model: LogisticRegression = LogisticRegression()) throws
        -> (design: DummyDesign, fit: LogisticFit, backtest: TargetingBacktest) {
        let design = DummyDesign(columns: features, rows: trainRows)
        let fit = try model.fit(design: try design.matrix(features, rows: trainRows),
                                outcome: trainRows.map { outcome[$0] }, columnNames: design.columnNames)
        let scores = fit.linearPredictor(try design.matrix(features, rows: testRows))
        let backtest = try evaluate(days: testRows.map { days[$0] }, scores: scores,
                                    outcomes: testRows.map { outcome[$0] })
        return (design, fit, backtest)
    }
}
