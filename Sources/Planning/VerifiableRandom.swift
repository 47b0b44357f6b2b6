import Crypto
import Synchronization

/// Publicly verifiable random numbers: every number is a SHA-256 digest of
/// `(seed, purpose, entity, counter)`, so anyone holding the announced seed can re-derive it.
///
/// The seed is a public string fixed in advance (for example a lottery result). Because each number
/// is a pure function of the tuple — not of a position in a shared stream — a number attached to an
/// entity does not depend on the order of the rows in any input file, and drawing for one purpose
/// can never shift the numbers of another purpose.
///
/// ## Byte encoding (version `onecheck.random.v1`)
///
/// The SHA-256 message is the concatenation of
///
///     field("onecheck.random.v1") ‖ field(seed) ‖ field(purpose) ‖ field(entity) ‖ be64(counter)
///
/// where `field(s) = be64(byteCount(utf8(s))) ‖ utf8(s)`: the exact UTF-8 bytes of the string as given
/// (no Unicode normalisation), preceded by their length as an unsigned 64-bit big-endian integer, and
/// `be64(c)` is the counter as an unsigned 64-bit big-endian integer. Length prefixes make the encoding
/// injective: `("ab", "c")` and `("a", "bc")` give different messages.
///
/// ## From digest to numbers
///
/// * ``word(entity:counter:)`` is the first 8 digest bytes read as a big-endian `UInt64`.
/// * ``uniform(entity:counter:)`` is `(word >> 11) · 2⁻⁵³`: the top 53 bits, an exact multiple of
///   2⁻⁵³ in `[0, 1)`, every value equally likely.
/// * A ``VerifiableRandomStream`` for an entity yields the 64-bit words
///   `w₀, w₁, w₂, …` where word `k` is bytes `8·(k mod 4) ..< 8·(k mod 4) + 8` (big-endian) of the
///   digest for counter `k / 4` (integer division): each digest feeds four consecutive words, so
///   `w₄꜀ = word(entity: e, counter: c)`.
///
/// `Sources/Planning/RANDOMNESS.md` restates this specification with test vectors.
public struct VerifiableRandom: Sendable, Hashable {
    public static func == (lhs: VerifiableRandom, rhs: VerifiableRandom) -> Bool {
        lhs.seed == rhs.seed && lhs.purpose == rhs.purpose
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(seed)
        hasher.combine(purpose)
    }

    /// The version tag hashed as the first field of every message; changing the algorithm changes it.
    public static let version = "onecheck.random.v1"

    /// The public seed string, announced before the draw.
    public let seed: String
    /// What the numbers are used for, e.g. `"plan.2026Q1.select.market"`; different purposes give
    /// independent numbers from the same seed.
    public let purpose: String

    /// Fixed message prefix `field(version) ‖ field(seed) ‖ field(purpose)`, computed once.
    @usableFromInline let prefix: [UInt8]
    /// SHA-256 state after absorbing `prefix`: every number starts from it and hashes only its own tail, so a
    /// long seed or purpose costs nothing per number.
    let prefixState: PrefixState

    public init(seed: String, purpose: String) {
        self.seed = seed
        self.purpose = purpose
        var bytes: [UInt8] = []
        Self.appendField(Self.version, to: &bytes)
        Self.appendField(seed, to: &bytes)
        Self.appendField(purpose, to: &bytes)
        prefix = bytes
        var state = SHA256()
        state.update(data: bytes)
        prefixState = PrefixState(state)
    }

    /// The same seed with another purpose.
    public func with(purpose: String) -> VerifiableRandom {
        VerifiableRandom(seed: seed, purpose: purpose)
    }

    /// The exact SHA-256 message for `(entity, counter)`, as specified above.
    public func message(entity: String, counter: UInt64) -> [UInt8] {
        var bytes = prefix
        Self.appendField(entity, to: &bytes)
        Self.appendBigEndian(counter, to: &bytes)
        return bytes
    }

    /// The 32-byte SHA-256 digest of ``message(entity:counter:)``.
    public func digest(entity: String, counter: UInt64) -> [UInt8] {
        Array(SHA256.hash(data: message(entity: entity, counter: counter)))
    }

    /// The first 8 digest bytes as a big-endian `UInt64`.
    ///
    /// Same bytes as `digest(entity:counter:)`, without building the message: the tail
    /// `field(entity) ‖ be64(counter)` is assembled in a stack buffer and hashed on a copy of the prefix state.
    public func word(entity: String, counter: UInt64 = 0) -> UInt64 {
        prefixState.word(entity: entity, counter: counter)
    }

    /// A uniform number in `[0, 1)`: the top 53 bits of ``word(entity:counter:)`` times 2⁻⁵³.
    ///
    /// Use counter 0 for an entity's *permanent random number* in a purpose.
    public func uniform(entity: String, counter: UInt64 = 0) -> Double {
        Self.unitInterval(word(entity: entity, counter: counter))
    }

    /// A counter-based stream of words for `entity` (often a label such as `"replicate-17"`).
    public func stream(entity: String) -> VerifiableRandomStream {
        VerifiableRandomStream(random: self, entity: entity)
    }

    // MARK: Encoding helpers (internal, shared with the stream)

    @inlinable
    static func appendField(_ string: String, to bytes: inout [UInt8]) {
        let utf8 = Array(string.utf8)
        appendBigEndian(UInt64(utf8.count), to: &bytes)
        bytes.append(contentsOf: utf8)
    }

    @inlinable
    static func appendBigEndian(_ value: UInt64, to bytes: inout [UInt8]) {
        for shift in stride(from: 56, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
        }
    }

    @inlinable
    static func bigEndianWord<Bytes: RandomAccessCollection>(_ bytes: Bytes, at offset: Int) -> UInt64
    where Bytes.Element == UInt8, Bytes.Index == Int {
        var value: UInt64 = 0
        let start = bytes.startIndex + offset
        for index in start..<(start + 8) {
            value = (value << 8) | UInt64(bytes[index])
        }
        return value
    }

    /// `(word >> 11) · 2⁻⁵³`, exact in `Double`.
    @inlinable
    public static func unitInterval(_ word: UInt64) -> Double {
        Double(word >> 11) * 0x1p-53
    }
}

/// The SHA-256 state after a ``VerifiableRandom``'s prefix, shared by its copies.
///
/// swift-crypto's `SHA256` is not declared `Sendable`; keeping it behind a lock lets a `VerifiableRandom`
/// cross threads with the compiler's check instead of an unchecked claim. Each number hashes its tail on a copy
/// of the state (copy on write), inside the lock, so threads that share one instance take turns: a thread that
/// draws many numbers makes its own `VerifiableRandom` (as ``VerifiableRandom/uniforms(for:counter:)-(([String],_))``
/// does per chunk), whose uncontended lock costs little beside the hash.
final class PrefixState: Sendable {
    private let state: Mutex<SHA256>

    init(_ state: sending SHA256) { self.state = Mutex(state) }

    /// The first 8 bytes, big-endian, of the digest of prefix ‖ field(entity) ‖ be64(counter); the tail is
    /// assembled in a stack buffer.
    func word(entity: String, counter: UInt64) -> UInt64 {
        state.withLock { prefix in
            var hasher = prefix
            var entity = entity
            entity.withUTF8 { utf8 in
                withUnsafeTemporaryAllocation(byteCount: utf8.count + 16, alignment: 8) { tail in
                    tail.storeBytes(of: UInt64(utf8.count).bigEndian, toByteOffset: 0, as: UInt64.self)
                    if utf8.count > 0 {
                        UnsafeMutableRawBufferPointer(rebasing: tail[8..<(8 + utf8.count)])
                            .copyMemory(from: UnsafeRawBufferPointer(utf8))
                    }
                    tail.storeBytes(of: counter.bigEndian, toByteOffset: 8 + utf8.count, as: UInt64.self)
                    hasher.update(bufferPointer: UnsafeRawBufferPointer(tail))
                }
            }
            return hasher.finalize().withUnsafeBytes { UInt64(bigEndian: $0.loadUnaligned(as: UInt64.self)) }
        }
    }
}
