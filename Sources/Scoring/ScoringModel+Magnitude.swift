/// Which models can produce a score that is not a finite number, decided once at load so that no `Inf` or `NaN`
/// ever reaches a scores file.
///
/// Every design value is finite and bounded for any input the encoders accept, except one kind: a numeric feature
/// without `log1p` and without both clip bounds, whose standardised value grows with the input (a finite input up
/// to ±1.8e308). So:
/// - **At load** (``validateMagnitudes(file:)``): each bounded feature's largest design value must be finite, and
///   for each head `|intercept| + Σ |weight| · largest |design value|` over its bounded features must stay below
///   the largest double, with a margin of `4(p + 2)` units of rounding for the `p` fused multiply-adds of the
///   kernel. When every feature is bounded that proves every score finite, and the same is required of the
///   points, `|offset| + factor · bound`. A model that fails is refused, naming the head.
/// - **Per row** (``DesignEncoder/overflowError(_:row:designRow:head:points:)``): with an unbounded feature, a
///   row whose score or points still overflows is refused with its file, line and the column contributing most.
extension ScoringModel {
    /// The range of `log1p(x)` over the finite inputs it accepts (`x > −1`), as the encoder computes it.
    static let log1pRange = (lower: _log1p((-1.0).nextUp), upper: _log1p(.greatestFiniteMagnitude))

    /// The largest |design value| of a numeric feature's value column, nil when the input can make it grow
    /// without bound (no `log1p` and not clipped on both sides). The value is computed with the encoder's own
    /// operations on the extreme inputs, which are monotone, so it is attained, not just a bound.
    static func largestMagnitude(_ n: NumericTransform) -> Double? {
        var lower = -Double.infinity, upper = Double.infinity
        if n.log1p == true { (lower, upper) = log1pRange }
        let clipMin = n.clipMin ?? -.infinity, clipMax = n.clipMax ?? .infinity
        lower = Swift.min(Swift.max(lower, clipMin), clipMax)
        upper = Swift.min(Swift.max(upper, clipMin), clipMax)
        guard lower.isFinite, upper.isFinite else { return nil }
        let mean = n.mean ?? 0, inverseStd = n.std.map { 1 / $0 } ?? 1
        return Swift.max(Swift.abs((lower - mean) * inverseStd), Swift.abs((upper - mean) * inverseStd))
    }

    /// Refuses a model with which some accepted input gives a non-finite score or points (see the extension's
    /// contract). Called by ``validate(file:)`` after the structural checks.
    func validateMagnitudes(file: String) throws {
        func fail(_ location: String, _ problem: String) -> ModelError {
            .invalid(file: file, location: location, problem: problem)
        }
        for (i, f) in features.enumerated() {
            if let n = f.numeric, let m = Self.largestMagnitude(n), !m.isFinite {
                throw fail("features[\(i)] (\(f.name)).numeric",
                           "its clip bounds, mean and std let the standardised value overflow a double")
            }
        }
        let margin = 1 + 4 * Double(designColumns.count + 2) * Double.ulpOfOne
        for (i, head) in heads.enumerated() {
            let at = "heads[\(i)] (\(head.name))"
            if let p = head.points, !(p.factor.isFinite && p.offset.isFinite) {
                throw fail("\(at).points", "the scaling's factor or offset overflows a double")
            }
            var bound = Swift.abs(head.intercept)
            var everyFeatureBounded = true
            for f in features {
                let w = { (column: String) in Swift.abs(head.weights[column] ?? 0) }
                if let n = f.numeric {
                    if let m = Self.largestMagnitude(n) { bound += w(f.name) * m } else { everyFeatureBounded = false }
                    if n.indicator == true { bound += w("\(f.name):missing") }
                } else if let c = f.categorical {
                    switch c.encoding {
                    case .oneHot:
                        // At most one of the feature's columns is 1.
                        var largest = 0.0
                        for level in c.levels where level != c.reference { largest = Swift.max(largest, w("\(f.name)=\(level)")) }
                        if c.unseen == .bin { largest = Swift.max(largest, w("\(f.name)=(unseen)")) }
                        bound += largest
                    case .woe:
                        var values = (c.woe ?? []).map(Swift.abs)
                        if c.unseen == .bin { values.append(Swift.abs(c.unseenWoe ?? 0)) }
                        bound += w("\(f.name):woe") * (values.max() ?? 0)
                    }
                } else if let b = f.binned {
                    let values = (b.woe + (b.missingWoe.map { [$0] } ?? [])).map(Swift.abs)
                    bound += w("\(f.name):woe") * (values.max() ?? 0)
                }
            }
            guard (bound * margin).isFinite else {
                throw fail("\(at).weights", "weights this large can make the score overflow a double for some input "
                           + "(|intercept| + Σ |weight| · largest |design value| exceeds 1.8e308)")
            }
            if everyFeatureBounded, let p = head.points, !(Swift.abs(p.offset) + p.factor * bound * margin).isFinite {
                throw fail("\(at).points", "with these weights the points can overflow a double for some input")
            }
        }
    }
}
