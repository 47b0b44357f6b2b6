#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Metrics {
    /// The population stability index between a reference score distribution and a current one.
    public struct PopulationStability: Equatable, Sendable {
        /// Bin lower edges after the first: bin 0 is `(−∞, edges[0])`, bin k is `[edges[k−1], edges[k])`, the last
        /// is `[edges.last, ∞)`.
        public let edges: [Double]
        /// Share of the reference (expected) scores per bin, before the ε floor.
        public let expectedShares: [Double]
        /// Share of the current (actual) scores per bin, before the ε floor.
        public let actualShares: [Double]
        /// `Σ (a − e)·ln(a / e)` with shares floored at ``epsilon``.
        public let index: Double
        public let epsilon: Double
    }

    /// PSI between `expected` (e.g. the scores at development) and `actual` (the scores now).
    ///
    /// **Binning.** Edges are the reference quantiles at `k/bins`, `k = 1…bins−1`, taken as order statistics
    /// (`sorted[⌊k·n/bins⌋]`); repeated edges are dropped, so heavily tied scores give fewer, never empty-by-
    /// construction, reference bins. Bins are closed on the left.
    /// **Empty bins.** A share of 0 would make `ln(a/e)` infinite; each share is floored at `epsilon` (default
    /// 10⁻⁴, i.e. "less than one in ten thousand") for the index only — the reported shares are the raw ones.
    /// Rule of thumb: < 0.1 stable, 0.1–0.25 moderate shift, > 0.25 significant shift.
    /// - Complexity: O((n + m) log n).
    public static func populationStability(expected: [Double], actual: [Double], bins: Int = 10,
                                           epsilon: Double = 1e-4) throws -> PopulationStability {
        guard bins >= 2 else { throw MetricsError.invalidParameter("PSI needs at least 2 bins, got \(bins)") }
        guard epsilon > 0, epsilon < 1 else { throw MetricsError.invalidParameter("PSI epsilon must be in (0, 1)") }
        guard !expected.isEmpty, !actual.isEmpty else { throw MetricsError.empty }
        for (i, v) in expected.enumerated() where !v.isFinite { throw MetricsError.nonFiniteScore(index: i, value: v) }
        for (i, v) in actual.enumerated() where !v.isFinite { throw MetricsError.nonFiniteScore(index: i, value: v) }
        let sorted = expected.sorted()
        var edges: [Double] = []
        for k in 1..<bins {
            let edge = sorted[k * sorted.count / bins]
            // An edge equal to the minimum would leave bin 0 empty by construction.
            if edge > sorted[0], edges.last.map({ edge > $0 }) ?? true { edges.append(edge) }
        }
        func shares(_ values: [Double]) -> [Double] {
            var counts = [Double](repeating: 0, count: edges.count + 1)
            for v in values {
                // Number of edges ≤ v = the bin index (binary search).
                var lo = 0, hi = edges.count
                while lo < hi { let mid = (lo + hi) / 2; if edges[mid] <= v { lo = mid + 1 } else { hi = mid } }
                counts[lo] += 1
            }
            return counts.map { $0 / Double(values.count) }
        }
        let e = shares(expected), a = shares(actual)
        var index = 0.0
        for k in e.indices {
            let ek = max(e[k], epsilon), ak = max(a[k], epsilon)
            index += (ak - ek) * log(ak / ek)
        }
        return PopulationStability(edges: edges, expectedShares: e, actualShares: a, index: index, epsilon: epsilon)
    }
}
