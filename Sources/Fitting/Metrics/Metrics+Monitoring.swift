#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The measures of model monitoring beside ``Metrics/populationStability(expected:actual:bins:epsilon:)``: the
/// stability of any binned distribution (characteristic stability), the usual thresholds, and grade migration.
extension Metrics {
    /// The customary reading of a stability index (PSI, CSI): < 0.1 stable, 0.1 to < 0.25 a shift to watch,
    /// ≥ 0.25 a significant shift that calls for action.
    public enum StabilityFlag: String, Sendable, Equatable, CaseIterable {
        case stable, watch, action

        public static let watchThreshold = 0.1
        public static let actionThreshold = 0.25

        public init(index: Double) {
            self = index >= Self.actionThreshold ? .action : (index >= Self.watchThreshold ? .watch : .stable)
        }
    }

    /// One bin's part of a stability index.
    public struct StabilityBin: Equatable, Sendable {
        public let expectedCount: Int
        public let actualCount: Int
        public let expectedShare: Double
        public let actualShare: Double
        /// `(a − e)·ln(a / e)` with both shares floored at ε: ≥ 0, the bin's part of the index.
        public let contribution: Double
    }

    /// A stability index over given bins, with each bin's part.
    public struct Stability: Equatable, Sendable {
        public let bins: [StabilityBin]
        public let index: Double
        public var flag: StabilityFlag { StabilityFlag(index: index) }
    }

    /// The stability index `Σ_b (a_b − e_b)·ln(a_b / e_b)` of counts per bin: `e` the reference (expected)
    /// shares, `a` the current (actual) ones, each share floored at `epsilon` for the index only — the same
    /// definition as ``populationStability(expected:actual:bins:epsilon:)``, on bins the caller chose (a
    /// characteristic's bins or levels: the characteristic stability index, CSI).
    /// - Throws: ``MetricsError`` when the counts differ in length, are negative, or either side is all zero.
    /// - Complexity: O(bins).
    public static func stability(expectedCounts: [Int], actualCounts: [Int], epsilon: Double = 1e-4) throws -> Stability {
        guard expectedCounts.count == actualCounts.count else {
            throw MetricsError.invalidParameter("stability needs the same bins on both sides "
                + "(\(expectedCounts.count) and \(actualCounts.count))")
        }
        guard epsilon > 0, epsilon < 1 else { throw MetricsError.invalidParameter("stability epsilon must be in (0, 1)") }
        guard !(expectedCounts + actualCounts).contains(where: { $0 < 0 }) else {
            throw MetricsError.invalidParameter("bin counts must be ≥ 0")
        }
        let n = expectedCounts.reduce(0, +), m = actualCounts.reduce(0, +)
        guard n > 0, m > 0 else { throw MetricsError.empty }
        var bins: [StabilityBin] = []
        var index = 0.0
        for (e, a) in zip(expectedCounts, actualCounts) {
            let es = Double(e) / Double(n), as_ = Double(a) / Double(m)
            let ef = max(es, epsilon), af = max(as_, epsilon)
            let part = (af - ef) * log(af / ef)
            index += part
            bins.append(StabilityBin(expectedCount: e, actualCount: a, expectedShare: es, actualShare: as_,
                                     contribution: part))
        }
        return Stability(bins: bins, index: index)
    }

    /// Bin edges at the reference values' quantiles `k/bins`, as ``populationStability(expected:actual:bins:epsilon:)``
    /// takes them (order statistics `sorted[⌊k·n/bins⌋]`, repeated edges and an edge at the minimum dropped), and
    /// the bin of a value: the number of edges ≤ it.
    public struct QuantileBins: Equatable, Sendable {
        public let edges: [Double]

        /// - Precondition: `reference` is not empty and finite.
        public init(reference: [Double], bins: Int = 10) {
            let sorted = reference.sorted()
            var edges: [Double] = []
            for k in 1..<max(2, bins) {
                let edge = sorted[k * sorted.count / bins]
                if edge > sorted[0], edges.last.map({ edge > $0 }) ?? true { edges.append(edge) }
            }
            self.edges = edges
        }

        /// Given edges (strictly increasing), e.g. a binned feature's cut points.
        public init(edges: [Double]) { self.edges = edges }

        public var count: Int { edges.count + 1 }

        /// The bin of `value`: the number of edges ≤ it (binary search).
        public func bin(of value: Double) -> Int {
            var lo = 0, hi = edges.count
            while lo < hi { let mid = (lo + hi) / 2; if edges[mid] <= value { lo = mid + 1 } else { hi = mid } }
            return lo
        }

        /// `[lower, upper)` of bin `b` as text, `-inf`/`inf` at the ends.
        public func label(_ b: Int, format: (Double) -> String) -> String {
            "[" + (b == 0 ? "-inf" : format(edges[b - 1])) + ", " + (b == edges.count ? "inf" : format(edges[b])) + ")"
        }
    }

    /// A grade migration matrix: `counts[from][to]` entities with grade `from` in the reference and `to` now.
    public struct Migration: Equatable, Sendable {
        public let counts: [[Int]]
        public var total: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }
        /// Entities whose grade index rose (riskier now), stayed, fell.
        public var worse: Int { cells { $0 < $1 } }
        public var same: Int { cells { $0 == $1 } }
        public var better: Int { cells { $0 > $1 } }

        private func cells(_ take: (Int, Int) -> Bool) -> Int {
            var n = 0
            for (i, row) in counts.enumerated() { for (j, c) in row.enumerated() where take(i, j) { n += c } }
            return n
        }
    }

    /// Counts grade pairs (`from[i]`, `to[i]`), each an index in `0..<grades`.
    /// - Throws: ``MetricsError`` for unequal lengths or an index outside the grades.
    /// - Complexity: O(n + grades²).
    public static func migration(from: [Int], to: [Int], grades: Int) throws -> Migration {
        guard from.count == to.count else { throw MetricsError.lengthMismatch(scores: from.count, outcomes: to.count) }
        var counts = [[Int]](repeating: [Int](repeating: 0, count: grades), count: grades)
        for (a, b) in zip(from, to) {
            guard (0..<grades).contains(a), (0..<grades).contains(b) else {
                throw MetricsError.invalidParameter("grade index \(max(a, b)) outside 0..<\(grades)")
            }
            counts[a][b] += 1
        }
        return Migration(counts: counts)
    }

    /// The flag of a change in discrimination: the relative fall of the Gini coefficient (2·AUC − 1) from the
    /// reference, `(G_ref − G_now) / G_ref`, read with the stability thresholds (≥ 0.1 watch, ≥ 0.25 action); a
    /// rise, or a reference Gini ≤ 0, is stable.
    public static func discriminationFlag(referenceAUC: Double, currentAUC: Double) -> StabilityFlag {
        let g0 = 2 * referenceAUC - 1, g1 = 2 * currentAUC - 1
        guard g0 > 0 else { return .stable }
        return StabilityFlag(index: max(0, (g0 - g1) / g0))
    }
}
