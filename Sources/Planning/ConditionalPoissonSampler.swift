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
/// **Drawing** is exact and sequential (the list method), with no rejection: unit `j` is taken with
/// probability `w_j S_{j+1}[r−1] / (S_{j+1}[r] + w_j S_{j+1}[r−1])`, where `r` draws remain. One
/// uniform is consumed per unit (``RandomNumberGenerator/nextUnitInterval()``) until `r` reaches 0.
///
/// - Complexity: fitting O(M·m) time and memory per iteration for `M` uncertain units and `m` draws;
///   each sample O(M). For very large strata prefer ``PivotalSampler`` (O(N), no table).
public struct ConditionalPoissonSampler: FixedSizeSampler {
    public let design: FixedSizeDesign
    /// Working odds `w_j` of the uncertain units, in ``FixedSizeDesign/uncertainIndices`` order.
    public let odds: [Double]
    /// Iterations used by the fit.
    public let iterations: Int
    /// `max_j |π̃_j − π_j|` at convergence.
    public let maximumError: Double

    /// Suffix table `S`, row-major with `m + 1` columns, rows `0…M` (row `j` covers units `j…M−1`).
    private let suffix: [Double]

    /// The convergence tolerance on `max |π̃ − π|`.
    public static let tolerance = 1e-12
    /// The iteration limit of the fit.
    public static let maximumIterations = 1_000

    /// Fits the working odds for `design`.
    /// - Throws: ``SamplingError/conditionalPoissonDidNotConverge(iterations:maximumError:)``.
    public init(design: FixedSizeDesign) throws {
        self.design = design
        let targets = design.uncertainIndices.map { design.probabilities[$0] }
        let m = design.uncertainSampleSize
        let count = targets.count
        var logOdds = targets.map { log($0) - log1p(-$0) }
        let targetLogits = logOdds
        var error = Double.infinity
        var iteration = 0
        if m > 0 && m < count {
            while iteration < Self.maximumIterations {
                iteration += 1
                let w = Self.normalisedOdds(logOdds)
                let fitted = Self.inclusionLogits(odds: w, draws: m)
                error = 0
                for j in 0..<count {
                    guard fitted[j].isFinite else {
                        throw SamplingError.conditionalPoissonDidNotConverge(iterations: iteration, maximumError: .nan)
                    }
                    let pi = 1 / (1 + exp(-fitted[j]))
                    error = max(error, abs(pi - targets[j]))
                }
                if error <= Self.tolerance { logOdds = w.map { log($0) }; break }
                for j in 0..<count { logOdds[j] = log(w[j]) + targetLogits[j] - fitted[j] }
            }
            guard error <= Self.tolerance else {
                throw SamplingError.conditionalPoissonDidNotConverge(iterations: iteration, maximumError: error)
            }
        } else {
            error = 0
        }
        odds = logOdds.map { exp($0) }
        iterations = iteration
        maximumError = error
        suffix = Self.suffixTable(odds: odds, draws: m)
    }

    public func sample<Generator: RandomNumberGenerator>(using generator: inout Generator) -> [Int] {
        var selected = design.certaintyIndices
        let uncertain = design.uncertainIndices
        var remaining = design.uncertainSampleSize
        let width = remaining + 1
        var j = 0
        while remaining > 0 && j < uncertain.count {
            let next = (j + 1) * width
            let take = odds[j] * suffix[next + remaining - 1]
            let probability = take / (suffix[next + remaining] + take)
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

    /// Odds `exp(λ)` after centring λ on its mean: CPS is invariant to a common factor, and centring
    /// keeps the polynomials in range.
    static func normalisedOdds(_ logOdds: [Double]) -> [Double] {
        let mean = logOdds.reduce(0, +) / Double(max(1, logOdds.count))
        return logOdds.map { exp($0 - mean) }
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

    /// Prefix polynomials `P_j[k] = e_k(w_0…w_{j−1})`, rows `0…M`, each rescaled to maximum 1.
    static func prefixTable(odds: [Double], draws m: Int) -> [Double] {
        let count = odds.count, width = m + 1
        var table = [Double](repeating: 0, count: (count + 1) * width)
        table[0] = 1
        for j in 0..<count {
            extend(row: j + 1, from: j, weight: odds[j], width: width, table: &table)
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
    static func inclusionLogits(odds: [Double], draws m: Int) -> [Double] {
        let count = odds.count, width = m + 1
        let prefix = prefixTable(odds: odds, draws: m)
        let suffix = suffixTable(odds: odds, draws: m)
        var logits = [Double](repeating: 0, count: count)
        prefix.withUnsafeBufferPointer { p in
            suffix.withUnsafeBufferPointer { s in
                for j in 0..<count {
                    let before = j * width          // P_{j}: units 0…j−1
                    let after = (j + 1) * width     // S_{j+1}: units j+1…M−1
                    var a = 0.0, e = 0.0
                    for k in 0..<width {
                        let left = p[before + k]
                        if left == 0 { continue }
                        if k <= m - 1 { a += left * s[after + m - 1 - k] }
                        e += left * s[after + m - k]
                    }
                    logits[j] = log(odds[j] * a) - log(e)
                }
            }
        }
        return logits
    }
}
