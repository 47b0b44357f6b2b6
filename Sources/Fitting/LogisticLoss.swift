#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Numerically stable pieces of the logistic log-likelihood.
///
/// For a linear predictor `η`, the model probability is `σ(η) = 1 / (1 + e^{−η})` and the loss of one
/// observation with outcome `y ∈ {0, 1}` is `ℓ(y, η) = log(1 + e^η) − y·η = softplus(η) − y·η`.
/// Evaluated naively, `log(1 + exp(η))` overflows for `η > 709` and loses every digit for `η < −37`;
/// the forms below are exact to rounding over the whole double range.
public enum LogisticLoss {
    /// `log(1 + e^x)` without overflow: `x + log1p(e^{−x})` for `x > 0`, `log1p(e^x)` otherwise.
    @inline(__always)
    public static func softplus(_ x: Double) -> Double {
        x > 0 ? x + log1p(exp(-x)) : log1p(exp(x))
    }

    /// `σ(x) = 1 / (1 + e^{−x})`, computed from the side where `exp` cannot overflow.
    @inline(__always)
    public static func sigmoid(_ x: Double) -> Double {
        if x >= 0 { return 1 / (1 + exp(-x)) }
        let e = exp(x)
        return e / (1 + e)
    }

    /// The loss `ℓ(y, η) = −log P(Y = y | η)`, for `y` 0 or 1: `softplus(η)` when `y = 0`, `softplus(−η)` when
    /// `y = 1`. Written this way no cancellation occurs between `softplus(η)` and `y·η`.
    @inline(__always)
    public static func loss(outcome y: Double, linearPredictor eta: Double) -> Double {
        y > 0.5 ? softplus(-eta) : softplus(eta)
    }

    /// `logit(p) = log(p / (1 − p))`.
    @inline(__always)
    public static func logit(_ p: Double) -> Double { log(p) - log1p(-p) }
}

/// Neumaier's compensated sum: the objective is compared between line-search steps whose differences can be
/// far below the rounding error of a plain running sum over a million terms.
struct CompensatedSum {
    private(set) var sum = 0.0
    private var compensation = 0.0

    @inline(__always)
    mutating func add(_ x: Double) {
        let t = sum + x
        if abs(sum) >= abs(x) { compensation += (sum - t) + x } else { compensation += (x - t) + sum }
        sum = t
    }

    var value: Double { sum + compensation }
}
