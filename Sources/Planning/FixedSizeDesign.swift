/// A fixed-size sampling design given by its first-order inclusion probabilities π.
///
/// Every π must lie in `[0, 1]` and `Σ π` must be an integer `n` (up to `1e-9 · max(1, N)`), the exact
/// sample size of every draw. Units with π = 1 (*certainty units*) are always selected and units with
/// π = 0 never; the samplers work on the remaining *uncertain* units, in index order.
public struct FixedSizeDesign: Sendable, Equatable {
    /// π per unit.
    public let probabilities: [Double]
    /// The exact sample size `n = Σ π`.
    public let sampleSize: Int
    /// Indices with π = 1, ascending.
    public let certaintyIndices: [Int]
    /// Indices with `0 < π < 1`, ascending.
    public let uncertainIndices: [Int]

    /// The number of draws still to make among the uncertain units.
    public var uncertainSampleSize: Int { sampleSize - certaintyIndices.count }

    /// Validates π and derives `n`.
    ///
    /// - Throws: ``SamplingError/invalidProbability(index:value:)`` for a π outside `[0, 1]` or not finite,
    ///   ``SamplingError/nonIntegerSampleSize(sum:)`` when `Σ π` is not an integer.
    public init(probabilities: [Double]) throws {
        var sum = 0.0
        var certain: [Int] = [], uncertain: [Int] = []
        for (index, pi) in probabilities.enumerated() {
            guard pi.isFinite, pi >= 0, pi <= 1 else { throw SamplingError.invalidProbability(index: index, value: pi) }
            sum += pi
            if pi == 1 { certain.append(index) } else if pi > 0 { uncertain.append(index) }
        }
        let rounded = sum.rounded()
        guard abs(sum - rounded) <= 1e-9 * max(1, Double(probabilities.count)) else {
            throw SamplingError.nonIntegerSampleSize(sum: sum)
        }
        self.probabilities = probabilities
        sampleSize = Int(rounded)
        certaintyIndices = certain
        uncertainIndices = uncertain
    }

    /// The design with π from ``InclusionProbabilities``.
    public init(_ inclusion: InclusionProbabilities) throws {
        try self.init(probabilities: inclusion.values)
    }
}

/// Why a sample cannot be drawn.
public enum SamplingError: Error, Equatable, CustomStringConvertible {
    /// π of a unit is outside `[0, 1]` or not finite.
    case invalidProbability(index: Int, value: Double)
    /// `Σ π` is not an integer, so no fixed-size design has these π.
    case nonIntegerSampleSize(sum: Double)
    /// The conditional Poisson working probabilities did not reproduce π within tolerance.
    case conditionalPoissonDidNotConverge(iterations: Int, maximumError: Double)

    public var description: String {
        switch self {
        case let .invalidProbability(index, value):
            return "inclusion probability of unit \(index) is \(value); expected a number in [0, 1]"
        case let .nonIntegerSampleSize(sum):
            return "inclusion probabilities sum to \(sum); a fixed-size design needs an integer sum"
        case let .conditionalPoissonDidNotConverge(iterations, error):
            return "conditional Poisson fit did not converge after \(iterations) iterations (max |Δπ| = \(error))"
        }
    }
}

/// A fixed-size sampler: every draw has exactly ``FixedSizeDesign/sampleSize`` units, always contains
/// the certainty units, and selects unit `i` with probability exactly `π_i`.
public protocol FixedSizeSampler: Sendable {
    /// The design being sampled.
    var design: FixedSizeDesign { get }
    /// Draws one sample; returns the selected unit indices in ascending order.
    /// The result is a pure function of the design and the generator's words.
    func sample<Generator: RandomNumberGenerator>(using generator: inout Generator) -> [Int]
}

extension RandomNumberGenerator {
    /// A uniform `Double` in `[0, 1)` from one word: `(next() >> 11) · 2⁻⁵³` (the map of RANDOMNESS.md).
    @inlinable
    public mutating func nextUnitInterval() -> Double {
        VerifiableRandom.unitInterval(next())
    }

    /// A uniform integer in `0 ..< bound` by the rejection rule of RANDOMNESS.md:
    /// draw words until `w ≥ 2⁶⁴ mod bound`, return `w mod bound`.
    public mutating func nextInteger(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let m = UInt64(bound)
        let threshold = (0 &- m) % m
        while true {
            let w = next()
            if w >= threshold { return Int(w % m) }
        }
    }
}
