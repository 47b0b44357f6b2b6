/// The size of a fixed-size draw decided by randomised rounding: `lower` units, or `lower + 1` with probability
/// ``upperProbability``, the coin being independent of the units' own random numbers.
///
/// Why: a quota agreed as a ratio gives an expected size `ratio · N` that is rarely an integer. Rounding it up
/// with probability equal to its fractional part keeps the expected size exactly `ratio · N` (so workload and
/// the Horvitz–Thompson weights `1/π` are those agreed), gives a small stratum (`ratio · N < ½`) a non-zero chance
/// instead of rounding it to no check at all, and cannot drift over many strata the way a fixed rounding rule
/// does. Every single draw still has an integer size, stated before anything is checked.
public struct SampleSizeLaw: Sendable, Hashable, CustomStringConvertible {
    /// The smaller size, ≥ 0.
    public let lower: Int
    /// The probability of drawing `lower + 1`, in `[0, 1)`; 0 for an exact size.
    public let upperProbability: Double

    /// Exactly `size` units.
    public init(exactly size: Int) {
        precondition(size >= 0, "a sample size is ≥ 0")
        self.init(lower: size, upperProbability: 0)
    }

    private init(lower: Int, upperProbability: Double) {
        self.lower = lower
        self.upperProbability = upperProbability
    }

    /// Randomised rounding of `expected` (finite, ≥ 0): `⌊expected⌋`, or one more with probability
    /// `expected − ⌊expected⌋`.
    ///
    /// An `expected` within `1e-9 · max(1, expected)` of an integer is that integer: `0.03 · 3800` computes to
    /// 113.99999999999999, and a 1e-14 chance of a 115th check would only add noise to every π.
    public init(expected: Double) {
        precondition(expected.isFinite && expected >= 0, "an expected size is finite and ≥ 0")
        let nearest = expected.rounded()
        if abs(expected - nearest) <= 1e-9 * max(1, expected) {
            self.init(exactly: Int(nearest))
        } else {
            let floor = expected.rounded(.down)
            self.init(lower: Int(floor), upperProbability: expected - floor)
        }
    }

    /// The expected size `lower + upperProbability`.
    public var expected: Double { Double(lower) + upperProbability }

    /// The largest size the law can give.
    public var upper: Int { upperProbability > 0 ? lower + 1 : lower }

    /// The size drawn with the uniform number `coin` in `[0, 1)`: `lower + 1` when `coin < upperProbability`.
    public func size(coin: Double) -> Int { coin < upperProbability ? lower + 1 : lower }

    /// `n = 114` or `n = 114 + Bernoulli(0.24)`.
    public var description: String {
        upperProbability == 0 ? "n = \(lower)" : "n = \(lower) + Bernoulli(\(upperProbability))"
    }
}
