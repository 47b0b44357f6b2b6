#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Testing
import TestSupport
@testable import Tables

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

    @Test("numbers read from blocks (the padded SWAR path) match strtod, whatever bytes follow the field")
    func blockFieldsAgainstStrtod() throws {
        var rng = SeededGenerator(seed: 31)
        let scratch = try Scratch()
        // Short fixed-point shapes hit the fast path; the rest exercise its fallbacks. Quoted fields put a
        // quote after the content; quoted fields with "" escapes leave stale digits after the unescaped content.
        var fields: [String] = []
        for _ in 0..<20_000 {
            switch Int.random(in: 0...3, using: &rng) {
            case 0:
                let integer = String(Int.random(in: 0...9_999_999, using: &rng))
                let fraction = String(Int.random(in: 0...9_999_999, using: &rng)).prefix(Int.random(in: 0...8, using: &rng))
                fields.append(["", "-", "+"].randomElement(using: &rng)! + integer.prefix(Int.random(in: 0...9, using: &rng))
                              + (Bool.random(using: &rng) ? "." + fraction : ""))
            case 1: fields.append(Self.randomDecimal(&rng))
            case 2: fields.append(String(Double.random(in: -1e5...1e5, using: &rng)))
            default: fields.append(String(format: "%.\(Int.random(in: 0...9, using: &rng))f", Double.random(in: -1e3...1e3, using: &rng)))
            }
        }
        var text = "a,b,c\n"
        for k in stride(from: 0, to: fields.count - 2, by: 3) {
            text += "\(fields[k]),\"\(fields[k + 1])\",\(fields[k + 2])\n"
        }
        text += "\"1\"\"23\",4567,\"89\"\n"
        let path = try scratch.write("numbers.csv", text)
        var reader = try CSVReader(path: path, options: .init(blockSize: 4096))
        var index = 0
        var mismatches: [String] = []
        while let block = try reader.nextBlock() {
            for row in 0..<block.rowCount {
                for column in 0..<3 {
                    let field = block.string(row: row, column: column)
                    let bits: UInt64?
                    switch block.parseDouble(row: row, column: column) {
                    case .finite(let value), .nonFinite(let value): bits = value.bitPattern
                    case .missing, .invalid: bits = nil
                    }
                    let expected = DecimalParsing.parseDouble(field)
                    let expectedBits: UInt64?
                    switch expected {
                    case .finite(let value), .nonFinite(let value): expectedBits = value.bitPattern
                    case .missing, .invalid: expectedBits = nil
                    }
                    if bits != expectedBits || (bits != nil && bits != Self.strtodBits(field)) {
                        mismatches.append(field)
                    }
                    if index < fields.count - 2 { #expect(field == fields[index]) }
                    index += 1
                }
            }
        }
        #expect(index == 3 * ((fields.count - 1) / 3) + 3)
        #expect(mismatches.isEmpty, "first mismatches: \(mismatches.prefix(5))")
    }

    @Test("17–19 digit mantissas above 2^53 (the check-and-correct path) match strtod, ties included",
          arguments: [41, 42])
    func longMantissas(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        var texts: [String] = []
        for _ in 0..<20_000 {
            // Shortest and 17-digit renderings of doubles at everyday magnitudes.
            let value = Double.random(in: 1e-5...1e6, using: &rng)
            texts.append(value.description)
            texts.append(String(format: "%.17g", value))
            // 17–19 random digits with the point anywhere (0…21 fraction digits).
            let digits = Int.random(in: 17...19, using: &rng)
            var text = String(Int.random(in: 1...9, using: &rng))
            for _ in 1..<digits { text += String(Int.random(in: 0...9, using: &rng)) }
            let point = Int.random(in: 0...digits, using: &rng)
            let chars = Array(text)
            texts.append(String(chars[..<point]) + "." + String(chars[point...]))
            // Integers in [2^53, 2^63): many are exact midpoints between two doubles (ties to even).
            let integer = UInt64.random(in: (1 << 53)...(1 << 63), using: &rng)
            texts.append(String(integer))
            texts.append(String(integer | 1) + "e0")
            texts.append("0." + String(repeating: "0", count: Int.random(in: 0...3, using: &rng)) + String(integer))
        }
        texts += ["9007199254740993", "9007199254740995", "9007199254740997", "18014398509481986",
                  "18014398509481990", "0.30000000000000004", "9223372036854775807", "1844674407370955.1615",
                  "4611686018427387903.5", "0.000009007199254740993", "12345678901234567e-21"]
        var mismatches: [String] = []
        for text in texts where Self.parsedBits(text) != Self.strtodBits(text) { mismatches.append(text) }
        #expect(mismatches.isEmpty, "first mismatches: \(mismatches.prefix(5))")
    }

    @Test("the check-and-correct path decides nearly every long mantissa itself (strtod is the exception)")
    func longMantissaPathIsTaken() {
        var rng = SeededGenerator(seed: 43)
        var decided = 0
        for _ in 0..<10_000 {
            let mantissa = UInt64.random(in: (1 << 53)...9_999_999_999_999_999_999, using: &rng)
            let k = Int.random(in: 0...21, using: &rng)
            if let value = DecimalParsing.nearestDouble(mantissa: mantissa, dividedByPowerOfTen: k) {
                decided += 1
                #expect(value.bitPattern == Self.strtodBits("\(mantissa)e-\(k)"), "\(mantissa)e-\(k)")
            }
        }
        #expect(decided > 9_900)
        #expect(DecimalParsing.nearestDouble(mantissa: 30_000_000_000_000_004, dividedByPowerOfTen: 17)
                == 0.30000000000000004)
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
