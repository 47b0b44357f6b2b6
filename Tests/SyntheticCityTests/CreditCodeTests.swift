import Testing
@testable import SyntheticCity

@Suite("GB 32100-2015 unified social credit codes")
struct CreditCodeTests {
    /// Published codes of real companies: Huawei Technologies Co., Ltd. (Wikipedia infobox) and Shenzhen Tencent
    /// Computer Systems Co., Ltd. (business-licence report, check-china.com).
    static let published = ["914403001922038216", "91440300708461136T"]

    @Test("published codes pass both check characters", arguments: published)
    func publishedCodesAreValid(code: String) {
        #expect(CreditCode.isValid(code))
        #expect(CreditCode.organisationCodeIsValid(code))
    }

    @Test("any single-character substitution breaks the check", arguments: published)
    func substitutionsAreDetected(code: String) {
        // 31 is prime and every weight is non-zero mod 31, so changing one value always changes the sum mod 31.
        let bytes = Array(code.utf8)
        for position in 0..<17 {
            for replacement in CreditCode.alphabet where replacement != bytes[position] {
                var mutated = bytes
                mutated[position] = replacement
                #expect(!CreditCode.isValid(String(decoding: mutated, as: UTF8.self)),
                        "position \(position) → \(Character(UnicodeScalar(replacement)))")
            }
        }
    }

    @Test("weights are 3^i mod 31 and the alphabet omits I, O, S, V, Z")
    func constants() {
        #expect(CreditCode.weights == [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28])
        #expect(CreditCode.alphabet.count == 31)
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
        var rng = CityRandom(seed: 7)
        for _ in 0..<2000 {
            let body = rng.nextIndex(below: 100_000_000)
            let district = District.all[rng.nextIndex(below: District.all.count)].code
            let code = String(decoding: CreditCode.make(authority: UInt8(ascii: "9"), type: UInt8(ascii: "1"),
                                                        division: district, organisationBody: body), as: UTF8.self)
            #expect(CreditCode.isValid(code), "\(code)")
            #expect(CreditCode.organisationCodeIsValid(code), "\(code)")
            #expect(code.hasPrefix("91\(district)"))
        }
    }
}
