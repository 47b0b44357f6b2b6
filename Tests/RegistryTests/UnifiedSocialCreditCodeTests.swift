import Registry
import Testing
import TestSupport

@Suite("Unified social credit code (GB 32100-2015)")
struct UnifiedSocialCreditCodeTests {
    /// Codes published for real companies: Huawei Technologies (zh.wikipedia infobox, check digit 6),
    /// Tencent Technology (Shenzhen) (check letter G) and Shenzhen Tencent Computer Systems (check letter T).
    @Test(arguments: ["914403001922038216", "9144030071526726XG", "91440300708461136T"])
    func acceptsPublishedCodes(code: String) throws {
        #expect(try UnifiedSocialCreditCode(validating: code).rawValue == code)
        #expect(UnifiedSocialCreditCode.checkCharacter(forPrefix: String(code.prefix(17))) == code.last)
    }

    @Test func weightsArePowersOfThreeModulo31() {
        var w = 1
        for weight in UnifiedSocialCreditCode.weights {
            #expect(weight == w)
            w = w * 3 % 31
        }
        #expect(UnifiedSocialCreditCode.alphabet.count == 31)
    }

    @Test func reportsWhatIsWrong() {
        #expect(throws: UnifiedSocialCreditCode.Problem.wrongLength(17)) {
            try UnifiedSocialCreditCode(validating: "91440300192203821")
        }
        #expect(throws: UnifiedSocialCreditCode.Problem.invalidCharacter(position: 9, character: "I")) {
            try UnifiedSocialCreditCode(validating: "91440300I922038216")
        }
        #expect(throws: UnifiedSocialCreditCode.Problem.invalidCharacter(position: 17, character: "x")) {
            try UnifiedSocialCreditCode(validating: "9144030071526726xG")
        }
        #expect(throws: UnifiedSocialCreditCode.Problem.checkCharacterMismatch(expected: "6", found: "7")) {
            try UnifiedSocialCreditCode(validating: "914403001922038217")
        }
    }

    /// Every single-character substitution and every adjacent transposition of a valid code is rejected —
    /// the error-detection guarantee of a mod-31 check with distinct non-zero weights.
    @Test func detectsSubstitutionsAndTranspositions() throws {
        var rng = SeededGenerator(seed: 2015)
        let alphabet = UnifiedSocialCreditCode.alphabet
        for _ in 0..<50 {
            let code = Array(Fixtures.creditCode(&rng).utf8)
            #expect(UnifiedSocialCreditCode.isValid(String(decoding: code, as: UTF8.self)))
            for position in 0..<18 {
                for replacement in alphabet where replacement != code[position] {
                    var changed = code
                    changed[position] = replacement
                    #expect(!UnifiedSocialCreditCode.isValid(String(decoding: changed, as: UTF8.self)))
                }
                if position < 17, code[position] != code[position + 1] {
                    var swapped = code
                    swapped.swapAt(position, position + 1)
                    #expect(!UnifiedSocialCreditCode.isValid(String(decoding: swapped, as: UTF8.self)))
                }
            }
        }
    }
}
