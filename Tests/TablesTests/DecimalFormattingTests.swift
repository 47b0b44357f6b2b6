#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import TestSupport
import Tables

@Suite("DecimalFormatting: fixed decimals, ties away from zero on the exact value")
struct DecimalFormattingTests {
    /// The C library's `printf` of one double (exact binary → decimal in glibc).
    static func printf(_ format: String, _ value: Double) -> String {
        var buffer = [CChar](repeating: 0, count: 1400)
        _ = withVaList([value]) { vsnprintf(&buffer, buffer.count, format, $0) }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// An independent reference: the exact decimal expansion of |value| (1100 places is exact for every
    /// double), rounded half away from zero by decimal string arithmetic.
    static func reference(_ value: Double, decimals: Int) -> String {
        let exact = printf("%.1100f", value.magnitude)
        let parts = exact.split(separator: ".")
        var digits = Array(parts[0] + parts[1].prefix(decimals)).map { Int($0.asciiValue! - 48) }
        let next = Array(parts[1])[decimals].asciiValue! - 48
        if next >= 5 {
            var k = digits.count - 1
            while k >= 0 && digits[k] == 9 {
                digits[k] = 0
                k -= 1
            }
            if k >= 0 { digits[k] += 1 } else { digits.insert(1, at: 0) }
        }
        let integerCount = digits.count - decimals
        var integerDigits = digits[..<integerCount].drop { $0 == 0 }.map(String.init).joined()
        if integerDigits.isEmpty { integerDigits = "0" }
        let fraction = digits[integerCount...].map(String.init).joined()
        let isZero = digits.allSatisfy { $0 == 0 }
        return (value.sign == .minus && !isZero ? "-" : "") + integerDigits + (decimals > 0 ? "." + fraction : "")
    }

    /// Whether |value| × 10^decimals is exactly halfway between two integers (where printf rounds to even).
    static func isTie(_ value: Double, decimals: Int) -> Bool {
        let fraction = printf("%.1100f", value.magnitude).split(separator: ".")[1].dropFirst(decimals)
        return fraction.first == "5" && fraction.dropFirst().allSatisfy { $0 == "0" }
    }

    @Test("seeded random values equal the exact reference and, away from ties, printf", arguments: [21, 22, 23])
    func randomValues(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        var checked = 0
        for _ in 0..<4000 {
            let value: Double
            switch Int.random(in: 0...3, using: &rng) {
            case 0: value = Double.random(in: -1e6...1e6, using: &rng)
            case 1: value = Double.random(in: -1...1, using: &rng)
            case 2: value = Double(Int.random(in: -100_000...100_000, using: &rng)) / 1000  // many near-ties
            default:
                value = Double(sign: Bool.random(using: &rng) ? .minus : .plus,
                               exponent: Int.random(in: -70...70, using: &rng),
                               significand: Double.random(in: 1..<2, using: &rng))
            }
            let decimals = Int.random(in: 0...DecimalFormatting.maxDecimals, using: &rng)
            let ours = DecimalFormatting.fixed(value, decimals: decimals)
            #expect(ours == Self.reference(value, decimals: decimals), "\(value) with \(decimals)")
            if !Self.isTie(value, decimals: decimals) {
                var expected = Self.printf("%.\(decimals)f", value)
                if expected.hasPrefix("-") && expected.allSatisfy({ $0 == "-" || $0 == "0" || $0 == "." }) {
                    expected.removeFirst()  // printf keeps "-0.00"; we drop the sign of zero
                }
                #expect(ours == expected, "\(value) with \(decimals)")
                checked += 1
            }
        }
        #expect(checked > 3000)
    }

    @Test("ties round away from zero; near-ties follow the exact binary value")
    func roundingEdges() {
        let cases: [(Double, Int, String)] = [
            (0.125, 2, "0.13"), (-0.125, 2, "-0.13"), (0.375, 2, "0.38"), (2.5, 0, "3"), (-2.5, 0, "-3"),
            (0.5, 0, "1"), (1.5, 0, "2"), (1.005, 2, "1.00"), (2.675, 2, "2.67"), (0.145, 2, "0.14"),
            (9.995, 2, "9.99"), (9.9999999, 3, "10.000"), (999.9996, 3, "1000.000"), (-0.0004, 3, "0.000"),
            (-0.0005, 3, "-0.001"), (-0.0, 2, "0.00"), (0, 0, "0"), (.leastNonzeroMagnitude, 17, "0.00000000000000000"),
            (1e-17, 17, "0.00000000000000001"), (5e-18, 17, "0.00000000000000001"), (0.1, 17, "0.10000000000000001"),
            (123.456, 0, "123"), (1e15 + 0.5, 0, "1000000000000001"), (4503599627370495.5, 0, "4503599627370496"),
            (0x1p53, 1, "9007199254740992.0"), (0x1p63, 2, "9223372036854775808.00"),
            (1e20, 3, "100000000000000000000.000"),
        ]
        for (value, decimals, expected) in cases {
            #expect(DecimalFormatting.fixed(value, decimals: decimals) == expected, "\(value) with \(decimals)")
            #expect(Self.reference(value, decimals: decimals) == expected, "reference: \(value) with \(decimals)")
        }
        let huge = DecimalFormatting.fixed(-1.5e300, decimals: 1)
        #expect(huge == "-" + Self.printf("%.0f", 1.5e300) + ".0")
        #expect(huge.count == 1 + 301 + 2)
        #expect(DecimalFormatting.fixed(.greatestFiniteMagnitude, decimals: 0) == Self.printf("%.0f", .greatestFiniteMagnitude))
    }

    @Test("non-finite values are spelled NaN, Inf, -Inf and read back")
    func nonFinite() {
        #expect(DecimalFormatting.fixed(.nan, decimals: 2) == "NaN")
        #expect(DecimalFormatting.fixed(.infinity, decimals: 2) == "Inf")
        #expect(DecimalFormatting.fixed(-.infinity, decimals: 0) == "-Inf")
        #expect(DecimalParsing.parseDouble(DecimalFormatting.fixed(-.infinity, decimals: 0)) == .nonFinite(-.infinity))
        #expect(DecimalFormatting.shortest(.nan) == "NaN")
        #expect(DecimalFormatting.shortest(0.1) == "0.1")
    }

    @Test("integers equal Swift's description, including the extremes")
    func integers() {
        var rng = SeededGenerator(seed: 5)
        let values = [0, 1, -1, 9, 10, 99, 100, Int.max, Int.min] + (0..<2000).map { _ in
            Int(truncatingIfNeeded: rng.next()) >> Int.random(in: 0...63, using: &rng)
        }
        var buffer = [UInt8](repeating: 0, count: DecimalFormatting.maxIntegerLength)
        for value in values {
            let n = buffer.withUnsafeMutableBufferPointer { DecimalFormatting.writeInteger(value, to: $0.baseAddress!) }
            #expect(String(decoding: buffer[..<n], as: UTF8.self) == String(value))
        }
    }

    @Test("fixed output parses back to the value rounded at that precision")
    func parsesBack() {
        var rng = SeededGenerator(seed: 8)
        for _ in 0..<5000 {
            let value = Double.random(in: -1e4...1e4, using: &rng)
            let text = DecimalFormatting.fixed(value, decimals: 6)
            guard case .finite(let back) = DecimalParsing.parseDouble(text) else {
                Issue.record("\(text) does not parse")
                continue
            }
            #expect(abs(back - value) <= 0.5e-6 + 1e-12 * abs(value))
        }
    }
}
