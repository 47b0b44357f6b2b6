import Crypto

/// A deterministic, counter-based ``RandomNumberGenerator`` whose every word is re-derivable
/// from the public seed: word `k` is bytes `8·(k mod 4) ..< 8·(k mod 4) + 8` (big-endian) of
/// `SHA-256(field(version) ‖ field(seed) ‖ field(purpose) ‖ field(entity) ‖ be64(k / 4))`.
///
/// See ``VerifiableRandom`` for the encoding. Algorithms that need a sequence (a sequential
/// sampler, a shuffle) take their numbers from here; the helpers `nextUnitInterval()` and
/// `nextInteger(below:)` (on every `RandomNumberGenerator`, see `FixedSizeDesign.swift`) have exact,
/// documented maps so that a re-implementation reproduces them.
///
/// Do not pass this stream to standard-library algorithms whose use of the generator is not
/// specified (`shuffle(using:)`, `Int.random(in:using:)`): their internals may change between Swift
/// releases, which would break re-derivation.
///
/// - Complexity: one SHA-256 evaluation per four words.
public struct VerifiableRandomStream: RandomNumberGenerator, Sendable {
    /// The seed and purpose.
    public let random: VerifiableRandom
    /// The entity field hashed into every block.
    public let entity: String
    /// Index of the next word to be returned (`w_k`).
    public private(set) var wordIndex: UInt64 = 0

    /// Message bytes up to the counter; the counter's 8 bytes are appended per block.
    private let messagePrefix: [UInt8]
    /// The current digest's four words.
    private var block: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    public init(random: VerifiableRandom, entity: String) {
        self.random = random
        self.entity = entity
        var bytes = random.prefix
        VerifiableRandom.appendField(entity, to: &bytes)
        messagePrefix = bytes
    }

    /// The next 64-bit word `w_k`.
    public mutating func next() -> UInt64 {
        let lane = Int(wordIndex & 3)
        if lane == 0 { refill(counter: wordIndex >> 2) }
        wordIndex &+= 1
        switch lane {
        case 0: return block.0
        case 1: return block.1
        case 2: return block.2
        default: return block.3
        }
    }

    private mutating func refill(counter: UInt64) {
        var hasher = SHA256()
        hasher.update(data: messagePrefix)
        var be = counter.bigEndian
        withUnsafeBytes(of: &be) { hasher.update(bufferPointer: $0) }
        let digest = hasher.finalize()
        digest.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            block = (
                VerifiableRandom.bigEndianWord(bytes, at: 0),
                VerifiableRandom.bigEndianWord(bytes, at: 8),
                VerifiableRandom.bigEndianWord(bytes, at: 16),
                VerifiableRandom.bigEndianWord(bytes, at: 24)
            )
        }
    }
}
