/// The 18-character unified social credit code (统一社会信用代码) of GB 32100-2015.
///
/// Layout, by position (1-based):
/// - 1: registration authority (e.g. `9` = market regulation / industry and commerce),
/// - 2: organisation type under that authority (e.g. `1` = enterprise, `2` = individual business),
/// - 3–8: the administrative-division code of the registering authority (e.g. `310104` = Xuhui, Shanghai),
/// - 9–17: the organisation code of GB 11714 (eight body characters and its own check character),
/// - 18: the check character over positions 1–17.
///
/// The check character: code characters take the values of the 31-character alphabet
/// `0123456789ABCDEFGHJKLMNPQRTUWXY` (I, O, S, V, Z excluded), position `i` (0-based) is weighted `3ⁱ mod 31`, and
/// the check value is `31 − (Σ valueᵢ·weightᵢ mod 31)`, with 31 written as `0`.
public enum CreditCode {
    /// The GB 32100-2015 character set, in value order (value of a character = its index).
    public static let alphabet: [UInt8] = Array("0123456789ABCDEFGHJKLMNPQRTUWXY".utf8)

    /// The weights `3ⁱ mod 31` for positions 0…16.
    public static let weights: [Int] = {
        var w = [Int]()
        var x = 1
        for _ in 0..<17 { w.append(x); x = x * 3 % 31 }
        return w
    }()

    private static let values: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (v, c) in alphabet.enumerated() { table[Int(c)] = Int8(v) }
        return table
    }()

    /// The value of a code character, or nil when it is not in the alphabet.
    @inline(__always)
    public static func value(of character: UInt8) -> Int? {
        let v = values[Int(character)]
        return v < 0 ? nil : Int(v)
    }

    /// The check character for the first 17 characters of a code, or nil when one of them is outside the alphabet.
    /// - Precondition: `body.count == 17`.
    public static func checkCharacter<C: Collection>(for body: C) -> UInt8? where C.Element == UInt8 {
        precondition(body.count == 17, "a credit code body has 17 characters")
        var sum = 0
        for (i, c) in body.enumerated() {
            guard let v = value(of: c) else { return nil }
            sum += v * weights[i]
        }
        return alphabet[(31 - sum % 31) % 31]
    }

    /// Whether `code` is 18 characters of the alphabet whose last one is the check character of the other 17.
    /// (The embedded organisation code's own check is ``organisationCodeIsValid(_:)``.)
    public static func isValid(_ code: String) -> Bool {
        let bytes = Array(code.utf8)
        guard bytes.count == 18, let check = checkCharacter(for: bytes[0..<17]) else { return false }
        return check == bytes[17]
    }

    // MARK: GB 11714 organisation code (positions 9–17)

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
        let check = 11 - sum % 11
        switch check {
        case 10: return UInt8(ascii: "X")
        case 11: return UInt8(ascii: "0")
        default: return UInt8(ascii: "0") + UInt8(check)
        }
    }

    /// Whether characters 9–17 of a credit code form a valid GB 11714 organisation code.
    public static func organisationCodeIsValid(_ code: String) -> Bool {
        let bytes = Array(code.utf8)
        guard bytes.count == 18, let check = organisationCheckCharacter(for: bytes[8..<16]) else { return false }
        return check == bytes[16]
    }

    /// Builds a code from its parts: authority and type characters, a six-digit division code and an eight-digit
    /// organisation-code body given as a number in `0..<10⁸` (written with leading zeros). Both check characters
    /// are computed. The result is 18 ASCII bytes.
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
