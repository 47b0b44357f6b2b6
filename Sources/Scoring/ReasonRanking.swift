/// Reasons for every grade: per entity and head, the features that cost the entity most.
///
/// **Cost.** A feature's *contribution* to head `h` is `Σ_c w[c, h]·x[c]` over the feature's design columns, summed
/// in design order from 0. Its *baseline* is the most favourable (smallest) contribution it can make, and its
/// *cost* is `contribution − baseline ≥ 0`, in score units (log-odds for logistic heads) — for a head with points,
/// `factor · cost` points: the points below the best attainable points of that characteristic (PMML's
/// `pointsBelow` with the `max` baseline). The baseline is the smallest contribution over:
/// - `binned`: every bin's WOE, and `missingWoe` when given;
/// - `categorical`: every listed level (one-hot: its column's weight, 0 for the reference level; WOE: its WOE) and
///   the unseen bin when there is one;
/// - `numeric`: the two ends of the training range (`trainingMin`, `trainingMax`, through the whole transform,
///   which never decreases, so the extremes of the contribution are at the ends) and, when the feature imputes, the
///   missing state (the imputed value with the indicator set). Without a training range an end may come from the
///   transform itself: the end the head needs (the low end for a positive weight, the high end for a negative one)
///   is `clipMin` or `clipMax` where the transform clips there. A feature with a zero weight costs nothing.
///   Otherwise the model cannot give reasons for that head: ``init(model:count:file:)`` refuses it.
///
/// **Ranking.** A feature is a reason only when its cost is > 0; reasons are ranked by cost, largest first, and
/// equal costs (the same double) by the features' order in the model. A missing value is a reason of its own: its
/// code is `<feature>:missing` instead of `<feature>`. At most `count` reasons per head; fewer when fewer features
/// cost anything. Each row's reasons depend on that row alone, so they are the same bits on any thread count and
/// block size.
public struct ReasonRanking: Sendable {
    /// Reasons per head (K).
    public let count: Int
    public let featureCount: Int
    public let headCount: Int
    /// Reason codes: code `2f` is feature `f`'s name, code `2f + 1` is `<name>:missing`.
    public let codes: [String]
    /// Per head, what a cost is multiplied by for output: the points factor for heads with points, else 1.
    public let costScale: [Double]
    /// Per head, whether costs are written as points (else in score units).
    public let costInPoints: [Bool]
    /// `baselines[h · F + f]`: feature `f`'s most favourable contribution to head `h`.
    public let baselines: [Double]
    /// `headWeights[h · p + c]`: head `h`'s weight on design column `c` (the weights transposed, for row-wise sums).
    let headWeights: [Double]
    let designWidth: Int
    let offsets: [Int]
    let widths: [Int]
    /// Whether every feature has one design column (then the cost is one product and one difference).
    let allWidthOne: Bool
    /// The features that can be missing without an error, and how a missing value shows in their field.
    let missingChecks: [MissingCheck]

    /// How to tell that a feature's value was missing (its encoder took the missing path).
    struct MissingCheck: Sendable {
        enum Kind: Sendable, Equatable {
            /// Categorical: an empty field (the level `""`, or an unseen level when `""` is not listed).
            case emptyField
            /// Numeric or binned: an empty field, or a number that the encoder reads as missing — any non-finite
            /// number with `nonFinite` (numeric with `nonFiniteAsMissing`), NaN with `nan` (binned; infinities fall
            /// in the outer bins).
            case number(nonFinite: Bool, nan: Bool)
        }
        let feature: Int
        let kind: Kind
    }

    /// Prepares reasons for every head of `model`.
    /// - Parameters:
    ///   - count: reasons per head, ≥ 1.
    ///   - file: the model file, for messages.
    /// - Throws: ``ModelError/reasonsUnavailable(file:missing:)`` naming every head and numeric feature whose most
    ///   favourable value is not known (no training range, and no clip bound at the end the head needs).
    public init(model: CompiledModel, count: Int, file: String = "model") throws {
        precondition(count >= 1, "reasons need a positive count")
        self.count = count
        let m = model.model
        let p = model.designWidth, h = model.headCount, fCount = model.encoders.count
        featureCount = fCount
        headCount = h
        designWidth = p
        offsets = model.designOffsets
        widths = model.encoders.map(\.width)
        allWidthOne = widths.allSatisfy { $0 == 1 }
        var tw = [Double](repeating: 0, count: h * p)
        for c in 0..<p { for j in 0..<h { tw[j * p + c] = model.weights[c, j] } }
        headWeights = tw
        codes = m.features.flatMap { [$0.name, $0.name + ":missing"] }
        costScale = model.heads.map { $0.pointsFactor ?? 1 }
        costInPoints = model.heads.map { $0.pointsFactor != nil }
        var checks: [MissingCheck] = []
        for (f, feature) in m.features.enumerated() {
            if let n = feature.numeric {
                if n.missing == .impute {
                    checks.append(.init(feature: f, kind: .number(nonFinite: n.nonFiniteAsMissing == true, nan: false)))
                }
            } else if let b = feature.binned {
                if b.missingWoe != nil { checks.append(.init(feature: f, kind: .number(nonFinite: false, nan: true))) }
            } else {
                checks.append(.init(feature: f, kind: .emptyField))
            }
        }
        missingChecks = checks

        var base = [Double](repeating: 0, count: h * fCount)
        var unknown: [String] = []
        for f in 0..<fCount {
            let states = Self.states(of: model.encoders[f], feature: m.features[f])
            for j in 0..<h {
                let weights = Array(tw[(j * p + offsets[f])..<(j * p + offsets[f] + widths[f])])
                var best = Double.infinity
                for state in states.fixed { best = Swift.min(best, Self.contribution(weights, state)) }
                if let range = states.range {
                    // The contribution w·x (+ 0 for an indicator) is monotone in x: its minimum is at one end.
                    let w = weights[0]
                    if w == 0 {
                        best = Swift.min(best, 0)
                    } else if let x = w > 0 ? range.low : range.high {
                        best = Swift.min(best, Self.contribution(weights, x))
                    } else if !unknown.contains(m.features[f].name) {
                        unknown.append(m.features[f].name)
                    }
                }
                base[j * fCount + f] = best
            }
        }
        guard unknown.isEmpty else {
            throw ModelError.reasonsUnavailable(file: file, missing: unknown)
        }
        baselines = base
    }

    /// The design values a feature can take that matter for its baseline: `fixed` states (all of them), and for a
    /// numeric feature the design values at the low and high ends of its range (nil where unknown).
    private static func states(of encoder: FeatureEncoder, feature: ScoringModel.Feature)
        -> (fixed: [[Double]], range: (low: [Double]?, high: [Double]?)?) {
        switch encoder {
        case let .binned(e):
            return (e.woe.map { [$0] } + (e.missingWoe.map { [[$0]] } ?? []), nil)
        case let .categorical(e):
            switch e.mode {
            case .woe:
                return (e.woe.map { [$0] } + (e.unseenWoe.map { [[$0]] } ?? []), nil)
            case .oneHot:
                var states: [[Double]] = []
                for s in e.slot {
                    var x = [Double](repeating: 0, count: e.width)
                    if s >= 0 { x[s] = 1 }
                    states.append(x)
                }
                if let u = e.unseenSlot {
                    var x = [Double](repeating: 0, count: e.width)
                    x[u] = 1
                    states.append(x)
                }
                return (states, nil)
            }
        case let .numeric(e):
            let t = feature.numeric!
            func design(_ raw: Double?) -> [Double]? {
                var x = [Double](repeating: 0, count: e.indicator ? 2 : 1)
                do { try x.withUnsafeMutableBufferPointer { try e.encode(raw, into: $0.baseAddress!) } } catch { return nil }
                return x
            }
            var fixed: [[Double]] = []
            if e.imputeValue != nil, let missing = design(nil) { fixed.append(missing) }
            if let lo = t.trainingMin, let hi = t.trainingMax {
                return (fixed, (design(lo), design(hi)))
            }
            // Without a training range, an end is known only where the transform clips: the clip bound, which is
            // applied after log1p, standardised like any value.
            func clipped(_ bound: Double?) -> [Double]? {
                guard let b = bound else { return nil }
                var x = [Double](repeating: 0, count: e.indicator ? 2 : 1)
                x[0] = (b - e.mean) * e.inverseStd
                return x
            }
            return (fixed, (clipped(t.clipMin), clipped(t.clipMax)))
        }
    }

    /// `Σ_c w[c]·x[c]` over `width` columns, from 0 in column order: the one definition of a contribution, used for
    /// the baselines and for every row, so a row at the baseline state costs exactly 0.
    @inline(__always)
    static func contribution(_ w: UnsafePointer<Double>, _ x: UnsafePointer<Double>, _ width: Int) -> Double {
        var s = 0.0
        for c in 0..<width { s += w[c] * x[c] }
        return s
    }

    static func contribution(_ w: [Double], _ x: [Double]) -> Double {
        w.withUnsafeBufferPointer { wp in x.withUnsafeBufferPointer { contribution(wp.baseAddress!, $0.baseAddress!, w.count) } }
    }

    /// Ranks one row's reasons for head `head`: writes up to ``count`` codes (−1 past the last reason) and their
    /// costs (scaled by ``costScale``) and returns how many there are.
    /// - Parameters:
    ///   - design: the row's design values; `missing`: the row's flag per feature (1 = missing).
    ///   - weights: ``headWeights`` base; `baselines`: ``baselines`` base (both held by the caller).
    /// - Complexity: O(p + F·K) with K = ``count``.
    @inline(__always)
    func rank(design: UnsafePointer<Double>, missing: UnsafePointer<UInt8>, head: Int,
              weights: UnsafePointer<Double>, baselines: UnsafePointer<Double>, offsets: UnsafePointer<Int>,
              widths: UnsafePointer<Int>, codes: UnsafeMutablePointer<Int32>, costs: UnsafeMutablePointer<Double>) -> Int {
        let k = count, fCount = featureCount
        let w = weights + head &* designWidth
        let b = baselines + head &* fCount
        var found = 0
        // The smallest cost kept so far once k are kept; a cost must beat it (ties keep the earlier feature).
        var floor = 0.0
        for f in 0..<fCount {
            let cost: Double
            if allWidthOne {
                cost = w[f] * design[f] - b[f]
            } else {
                cost = Self.contribution(w + offsets[f], design + offsets[f], widths[f]) - b[f]
            }
            guard cost > floor else { continue }
            // Insert after every kept cost ≥ this one (earlier features win ties).
            var i = Swift.min(found, k - 1)
            while i > 0 && costs[i - 1] < cost {
                costs[i] = costs[i - 1]
                codes[i] = codes[i - 1]
                i -= 1
            }
            costs[i] = cost
            codes[i] = Int32(truncatingIfNeeded: 2 &* f &+ Int(missing[f]))
            if found < k { found += 1 }
            if found == k { floor = costs[k - 1] }
        }
        for i in found..<k { codes[i] = -1; costs[i] = 0 }
        return found
    }
}
