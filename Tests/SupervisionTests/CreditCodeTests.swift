import Supervision
import Testing
import TestSupport

@Suite("Unified social credit code (GB 32100-2015)")
struct CreditCodeTests {
    /// A random valid code: authority 9, type 1 or 2, a Shanghai division, a random organisation body.
    static func randomCode(_ rng: inout SeededGenerator) -> String {
        let code = CreditCode.make(authority: UInt8(ascii: "9"), type: rng.next() % 2 == 0 ? UInt8(ascii: "1") : UInt8(ascii: "2"),
                                   division: 310_101 + Int(rng.next() % 20), organisationBody: Int(rng.next() % 100_000_000))
        return String(decoding: code, as: UTF8.self)
    }

    /// Codes published for real companies: Huawei Technologies (zh.wikipedia infobox, check digit 6),
    /// Tencent Technology (Shenzhen) (check letter G) and Shenzhen Tencent Computer Systems (check letter T).
    @Test(arguments: ["914403001922038216", "9144030071526726XG", "91440300708461136T"])
    func acceptsPublishedCodes(code: String) throws {
        #expect(try CreditCode(validating: code).rawValue == code)
        #expect(CreditCode.checkCharacter(forPrefix: String(code.prefix(17))) == code.last)
    }

    @Test func weightsArePowersOfThreeModulo31() {
        var w = 1
        for weight in CreditCode.weights {
            #expect(weight == w)
            w = w * 3 % 31
        }
        #expect(CreditCode.alphabet.count == 31)
    }

    @Test func reportsWhatIsWrong() {
        #expect(throws: CreditCode.Problem.wrongLength(17)) {
            try CreditCode(validating: "91440300192203821")
        }
        #expect(throws: CreditCode.Problem.invalidCharacter(position: 9, character: "I")) {
            try CreditCode(validating: "91440300I922038216")
        }
        #expect(throws: CreditCode.Problem.invalidCharacter(position: 17, character: "x")) {
            try CreditCode(validating: "9144030071526726xG")
        }
        #expect(throws: CreditCode.Problem.checkCharacterMismatch(expected: "6", found: "7")) {
            try CreditCode(validating: "914403001922038217")
        }
    }

    /// Every single-character substitution and every adjacent transposition of a valid code is rejected —
    /// the error-detection guarantee of a mod-31 check with distinct non-zero weights.
    @Test func detectsSubstitutionsAndTranspositions() throws {
        var rng = SeededGenerator(seed: 2015)
        let alphabet = CreditCode.alphabet
        for _ in 0..<50 {
            let code = Array(Self.randomCode(&rng).utf8)
            #expect(CreditCode.isValid(String(decoding: code, as: UTF8.self)))
            for position in 0..<18 {
                for replacement in alphabet where replacement != code[position] {
                    var changed = code
                    changed[position] = replacement
                    #expect(!CreditCode.isValid(String(decoding: changed, as: UTF8.self)))
                }
                if position < 17, code[position] != code[position + 1] {
                    var swapped = code
                    swapped.swapAt(position, position + 1)
                    #expect(!CreditCode.isValid(String(decoding: swapped, as: UTF8.self)))
                }
            }
        }
    }

    // Moved from SyntheticCityTests: the organisation code (GB 11714) inside the credit code, and building codes.

    @Test("published codes pass both check characters", arguments: ["914403001922038216", "91440300708461136T"])
    func publishedCodesPassBothChecks(code: String) {
        #expect(CreditCode.isValid(code))
        #expect(CreditCode.organisationCodeIsValid(code))
    }

    @Test("the alphabet omits I, O, S, V, Z")
    func excludedLetters() {
        for excluded in "IOSVZ".utf8 { #expect(CreditCode.value(of: excluded) == nil) }
    }

    @Test("malformed codes are rejected")
    func malformed() {
        #expect(!CreditCode.isValid("91440300192203821"))     // 17 characters
        #expect(!CreditCode.isValid("9144030019220382160"))   // 19 characters
        #expect(!CreditCode.isValid("91440300192203821I"))    // I is not in the alphabet
        #expect(!CreditCode.isValid("914403001922038217"))    // wrong check character
    }

    @Test("make() builds codes whose both check characters are valid")
    func madeCodesAreValid() {
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<2000 {
            let body = Int(rng.next() % 100_000_000)
            let district = 310_101 + Int(rng.next() % 20)
            let code = String(decoding: CreditCode.make(authority: UInt8(ascii: "9"), type: UInt8(ascii: "1"),
                                                        division: district, organisationBody: body), as: UTF8.self)
            #expect(CreditCode.isValid(code), "\(code)")
            #expect(CreditCode.organisationCodeIsValid(code), "\(code)")
            #expect(code.hasPrefix("91\(district)"))
        }
    }
}
