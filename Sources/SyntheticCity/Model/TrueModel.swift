import Scoring
import Supervision

/// The known model the synthetic city is drawn from: for every department a logistic *risk head* (the probability
/// that a check by that department finds a problem) and one logistic *credit head* (the probability of a serious
/// credit event — a heavy penalty or listing as seriously dishonest — within twelve months).
///
/// Each head is `logit p = intercept + Σ_c weight_c · x_c` over the design columns of ``designColumns``: per
/// feature of ``FeatureSpec/all`` its standardised value `(t − mean)/std` with `t = log1p(x)` or `x` (means and
/// standard deviations from ``FeatureSpec/populationMoments()``, missing values imputed with the population mean),
/// plus a 0/1 `name:missing` column for features that can be missing. This is exactly what
/// ``scoringModel()`` writes as a ``ScoringModel``, so fitting the history with that design can be checked
/// against ``heads``.
///
/// Weights follow a simple story: a risk head weighs a feature by its ``FeatureSpec/risk`` times the department's
/// focus on the feature's element (focus normalised to mean 1; credit and history features count fully) times
/// ``riskWeightScale``, rounded to three decimals. All constants are rounded (moments to six significant digits) so
/// the model file is readable and its bytes do not depend on the last bit of any arithmetic.
public struct TrueModel: Sendable {
    /// One feature's compiled transform.
    public struct Column: Sendable {
        public var feature: FeatureSpec
        /// Imputed raw value for a missing field (the population mean, six significant digits).
        public var imputeValue: Double?
        public var mean: Double
        public var std: Double
    }

    /// One head: name, department (nil for credit), intercept and weights aligned with ``designColumns``.
    public struct HeadSpec: Sendable {
        public var name: String
        public var department: DepartmentCode?
        public var intercept: Double
        public var weights: [Double]
    }

    public let columns: [Column]
    public let designColumns: [String]
    public let heads: [HeadSpec]

    /// The model's name in its JSON.
    public static let name = "synthetic-city-true-model"

    /// Per department: the intercept of its risk head.
    public static let riskIntercepts: [DepartmentCode: Double] = [
        "market": -1.7, "fire": -1.3, "environment": -1.6, "health": -1.8,
        "emergency": -1.2, "urban": -1.4, "construction": -1.0, "education": -1.9,
    ]
    public static let creditIntercept = -3.2
    /// Overall strength of the risk heads: ``FeatureSpec/risk`` times this, so that a head's linear predictor has a
    /// population standard deviation of about 1.1 (a realistic, clearly imperfect ranking), not about 2.2.
    public static let riskWeightScale = 0.5

    /// The one true model, built once per process (deterministically: the population moments of every feature).
    public static let standard = TrueModel()

    private init() {
        var columns: [Column] = []
        var design: [String] = []
        for f in FeatureSpec.all {
            let m = f.populationMoments()
            let impute = f.missingRate > 0 ? Self.significant(m.rawMean) : nil
            columns.append(Column(feature: f, imputeValue: impute, mean: Self.significant(m.mean),
                                  std: Self.significant(m.std)))
            design.append(f.name)
            if f.missingRate > 0 { design.append("\(f.name):missing") }
        }
        self.columns = columns
        self.designColumns = design

        var heads: [HeadSpec] = []
        for profile in DepartmentProfile.city {
            let d = profile.department
            let focus = profile.normalisedFocus
            var w: [Double] = []
            for f in FeatureSpec.all {
                let scale = f.element.map { focus[Element.allCases.firstIndex(of: $0)!] } ?? 1
                w.append(Self.thousandths(Self.riskWeightScale * f.risk * scale))
                if f.missingRate > 0 { w.append(Self.thousandths(Self.riskWeightScale * (FeatureSpec.missingIndicatorRisk[f.name] ?? 0))) }
            }
            heads.append(HeadSpec(name: d.riskHead, department: d.code, intercept: Self.riskIntercepts[d.code]!,
                                  weights: w))
        }
        var credit: [Double] = []
        for f in FeatureSpec.all {
            credit.append(f.credit)
            if f.missingRate > 0 { credit.append(0) }
        }
        heads.append(HeadSpec(name: "credit", department: nil, intercept: Self.creditIntercept, weights: credit))
        self.heads = heads
    }

    /// The head index of a department's risk head (heads are in ``CityCatalogue/departments`` order, credit last).
    public static func riskHeadIndex(department: Int) -> Int { department }
    public var creditHeadIndex: Int { heads.count - 1 }

    // MARK: Rounding of published constants

    static func thousandths(_ x: Double) -> Double { (x * 1000).rounded(.toNearestOrEven) / 1000 }

    /// `x` rounded to six significant digits (decimal), computed with exact powers of ten.
    static func significant(_ x: Double, digits: Int = 6) -> Double {
        guard x != 0, x.isFinite else { return x }
        var magnitude = 0 // number of digits before the point, possibly negative
        var a = Swift.abs(x)
        while a >= 1 { a /= 10; magnitude += 1 }
        while a < 0.1 { a *= 10; magnitude -= 1 }
        let shift = digits - magnitude
        if shift >= 0 {
            let p = CityMath.powerOfTen(shift)
            return (x * p).rounded(.toNearestOrEven) / p
        } else {
            let p = CityMath.powerOfTen(-shift)
            return (x / p).rounded(.toNearestOrEven) * p
        }
    }
}

extension TrueModel {
    /// The model as a ``ScoringModel`` (features, one logistic head per department plus credit; no points or grades).
    public func scoringModel() -> ScoringModel {
        var features: [ScoringModel.Feature] = []
        for c in columns {
            let f = c.feature
            let hasMissing = f.missingRate > 0
            let numeric = ScoringModel.NumericTransform(
                log1p: f.log1p ? true : nil, mean: c.mean, std: c.std,
                missing: hasMissing ? .impute : .error, imputeValue: c.imputeValue,
                indicator: hasMissing ? true : nil)
            features.append(ScoringModel.Feature(name: f.name, element: f.element?.rawValue, numeric: numeric))
        }
        var heads: [ScoringModel.Head] = []
        for h in self.heads {
            var weights: [String: Double] = [:]
            for (name, w) in zip(designColumns, h.weights) { weights[name] = w }
            heads.append(ScoringModel.Head(name: h.name, department: h.department?.rawValue, link: .logistic,
                                           intercept: h.intercept, weights: weights))
        }
        return ScoringModel(
            name: Self.name,
            description: "The known model the synthetic city (onecheck generate) draws its inspection history and "
                + "credit events from: one risk head per department (probability that a check finds a problem) and a "
                + "credit head (probability of a serious credit event within 12 months). Standardisation constants "
                + "are population moments of the generating formula, not estimates.",
            idColumn: "entity_id", features: features, heads: heads)
    }
}
