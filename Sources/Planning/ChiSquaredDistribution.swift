import Foundation

/// The chi-squared distribution with `k` degrees of freedom, for goodness-of-fit checks of designs.
///
/// The CDF is the regularised lower incomplete gamma function `P(k/2, x/2)`, evaluated by its power
/// series for `x < a + 1` and by the Lentz continued fraction for `Q = 1 − P` otherwise (each to
/// relative accuracy ~1e-15). The quantile inverts the CDF by bisection on a bracket grown from the
/// mean, to 1e-12 relative accuracy — a proper inverse, not the Wilson–Hilferty approximation.
public struct ChiSquaredDistribution: Sendable, Equatable {
    /// Degrees of freedom, `k > 0`.
    public let degreesOfFreedom: Double

    public init(degreesOfFreedom: Double) {
        precondition(degreesOfFreedom > 0, "degrees of freedom must be positive")
        self.degreesOfFreedom = degreesOfFreedom
    }

    /// `P(X ≤ x)`.
    public func cumulativeProbability(_ x: Double) -> Double {
        guard x > 0 else { return 0 }
        return Self.regularisedLowerGamma(a: degreesOfFreedom / 2, x: x / 2)
    }

    /// `P(X > x)`, accurate in the far tail.
    public func survivalProbability(_ x: Double) -> Double {
        guard x > 0 else { return 1 }
        return Self.regularisedUpperGamma(a: degreesOfFreedom / 2, x: x / 2)
    }

    /// The `p`-quantile: the `x` with `P(X ≤ x) = p`, for `0 < p < 1`.
    public func quantile(_ p: Double) -> Double {
        precondition(p > 0 && p < 1, "probability must be in (0, 1)")
        var low = 0.0
        var high = max(1, degreesOfFreedom)
        while cumulativeProbability(high) < p { low = high; high *= 2 }
        for _ in 0..<200 {
            let middle = 0.5 * (low + high)
            if cumulativeProbability(middle) < p { low = middle } else { high = middle }
            if high - low <= 1e-12 * high { break }
        }
        return 0.5 * (low + high)
    }

    // MARK: Incomplete gamma

    static func regularisedLowerGamma(a: Double, x: Double) -> Double {
        x < a + 1 ? series(a: a, x: x) : 1 - continuedFraction(a: a, x: x)
    }

    static func regularisedUpperGamma(a: Double, x: Double) -> Double {
        x < a + 1 ? 1 - series(a: a, x: x) : continuedFraction(a: a, x: x)
    }

    /// `P(a, x) = e^{−x} x^a / Γ(a) · Σ_n x^n / (a (a+1) ⋯ (a+n))`.
    private static func series(a: Double, x: Double) -> Double {
        var term = 1 / a, sum = term, denominator = a
        for _ in 0..<10_000 {
            denominator += 1
            term *= x / denominator
            sum += term
            if abs(term) < abs(sum) * 1e-17 { break }
        }
        return sum * exp(-x + a * log(x) - lgamma(a))
    }

    /// `Q(a, x)` by the modified Lentz evaluation of its continued fraction.
    private static func continuedFraction(a: Double, x: Double) -> Double {
        let tiny = 1e-300
        var b = x + 1 - a
        var c = 1 / tiny
        var d = 1 / b
        var h = d
        for i in 1..<10_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return exp(-x + a * log(x) - lgamma(a)) * h
    }
}
