import LinearAlgebra
import Scoring

/// A fitted scorecard: per-feature bins with WOE, a logistic model on the WOE values, and points.
///
/// The model is `η = β₀ + Σ_f β_f·WOE_f(x)` (event log-odds). With ``ScoringModel/PointsScaling`` the score is
/// `offset − factor·η = basePoints + Σ_f points_f(bin)`, where `basePoints = offset − factor·β₀` and a bin's
/// points are `−factor·β_f·WOE_f,bin`. Points are kept unrounded so that scores rank exactly as `η`; round for
/// display only.
public struct Scorecard: Equatable, Sendable {
    /// The selected features, in design order (design column `f + 1` is feature `f`'s WOE).
    public let bins: [FeatureBins]
    /// Every candidate feature's bins, selected or not, for the IV report.
    public let candidates: [FeatureBins]
    public let model: LogisticFit
    public let scaling: ScoringModel.PointsScaling
    /// Features the sign-constrained fit held at coefficient 0 (``ScorecardBuilder/nonNegativeCoefficients``):
    /// selected by information value, but left out of ``bins`` and of the model.
    public let heldAtZero: [String]

    public init(bins: [FeatureBins], candidates: [FeatureBins], model: LogisticFit, scaling: ScoringModel.PointsScaling,
                heldAtZero: [String] = []) {
        self.bins = bins; self.candidates = candidates; self.model = model; self.scaling = scaling
        self.heldAtZero = heldAtZero
    }

    /// The features whose WOE coefficient is negative. WOE grows with the bad rate, so a negative coefficient
    /// gives a riskier bin *more* points: the card then runs against the bad rates it was binned on (usually a
    /// feature nearly collinear with others). ``ScorecardBuilder/nonNegativeCoefficients`` forbids it.
    public var negativeCoefficients: [String] {
        bins.indices.filter { model.coefficients[$0 + 1] < 0 }.map { bins[$0].feature }
    }

    /// One line of the points table.
    public struct PointsRow: Equatable, Sendable {
        public let feature: String
        public let bin: String
        public let count: Double
        public let eventRate: Double
        public let woe: Double
        public let points: Double
    }

    /// `offset − factor·β₀`: the points every applicant starts with.
    public var basePoints: Double { scaling.offset - scaling.factor * model.coefficients[0] }

    /// Points per feature and bin (unseen categorical levels score 0 points).
    public var pointsTable: [PointsRow] {
        var rows: [PointsRow] = []
        for (f, feature) in bins.enumerated() {
            let beta = model.coefficients[f + 1]
            for (k, label) in feature.labels.enumerated() {
                let c = feature.counts[k]
                rows.append(PointsRow(feature: feature.feature, bin: label, count: c.total, eventRate: c.eventRate,
                                      woe: feature.woe[k], points: -scaling.factor * beta * feature.woe[k]))
            }
        }
        return rows
    }

    /// The WOE design `[1, WOE_1, …, WOE_k]` for `columns` (matched by feature name; extra columns are ignored).
    public func design(_ columns: [FeatureColumn]) throws -> Matrix {
        try Self.woeDesign(bins, columns)
    }

    /// Event log-odds per row.
    public func linearPredictors(_ columns: [FeatureColumn]) throws -> [Double] {
        model.linearPredictor(try design(columns))
    }

    /// Event probabilities per row.
    public func probabilities(_ columns: [FeatureColumn]) throws -> [Double] {
        try linearPredictors(columns).map(LogisticLoss.sigmoid)
    }

    /// Points per row (higher = safer).
    public func scores(_ columns: [FeatureColumn]) throws -> [Double] {
        try linearPredictors(columns).map { scaling.points(logOdds: $0) }
    }

    static func woeDesign(_ bins: [FeatureBins], _ columns: [FeatureColumn]) throws -> Matrix {
        let byName = Dictionary(columns.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let n = columns.first?.count ?? 0
        var x = Matrix(rows: n, columns: bins.count + 1)
        for i in 0..<n { x[i, 0] = 1 }
        for (f, feature) in bins.enumerated() {
            guard let column = byName[feature.feature] else { throw ScorecardError.unknownFeature(feature.feature) }
            guard column.count == n else {
                throw ScorecardError.lengthMismatch(feature: feature.feature, values: column.count, outcomes: n)
            }
            for (i, w) in try feature.woeValues(column).enumerated() { x[i, f + 1] = w }
        }
        return x
    }
}

/// Builds a ``Scorecard``: bins every feature on the training rows, keeps those with enough information value,
/// and fits a logistic regression on their WOE values.
///
/// **Defaults.** optbinning's binning defaults: pre-bins are the leaves of a Gini tree (at most 20, each ≥ 5 % of
/// the training rows; categories on their event-rate order), merged into the partition of largest information
/// value (exact, ``MergingRules/optimalPartition(_:emptyCellCount:)``) whose bins hold ≥ 5 % of the rows, at most 8
/// per feature, with numeric event rates monotone or — when significantly better — with one peak or valley
/// (``MergingRules/Monotonicity/autoShape``); no χ² merging (threshold 0); features need IV ≥ 0.02. The WOE
/// regression has λ = 10, the penalty cross-validation chose on German credit's training rows (the search is in
/// `Benchmarks/README.md`).
public struct ScorecardBuilder: Equatable, Sendable {
    public var numericBinning = NumericBinning(
        preBins: 20, rules: MergingRules(minimumBinShare: 0.05, chiSquareThreshold: 0, maximumBins: 8, monotonicity: .autoShape))
    public var categoricalGrouping = CategoricalGrouping(
        rules: MergingRules(minimumBinShare: 0.05, chiSquareThreshold: 0, maximumBins: 8))
    /// Features whose IV is below this are dropped (0.02 is the customary "not predictive" limit).
    public var minimumInformationValue: Double = 0.02
    /// Ridge penalty λ for the logistic regression on WOE (0 = maximum likelihood; the intercept is never penalised).
    public var l2Penalty: Double = 10
    public var scaling = ScoringModel.PointsScaling.conventional
    /// Whether every WOE coefficient must be ≥ 0 (``LogisticRegression/fitNonNegative(design:outcome:nonNegative:columnNames:)``):
    /// a feature whose coefficient would be negative is held at 0 and left out of the card (``Scorecard/heldAtZero``).
    public var nonNegativeCoefficients = false

    public init() {}

    /// The default builder with these settings: the penalty λ, the smallest bin share and the bin limit (numeric
    /// and categorical alike), the information-value threshold and the sign constraint.
    public init(penalty: Double, minimumBinShare: Double, maximumBins: Int, minimumInformationValue: Double,
                nonNegativeCoefficients: Bool = false) {
        l2Penalty = penalty
        numericBinning.rules.minimumBinShare = minimumBinShare
        numericBinning.rules.maximumBins = maximumBins
        categoricalGrouping.rules.minimumBinShare = minimumBinShare
        categoricalGrouping.rules.maximumBins = maximumBins
        self.minimumInformationValue = minimumInformationValue
        self.nonNegativeCoefficients = nonNegativeCoefficients
    }

    /// - Parameters:
    ///   - columns: the candidate features over all rows.
    ///   - outcome: 0/1 per row, 1 = event (bad).
    ///   - trainingRows: the rows bins and coefficients are fitted on (default: all). Other rows are not read,
    ///     so a test set cannot leak into the bins.
    /// - Throws: ``ScorecardError`` or ``FittingError``.
    public func fit(columns: [FeatureColumn], outcome: [Double], trainingRows: [Int]? = nil) throws -> Scorecard {
        try scaling.validate()
        let rows = trainingRows ?? Array(outcome.indices)
        let y = rows.map { outcome[$0] }
        var candidates: [FeatureBins] = []
        for column in columns {
            guard column.count == outcome.count else {
                throw ScorecardError.lengthMismatch(feature: column.name, values: column.count, outcomes: outcome.count)
            }
            switch column.selecting(rows: rows) {
            case let .numeric(name, values):
                candidates.append(.numeric(try numericBinning.fit(feature: name, values: values, outcomes: y)))
            case let .categorical(name, levels):
                candidates.append(.categorical(try categoricalGrouping.fit(feature: name, levels: levels, outcomes: y)))
            }
        }
        let selected = candidates.filter { $0.informationValue >= minimumInformationValue && $0.counts.count > 1 }
        guard !selected.isEmpty else {
            let best = candidates.max { $0.informationValue < $1.informationValue }
            throw ScorecardError.noFeatureSelected(minimumIV: minimumInformationValue, best: best?.feature ?? "none",
                                                   bestIV: best?.informationValue ?? 0)
        }
        let training = columns.map { $0.selecting(rows: rows) }
        let x = try Scorecard.woeDesign(selected, training)
        let names = ["intercept"] + selected.map(\.feature)
        let regression = LogisticRegression(l2Penalty: l2Penalty, unpenalizedColumns: [0])
        guard nonNegativeCoefficients else {
            let model = try regression.fit(design: x, outcome: y, columnNames: names)
            return Scorecard(bins: selected, candidates: candidates, model: model, scaling: scaling)
        }
        let constrained = try regression.fitNonNegative(design: x, outcome: y, nonNegative: Set(1..<names.count),
                                                        columnNames: names)
        guard constrained.freeColumns.count > 1 else {
            throw ScorecardError.invalidParameter("every WOE coefficient is held at 0 by the sign constraint: no "
                + "feature raises the risk with its bad rate once the others are in the model")
        }
        return Scorecard(bins: constrained.freeColumns.dropFirst().map { selected[$0 - 1] }, candidates: candidates,
                         model: constrained.fit, scaling: scaling,
                         heldAtZero: constrained.zeroColumns.map { selected[$0 - 1].feature })
    }
}
