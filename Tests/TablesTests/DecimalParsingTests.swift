#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Testing
import Tables

@Suite("DecimalParsing: exact, bit-identical to strtod")
struct DecimalParsingTests {
    static func strtodBits(_ text: String) -> UInt64 {
        text.withCString { strtod($0, nil) }.bitPattern
    }

    static func parsedBits(_ text: String) -> UInt64? {
        switch DecimalParsing.parseDouble(text) {
        case .finite(let value), .nonFinite(let value): return value.bitPattern
        default: return nil
        }
    }

    /// A random decimal in the accepted grammar, biased towards the fast path's borders.
    static func randomDecimal(_ rng: inout SeededGenerator) -> String {
        func digits(_ count: Int) -> String {
            String((0..<count).map { _ in Character(String(Int.random(in: 0...9, using: &rng))) })
        }
        var text = ["", "-", "+"].randomElement(using: &rng)!
        let integerDigits = Int.random(in: 0...20, using: &rng)
        let fractionDigits = Int.random(in: 0...20, using: &rng)
        text += digits(integerDigits)
        if fractionDigits > 0 || integerDigits == 0 || Bool.random(using: &rng) {
            text += "." + digits(integerDigits == 0 ? max(fractionDigits, 1) : fractionDigits)
        }
        switch Int.random(in: 0...3, using: &rng) {
        case 0: break
        case 1: text += (Bool.random(using: &rng) ? "e" : "E") + String(Int.random(in: -25...25, using: &rng))
        case 2: text += "e" + ["", "+", "-"].randomElement(using: &rng)! + String(Int.random(in: 0...40, using: &rng))
        default: text += "e" + String(Int.random(in: -340...310, using: &rng))
        }
        return text
    }

    @Test("seeded random decimals parse to the same bits as strtod", arguments: [11, 12, 13, 14])
    func randomAgainstStrtod(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        var mismatches: [String] = []
        for _ in 0..<50_000 {
            let text = Self.randomDecimal(&rng)
            if Self.parsedBits(text) != Self.strtodBits(text) { mismatches.append(text) }
        }
        #expect(mismatches.isEmpty, "first mismatches: \(mismatches.prefix(5))")
    }

    @Test("random doubles printed shortest and with %.17g parse back to themselves and match strtod")
    func randomDoublesRoundTrip() {
        var rng = SeededGenerator(seed: 99)
        for _ in 0..<50_000 {
            let value = Double(bitPattern: rng.next() & 0x7FEF_FFFF_FFFF_FFFF) * (Bool.random(using: &rng) ? 1 : -1)
            let shortest = value.description
            let long = String(format: "%.17g", value)
            #expect(Self.parsedBits(shortest) == value.bitPattern, "\(shortest)")
            #expect(Self.parsedBits(long) == Self.strtodBits(long), "\(long)")
        }
    }

    @Test("edge cases match strtod", arguments: [
        "0", "-0", "+0", "0.0", "-0.0", "00012", "12", "-3.5", "1e-3", "+.5", "5.", "-.5e1", "1E22", "1e23",
        "9007199254740992", "9007199254740993", "9007199254740991.5", "18014398509481984", "0.1", "0.3",
        "1e308", "1.7976931348623157e308", "1.7976931348623159e308", "1e309", "-1e400", "4.9e-324", "2e-324",
        "2.4703282292062328e-324", "2.2250738585072011e-308", "2.2250738585072014e-308", "1e-400",
        "123456789012345678901234567890", "0.000000000000000000000000000001", "3.141592653589793238462643383279",
        "1.00000000000000011102230246251565404236316680908203125", "7.2057594037927933e16", "1e-22", "1e-23",
        "4503599627370496.5", "4503599627370497.5", "1e37", "9e37", "1e38", "99999999999999999999e0",
        "1234567890123456789", "12345678901234567890", "0.0000001e7", "100000000000000000000000e-2",
    ])
    func edgeCases(text: String) {
        #expect(Self.parsedBits(text) == Self.strtodBits(text))
    }

    @Test("classification: finite, non-finite, missing, invalid")
    func classification() {
        #expect(DecimalParsing.parseDouble("") == .missing)
        #expect(DecimalParsing.parseDouble("-2.5") == .finite(-2.5))
        #expect(DecimalParsing.parseDouble("1e400") == .nonFinite(.infinity))
        for text in ["Inf", "inf", "+INF", "Infinity", "infinity"] {
            #expect(DecimalParsing.parseDouble(text) == .nonFinite(.infinity), "\(text)")
        }
        #expect(DecimalParsing.parseDouble("-inf") == .nonFinite(-.infinity))
        for text in ["NaN", "nan", "-NAN"] {
            guard case .nonFinite(let value) = DecimalParsing.parseDouble(text) else {
                Issue.record("\(text) is not non-finite")
                continue
            }
            #expect(value.isNaN)
        }
        for text in [".", "-", "+", "e5", "1e", "1e+", "--1", "+-1", "1.2.3", " 1", "1 ", "0x10", "1,5", "infinit",
                     "nanx", ".e1", "1e5.0", "1..2", "١", "abc", "NA", "in", "-.", "1e++2"] {
            #expect(DecimalParsing.parseDouble(text) == .invalid, "\(text)")
        }
    }

    @Test("parsing from raw bytes without a terminator ignores what follows")
    func bytesNotTerminated() {
        let bytes = Array("12.5e1,999".utf8)
        bytes.withUnsafeBytes { raw in
            #expect(DecimalParsing.parseDouble(UnsafeRawBufferPointer(rebasing: raw[0..<6])) == .finite(125))
            // A slow-path number (too many digits) next to more digits: the copy must stop at the field end.
            let long = Array("0.12345678901234567890123".utf8) + Array("999".utf8)
            long.withUnsafeBytes { all in
                let field = UnsafeRawBufferPointer(rebasing: all[0..<25])
                #expect(DecimalParsing.parseDouble(field) == .finite(strtod("0.12345678901234567890123", nil)))
            }
        }
    }
}
