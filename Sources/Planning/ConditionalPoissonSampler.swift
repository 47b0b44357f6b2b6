import Foundation

/// Conditional Poisson sampling (maximum-entropy fixed-size sampling) with exact first-order π.
///
/// A conditional Poisson (CPS) design of size `m` on units with odds `w_j > 0` selects the set `s` with
/// probability `∏_{j∈s} w_j / e_m(w)`, where `e_k` is the elementary symmetric polynomial. Among all
/// fixed-size designs with given π it has maximum entropy. Its inclusion probabilities are
///
///     π̃_j(w) = w_j · e_{m−1}(w₋ⱼ) / e_m(w)  =  w_j A_j / (E_j + w_j A_j),
///     A_j = Σ_k P_{j−1}[k] · S_{j+1}[m−1−k],   E_j = Σ_k P_{j−1}[k] · S_{j+1}[m−k],
///
/// with prefix polynomials `P_j[k] = e_k(w_1…w_j)` and suffix polynomials `S_j[k] = e_k(w_j…w_M)`.
/// Each row of `P` and `S` is rescaled to maximum 1; the scales cancel in the ratio, and every term is
/// non-negative, so there is no cancellation: this is the numerically stable form of the recursion.
///
/// **Fitting.** The working odds solve `π̃(w) = π` by the fixed-point iteration on log-odds
/// `log w_j ← log w_j + logit π_j − logit π̃_j`, where `logit π̃_j = log(w_j A_j) − log E_j` is computed
/// without forming `1 − π̃_j` (so π ≈ 1 stays accurate). Certainty (π = 1) and zero (π = 0) units are
/// removed first. Iteration stops when `max |π̃ − π| ≤ 1e-12`.
///
/// When a row spans more than the `Double` range (large strata: `e_k` over thousands of units), some
/// sums fall near underflow; the fit then switches to the same recursions on logarithms
/// (log-sum-exp), which are slower but cannot overflow or underflow.
///
/// **Drawing** is exact and sequential (the list method), with no rejection: unit `j` is taken with
/// probability `w_j S_{j+1}[r−1] / (S_{j+1}[r] + w_j S_{j+1}[r−1])`, where `r` draws remain, evaluated
/// from `log S` as `1 / (1 + exp(log S_{j+1}[r] − log w_j − log S_{j+1}[r−1]))`. One uniform is
/// consumed per unit (``RandomNumberGenerator/nextUnitInterval()``) until `r` reaches 0.
///
/// - Complexity: fitting O(M·m) time per iteration and one O(M·m) table for `M` uncertain units and `m` draws;
///   each sample O(M). For very large strata prefer ``PivotalSampler`` (O(N), no table).
public struct ConditionalPoissonSampler: FixedSizeSampler {
    public let design: FixedSizeDesign
    /// Working odds `w_j` of the uncertain units, in ``FixedSizeDesign/uncertainIndices`` order.
    public let odds: [Double]
    /// Iterations used by the fit.
    public let iterations: Int
    /// `max_j |π̃_j − π_j|` at convergence.
    public let maximumError: Double
    /// Whether the fit needed the log-space recursions (the linear-scale ones left the Double range).
    public let fittedInLogSpace: Bool

    /// `log S_j[k]` (natural log of the suffix polynomials of the fitted odds), row-major with `m + 1`
    /// columns, rows `0…M`; `−∞` where `k` exceeds the units left. Stored in log space because a draw
    /// can reach any `(j, r)`, including corners whose values underflow any single linear scale.
    private let logSuffix: [Double]
    /// `log w_j`, centred.
    private let logOdds: [Double]

    /// The convergence tolerance on `max |π̃ − π|`.
    public static let tolerance = 1e-12
    /// The iteration limit of the fit.
    public static let maximumIterations = 1_000

    /// Fits the working odds for `design`.
    /// - Throws: ``SamplingError/conditionalPoissonDidNotConverge(iterations:maximumError:)``.
    public init(design: FixedSizeDesign) throws {
        try self.init(design: design, forceLogSpace: false)
    }

    /// `forceLogSpace` lets tests exercise the log-space path on designs small enough to enumerate.
    init(design: FixedSizeDesign, forceLogSpace: Bool) throws {
        self.design = design
        let targets = design.uncertainIndices.map { design.probabilities[$0] }
        let m = design.uncertainSampleSize
        let count = targets.count
        let targetLogits = targets.map { log($0) - log1p(-$0) }
        var lambda = Self.centred(targetLogits)
        var error = Double.infinity
        var iteration = 0
        var logSpace = forceLogSpace
        if m > 0 && m < count {
            while iteration < Self.maximumIterations {
                iteration += 1
                var fitted = logSpace ? [] : Self.inclusionLogits(odds: lambda.map { exp($0) }, draws: m)
                if logSpace || !fitted.allSatisfy(\.isFinite) {
                    // The linear-scale polynomials spanned more than the Double range: switch for good.
                    logSpace = true
                    fitted = Self.inclusionLogitsInLogSpace(logOdds: lambda, draws: m)
                }
                error = 0
                for j in 0..<count {
                    guard fitted[j].isFinite else {
                        throw SamplingError.conditionalPoissonDidNotConverge(iterations: iteration, maximumError: .nan)
                    }
                    let pi = 1 / (1 + exp(-fitted[j]))
                    error = max(error, abs(pi - targets[j]))
                }
                if error <= Self.tolerance { break }
                for j in 0..<count { lambda[j] += targetLogits[j] - fitted[j] }
                lambda = Self.centred(lambda)
            }
            guard error <= Self.tolerance else {
                throw SamplingError.conditionalPoissonDidNotConverge(iterations: iteration, maximumError: error)
            }
        } else {
            error = 0
        }
        logOdds = lambda
        odds = lambda.map { exp($0) }
        iterations = iteration
        maximumError = error
        fittedInLogSpace = logSpace
        logSuffix = Self.logSuffixTable(logOdds: lambda, draws: m)
    }

    public func sample<Generator: RandomNumberGenerator>(using generator: inout Generator) -> [Int] {
        var selected = design.certaintyIndices
        let uncertain = design.uncertainIndices
        var remaining = design.uncertainSampleSize
        let width = remaining + 1
        var j = 0
        while remaining > 0 && j < uncertain.count {
            let next = (j + 1) * width
            // P(take j | r left) = w_j S_{j+1}[r−1] / (S_{j+1}[r] + w_j S_{j+1}[r−1]); S_{j+1}[r] = 0 (log −∞)
            // when only r units remain, which makes the probability exactly 1.
            let probability = 1 / (1 + exp(logSuffix[next + remaining] - logOdds[j] - logSuffix[next + remaining - 1]))
            if generator.nextUnitInterval() < probability {
                selected.append(uncertain[j])
                remaining -= 1
            }
            j += 1
        }
        selected.sort()
        return selected
    }

    // MARK: Recursions

    /// λ minus its mean: CPS is invariant to a common odds factor, and centring keeps the
    /// polynomials in range.
    static func centred(_ lambda: [Double]) -> [Double] {
        let mean = lambda.reduce(0, +) / Double(max(1, lambda.count))
        return lambda.map { $0 - mean }
    }

    /// Suffix polynomials `S_j[k] = e_k(w_j…w_{M−1})` for `k ≤ m`, each row rescaled to maximum 1.
    static func suffixTable(odds: [Double], draws m: Int) -> [Double] {
        let count = odds.count, width = m + 1
        var table = [Double](repeating: 0, count: (count + 1) * width)
        table[count * width] = 1
        if m == 0 { for j in 0...count { table[j * width] = 1 }; return table }
        for j in stride(from: count - 1, through: 0, by: -1) {
            extend(row: j, from: j + 1, weight: odds[j], width: width, table: &table)
        }
        return table
    }

    /// `row[k] = base[k] + w · base[k−1]`, then rescale the row to maximum 1.
    @inline(__always)
    private static func extend(row: Int, from base: Int, weight: Double, width: Int, table: inout [Double]) {
        table.withUnsafeMutableBufferPointer { t in
            let r = row * width, b = base * width
            t[r] = t[b]
            var largest = t[r]
            for k in 1..<width {
                let value = t[b + k] + weight * t[b + k - 1]
                t[r + k] = value
                largest = max(largest, value)
            }
            if largest > 0 && largest != 1 {
                let inverse = 1 / largest
                for k in 0..<width { t[r + k] *= inverse }
            }
        }
    }

    /// CPS inclusion probabilities of `odds` for `m` draws, as logits `log(w_j A_j) − log E_j`.
    ///
    /// The suffix table is stored; the prefix row `P_j` is rolled forward in place, so memory is one
    /// `(M + 1) × (m + 1)` table.
    static func inclusionLogits(odds: [Double], draws m: Int) -> [Double] {
        let count = odds.count, width = m + 1
        let suffix = suffixTable(odds: odds, draws: m)
        var logits = [Double](repeating: 0, count: count)
        var prefix = [Double](repeating: 0, count: width)  // P_j, units 0…j−1
        prefix[0] = 1
        suffix.withUnsafeBufferPointer { s in
            prefix.withUnsafeMutableBufferPointer { p in
                for j in 0..<count {
                    let after = (j + 1) * width     // S_{j+1}: units j+1…M−1
                    var a = 0.0, e = 0.0
                    for k in 0..<width {
                        let left = p[k]
                        if left == 0 { continue }
                        if k <= m - 1 { a += left * s[after + m - 1 - k] }
                        e += left * s[after + m - k]
                    }
                    // Terms lost to underflow are below 1e-308 each; when the sums are not far above
                    // that, report NaN so the caller switches to log space rather than trust them.
                    logits[j] = a < 1e-290 || e < 1e-290 ? .nan : log(odds[j] * a) - log(e)
                    // P_{j+1}[k] = P_j[k] + w_j P_j[k−1], downwards in k so P_j[k−1] is still unchanged.
                    var largest = 0.0
                    for k in stride(from: m, through: 1, by: -1) {
                        p[k] += odds[j] * p[k - 1]
                        largest = max(largest, p[k])
                    }
                    largest = max(largest, p[0])
                    if largest > 0 && largest != 1 {
                        let inverse = 1 / largest
                        for k in 0..<width { p[k] *= inverse }
                    }
                }
            }
        }
        return logits
    }

    // MARK: Log space

    /// `log(eᵃ + eᵇ)`, exact for `−∞` arguments.
    @inline(__always)
    static func logAddExp(_ a: Double, _ b: Double) -> Double {
        if a == -.infinity { return b }
        if b == -.infinity { return a }
        return a >= b ? a + log1p(exp(b - a)) : b + log1p(exp(a - b))
    }

    /// `log S_j[k]` for the suffix polynomials, rows `0…M`, `m + 1` columns.
    static func logSuffixTable(logOdds: [Double], draws m: Int) -> [Double] {
        let count = logOdds.count, width = m + 1
        var table = [Double](repeating: -.infinity, count: (count + 1) * width)
        table.withUnsafeMutableBufferPointer { t in
            t[count * width] = 0
            for j in stride(from: count - 1, through: 0, by: -1) {
                let r = j * width, b = (j + 1) * width
                t[r] = 0
                if m == 0 { continue }
                for k in 1..<width { t[r + k] = logAddExp(t[b + k], logOdds[j] + t[b + k - 1]) }
            }
        }
        return table
    }

    /// ``inclusionLogits(odds:draws:)`` with every polynomial held as its logarithm: slower (one
    /// `exp`/`log1p` per term) but free of overflow and underflow for any design.
    static func inclusionLogitsInLogSpace(logOdds: [Double], draws m: Int) -> [Double] {
        let count = logOdds.count, width = m + 1
        let suffix = logSuffixTable(logOdds: logOdds, draws: m)
        var logits = [Double](repeating: 0, count: count)
        var prefix = [Double](repeating: -.infinity, count: width)
        prefix[0] = 0
        suffix.withUnsafeBufferPointer { s in
            prefix.withUnsafeMutableBufferPointer { p in
                for j in 0..<count {
                    let after = (j + 1) * width
                    let top = min(j, m)
                    // Two-pass log-sum-exp over k of log P_j[k] + log S_{j+1}[m−1−k] (a) and [m−k] (e).
                    var maxA = -Double.infinity, maxE = -Double.infinity
                    for k in 0...top {
                        if k <= m - 1 { maxA = max(maxA, p[k] + s[after + m - 1 - k]) }
                        maxE = max(maxE, p[k] + s[after + m - k])
                    }
                    var a = 0.0, e = 0.0
                    for k in 0...top {
                        if k <= m - 1 { a += exp(p[k] + s[after + m - 1 - k] - maxA) }
                        e += exp(p[k] + s[after + m - k] - maxE)
                    }
                    logits[j] = logOdds[j] + maxA + log(a) - maxE - log(e)
                    for k in stride(from: min(j + 1, m), through: 1, by: -1) {
                        p[k] = logAddExp(p[k], logOdds[j] + p[k - 1])
                    }
                }
            }
        }
        return logits
    }
}
