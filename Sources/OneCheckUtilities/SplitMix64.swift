/// SplitMix64 (Steele, Lea & Flood, 2014): a tiny seeded generator whose bits are the same on every machine and
/// Swift version.
///
/// Why the project keeps its own: the standard library specifies no seeded generator, and the algorithms behind
/// `shuffled(using:)` and `Int.random(in:using:)` are not promised to stay the same, so anything that must
/// reproduce from a seed (fold assignment, fixtures, the synthetic city's stream seeding) draws through this type
/// and ``RandomNumberGenerator/uniform(below:)``.
package struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The state; the next output is `mix(state + γ)`.
    package private(set) var state: UInt64

    /// The golden-ratio increment γ.
    package static let increment: UInt64 = 0x9E37_79B9_7F4A_7C15

    package init(seed: UInt64) { state = seed }

    @inline(__always)
    package mutating func next() -> UInt64 {
        state &+= Self.increment
        return Self.mix(state)
    }

    /// The SplitMix64 output function (a variant of MurmurHash3's 64-bit finaliser): a bijection of `UInt64`
    /// that spreads every input bit over the whole word, used alone to hash seeds and indices.
    @inline(__always)
    package static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

// The draws are inlinable so that callers in other modules get them specialised for their generator: otherwise
// every draw is a generic call through the protocol's witness table (the city's per-feature draws are hot).
extension RandomNumberGenerator {
    /// A uniform integer in `0..<bound`, by Lemire's multiply-and-reject method: unbiased, and a fixed function of
    /// the generator's outputs (unlike `Int.random(in:using:)`, whose algorithm is unspecified).
    /// - Precondition: `bound > 0`.
    /// - Complexity: O(1) expected; fewer than two draws on average for any bound.
    @inlinable @inline(__always)
    package mutating func uniform(below bound: Int) -> Int {
        precondition(bound > 0, "the bound must be positive")
        let b = UInt64(bound)
        var product = next().multipliedFullWidth(by: b)
        if product.low < b {
            let threshold = (0 &- b) % b
            while product.low < threshold { product = next().multipliedFullWidth(by: b) }
        }
        return Int(product.high)
    }

    /// A uniform double in `[0, 1)`: the top 53 bits of one output scaled by 2⁻⁵³.
    @inlinable @inline(__always)
    package mutating func unitInterval() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Fisher–Yates shuffle with ``uniform(below:)``: the permutation is a function of the generator's outputs
    /// alone.
    /// - Complexity: O(n).
    package mutating func shuffle<T>(_ values: inout [T]) {
        guard values.count > 1 else { return }
        for i in stride(from: values.count - 1, to: 0, by: -1) {
            values.swapAt(i, uniform(below: i + 1))
        }
    }
}
