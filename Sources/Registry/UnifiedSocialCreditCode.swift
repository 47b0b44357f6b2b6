/// A unified social credit code (统一社会信用代码), the 18-character identifier of every legal entity in China,
/// as specified by GB 32100-2015.
///
/// Layout: registration authority (1), entity category (1), administrative division (6), organisation code (9),
/// check character (1). Every character comes from the 31-character alphabet `0-9 A-H J-N P-R T-U W-Y` (the
/// letters I, O, S, V and Z are excluded because they are easily confused with digits).
///
/// The check character is the 18th character: with cᵢ the alphabet value (0…30) of the i-th of the first 17
/// characters and wᵢ = 3^(i−1) mod 31, i.e. 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
///
///     check = (31 − Σ wᵢ·cᵢ mod 31) mod 31
///
/// rendered through the same alphabet. A valid code therefore satisfies Σ_{i=1}^{18} wᵢ·cᵢ ≡ 0 (mod 31) with
/// w₁₈ = 1. The check detects every single-character substitution and every adjacent transposition of two
/// different characters (31 is prime and consecutive weights differ).
///
/// Lower-case letters are not accepted: the standard prints codes in upper case, and accepting both would make
/// two spellings of one key in the registry.
public struct UnifiedSocialCreditCode: Hashable, Sendable, CustomStringConvertible {
    /// The 18 characters, upper case.
    public let rawValue: String

    /// The 31 code characters in value order.
    public static let alphabet: [UInt8] = Array("0123456789ABCDEFGHJKLMNPQRTUWXY".utf8)

    /// The weights of the first 17 positions.
    public static let weights: [Int] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    /// Why a string is not a valid code.
    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        /// The string does not have 18 characters.
        case wrongLength(Int)
        /// The character at `position` (1-based) is not in the code alphabet.
        case invalidCharacter(position: Int, character: Character)
        /// The 18th character is `found` but the first 17 characters require `expected`.
        case checkCharacterMismatch(expected: Character, found: Character)

        public var description: String {
            switch self {
            case let .wrongLength(n): return "has \(n) characters, not 18"
            case let .invalidCharacter(position, character):
                return "character \(position) \"\(character)\" is not in the code alphabet 0-9 A-H J-N P-R T-U W-Y"
            case let .checkCharacterMismatch(expected, found):
                return "check character is \"\(found)\" but should be \"\(expected)\""
            }
        }
    }

    /// The expected form, phrased to follow "expected" in error messages.
    public static let expectedForm =
        "an 18-character unified social credit code (GB 32100-2015) from 0-9 A-H J-N P-R T-U W-Y with a valid check character"

    /// Validates `text` as a code.
    /// - Throws: `Problem` saying what is wrong.
    /// - Complexity: O(18).
    public init(validating text: String) throws {
        // Byte-wise: every alphabet character is one ASCII byte, so 18 valid bytes are 18 characters; the
        // character count is only taken to describe a wrong length.
        let utf8 = text.utf8
        let expected: Int? = utf8.withContiguousStorageIfAvailable { bytes -> Int? in
            guard bytes.count == 18 else { return nil }
            var sum = 0
            for i in 0..<17 {
                guard let value = Self.value(of: bytes[i]) else { return nil }
                sum += Self.weights[i] * value
            }
            return (31 - sum % 31) % 31
        } ?? nil
        if let expected, let last = utf8.last, Self.value(of: last) == expected {
            rawValue = text
            return
        }
        // Slow path: say exactly what is wrong.
        guard text.count == 18 else { throw Problem.wrongLength(text.count) }
        let characters = Array(text)
        for (i, character) in characters.enumerated() {
            guard character.isASCII, let byte = character.asciiValue, Self.value(of: byte) != nil else {
                throw Problem.invalidCharacter(position: i + 1, character: character)
            }
        }
        let check = Self.checkCharacter(forPrefix: String(characters[0..<17]))!
        // Reached also by valid strings without contiguous UTF-8 storage (e.g. bridged ones).
        guard check == characters[17] else {
            throw Problem.checkCharacterMismatch(expected: check, found: characters[17])
        }
        rawValue = text
    }

    /// Whether `text` is a valid code.
    public static func isValid(_ text: String) -> Bool { (try? UnifiedSocialCreditCode(validating: text)) != nil }

    /// The check character for the first 17 characters of a code, or nil when `prefix` does not have 17
    /// characters of the alphabet.
    public static func checkCharacter(forPrefix prefix: String) -> Character? {
        let bytes = Array(prefix.utf8)
        guard bytes.count == 17 else { return nil }
        var values: [Int] = []
        values.reserveCapacity(17)
        for byte in bytes {
            guard let v = value(of: byte) else { return nil }
            values.append(v)
        }
        return Character(Unicode.Scalar(alphabet[checkValue(values[...])]))
    }

    /// The alphabet value (0…30) of an ASCII byte, or nil.
    static func value(of byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(byte - UInt8(ascii: "0"))
        default: return valueOfLetter[Int(byte)]
        }
    }

    private static let valueOfLetter: [Int?] = {
        var table = [Int?](repeating: nil, count: 256)
        for (value, byte) in alphabet.enumerated() where byte >= UInt8(ascii: "A") { table[Int(byte)] = value }
        return table
    }()

    private static func checkValue(_ values: ArraySlice<Int>) -> Int {
        var sum = 0
        for (w, c) in zip(weights, values) { sum += w * c }
        return (31 - sum % 31) % 31
    }

    public var description: String { rawValue }
}
