import OneCheckUtilities

/// The synthetic city's pseudo-random generator: xoshiro256** (Blackman & Vigna, 2018), seeded through SplitMix64.
///
/// Why not the standard library's generators: `SystemRandomNumberGenerator` is not reproducible, and the
/// standard library specifies no seeded generator, so the city would differ between machines and toolchains.
/// Everything here is plain 64-bit integer arithmetic (wrapping add, multiply, shift, rotate), identical on every
/// platform, so the same seed gives the same bits everywhere.
///
/// ## Streams
/// Every table and every entity gets its own *independent stream*, derived from the city seed, a purpose tag and an
/// index by ``CityRandom/init(seed:purpose:index:)``. An entity's values therefore depend only on
/// `(seed, entity index)` — not on how entities are split into chunks or which thread generated them.
///
/// The derivation hashes the three words into a SplitMix64 start value (each word passed through the SplitMix64
/// finaliser so nearby indices start far apart), then draws the four xoshiro state words from SplitMix64, as the
/// xoshiro authors recommend. The all-zero state, the only invalid one, cannot come out of SplitMix64 for four
/// consecutive outputs.
///
/// Uniform draws are OneCheckUtilities' `unitInterval()` (the top 53 bits of one word, times 2⁻⁵³) and
/// `uniform(below:)` (Lemire's multiply-and-reject); the other distributions are in `CityRandom+Distributions`.
public struct CityRandom: RandomNumberGenerator, Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64
    /// The second deviate of the last polar-method pair, or NaN (see ``nextNormal()``).
    var spareNormal = Double.nan

    /// A stream seeded from a single 64-bit value: the four state words are SplitMix64's first four outputs
    /// from `seed`.
    public init(seed: UInt64) {
        var mixer = SplitMix64(seed: seed)
        s0 = mixer.next(); s1 = mixer.next(); s2 = mixer.next(); s3 = mixer.next()
    }

    /// The independent stream for `purpose` (e.g. ``Purpose/entity``) and `index` (e.g. the entity's row) of the
    /// city with `seed`.
    public init(seed: UInt64, purpose: Purpose, index: UInt64 = 0) {
        // Three rounds of the finaliser over (seed, purpose, index): distinct triples give unrelated start values.
        var h = SplitMix64.mix(seed &+ 0x9E37_79B9_7F4A_7C15)
        h = SplitMix64.mix(h ^ (purpose.rawValue &* 0xD1B5_4A32_D192_ED03))
        h = SplitMix64.mix(h ^ (index &* 0x8CB9_2BA7_2F3D_8DD7 &+ 0x2545_F491_4F6C_DD1D))
        self.init(seed: h)
    }

    /// The next 64 random bits (xoshiro256**).
    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    @inline(__always)
    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 &- k)) }

}

extension CityRandom {
    /// Tags that separate the streams of different jobs, so adding a table never shifts another table's values.
    /// Raw values are part of the output's definition: never renumber them.
    public struct Purpose: RawRepresentable, Hashable, Sendable {
        public var rawValue: UInt64
        public init(rawValue: UInt64) { self.rawValue = rawValue }

        /// One stream per entity: features, code, and its inspection history.
        public static let entity = Purpose(rawValue: 1)
        /// The permutation that makes organisation codes unique.
        public static let codes = Purpose(rawValue: 2)
        /// One stream per (department, district) roster cell.
        public static let roster = Purpose(rawValue: 3)
        /// Assigning last period's checks to inspectors, per (department, district).
        public static let lastChecks = Purpose(rawValue: 4)
        /// Simulated findings, one stream per (planner check, department): `FindingsSimulator`.
        public static let findings = Purpose(rawValue: 5)
    }
}
