#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Pareto πps order sampling (Rosén 1997) on permanent random numbers: a fixed-size design whose units are ranked
/// by a value computed from their own uniform number, so that designs sharing the numbers overlap as much as their
/// targets allow.
///
/// Unit `i` with target `λ_i ∈ (0, 1)` and number `u_i ∈ [0, 1)` has the ranking value
///
///     Q_i = [u_i / (1 − u_i)] / [λ_i / (1 − λ_i)],
///
/// and the sample is the `n` units with the smallest `Q` (`n = Σ λ`). A unit with `λ_i = 1` ranks first (`Q = 0`);
/// a unit with `λ_i = 0` is never drawn. A unit may also carry an *eligibility bound* `b_i`: it is drawn only when
/// `u_i < b_i` (the yearly caps: a unit eligible only while its number lies in `[0, c/4)` is drawn in at most `c`
/// quarters of a year); with fewer eligible units than `n`, all eligible units are drawn.
///
/// The design's inclusion probabilities are close to the targets but not equal to them; ``inclusionProbabilities(targets:bounds:sampleSize:)``
/// computes them exactly, so that Horvitz–Thompson estimates weighted by `1/π` stay unbiased.
public enum ParetoSampling {
    /// `Q_i` (see the type's documentation); `+∞` for a unit that cannot be drawn.
    @inline(__always)
    public static func rankingValue(position u: Double, target lambda: Double, bound: Double = 1) -> Double {
        guard lambda > 0, u < bound else { return .infinity }
        if lambda >= 1 { return 0 }
        return (u / (1 - u)) * ((1 - lambda) / lambda)
    }

    /// The drawn units: the `sampleSize` smallest finite ranking values, ties broken by the smaller index.
    /// - Returns: indices into `targets`, ascending.
    /// - Complexity: O(N log N).
    public static func select(targets: [Double], positions: [Double], bounds: [Double]? = nil, sampleSize: Int) -> [Int] {
        precondition(targets.count == positions.count && (bounds?.count ?? targets.count) == targets.count,
                     "one target, position and bound per unit")
        var ranked: [(q: Double, index: Int)] = []
        ranked.reserveCapacity(targets.count)
        for i in targets.indices {
            let q = rankingValue(position: positions[i], target: targets[i], bound: bounds?[i] ?? 1)
            if q.isFinite { ranked.append((q, i)) }
        }
        ranked.sort { $0.q != $1.q ? $0.q < $1.q : $0.index < $1.index }
        return ranked.prefix(Swift.max(0, sampleSize)).map(\.index).sorted()
    }

    /// The exact first-order inclusion probabilities of the design (Aires' formula):
    ///
    ///     π_i = ∫₀^∞ P(fewer than n of the other units have Q_j ≤ t) dF_i(t),   F_i(t) = P(Q_i ≤ t) = min(p_i(t), b_i),
    ///
    /// with `p_i(t) = tθ_i / (1 + tθ_i)` and `θ_i = λ_i / (1 − λ_i)`.
    ///
    /// How it is computed: the count of units with `Q ≤ t` is a Poisson–binomial variable whose terms have odds
    /// `tθ_j`, so one recursion over the units at `t = 1` gives its distribution for every `t` by exponential tilting
    /// (``PoissonBinomialWindow``). The integral runs over the band of `log t` where the count crosses `n` (beyond
    /// it the integrand is 0 or 1 to within 1e-15), with composite 16-point Gauss–Legendre panels at most ½ wide in
    /// `log t` (at least four: 64 nodes for a large stratum, whose band is narrow); "the other units" are
    /// obtained from the full count by deconvolving unit `i`'s own term with an alternating series (stable: forward
    /// for `p ≤ ½`, backward otherwise). Units whose eligibility bound can bind inside the band, and certainty units
    /// with a bound, are added to the count explicitly at each node and integrated on their own nodes up to the
    /// bound's kink. The result is exact to about 1e-12.
    ///
    /// - Parameters:
    ///   - targets: `λ_i ∈ [0, 1]`.
    ///   - bounds: `b_i ∈ [0, 1]` (nil: no unit is bounded).
    ///   - sampleSize: `n`, normally `Σ λ_i` rounded.
    /// - Complexity: O(N · W + G · (W + N · m)), with G the quadrature nodes (64 for large strata), where `W ≈ 70 sd(count)` is the width of the count's window and
    ///   `m` the terms of each deconvolution series (about `40 / |log₁₀ r|` for odds ratio `r`; a few for small λ).
    public static func inclusionProbabilities(targets: [Double], bounds: [Double]? = nil, sampleSize: Int) -> [Double] {
        inclusionProbabilities(targets: targets, bounds: bounds, size: SampleSizeLaw(exactly: sampleSize))
    }

    /// The exact first-order inclusion probabilities when the sample size itself is random (``SampleSizeLaw``:
    /// randomised rounding, the coin independent of the units' numbers): the mixture
    /// `π_i = (1 − f) π_i(n) + f π_i(n + 1)`.
    ///
    /// It is computed as one integral, not two: `P(K₋ᵢ ≤ n − 1)` enters the integrand linearly, so the mixture
    /// of the two sizes is the same computation on the mixed cumulative distribution `(1 − f) P(K ≤ k) +
    /// f P(K ≤ k + 1)` of the count, over the union of the two sizes' bands. With `f = 0` it is the computation
    /// above, bit for bit.
    public static func inclusionProbabilities(targets: [Double], bounds: [Double]? = nil, size: SampleSizeLaw) -> [Double] {
        ParetoInclusion(targets: targets, bounds: bounds ?? Array(repeating: 1, count: targets.count),
                        sampleSize: size.lower, upperProbability: size.upperProbability).solve()
    }
}

/// One evaluation of ``ParetoSampling/inclusionProbabilities(targets:bounds:sampleSize:)``.
struct ParetoInclusion {
    let targets: [Double]
    let bounds: [Double]
    /// The smaller sample size `n`.
    let sampleSize: Int
    /// The probability `f` that the sample has `n + 1` units.
    let upperProbability: Double
    static let rule = GaussLegendre(nodes: 16)

    /// Composite Gauss–Legendre nodes on `[a, b]`: panels at most ½ wide in `log t` (the scale on which the
    /// logistic terms change), at least four, split further at `breaks` (the kinks of bounded units, where the
    /// integrand's derivative jumps).
    static func nodes(_ a: Double, _ b: Double, breaks: [Double] = []) -> [(x: Double, weight: Double)] {
        guard b > a else { return [] }
        let panels = Swift.max(4, Int(((b - a) / 0.5).rounded(.up)))
        let width = (b - a) / Double(panels)
        var ends = (0...panels).map { a + Double($0) * width }
        ends += breaks.filter { $0 > a && $0 < b }
        ends.sort()
        return zip(ends, ends.dropFirst()).flatMap { lo, hi in hi > lo ? rule.on(lo, hi) : [] }
    }
    /// Probability below which a tail is treated as empty.
    static let negligible = 1e-17

    /// How a unit enters the count of units with `Q ≤ t`.
    enum Role { case absent, certain, tilted, explicit }

    init(targets: [Double], bounds: [Double], sampleSize: Int, upperProbability: Double = 0) {
        precondition(targets.count == bounds.count, "one bound per target")
        precondition(upperProbability >= 0 && upperProbability < 1, "f in [0, 1)")
        self.targets = targets
        self.bounds = bounds.map { Swift.min(1, Swift.max(0, $0)) }
        self.sampleSize = sampleSize
        self.upperProbability = upperProbability
    }

    /// The cumulative distribution the integrand reads, `H(k)` on counts from `lower`: the count's own
    /// `P(K ≤ k)` for an exact size, else the mixture `(1 − f) P(K ≤ k) + f P(K ≤ k + 1)`, one count wider below.
    func mixedCumulative(_ window: PoissonBinomialWindow) -> (cdf: [Double], lower: Int) {
        let cdf = window.cumulative
        let f = upperProbability
        guard f > 0 else { return (cdf, window.lower) }
        var mixed = [Double](repeating: 0, count: cdf.count + 1)
        mixed[0] = f * cdf[0]
        for j in 1..<cdf.count { mixed[j] = (1 - f) * cdf[j - 1] + f * cdf[j] }
        mixed[cdf.count] = (1 - f) * cdf[cdf.count - 1] + f
        return (mixed, window.lower - 1)
    }

    func odds(_ i: Int) -> Double { targets[i] / (1 - targets[i]) }

    /// `F_i(e^x)`.
    func distribution(_ i: Int, at x: Double) -> Double {
        if targets[i] >= 1 { return bounds[i] }
        let a = odds(i) * exp(x)
        return Swift.min(a / (1 + a), bounds[i])
    }

    /// `dF_i/dx` at `x` (0 once the bound binds).
    func density(_ i: Int, at x: Double) -> Double {
        if targets[i] >= 1 { return 0 }
        let a = odds(i) * exp(x)
        let p = a / (1 + a)
        return p < bounds[i] ? p * (1 - p) : 0
    }

    /// `log` of the odds at which unit `i`'s bound binds (`+∞` for none).
    func kink(_ i: Int) -> Double {
        guard bounds[i] < 1, targets[i] < 1 else { return .infinity }
        return log(bounds[i] / (1 - bounds[i]) / odds(i))
    }

    func solve() -> [Double] {
        let n = targets.count
        var pi = [Double](repeating: 0, count: n)
        var roles = [Role](repeating: .absent, count: n)
        var remaining = sampleSize
        for i in 0..<n {
            if targets[i] <= 0 || bounds[i] <= 0 {
                roles[i] = .absent
            } else if targets[i] >= 1 && bounds[i] >= 1 {
                roles[i] = .certain
                pi[i] = 1
                remaining -= 1
            } else if targets[i] >= 1 {
                roles[i] = .explicit
            } else {
                roles[i] = .tilted
            }
        }
        let candidates = (0..<n).filter { roles[$0] == .tilted || roles[$0] == .explicit }
        let f = upperProbability
        let largest = f > 0 ? remaining + 1 : remaining
        if largest <= 0 { return pi }
        if candidates.count <= remaining {
            for i in candidates { pi[i] = distribution(i, at: 80) }
            return pi
        }
        if candidates.count == largest {
            // The larger size takes every eligible unit: mix the smaller size's design with "all drawn".
            let smaller = ParetoInclusion(targets: targets, bounds: bounds, sampleSize: sampleSize).solve()
            for i in candidates { pi[i] = (1 - f) * smaller[i] + f * distribution(i, at: 80) }
            return pi
        }
        // Below the band every size with remaining draws takes the unit: weight 1, or f when the smaller size has
        // none left (n = 0 apart from certainty units).
        let below = remaining >= 1 ? 1.0 : f
        /// The sizes whose band matters (at least one draw left among the candidates).
        let sizes = (remaining >= 1 ? [remaining] : []) + (f > 0 ? [remaining + 1] : [])
        // Bounded units start as tilted units and become explicit when their bound binds inside the band.
        var explicit = candidates.filter { roles[$0] == .explicit }
        var band: (lower: Double, upper: Double)
        var base: PoissonBinomialWindow
        repeat {
            let tilted = candidates.filter { roles[$0] == .tilted }
            base = PoissonBinomialWindow(tilted.map { targets[$0] })
            let bands = sizes.map { findBand(base: base, explicit: explicit, n: $0) }
            band = (bands.map(\.lower).min()!, bands.map(\.upper).max()!)
            // A unit treated as tilted must not reach its bound inside the band.
            let late = tilted.filter { kink($0) <= band.upper }
            for i in late { roles[i] = .explicit }
            explicit += late
            if late.isEmpty { break }
        } while true
        explicit.sort()
        let kinks = explicit.map(kink).filter(\.isFinite)

        // Tilted units: one set of nodes for all. With a = tθᵢ, the integrand dFᵢ/dx · P(K₋ᵢ ≤ n − 1) equals
        // a/(1+a) · Σ_m (−a)^m C_{n−1−m}(t) = Σ_{s≥1} (−1)^{s+1} θᵢ^s t^s Σ_{m<s} C_{n−1−m}(t) while a < 1, so for
        // units with θᵢ t ≤ ½ across the band, πᵢ = Fᵢ(t_lo) + Σ_s θᵢ^s B_s with stratum constants
        // B_s = (−1)^{s+1} Σ_g w_g t_g^s Σ_{m<s} C_{n−1−m}(t_g): O(s) per unit instead of O(nodes · m).
        let tilted = candidates.filter { roles[$0] == .tilted }
        let topT = exp(band.upper)
        let viaSeries = tilted.filter { odds($0) * topT <= 0.5 }
        let direct = tilted.filter { odds($0) * topT > 0.5 }
        let maxTerms = 80
        var constants = [Double](repeating: 0, count: maxTerms + 1)
        for i in tilted { pi[i] = below * distribution(i, at: band.lower) }
        for (x, weight) in Self.nodes(band.lower, band.upper, breaks: kinks) {
            let (cdf, lower) = mixedCumulative(count(base: base, explicit: explicit, at: x))
            func atMost(_ k: Int) -> Double {
                let index = k - lower
                return index < 0 ? 0 : index >= cdf.count ? 1 : cdf[index]
            }
            if !viaSeries.isEmpty {
                let t = exp(x)
                var tPower = 1.0, partial = 0.0
                for s in 1...maxTerms {
                    tPower *= t
                    partial += atMost(remaining - s)
                    constants[s] += (s % 2 == 1 ? 1 : -1) * weight * tPower * partial
                }
            }
            for i in direct {
                let d = density(i, at: x)
                if d == 0 { continue }
                pi[i] += weight * d * fewerThan(remaining, cdf: cdf, lower: lower, without: distribution(i, at: x))
            }
        }
        for i in viaSeries {
            let theta = odds(i)
            var power = 1.0, sum = 0.0
            for s in 1...maxTerms {
                power *= theta
                let term = power * constants[s]
                sum += term
                if abs(power) * Double(s) < 1e-18 { break }
            }
            pi[i] += sum
        }
        // Explicit units: their own nodes, up to the kink of their bound.
        for i in explicit {
            let end = Swift.min(band.upper, kink(i))
            pi[i] = below * distribution(i, at: Swift.min(band.lower, end))
            guard end > band.lower, targets[i] < 1 else {
                if targets[i] >= 1 {
                    // F jumps to b_i at t = 0: the count of the others then is the eligible certainty units alone.
                    let others = explicit.filter { $0 != i && targets[$0] >= 1 }.map { bounds[$0] }
                    let (cdf, lower) = mixedCumulative(PoissonBinomialWindow(others))
                    pi[i] = bounds[i] * fewerThan(remaining, cdf: cdf, lower: lower, without: 0)
                }
                continue
            }
            for (x, weight) in Self.nodes(band.lower, end, breaks: kinks) {
                let (cdf, lower) = mixedCumulative(count(base: base, explicit: explicit, at: x))
                pi[i] += weight * density(i, at: x)
                    * fewerThan(remaining, cdf: cdf, lower: lower, without: distribution(i, at: x))
            }
        }
        return pi
    }

    /// The count of units with `Q ≤ e^x`.
    func count(base: PoissonBinomialWindow, explicit: [Int], at x: Double) -> PoissonBinomialWindow {
        var window = base.tilted(by: x)
        for j in explicit { window = window.adding(distribution(j, at: x)) }
        return window
    }

    /// The band of `x = log t` outside which `P(count ≤ n − 1)` is 1 or 0 to within ``negligible``.
    ///
    /// Both tails are summed from their own end (never as `1 − cdf`, which cannot resolve 1e-17), so the band
    /// stays inside the range of tilts the count's window represents.
    func findBand(base: PoissonBinomialWindow, explicit: [Int], n: Int) -> (lower: Double, upper: Double) {
        /// P(count ≥ n) and P(count ≤ n − 1) at `x`.
        func tails(_ x: Double) -> (atLeast: Double, below: Double) {
            let window = count(base: base, explicit: explicit, at: x)
            let split = Swift.min(Swift.max(n - window.lower, 0), window.probabilities.count)
            var below = 0.0, atLeast = 0.0
            for k in 0..<split { below += window.probabilities[k] }
            for k in split..<window.probabilities.count { atLeast += window.probabilities[k] }
            return (atLeast, below)
        }
        // P(count ≥ n) grows with x and P(count ≤ n − 1) falls. Bracket each end, then bisect to 1e-9 in x.
        var low = -1.0 / 64, high = 1.0 / 64
        while tails(low).atLeast > Self.negligible && low > -60 { low *= 2 }
        while tails(high).below > Self.negligible && high < 60 { high *= 2 }
        var a = low, b = 0.0  // tails(a).atLeast ≤ negligible
        for _ in 0..<200 where b - a > 1e-9 {
            let m = (a + b) / 2
            if tails(m).atLeast <= Self.negligible { a = m } else { b = m }
        }
        let lower = a
        a = 0; b = high  // tails(b).below ≤ negligible
        for _ in 0..<200 where b - a > 1e-9 {
            let m = (a + b) / 2
            if tails(m).below <= Self.negligible { b = m } else { a = m }
        }
        return (Swift.min(lower, b), Swift.max(lower, b))
    }

    /// `P(K₋ᵢ ≤ n − 1)` for the count `K` (given as its cumulative distribution on a window) without one term
    /// that is Bernoulli(`q`): `K = K₋ᵢ + B`, deconvolved by the alternating series
    /// `P(K₋ᵢ ≤ k) = (1/(1−q)) Σ_m (−q/(1−q))^m P(K ≤ k − m)` for `q ≤ ½`, and from the upper tail
    /// `P(K₋ᵢ ≥ k) = (1/q) Σ_m (−(1−q)/q)^m P(K ≥ k + 1 + m)` otherwise.
    func fewerThan(_ n: Int, cdf: [Double], lower: Int, without q: Double) -> Double {
        func atMost(_ k: Int) -> Double {
            let index = k - lower
            return index < 0 ? 0 : index >= cdf.count ? 1 : cdf[index]
        }
        if q <= 0 { return atMost(n - 1) }
        if q <= 0.5 {
            let r = q / (1 - q)
            var sum = 0.0, power = 1.0, k = n - 1
            while k >= lower && abs(power) > Self.negligible * 1e-3 {
                sum += power * atMost(k)
                power *= -r
                k -= 1
            }
            return Swift.min(1, Swift.max(0, sum / (1 - q)))
        }
        let s = (1 - q) / q
        var sum = 0.0, power = 1.0, k = n + 1
        while k <= lower + cdf.count && abs(power) > Self.negligible * 1e-3 {
            sum += power * (1 - atMost(k - 1))
            power *= -s
            k += 1
        }
        return Swift.min(1, Swift.max(0, 1 - sum / q))
    }
}
