import Crypto
import Supervision

/// The seed a jurisdiction's plan is drawn with, derived from the public seed and the jurisdiction's code
/// (`onecheck.jurisdiction-seed.v1`, RANDOMNESS.md §8).
///
/// One public seed is announced for a whole province or city; each jurisdiction plans on its own machine with
/// its own seed, which anyone can re-derive from the announced seed and the code:
///
///     digest = SHA-256(field("onecheck.jurisdiction-seed.v1") ‖ field(public seed) ‖ field(code))
///     value  = the first 8 bytes of digest as a big-endian UInt64
///     seed   = value as 16 lower-case hexadecimal digits
///
/// with `field(s) = be64(byteCount(utf8(s))) ‖ utf8(s)`, the encoding of ``VerifiableRandom``'s messages. The
/// 16-digit text is the seed string the unchanged planner draws with (`onecheck.random.v1` messages take the
/// seed as a string), and the manifest records the code, the public seed and ``derivation`` beside it, so that
/// `verify` derives it again rather than trusting it.
///
/// Why a derivation and not the public seed itself: two jurisdictions drawing on the same seed would give an
/// entity present in both (a register's error, or a chain's branch recorded twice) the same permanent random
/// number in both, coupling draws that must be independent; a domain-separated hash gives each jurisdiction an
/// independent stream while keeping one announcement. 64 bits make a collision between two jurisdictions'
/// seeds negligible (about n²/2⁶⁵ for n jurisdictions: below 10⁻¹² for the 3,000 counties of China).
public struct JurisdictionSeed: Sendable, Equatable {
    /// The derivation's version, the domain-separation tag hashed first and recorded in the manifest.
    public static let derivation = "onecheck.jurisdiction-seed.v1"

    /// The jurisdiction planned.
    public let jurisdiction: JurisdictionCode
    /// The seed announced for all jurisdictions (not empty).
    public let publicSeed: String
    /// The first 8 bytes of the digest, big-endian.
    public let value: UInt64

    /// Derives the seed of `jurisdiction` from `publicSeed`.
    public init(publicSeed: String, jurisdiction: JurisdictionCode) {
        self.publicSeed = publicSeed
        self.jurisdiction = jurisdiction
        value = Self.derive(publicSeed: publicSeed, code: jurisdiction.rawValue)
    }

    /// The seed string the jurisdiction's plan is drawn with: ``value`` as 16 lower-case hexadecimal digits.
    public var seedText: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// The SHA-256 message of the derivation (exposed for the test vectors).
    public static func message(publicSeed: String, code: String) -> [UInt8] {
        var bytes: [UInt8] = []
        for text in [derivation, publicSeed, code] {
            let utf8 = Array(text.utf8)
            let count = UInt64(utf8.count)
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: count >> UInt64(shift))) }
            bytes.append(contentsOf: utf8)
        }
        return bytes
    }

    static func derive(publicSeed: String, code: String) -> UInt64 {
        let digest = Array(SHA256.hash(data: message(publicSeed: publicSeed, code: code)))
        var value: UInt64 = 0
        for byte in digest.prefix(8) { value = value << 8 | UInt64(byte) }
        return value
    }
}
