import CKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The distribution of a sum of independent Bernoulli variables (a Poisson–binomial distribution), kept on the
/// window of counts where it has non-negligible mass.
///
/// The probability mass function is built by the exact recursion `P_j(k) = (1 − p_j) P_{j−1}(k) + p_j P_{j−1}(k−1)`,
/// two variables at a time; after each step, counts at the edges whose probability is below `floor` are dropped.
/// Dropped mass never comes back (the recursion conserves mass), so the total dropped is below `2 · floor` per
/// step. With the default floor of 1e-100 the window spans about ±21 standard deviations, wide enough for
/// ``tilted(by:)`` to move the mean by ±9 standard deviations (the quadrature band of the Pareto design) and keep
/// every count of probability above 1e-30 to full relative precision.
///
/// - Complexity: O(N · W) time, O(N) memory, with W the window's width (about 42σ + a few, at most N + 1).
struct PoissonBinomialWindow: Sendable {
    /// The smallest count in the window.
    let lower: Int
    /// `probabilities[k − lower]` = P(K = k).
    let probabilities: [Double]

    init(_ bernoulli: [Double], floor: Double = 1e-100) {
        // Two buffers of the largest possible width; the window [start, end) moves inside them. Variables are taken
        // two at a time: (q₁ + p₁z)(q₂ + p₂z) = a₀ + a₁z + a₂z² is applied as one three-tap filter, three
        // multiply-adds per count instead of four.
        let capacity = bernoulli.count + 1
        var current = [Double](repeating: 0, count: capacity), next = current
        current[0] = 1
        var start = 0, end = 1  // counts [start, end) hold mass
        var j = 0
        current.withUnsafeMutableBufferPointer { cur in
            next.withUnsafeMutableBufferPointer { nxt in
                var a = cur.baseAddress!, b = nxt.baseAddress!
                while j < bernoulli.count {
                    if j + 1 < bernoulli.count {
                        let p1 = bernoulli[j], p2 = bernoulli[j + 1], q1 = 1 - p1, q2 = 1 - p2
                        let c0 = q1 * q2, c1 = q1 * p2 + p1 * q2, c2 = p1 * p2
                        // b[k] = c0 a[k] + c1 a[k−1] + c2 a[k−2] for k in [start, end + 2).
                        a[end] = 0
                        a[end + 1] = 0
                        b[start] = c0 * a[start]
                        b[start + 1] = c0 * a[start + 1] + c1 * a[start]
                        Self.threeTap(from: a, to: b, range: start + 2 ..< end + 2, c0, c1, c2)
                        end += 2
                        j += 2
                    } else {
                        let p = bernoulli[j], q = 1 - p
                        a[end] = 0
                        b[start] = q * a[start]
                        var k = start + 1
                        while k < end + 1 {
                            b[k] = q * a[k] + p * a[k - 1]
                            k += 1
                        }
                        end += 1
                        j += 1
                    }
                    swap(&a, &b)
                    while end - start > 1 && a[start] < floor { start += 1 }
                    while end - start > 1 && a[end - 1] < floor { end -= 1 }
                }
                if a != cur.baseAddress! {
                    for k in start..<end { cur[k] = a[k] }
                }
            }
        }
        lower = start
        probabilities = Array(current[start..<end])
    }

    /// `b[k] = c0 · a[k] + c1 · a[k − 1] + c2 · a[k − 2]` for `k` in `range` (`range.lowerBound ≥ 2`); `a` and `b`
    /// must not overlap.
    ///
    /// The loop is CKernels' `onecheck_three_tap`: four doubles wide where the CPU has AVX2, where Swift's loop is
    /// two wide on the baseline target. The expression and its order are unchanged — `(c0·x + c1·y) + c2·z`,
    /// rounded after each operation, no fused multiply-add — so each count is bit for bit what a scalar loop
    /// computes, on every path.
    @inline(__always)
    static func threeTap(from a: UnsafeMutablePointer<Double>, to b: UnsafeMutablePointer<Double>,
                         range: Range<Int>, _ c0: Double, _ c1: Double, _ c2: Double) {
        guard !range.isEmpty else { return }
        onecheck_three_tap(a, b, range.lowerBound, range.upperBound, c0, c1, c2)
    }

    private init(lower: Int, probabilities: [Double]) {
        self.lower = lower
        self.probabilities = probabilities
    }

    /// The largest count in the window.
    var upper: Int { lower + probabilities.count - 1 }

    /// Mean and standard deviation over the window.
    var moments: (mean: Double, sd: Double) {
        var total = 0.0, mean = 0.0
        for (i, p) in probabilities.enumerated() { total += p; mean += p * Double(lower + i) }
        mean /= total
        var variance = 0.0
        for (i, p) in probabilities.enumerated() {
            let d = Double(lower + i) - mean
            variance += p * d * d
        }
        return (mean, (variance / total).squareRoot())
    }

    /// The exponentially tilted distribution `P_δ(k) ∝ P(k) e^{kδ}`, renormalised.
    ///
    /// Why this serves the Pareto design: when every variable has odds `tθ_j`, multiplying `t` by `e^δ` multiplies
    /// `P(K = k)` by `e^{kδ}` up to normalisation, so one recursion gives the count's distribution for every `t`.
    func tilted(by delta: Double) -> PoissonBinomialWindow {
        var logs = probabilities.enumerated().map { i, p in log(p) + Double(i) * delta }
        let top = logs.max() ?? 0
        var total = 0.0
        for i in logs.indices {
            logs[i] = exp(logs[i] - top)
            total += logs[i]
        }
        return PoissonBinomialWindow(lower: lower, probabilities: logs.map { $0 / total })
    }

    /// The distribution of the sum with one more Bernoulli(p) variable.
    func adding(_ p: Double) -> PoissonBinomialWindow {
        var next = [Double](repeating: 0, count: probabilities.count + 1)
        for (i, x) in probabilities.enumerated() {
            next[i] += (1 - p) * x
            next[i + 1] += p * x
        }
        return PoissonBinomialWindow(lower: lower, probabilities: next)
    }

    /// The cumulative distribution: `cdf[k − lower] = P(K ≤ k)`.
    var cumulative: [Double] {
        var sum = 0.0
        return probabilities.map { sum += $0; return Swift.min(sum, 1) }
    }
}
