import LinearAlgebra
import OneCheckUtilities

/// How a logistic fit fills missing numbers: with a statistic of the training rows, or a given value.
public struct Imputation: Sendable, Equatable {
    public enum Statistic: Sendable, Equatable {
        /// The median of the present training values (the mean of the two middle ones for an even count).
        case median
        /// Their mean.
        case mean
        /// This value.
        case value(Double)
    }

    public var statistic: Statistic
    /// Whether a column with missing training values also gets the 0/1 design column `<name>:missing`.
    public var indicator: Bool

    public init(_ statistic: Statistic, indicator: Bool = false) {
        self.statistic = statistic
        self.indicator = indicator
    }

    /// The fill value for `present` values (non-empty unless the statistic is a given value).
    func value(of present: [Double]) -> Double {
        switch statistic {
        case let .value(v): return v
        case .mean:
            var sum = CompensatedSum()
            for v in present { sum.add(v) }
            return sum.value / Double(present.count)
        case .median:
            let sorted = present.sorted()
            let m = sorted.count / 2
            return sorted.count % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2
        }
    }
}

/// The design matrix of a plain logistic regression on raw features: an intercept, numeric columns (imputed and
/// standardised on request), and categorical columns one-hot encoded without their reference level.
///
/// **Reference level.** The most frequent level on the training rows (its dummy would be the largest, so the other
/// levels' standard errors are the smallest); on a tie, the first in UTF-8 byte order. Levels are learned from the
/// training rows only; a level not seen there is encoded as the reference level (all its dummies 0), so scoring new
/// data never fails on a new category. An empty field is the level `""` (missing).
/// **Missing numbers.** Without ``Options/imputation`` a missing number is an error (``matrix(_:rows:)``).
/// With it, every numeric column gets a fill value from its present training values (so a value missing only at
/// scoring time is filled too), and a column with a missing training value gets the indicator column
/// `<name>:missing` when ``Imputation/indicator`` is set.
/// **Standardisation.** With ``Options/standardize``, each numeric column (after filling) becomes `(x − mean) /
/// std` with the mean and the population standard deviation of the training rows, so that a ridge penalty weighs
/// every numeric column alike. Dummies and indicators stay 0/1. The exported model stores the same fill value,
/// mean and standard deviation, so `onecheck score` applies them unchanged.
public struct DummyDesign: Equatable, Sendable {
    public struct Options: Sendable, Equatable {
        public var imputation: Imputation?
        public var standardize: Bool

        public init(imputation: Imputation? = nil, standardize: Bool = false) {
            self.imputation = imputation
            self.standardize = standardize
        }
    }

    /// What is done to one numeric column.
    public struct NumericEncoding: Equatable, Sendable {
        /// The value of a missing field, or nil (missing is an error).
        public var fill: Double?
        /// Whether the column has the indicator design column `<name>:missing`.
        public var indicator: Bool
        /// `(x − mean) / std` when set.
        public var mean: Double?
        public var std: Double?
        /// The smallest and largest present value of the training rows (nil when none is present): stored in the
        /// model (`trainingMin`, `trainingMax`) as the range that reasons take the most favourable value from.
        public var trainingMin: Double? = nil
        public var trainingMax: Double? = nil
    }

    public enum Column: Equatable, Sendable {
        case numeric(name: String, encoding: NumericEncoding)
        /// Dummies for `levels` (the reference level, dropped, is not listed).
        case categorical(name: String, reference: String, levels: [String])
    }

    public let columns: [Column]

    /// Design column names: `intercept`, numeric names (each followed by `name:missing` when it has an
    /// indicator), and `name=level` for each dummy.
    public var columnNames: [String] {
        ["intercept"] + columns.flatMap { column -> [String] in
            switch column {
            case let .numeric(name, encoding): return encoding.indicator ? [name, name + ":missing"] : [name]
            case let .categorical(name, _, levels): return levels.map { "\(name)=\($0)" }
            }
        }
    }

    /// Learns levels, fill values and scales from `rows` (all rows when nil).
    public init(columns: [FeatureColumn], rows: [Int]? = nil, options: Options = Options()) {
        self.columns = columns.map { column in
            let rows = rows ?? Array(0..<column.count)
            switch column {
            case let .numeric(name, values):
                var encoding = NumericEncoding(fill: nil, indicator: false, mean: nil, std: nil)
                let present = rows.map { values[$0] }.filter { !$0.isNaN }
                encoding.trainingMin = present.min()
                encoding.trainingMax = present.max()
                if let imputation = options.imputation {
                    let fill = present.isEmpty ? 0 : imputation.value(of: present)
                    encoding.fill = fill
                    encoding.indicator = imputation.indicator && present.count < rows.count
                }
                if options.standardize {
                    let filled = rows.map { values[$0].isNaN ? (encoding.fill ?? .nan) : values[$0] }.filter { !$0.isNaN }
                    var sum = CompensatedSum()
                    for v in filled { sum.add(v) }
                    let mean = filled.isEmpty ? 0 : sum.value / Double(filled.count)
                    var squares = CompensatedSum()
                    for v in filled { squares.add((v - mean) * (v - mean)) }
                    let std = filled.isEmpty ? 0 : (squares.value / Double(filled.count)).squareRoot()
                    // A constant column keeps std 1 here; the fit names it as constant.
                    encoding.mean = mean
                    encoding.std = std > 0 ? std : 1
                }
                return .numeric(name: name, encoding: encoding)
            case let .categorical(name, levels):
                var counts: [String: Int] = [:]
                for i in rows { counts[levels[i], default: 0] += 1 }
                let seen = counts.keys.sorted { $0.utf8Precedes($1) }
                let reference = seen.max { a, b in
                    counts[a]! < counts[b]! || (counts[a]! == counts[b]! && b.utf8Precedes(a))
                } ?? ""
                return .categorical(name: name, reference: reference, levels: seen.filter { $0 != reference })
            }
        }
    }

    /// The design for `rows` of `data` (matched by column name).
    /// - Throws: ``ScorecardError/unknownFeature(_:)`` or ``ScorecardError/nonFiniteValue(feature:row:value:)`` (a
    ///   missing value without imputation).
    public func matrix(_ data: [FeatureColumn], rows: [Int]) throws -> Matrix {
        let byName = Dictionary(data.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var x = Matrix(rows: rows.count, columns: columnNames.count)
        for r in rows.indices { x[r, 0] = 1 }
        var j = 1
        for column in columns {
            switch column {
            case let .numeric(name, encoding):
                guard case let .numeric(_, values)? = byName[name] else { throw ScorecardError.unknownFeature(name) }
                let mean = encoding.mean ?? 0, std = encoding.std ?? 1
                for (r, i) in rows.enumerated() {
                    var v = values[i]
                    if v.isNaN, let fill = encoding.fill {
                        v = fill
                        if encoding.indicator { x[r, j + 1] = 1 }
                    }
                    guard v.isFinite else { throw ScorecardError.nonFiniteValue(feature: name, row: i, value: values[i]) }
                    x[r, j] = (v - mean) / std
                }
                j += encoding.indicator ? 2 : 1
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
                                      testRows: [Int], model: LogisticRegression = LogisticRegression(),
                                      options: DummyDesign.Options = DummyDesign.Options()) throws
        -> (design: DummyDesign, fit: LogisticFit, backtest: TargetingBacktest) {
        let design = DummyDesign(columns: features, rows: trainRows, options: options)
        let fit = try model.fit(design: try design.matrix(features, rows: trainRows),
                                outcome: trainRows.map { outcome[$0] }, columnNames: design.columnNames)
        let scores = fit.linearPredictor(try design.matrix(features, rows: testRows))
        let backtest = try evaluate(days: testRows.map { days[$0] }, scores: scores,
                                    outcomes: testRows.map { outcome[$0] })
        return (design, fit, backtest)
    }
}
