import Scoring

/// Which model a fit or a tuning run produces, with its settings.
public enum ModelSpecification: Sendable, Equatable {
    /// A logistic regression on the raw features (``DummyDesign``) with ridge penalty λ.
    case logistic(penalty: Double, design: DummyDesign.Options)
    /// A scorecard (``ScorecardBuilder``).
    case scorecard(ScorecardBuilder)

    public var kind: String {
        switch self {
        case .logistic: return "logistic"
        case .scorecard: return "scorecard"
        }
    }

    public var penalty: Double {
        switch self {
        case let .logistic(penalty, _): return penalty
        case let .scorecard(builder): return builder.l2Penalty
        }
    }
}

/// How the written model is named.
public struct ModelNaming: Sendable, Equatable {
    public var name: String
    /// The head's name; nil: `risk` for a logistic model, `credit` for a scorecard.
    public var head: String?
    public var description: String

    public init(name: String, head: String? = nil, description: String) {
        self.name = name; self.head = head; self.description = description
    }
}

/// Something about a fit the user should be told; the fit itself succeeded.
public enum FitWarning: Equatable, Sendable, CustomStringConvertible {
    /// The file has no id column under the default name: the model still names `id`.
    case noIdColumn(file: String)
    /// Scorecard features whose WOE coefficient is negative.
    case negativeScorecardCoefficients([String])
    /// Scorecard features the sign constraint held at 0 (and left out of the card).
    case heldAtZero([String])
    /// A tuned setting at the end of its grid: the best value may lie beyond it.
    case edgeOfGrid(setting: String, value: String, end: String, option: String)

    public var description: String {
        switch self {
        case let .noIdColumn(file):
            return "\(file) has no column \"id\" (the default --id): every column but the target and --exclude is a "
                + "feature, and the model names \"id\" as its id column, which `onecheck score` requires; give "
                + "--id COLUMN to name another"
        case let .negativeScorecardCoefficients(features):
            return "negative WOE coefficient for \(ErrorText.list(features)): points run against the bad rates of "
                + "those bins (usually a feature nearly collinear with others); --sign-constrained holds such "
                + "coefficients at 0"
        case let .heldAtZero(features):
            return "the sign constraint held \(ErrorText.list(features)) at 0: left out of the card"
        case let .edgeOfGrid(setting, value, end, option):
            return "the chosen \(setting) \(value) is the \(end) in the grid; the best may lie beyond it — extend \(option)"
        }
    }
}

/// A fitted model, ready to write: the scoring model, the regression behind its head and what produced them.
public struct FittedModel: Sendable {
    public enum Detail: Sendable {
        case logistic(DummyDesign)
        /// The card and the grade bands (quartiles of the training rows' points).
        case scorecard(Scorecard, ScoringModel.GradeBands)
    }

    public let model: ScoringModel
    /// The regression of the head (for a scorecard, on the WOE columns).
    public let regression: LogisticFit
    public let detail: Detail
    /// The head's linear predictor (event log-odds) for every row of the data, as `onecheck score` computes it.
    public let linearPredictors: [Double]
    public let warnings: [FitWarning]
}

/// `onecheck fit` as a library call: one model on the chosen rows of a data set.
public enum ModelFitting {
    /// Fits `specification` on `rows` of `data` and turns it into a scoring model that `onecheck score` reads
    /// unchanged, validated as `score` validates it (so an invalid model is never written).
    /// - Scorecard grades: A–D at the quartiles of the training rows' points (``Scoring/ScoringModel/GradeBands/pointQuantiles(of:shares:labels:)``).
    /// - Throws: the errors of ``TrainingData/fitLogistic(rows:penalty:options:)`` and
    ///   ``TrainingData/fitScorecard(rows:builder:)``, and `ModelError` should the model not validate.
    public static func fit(_ data: TrainingData, rows: [Int], specification: ModelSpecification,
                           naming: ModelNaming, modelFile: String = "model") throws -> FittedModel {
        var warnings: [FitWarning] = []
        if data.idColumn == nil { warnings.append(.noIdColumn(file: data.fileName)) }
        let model: ScoringModel, regression: LogisticFit, detail: FittedModel.Detail, linear: [Double]
        switch specification {
        case let .logistic(penalty, options):
            let (design, fit) = try data.fitLogistic(rows: rows, penalty: penalty, options: options)
            model = design.scoringModel(fit, name: naming.name, idColumn: data.modelIdColumn,
                                        headName: naming.head ?? "risk", description: naming.description)
            regression = fit
            detail = .logistic(design)
            linear = try data.linearPredictors(design: design, fit: fit)
        case let .scorecard(builder):
            let card = try data.fitScorecard(rows: rows, builder: builder)
            let bands = try ScoringModel.GradeBands.pointQuantiles(
                of: try data.linearPredictors(scorecard: card, rows: rows).map { card.scaling.points(logOdds: $0) })
            model = card.scoringModel(name: naming.name, idColumn: data.modelIdColumn,
                                      headName: naming.head ?? "credit", grades: bands, description: naming.description)
            regression = card.model
            detail = .scorecard(card, bands)
            linear = try data.linearPredictors(scorecard: card)
            if !card.negativeCoefficients.isEmpty { warnings.append(.negativeScorecardCoefficients(card.negativeCoefficients)) }
            if !card.heldAtZero.isEmpty { warnings.append(.heldAtZero(card.heldAtZero)) }
        }
        _ = try CompiledModel(model, file: modelFile)
        return FittedModel(model: model, regression: regression, detail: detail, linearPredictors: linear,
                           warnings: warnings)
    }
}
