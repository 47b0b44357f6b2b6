#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Metrics {
    /// The mean negative log-likelihood `−(1/n)·Σ [yᵢ log pᵢ + (1 − yᵢ) log(1 − pᵢ)]`.
    ///
    /// Probabilities are not clipped: a confident mistake (`p = 0` for an event) gives `+∞`, as it should.
    /// For model scores on the log-odds scale, prefer ``logLoss(linearPredictors:outcomes:)``, which is exact
    /// even where `p` rounds to 0 or 1.
    /// - Throws: ``MetricsError/probabilityOutOfRange(index:value:)`` for `p ∉ [0, 1]`.
    public static func logLoss(probabilities: [Double], outcomes: [Double]) throws -> Double {
        try validate(probabilities, outcomes, needBothClasses: false)
        var sum = 0.0
        for i in probabilities.indices {
            let p = probabilities[i]
            guard p >= 0, p <= 1 else { throw MetricsError.probabilityOutOfRange(index: i, value: p) }
            sum -= outcomes[i] == 1 ? log(p) : log1p(-p)
        }
        return sum / Double(probabilities.count)
    }

    /// Log loss from linear predictors `ηᵢ = logit(pᵢ)`, using the stable ``LogisticLoss/loss(outcome:linearPredictor:)``.
    public static func logLoss(linearPredictors: [Double], outcomes: [Double]) throws -> Double {
        try validate(linearPredictors, outcomes, needBothClasses: false)
        var sum = 0.0
        for i in linearPredictors.indices {
            sum += LogisticLoss.loss(outcome: outcomes[i], linearPredictor: linearPredictors[i])
        }
        return sum / Double(linearPredictors.count)
    }

    /// The Brier score `(1/n)·Σ (pᵢ − yᵢ)²` (0 is perfect, 0.25 is a constant ½).
    public static func brier(probabilities: [Double], outcomes: [Double]) throws -> Double {
        try validate(probabilities, outcomes, needBothClasses: false)
        var sum = 0.0
        for i in probabilities.indices {
            let p = probabilities[i]
            guard p >= 0, p <= 1 else { throw MetricsError.probabilityOutOfRange(index: i, value: p) }
            sum += (p - outcomes[i]) * (p - outcomes[i])
        }
        return sum / Double(probabilities.count)
    }
}
