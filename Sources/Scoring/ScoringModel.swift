/// A scoring model file: feature transforms, one or more score heads, points scaling, grade bands and the
/// combined supervision class. Serialised as JSON (schema documented in `models/MODEL_FORMAT.md`).
///
/// The model turns one input row into a *design row* (one value per design column, in ``designColumns`` order),
/// and every head is a linear function of that design row: `score = intercept + Σ weight[c]·x[c]`.
/// Loading with ``ScoringModel/load(from:)`` decodes and validates; a model that loads always scores.
public struct ScoringModel: Codable, Equatable, Sendable {
    /// The file format tag; always ``ScoringModel/formatTag``.
    public var format: String
    /// The schema version this file was written for. Readers refuse versions newer than theirs.
    public var schemaVersion: Int
    public var name: String
    public var description: String?
    /// The input column holding the entity id (copied to the output, must be unique).
    public var idColumn: String
    public var features: [Feature]
    public var heads: [Head]
    public var supervisionClass: SupervisionClassRule?

    /// The keys of the file's top level; the loader refuses any other (see ``ModelKeySchema``).
    enum CodingKeys: String, CodingKey, CaseIterable {
        case format, schemaVersion, name, description, idColumn, features, heads, supervisionClass
    }

    public static let formatTag = "onecheck-model"
    /// The newest schema version this build reads and writes.
    ///
    /// Version 2 adds the numeric training range (`trainingMin`, `trainingMax`). A file is written with the lowest
    /// version that holds its contents (``requiredSchemaVersion``), so a model without the addition stays readable
    /// by builds that read version 1 only; a version 1 file that uses the addition is refused.
    public static let currentSchemaVersion = 2

    /// The lowest schema version that can hold this model: 2 when a numeric feature has a training range, else 1.
    public var requiredSchemaVersion: Int {
        features.contains { $0.numeric?.hasTrainingRange == true } ? 2 : 1
    }

    public init(name: String, description: String? = nil, idColumn: String, features: [Feature], heads: [Head],
                supervisionClass: SupervisionClassRule? = nil) {
        self.format = Self.formatTag
        self.schemaVersion = 1
        self.name = name
        self.description = description
        self.idColumn = idColumn
        self.features = features
        self.heads = heads
        self.supervisionClass = supervisionClass
        self.schemaVersion = requiredSchemaVersion
    }
}

// MARK: - Features

extension ScoringModel {
    /// One input column and how it becomes one or more design columns.
    public struct Feature: Codable, Equatable, Sendable {
        /// The feature name; design columns are named after it (see ``ScoringModel/designColumns``).
        public var name: String
        /// The input column; defaults to ``name``.
        public var column: String?
        /// The business element the feature belongs to (people, equipment, environment, rules, product), if any.
        public var element: String?
        public var numeric: NumericTransform?
        public var categorical: CategoricalTransform?
        public var binned: BinnedTransform?

        enum CodingKeys: String, CodingKey, CaseIterable { case name, column, element, numeric, categorical, binned }

        public var inputColumn: String { column ?? name }

        public init(name: String, column: String? = nil, element: String? = nil, numeric: NumericTransform) {
            self.name = name; self.column = column; self.element = element; self.numeric = numeric
        }
        public init(name: String, column: String? = nil, element: String? = nil, categorical: CategoricalTransform) {
            self.name = name; self.column = column; self.element = element; self.categorical = categorical
        }
        public init(name: String, column: String? = nil, element: String? = nil, binned: BinnedTransform) {
            self.name = name; self.column = column; self.element = element; self.binned = binned
        }
    }

    /// What to do with an empty (missing) numeric value.
    public enum MissingPolicy: String, Codable, Sendable {
        /// A missing value is an input error.
        case error
        /// Replace by ``NumericTransform/imputeValue`` (in raw units, before the other steps).
        case impute
    }

    /// A numeric column: `x → standardise(clip(log1p?(x)))`, in that order, with a missing-value policy.
    ///
    /// - `log1p` requires `x > −1` (else an input error); it tames right-skewed counts and amounts.
    /// - `clip` bounds the (possibly log-transformed) value to `[min, max]`, either bound optional.
    /// - `standardise` maps `v → (v − mean) / std`, `std > 0`.
    /// - Missing values follow ``missing``; with `indicator`, an extra 0/1 design column `name:missing` is added.
    /// - NaN and ±Inf are input errors unless `nonFiniteAsMissing` is set, in which case they count as missing.
    public struct NumericTransform: Codable, Equatable, Sendable {
        enum CodingKeys: String, CodingKey, CaseIterable {
            case log1p, clipMin, clipMax, mean, std, missing, imputeValue, indicator, nonFiniteAsMissing
            case trainingMin, trainingMax
        }

        public var log1p: Bool?
        public var clipMin: Double?
        public var clipMax: Double?
        public var mean: Double?
        public var std: Double?
        public var missing: MissingPolicy?
        public var imputeValue: Double?
        public var indicator: Bool?
        public var nonFiniteAsMissing: Bool?
        /// The smallest and largest present (non-missing) raw value of the training rows (schema version 2; both
        /// or neither). Reasons (``ReasonRanking``) take the head's most favourable contribution from them; they
        /// play no part in scoring.
        public var trainingMin: Double?
        public var trainingMax: Double?

        public init(log1p: Bool? = nil, clipMin: Double? = nil, clipMax: Double? = nil, mean: Double? = nil,
                    std: Double? = nil, missing: MissingPolicy? = nil, imputeValue: Double? = nil,
                    indicator: Bool? = nil, nonFiniteAsMissing: Bool? = nil, trainingMin: Double? = nil,
                    trainingMax: Double? = nil) {
            self.log1p = log1p; self.clipMin = clipMin; self.clipMax = clipMax; self.mean = mean; self.std = std
            self.missing = missing; self.imputeValue = imputeValue; self.indicator = indicator
            self.nonFiniteAsMissing = nonFiniteAsMissing
            self.trainingMin = trainingMin; self.trainingMax = trainingMax
        }

        /// Whether the transform carries the training range (a schema version 2 addition).
        public var hasTrainingRange: Bool { trainingMin != nil || trainingMax != nil }
    }

    /// How categorical levels become design columns.
    public enum CategoricalEncoding: String, Codable, Sendable {
        /// One 0/1 column per listed level except ``CategoricalTransform/reference`` (dropped, all zeros).
        case oneHot = "one-hot"
        /// One column holding the level's weight of evidence.
        case woe
    }

    /// What an input level not listed in the model becomes.
    public enum UnseenPolicy: String, Codable, Sendable {
        /// An unseen level is an input error.
        case error
        /// One-hot: the extra design column `name=(unseen)`; WOE: ``CategoricalTransform/unseenWoe``.
        case bin
    }

    /// A categorical column. An empty field is the level `""`; list it to give missing values their own level.
    public struct CategoricalTransform: Codable, Equatable, Sendable {
        enum CodingKeys: String, CodingKey, CaseIterable { case encoding, levels, reference, woe, unseen, unseenWoe }

        public var encoding: CategoricalEncoding
        /// The known levels, in design-column order (one-hot) or matching ``woe`` (WOE).
        public var levels: [String]
        /// One-hot only: the level with no column (its effect is in the intercept).
        public var reference: String?
        /// WOE only: the weight of evidence of each level, aligned with ``levels``.
        public var woe: [Double]?
        public var unseen: UnseenPolicy?
        /// WOE only: the value used for unseen levels when ``unseen`` is `.bin` (default 0, i.e. no evidence).
        public var unseenWoe: Double?

        public init(encoding: CategoricalEncoding, levels: [String], reference: String? = nil, woe: [Double]? = nil,
                    unseen: UnseenPolicy? = nil, unseenWoe: Double? = nil) {
            self.encoding = encoding; self.levels = levels; self.reference = reference; self.woe = woe
            self.unseen = unseen; self.unseenWoe = unseenWoe
        }
    }

    /// A numeric column cut into bins, each bin mapped to its weight of evidence (one design column `name:woe`).
    ///
    /// With cut points `c₁ < c₂ < … < c_k`, bin 0 is `x < c₁`, bin i is `cᵢ ≤ x < cᵢ₊₁`, bin k is `x ≥ c_k`,
    /// so ``woe`` has `k + 1` entries. Missing values take ``missingWoe`` (an error when it is absent).
    public struct BinnedTransform: Codable, Equatable, Sendable {
        enum CodingKeys: String, CodingKey, CaseIterable { case cuts, woe, missingWoe }

        public var cuts: [Double]
        public var woe: [Double]
        public var missingWoe: Double?

        public init(cuts: [Double], woe: [Double], missingWoe: Double? = nil) {
            self.cuts = cuts; self.woe = woe; self.missingWoe = missingWoe
        }
    }
}

// MARK: - Heads, points, grades, class

extension ScoringModel {
    /// How a head's linear score becomes its output value.
    public enum Link: String, Codable, Sendable {
        /// `p = 1 / (1 + e^(−score))`: the score is log-odds of a problem (a bad outcome).
        case logistic
        /// The score is used as is (no probability).
        case identity
    }

    /// One score: a linear function of the design row.
    public struct Head: Codable, Equatable, Sendable {
        enum CodingKeys: String, CodingKey, CaseIterable { case name, department, link, intercept, weights, points, grades }

        /// e.g. `credit`, `risk_fire`. Output columns are prefixed with it.
        public var name: String
        /// The department this head measures risk for, if any.
        public var department: String?
        public var link: Link
        public var intercept: Double
        /// Weight per design column, keyed by design-column name. Every design column needs a weight (use 0).
        public var weights: [String: Double]
        public var points: PointsScaling?
        public var grades: GradeBands?

        public init(name: String, department: String? = nil, link: Link, intercept: Double,
                    weights: [String: Double], points: PointsScaling? = nil, grades: GradeBands? = nil) {
            self.name = name; self.department = department; self.link = link; self.intercept = intercept
            self.weights = weights; self.points = points; self.grades = grades
        }
    }

    /// Scorecard points: `points = offset − factor · logOdds`, where `factor = pointsToDoubleOdds / ln 2` and
    /// `offset = basePoints − factor · ln(baseOdds)`.
    ///
    /// With `logOdds` the head's score (log-odds of a problem), good:bad odds are `e^(−logOdds)`, so
    /// `points = offset + factor · ln(good:bad odds)`. `baseOdds` are good:bad odds (50 means 50:1): an entity at
    /// those odds scores `basePoints`, and every `pointsToDoubleOdds` more points double its good:bad odds
    /// (halve its odds of a problem). Higher is better.
    public struct PointsScaling: Codable, Equatable, Sendable {
        enum CodingKeys: String, CodingKey, CaseIterable { case basePoints, baseOdds, pointsToDoubleOdds }

        public var basePoints: Double
        public var baseOdds: Double
        public var pointsToDoubleOdds: Double

        public init(basePoints: Double, baseOdds: Double, pointsToDoubleOdds: Double) {
            self.basePoints = basePoints; self.baseOdds = baseOdds; self.pointsToDoubleOdds = pointsToDoubleOdds
        }

        /// The conventional scale: 600 points at 50:1 good:bad odds, 20 points to double them.
        public static let conventional = PointsScaling(basePoints: 600, baseOdds: 50, pointsToDoubleOdds: 20)

        public var factor: Double { pointsToDoubleOdds / 0.693_147_180_559_945_3 }
        public var offset: Double { basePoints - factor * _log(baseOdds) }

        /// The points of the event log-odds `logOdds`: `offset − factor · logOdds`.
        public func points(logOdds: Double) -> Double { offset - factor * logOdds }
        /// The event log-odds of `points` (the inverse of ``points(logOdds:)``).
        public func logOdds(points: Double) -> Double { (offset - points) / factor }
    }

    /// What grade bands are cut on.
    public enum GradeMeasure: String, Codable, Sendable {
        /// Probability of a problem, ascending cut points: `p < cuts[0]` is grade A (lowest risk).
        case probability
        /// The linear score, ascending cut points, like probability.
        case score
        /// Scorecard points, *descending* cut points: `points ≥ cuts[0]` is grade A.
        case points
    }

    /// Grade bands A–D (or any labels): `labels.count == cuts.count + 1`, labels from lowest to highest risk.
    public struct GradeBands: Codable, Equatable, Sendable {
        enum CodingKeys: String, CodingKey, CaseIterable { case measure, cuts, labels }

        public var measure: GradeMeasure
        public var cuts: [Double]
        public var labels: [String]?

        public init(measure: GradeMeasure, cuts: [Double], labels: [String]? = nil) {
            self.measure = measure; self.cuts = cuts; self.labels = labels
        }

        public static let defaultLabels = ["A", "B", "C", "D"]
        public var resolvedLabels: [String] { labels ?? Self.defaultLabels }

        /// The label of the band holding a head's value on ``measure`` (the score, probability or points, as
        /// the measure names), by the rule `score` applies (``HeadOutput/gradeIndex(score:probability:points:)``):
        /// a value equal to a cut point belongs to the higher-risk band.
        /// - Precondition: the bands are valid (as model validation requires).
        public func label(of value: Double) -> String {
            let index = cuts.withUnsafeBufferPointer {
                HeadOutput.gradeIndex(measure, cuts: $0, score: value, probability: value, points: value)
            }
            return resolvedLabels[index]
        }
    }

    /// The combined supervision class of an entity, from its heads' grades.
    public struct SupervisionClassRule: Codable, Equatable, Sendable {
        enum CodingKeys: String, CodingKey, CaseIterable { case rule, heads }

        public enum Rule: String, Codable, Sendable {
            /// The highest-risk grade among ``heads`` (grades compared by their position in the label list).
            case worst
            /// The grade of the single head ``heads[0]``.
            case head
        }
        public var rule: Rule
        public var heads: [String]

        public init(rule: Rule, heads: [String]) { self.rule = rule; self.heads = heads }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@inline(__always) func _log(_ x: Double) -> Double { log(x) }
