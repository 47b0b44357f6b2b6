import OneCheckUtilities

/// Draws from the distributions the city needs, all built on `unitInterval()` (one word, OneCheckUtilities) and ``CityMath`` so the
/// output is the same on every machine. Each method documents how many 64-bit words it may consume: that is part of
/// the stream layout, so changing a method changes every later value of the stream.
extension CityRandom {
    /// A standard normal deviate by Marsaglia's polar method (Box–Muller without trigonometry, so no platform `sin`
    /// or `cos` enters the output). Each accepted pair gives two independent deviates: the first is returned, the
    /// second is kept and returned by the next call, which then consumes no words. A pair consumes a variable
    /// number of word pairs (acceptance `0 < s < 1` has probability π/4).
    @inline(__always)
    public mutating func nextNormal() -> Double {
        if !spareNormal.isNaN {
            let z = spareNormal
            spareNormal = .nan
            return z
        }
        while true {
            let u = 2 * unitInterval() - 1
            let v = 2 * unitInterval() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 {
                let factor = (-2 * CityMath.log(s) / s).squareRoot()
                spareNormal = v * factor
                return u * factor
            }
        }
    }

    /// `true` with probability `p` (one word). `p ≤ 0` is never, `p ≥ 1` always.
    @inline(__always)
    public mutating func nextBernoulli(_ p: Double) -> Bool {
        unitInterval() < p
    }

    /// A Poisson(λ) count by inversion: the smallest `k` with `F(k) > u` for one uniform `u`, accumulating the pmf by
    /// `p(k) = p(k−1)·λ/k`. Exact for the λ used here (`λ ≤ ``maximumPoissonMean``` keeps `e^(−λ)` normal).
    /// - Complexity: O(λ) expected.
    /// - Precondition: `0 ≤ λ ≤ maximumPoissonMean`.
    public mutating func nextPoisson(_ lambda: Double) -> Int {
        precondition(lambda >= 0 && lambda <= Self.maximumPoissonMean, "Poisson mean out of range")
        if lambda == 0 { _ = next(); return 0 }
        let u = unitInterval()
        var k = 0
        var pmf = CityMath.exp(-lambda)
        var cdf = pmf
        // The guard on pmf stops the search once the remaining tail is below double resolution (u within 1 ulp of 1).
        while u >= cdf && (pmf > 0 || Double(k) < lambda) {
            k += 1
            pmf *= lambda / Double(k)
            cdf += pmf
        }
        return k
    }

    /// The largest Poisson mean ``nextPoisson(_:)`` accepts; larger means are clamped by the callers.
    public static let maximumPoissonMean = 500.0

    /// An index drawn with probability proportional to `weights` (one word). Weights must be ≥ 0 with a positive
    /// sum; the cumulative search is linear, meant for short lists (scenarios, districts).
    public mutating func nextIndex(weights: [Double]) -> Int {
        var total = 0.0
        for w in weights { total += w }
        let target = unitInterval() * total
        var acc = 0.0
        for (i, w) in weights.enumerated() {
            acc += w
            if target < acc { return i }
        }
        return weights.lastIndex(where: { $0 > 0 }) ?? 0
    }
}
