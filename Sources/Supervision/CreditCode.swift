/// A unified social credit code (统一社会信用代码), the 18-character identifier of every legal entity in China,
/// as specified by GB 32100-2015: the one type that validates and builds them.
///
/// Layout, by position (1-based): registration authority (1, e.g. `9` = market regulation), organisation type
/// (2, e.g. `1` enterprise, `2` individual business), administrative division (3–8, e.g. `310104` = Xuhui,
/// Shanghai), the GB 11714 organisation code (9–17: eight body characters and their own check character), and the
/// check character (18). Every character comes from the 31-character alphabet `0-9 A-H J-N P-R T-U W-Y` (I, O, S,
/// V and Z are excluded as easily confused with digits).
///
/// The check character: with cᵢ the alphabet value (0…30) of the i-th of the first 17 characters and
/// wᵢ = 3^(i−1) mod 31 (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28),
///
///     check = (31 − Σ wᵢ·cᵢ mod 31) mod 31
///
/// rendered through the same alphabet. It detects every single-character substitution and every adjacent
/// transposition of two different characters (31 is prime and consecutive weights differ).
///
/// Lower-case letters are not accepted: the standard prints codes in upper case, and accepting both would make two
/// spellings of one key.
public struct CreditCode: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// The 18 characters, upper case.
    public let rawValue: String

    /// The 31 code characters in value order.
    public static let alphabet: [UInt8] = Array("0123456789ABCDEFGHJKLMNPQRTUWXY".utf8)

    /// The weights `3ⁱ mod 31` of the first 17 positions.
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
    /// - Throws: ``Problem`` saying what is wrong.
    /// - Complexity: O(18).
    public init(validating text: String) throws {
        var copy = text
        let valid = copy.withUTF8 { bytes in
            bytes.count == 18 && Self.checkValue(of: bytes[0..<17]).map { Self.value(of: bytes[17]) == $0 } == true
        }
        if valid {
            rawValue = text
            return
        }
        // Slow path: say exactly what is wrong.
        guard text.count == 18 else { throw Problem.wrongLength(text.count) }
        let characters = Array(text)
        for (i, character) in characters.enumerated() {
            guard let byte = character.asciiValue, Self.value(of: byte) != nil else {
                throw Problem.invalidCharacter(position: i + 1, character: character)
            }
        }
        let check = Self.checkCharacter(forPrefix: String(characters[0..<17]))!
        throw Problem.checkCharacterMismatch(expected: check, found: characters[17])
    }

    /// Whether `text` is a valid code.
    public static func isValid(_ text: String) -> Bool { (try? CreditCode(validating: text)) != nil }

    /// The check character for the first 17 characters of a code, or nil when `prefix` is not 17 characters of
    /// the alphabet.
    public static func checkCharacter(forPrefix prefix: String) -> Character? {
        let bytes = Array(prefix.utf8)
        guard bytes.count == 17, let check = checkValue(of: bytes[...]) else { return nil }
        return Character(Unicode.Scalar(alphabet[check]))
    }

    /// The check character's byte for 17 code bytes, or nil when one is outside the alphabet.
    /// - Precondition: `body.count == 17`.
    public static func checkCharacter<C: Collection>(for body: C) -> UInt8? where C.Element == UInt8 {
        precondition(body.count == 17, "a credit code body has 17 characters")
        return checkValue(of: body).map { alphabet[$0] }
    }

    /// The alphabet value (0…30) of an ASCII byte, or nil.
    @inline(__always)
    public static func value(of byte: UInt8) -> Int? {
        let v = values[Int(byte)]
        return v < 0 ? nil : Int(v)
    }

    private static let values: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (v, c) in alphabet.enumerated() { table[Int(c)] = Int8(v) }
        return table
    }()

    private static func checkValue<C: Collection>(of body: C) -> Int? where C.Element == UInt8 {
        var sum = 0
        for (w, byte) in zip(weights, body) {
            guard let c = value(of: byte) else { return nil }
            sum += w * c
        }
        return (31 - sum % 31) % 31
    }

    public static func < (a: CreditCode, b: CreditCode) -> Bool { a.rawValue.utf8.lexicographicallyPrecedes(b.rawValue.utf8) }

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do { try self.init(validating: text) } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\"\(text)\" \(error)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

// MARK: - GB 11714 organisation code (positions 9–17) and building codes

extension CreditCode {
    /// GB 11714 weights for the eight body characters of an organisation code.
    public static let organisationWeights = [3, 7, 9, 10, 5, 8, 4, 2]

    /// The GB 11714 check character of an eight-character organisation-code body (digits and capital letters, a
    /// letter worth 10 + its place in A…Z): `11 − (Σ valueᵢ·weightᵢ mod 11)`, 10 written `X`, 11 written `0`.
    /// Returns nil for a character outside `0-9A-Z` or a body that is not eight characters.
    public static func organisationCheckCharacter<C: Collection>(for body: C) -> UInt8? where C.Element == UInt8 {
        guard body.count == 8 else { return nil }
        var sum = 0
        for (i, c) in body.enumerated() {
            let v: Int
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = Int(c - UInt8(ascii: "0"))
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): v = Int(c - UInt8(ascii: "A")) + 10
            default: return nil
            }
            sum += v * organisationWeights[i]
        }
        switch 11 - sum % 11 {
        case 10: return UInt8(ascii: "X")
        case 11: return UInt8(ascii: "0")
        case let check: return UInt8(ascii: "0") + UInt8(check)
        }
    }

    /// Whether characters 9–17 of `code` form a valid GB 11714 organisation code.
    public static func organisationCodeIsValid(_ code: String) -> Bool {
        let bytes = Array(code.utf8)
        guard bytes.count == 18, let check = organisationCheckCharacter(for: bytes[8..<16]) else { return false }
        return check == bytes[16]
    }

    /// The 18 ASCII bytes of a code built from its parts: authority and type characters, a six-digit division code
    /// and an eight-digit organisation-code body given as a number in `0..<10⁸` (written with leading zeros). Both
    /// check characters are computed.
    /// - Precondition: the characters are in the alphabet, `division` has six digits, `0 ≤ body < 10⁸`.
    public static func make(authority: UInt8, type: UInt8, division: Int, organisationBody body: Int) -> [UInt8] {
        precondition((100_000...999_999).contains(division) && (0..<100_000_000).contains(body))
        var code = [UInt8](repeating: 0, count: 18)
        code[0] = authority
        code[1] = type
        var d = division
        for i in stride(from: 7, through: 2, by: -1) { code[i] = UInt8(ascii: "0") + UInt8(d % 10); d /= 10 }
        var b = body
        for i in stride(from: 15, through: 8, by: -1) { code[i] = UInt8(ascii: "0") + UInt8(b % 10); b /= 10 }
        code[16] = organisationCheckCharacter(for: code[8..<16])!
        code[17] = checkCharacter(for: code[0..<17])!
        return code
    }
}
