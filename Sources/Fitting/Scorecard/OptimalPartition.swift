#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Exact optimal binning: the partition of a line of pre-bins into contiguous bins that maximises the information
/// value under the ``MergingRules`` constraints, by dynamic programming.
///
/// **Problem.** Given pre-bins `0 ..< m` in their order, choose cut positions so that every bin (a run of adjacent
/// pre-bins)
/// - holds at least ``MergingRules/minimumBinShare`` of the rows,
/// - and there are at most ``MergingRules/maximumBins`` bins,
/// - and, when a direction is required, the event rates rise (or fall) *strictly* from bin to bin,
///
/// maximising `IV = Σ_bins (e/E − m/N)·WOE` (with the empty-cell rule of ``WeightOfEvidence``). IV is a sum over
/// bins with the totals `E`, `N` fixed, so the problem decomposes: the best partition of pre-bins `0…j` whose last
/// bin is `i…j` with `c` bins extends the best feasible partition of `0…i−1` with `c − 1` bins whose last bin's
/// event rate is on the right side of bin `i…j`'s. This is the problem optbinning states as a mixed-integer
/// programme; the dynamic programme solves the same problem exactly.
///
/// Merging pre-bins never raises the IV (it is an f-divergence, which coarsening cannot increase), so the optimum
/// merges only as far as the constraints demand — but it chooses *which* merges globally, where a greedy pass
/// commits to the locally most similar pair.
///
/// **`.auto`** solves the increasing and the decreasing problem and keeps the one with the larger IV (increasing on
/// a tie) — optbinning's `auto_asc_desc` rule. Peaks and valleys are not considered: a scorecard's points should move
/// one way along a numeric feature.
///
/// **`.autoShape`** also solves the peak and the valley problem, and takes the better of those two instead of
/// the monotone optimum only when it fits the training rows significantly better: its likelihood-ratio statistic
/// `G² = 2(ℓ_turning − ℓ_monotone)` of the binned outcome exceeds ``turnSignificance`` (the χ²₁ 95 % point; the
/// turn is one more choice). optbinning's default ("auto") also allows peaks and valleys but chooses the shape
/// with a trained classifier; this is a plain test in its place.
///
/// **Ties** between partitions of equal IV (within 10⁻¹² relative, i.e. rounding) go to fewer bins, then to the
/// earlier last cut, so the result is deterministic.
extension MergingRules {
    /// The likelihood-ratio statistic a peak or valley must exceed to replace the monotone optimum under
    /// ``MergingRules/Monotonicity/autoShape``: 3.841, the 95 % point of χ² with 1 degree of freedom.
    static let turnSignificance = 3.841

    /// The members (pre-bin indices, ascending) of each bin of the optimal partition, left to right.
    ///
    /// Never empty for non-empty input: a single bin satisfies every rule (its share is 1 and it is trivially
    /// monotone), so when nothing finer is feasible the whole line is one bin.
    /// - Complexity: O(B·m³) with a required shape, O(B·m²) without, for `m` pre-bins and `B` =
    ///   ``maximumBins``.
    func optimalPartition(_ counts: [BinCounts], emptyCellCount: Double = WeightOfEvidence.defaultEmptyCellCount) -> [[Int]] {
        guard counts.count > 1 else { return counts.indices.map { [$0] } }
        let line = PartitionLine(counts, minimumShare: minimumBinShare, emptyCellCount: emptyCellCount)
        let limit = max(1, min(maximumBins, counts.count))
        switch monotonicity {
        case .none: return line.best(maximumBins: limit)
        case .increasing: return line.best(shape: .increasing, maximumBins: limit).members
        case .decreasing: return line.best(shape: .decreasing, maximumBins: limit).members
        case .peak: return line.best(shape: .peak, maximumBins: limit).members
        case .valley: return line.best(shape: .valley, maximumBins: limit).members
        case .auto, .autoShape:
            let up = line.best(shape: .increasing, maximumBins: limit)
            let down = line.best(shape: .decreasing, maximumBins: limit)
            let monotone = down.value > up.value ? down.members : up.members
            guard monotonicity == .autoShape else { return monotone }
            let peak = line.best(shape: .peak, maximumBins: limit), valley = line.best(shape: .valley, maximumBins: limit)
            let turning = valley.value > peak.value ? valley.members : peak.members
            let gain = 2 * (line.logLikelihood(turning) - line.logLikelihood(monotone))
            return gain > Self.turnSignificance ? turning : monotone
        }
    }
}

/// Prefix sums of a line of pre-bins and the value of every run `i…j`.
struct PartitionLine {
    let m: Int
    private let events: [Double], nonEvents: [Double]   // prefix sums, length m + 1
    private let totalEvents: Double, totalNonEvents: Double
    private let minimumTotal: Double
    private let emptyCellCount: Double

    init(_ counts: [BinCounts], minimumShare: Double, emptyCellCount: Double) {
        m = counts.count
        var e = [0.0], n = [0.0]
        for c in counts { e.append(e.last! + c.events); n.append(n.last! + c.nonEvents) }
        events = e; nonEvents = n
        totalEvents = e[m]; totalNonEvents = n[m]
        minimumTotal = minimumShare * (totalEvents + totalNonEvents)
        self.emptyCellCount = emptyCellCount
    }

    func counts(_ i: Int, _ j: Int) -> BinCounts {
        BinCounts(events: events[j + 1] - events[i], nonEvents: nonEvents[j + 1] - nonEvents[i])
    }

    /// Whether run `i…j` is large enough to be a bin (the same test as the greedy pass: not below the share).
    func admissible(_ i: Int, _ j: Int) -> Bool { !(counts(i, j).total < minimumTotal) }

    /// The run's IV term `(e/E − m/N)·WOE`, empty cells replaced as in ``WeightOfEvidence``.
    func value(_ i: Int, _ j: Int) -> Double {
        let c = counts(i, j)
        guard totalEvents > 0, totalNonEvents > 0 else { return 0 }
        let e = c.events > 0 ? c.events : emptyCellCount, n = c.nonEvents > 0 ? c.nonEvents : emptyCellCount
        return (c.events / totalEvents - c.nonEvents / totalNonEvents) * log((e / totalEvents) / (n / totalNonEvents))
    }

    /// The best partition without a direction: `best[c][j]` over prefixes `0…j` with `c` bins.
    func best(maximumBins: Int) -> [[Int]] {
        // value[c][j]: best IV of 0…j in c + 1 bins; start[c][j]: first pre-bin of its last bin.
        var score = [[Double]](repeating: [Double](repeating: -.infinity, count: m), count: maximumBins)
        var start = [[Int]](repeating: [Int](repeating: -1, count: m), count: maximumBins)
        for j in 0..<m where admissible(0, j) { score[0][j] = value(0, j); start[0][j] = 0 }
        for c in 1..<maximumBins {
            for j in c..<m {
                for i in c...j where score[c - 1][i - 1] > -.infinity && admissible(i, j) {
                    let v = score[c - 1][i - 1] + value(i, j)
                    if v > score[c][j] { score[c][j] = v; start[c][j] = i }
                }
            }
        }
        var bestBins = 0
        for c in 0..<maximumBins where Self.improves(score[c][m - 1], on: score[bestBins][m - 1]) { bestBins = c }
        guard score[bestBins][m - 1] > -.infinity else { return [Array(0..<m)] }  // share above 1: one bin
        var members: [[Int]] = []
        var j = m - 1
        for c in stride(from: bestBins, through: 0, by: -1) {
            let i = start[c][j]
            members.append(Array(i...j))
            j = i - 1
        }
        return members.reversed()
    }

    /// The shapes the event rate may take along the bins (strict changes from bin to bin).
    enum Shape: CaseIterable {
        case increasing, decreasing
        /// Rising, then falling (either part may be empty).
        case peak
        /// Falling, then rising.
        case valley
    }

    /// The best partition of the given shape. States are (phase, bins so far, last bin `i…j`), the phase being
    /// before or after the turn of a peak or valley.
    func best(shape: Shape, maximumBins: Int) -> (value: Double, members: [[Int]]) {
        let rates = (0..<m).map { i in (i..<m).map { j in counts(i, j).eventRate } }
        func rate(_ i: Int, _ j: Int) -> Double { rates[i][j - i] }
        /// The phase after a step from rate `a` to rate `b` in phase `p`, or nil when the shape forbids it.
        func next(_ p: Int, _ a: Double, _ b: Double) -> Int? {
            switch shape {
            case .increasing: return a < b ? 0 : nil
            case .decreasing: return a > b ? 0 : nil
            case .peak: return a < b ? (p == 0 ? 0 : nil) : (a > b ? 1 : nil)
            case .valley: return a > b ? (p == 0 ? 0 : nil) : (a < b ? 1 : nil)
            }
        }
        // score[p][c][i][j]: best IV of 0…j in c + 1 bins whose last bin is i…j, in phase p; previous: where the
        // bin before it starts and its phase.
        let empty = [[Double]](repeating: [Double](repeating: -.infinity, count: m), count: m)
        var score = [[[[Double]]]](repeating: [[[Double]]](repeating: empty, count: maximumBins), count: 2)
        let none = [[(Int, Int)]](repeating: [(Int, Int)](repeating: (-1, -1), count: m), count: m)
        var previous = [[[[(Int, Int)]]]](repeating: [[[(Int, Int)]]](repeating: none, count: maximumBins), count: 2)
        for j in 0..<m where admissible(0, j) { score[0][0][0][j] = value(0, j) }
        for c in 1..<maximumBins {
            for i in c..<m {
                for j in i..<m where admissible(i, j) {
                    let r = rate(i, j), v = value(i, j)
                    for p in 0..<2 {
                        for k in (c - 1)...(i - 1) where score[p][c - 1][k][i - 1] > -.infinity {
                            guard let q = next(p, rate(k, i - 1), r) else { continue }
                            let total = score[p][c - 1][k][i - 1] + v
                            if total > score[q][c][i][j] { score[q][c][i][j] = total; previous[q][c][i][j] = (k, p) }
                        }
                    }
                }
            }
        }
        var best = (p: 0, c: 0, i: 0)
        for c in 0..<maximumBins {
            for p in 0..<2 {
                for i in 0..<m where Self.improves(score[p][c][i][m - 1], on: score[best.p][best.c][best.i][m - 1]) {
                    best = (p, c, i)
                }
            }
        }
        let optimum = score[best.p][best.c][best.i][m - 1]
        guard optimum > -.infinity else { return (value(0, m - 1), [Array(0..<m)]) }
        var members: [[Int]] = []
        var (p, i, j) = (best.p, best.i, m - 1)
        for c in stride(from: best.c, through: 0, by: -1) {
            members.append(Array(i...j))
            let (k, q) = previous[p][c][i][j]
            (p, i, j) = (q, k, i - 1)
        }
        return (optimum, members.reversed())
    }

    /// Whether IV `a` beats `b` by more than rounding: merging two bins of equal event rate leaves the IV unchanged
    /// in exact arithmetic, and the fewer bins must then win whatever the last bits say.
    static func improves(_ a: Double, on b: Double) -> Bool {
        b == -.infinity ? a > b : a > b + 1e-12 * max(1, abs(b))
    }

    /// The binned log-likelihood `Σ_bins e·ln(e/n) + m·ln(m/n)` of a partition (0·ln 0 = 0): twice the difference
    /// between two partitions is their likelihood-ratio (G²) statistic.
    func logLikelihood(_ members: [[Int]]) -> Double {
        members.reduce(0.0) { sum, run in
            let c = counts(run.first!, run.last!)
            return sum + (c.events > 0 ? c.events * log(c.events / c.total) : 0)
                + (c.nonEvents > 0 ? c.nonEvents * log(c.nonEvents / c.total) : 0)
        }
    }
}
