#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The outcome of reading one field as a number.
///
/// Non-finite values are reported apart from finite ones so each caller decides whether NaN and infinities
/// are acceptable (model inputs usually are not), and an empty field is *missing*, not zero.
public enum ParsedDouble: Equatable, Sendable {
    /// A finite number, correctly rounded (bit-identical to `strtod`).
    case finite(Double)
    /// `NaN`, `Inf`, `Infinity` (any case, optionally signed), or a decimal that overflows to ±∞.
    case nonFinite(Double)
    /// The field is empty.
    case missing
    /// The field is not a decimal number.
    case invalid
}

/// Exact decimal → `Double` conversion on UTF-8 bytes, without allocation on the common path.
///
/// Accepted grammar (no surrounding whitespace, ASCII only):
///
///     number   = [sign] (digits ["." [digits]] | "." digits) [exponent]
///     exponent = ("e" | "E") [sign] digits
///     special  = [sign] ("nan" | "inf" | "infinity")        (case-insensitive)
///
/// so `12`, `-3.5`, `1e-3`, `+.5`, `5.` and `NaN` are accepted and `.`, `1e`, ` 1`, `0x10`, `1,5` are not.
///
/// The result is the correctly rounded nearest `Double`, bit-identical to C's `strtod` on the same text:
/// with at most 19 significant digits whose integer fits in 2^53 and a decimal exponent within ±22, one IEEE
/// multiplication or division by an exactly representable power of ten is correctly rounded (Clinger's fast
/// path); mantissas above 2^53 (up to 19 digits) divided by 10^0…10^21 are guessed and then checked and
/// corrected against exact midpoints in 128-bit integers; every other input is handed to `strtod` on a
/// NUL-terminated stack copy.
public enum DecimalParsing {
    /// Parses `bytes` as a decimal number. See the type's documentation for the grammar.
    /// - Complexity: O(n) in the length of the field.
    @inlinable @inline(__always)
    public static func parseDouble(_ bytes: UnsafeRawBufferPointer) -> ParsedDouble {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return .missing }
        return parseDouble(base.assumingMemoryBound(to: UInt8.self), count: bytes.count)
    }

    /// Parses the UTF-8 of `text` as a decimal number (a convenience for tests and small tables).
    public static func parseDouble(_ text: String) -> ParsedDouble {
        var copy = text
        return copy.withUTF8 { parseDouble(UnsafeRawBufferPointer($0)) }
    }

    /// Parses `count` bytes at `p` as a decimal number.
    @inlinable
    public static func parseDouble(_ p: UnsafePointer<UInt8>, count n: Int) -> ParsedDouble {
        if n == 0 { return .missing }
        var i = 0
        var negative = false
        let first = p[0]
        if first == UInt8(ascii: "-") {
            negative = true
            i = 1
        } else if first == UInt8(ascii: "+") {
            i = 1
        }
        // Digits accumulate into `mantissa` without per-digit checks; more than 19 significant digits may
        // wrap it, so that case goes to strtod below. Leading zeros are skipped so they do not count.
        var mantissa: UInt64 = 0
        var exponent = 0             // value = mantissa × 10^exponent (before the explicit exponent)
        let integerStart = i
        while i < n && p[i] == UInt8(ascii: "0") { i += 1 }
        var significantStart = i
        while i < n {
            let d = p[i] &- 48
            if d > 9 { break }
            mantissa = mantissa &* 10 &+ UInt64(d)
            i += 1
        }
        var significant = i - significantStart
        var digitCount = i - integerStart
        if i < n && p[i] == UInt8(ascii: ".") {
            i += 1
            let fractionStart = i
            if significant == 0 {
                while i < n && p[i] == UInt8(ascii: "0") { i += 1 }
            }
            significantStart = i
            while i < n {
                let d = p[i] &- 48
                if d > 9 { break }
                mantissa = mantissa &* 10 &+ UInt64(d)
                i += 1
            }
            significant += i - significantStart
            digitCount += i - fractionStart
            exponent = fractionStart - i
        }
        if digitCount == 0 {
            return parseSpecial(p + integerStart, count: n - integerStart, negative: negative,
                                hadDot: i > integerStart)
        }
        let truncated = significant > 19
        if i < n && (p[i] | 0x20) == UInt8(ascii: "e") {
            i += 1
            var exponentNegative = false
            if i < n && (p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+")) {
                exponentNegative = p[i] == UInt8(ascii: "-")
                i += 1
            }
            var explicit = 0
            var exponentDigits = 0
            while i < n {
                let d = p[i] &- 48
                if d > 9 { break }
                // Saturate: anything beyond ±100000 is 0 or ∞ anyway, and strtod decides which.
                if explicit < 100_000 { explicit = explicit &* 10 &+ Int(d) }
                exponentDigits += 1
                i += 1
            }
            if exponentDigits == 0 { return .invalid }
            exponent += exponentNegative ? -explicit : explicit
        }
        if i != n { return .invalid }

        if !truncated && mantissa <= (1 << 53) {
            var value = Double(mantissa)
            if mantissa == 0 {
                // 0 × anything is 0; keep the sign ("-0" → -0.0, like strtod).
            } else if exponent >= 0 && exponent <= 22 {
                value *= exactPowerOfTen(exponent)
            } else if exponent < 0 && exponent >= -22 {
                value /= exactPowerOfTen(-exponent)
            } else if exponent > 22 && exponent <= 22 + 16 {
                // 1e30 = (1 × 10^8) × 10^22: if the shifted mantissa is still an exact integer ≤ 2^53,
                // the final multiplication is the only rounding.
                let (shifted, overflow) = mantissa.multipliedReportingOverflow(by: exactIntegerPowerOfTen(exponent - 22))
                if overflow || shifted > (1 << 53) { return slowParse(p, count: n) }
                value = Double(shifted) * exactPowerOfTen(22)
            } else {
                return slowParse(p, count: n)
            }
            return .finite(negative ? -value : value)
        }
        if !truncated && exponent <= 0 && exponent >= -21,
           let value = nearestDouble(mantissa: mantissa, dividedByPowerOfTen: -exponent) {
            return .finite(negative ? -value : value)
        }
        return slowParse(p, count: n)
    }

    /// `parseDouble(_:count:)` for fields inside a `CSVBlock`, whose storage guarantees that at least 16
    /// bytes after the field are readable. The common shape `[sign] digits [. digits]` with at most 7 digits
    /// on each side is converted eight bytes at a time (SWAR), without a branch per digit; every other shape,
    /// and any doubt, goes to the general parser, so the result is identical.
    @inlinable @inline(__always)
    static func parseDoublePadded(_ p: UnsafePointer<UInt8>, count n: Int) -> ParsedDouble {
        if n > 0 {
            let first = p[0]
            var i = first == UInt8(ascii: "-") || first == UInt8(ascii: "+") ? 1 : 0
            let raw = UnsafeRawPointer(p)
            let integerWord = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            let integerDigits = leadingDigitCount(integerWord)
            var mantissa = digitValue(integerWord, count: integerDigits)
            i += integerDigits
            var fractionDigits = 0
            if i < n && p[i] == UInt8(ascii: ".") {
                let fractionWord = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i + 1, as: UInt64.self))
                fractionDigits = leadingDigitCount(fractionWord)
                mantissa = mantissa &* exactIntegerPowerOfTen(fractionDigits)
                    &+ digitValue(fractionWord, count: fractionDigits)
                i += 1 + fractionDigits
            }
            // Digits may run past the field (into the next bytes of the block): then i > n and we fall back.
            if i == n && integerDigits < 8 && fractionDigits < 8 && integerDigits + fractionDigits > 0 {
                // mantissa < 10^14 ≤ 2^53 and 10^fractionDigits is exact: one correctly rounded division.
                let value = Double(mantissa) / exactPowerOfTen(fractionDigits)
                return .finite(first == UInt8(ascii: "-") ? -value : value)
            }
        }
        return parseDouble(p, count: n)
    }

    /// How many of the eight bytes of `word` (first byte lowest) are ASCII digits before the first
    /// non-digit. A byte is a digit iff its high nibble is 3 and adding 6 keeps it 3; a carry out of a
    /// non-digit byte can only disturb later bytes, which no longer count.
    @inlinable @inline(__always)
    static func leadingDigitCount(_ word: UInt64) -> Int {
        let highNibbles: UInt64 = 0xF0F0_F0F0_F0F0_F0F0
        let threes: UInt64 = 0x3030_3030_3030_3030
        let nonDigit = ((word & highNibbles) ^ threes) | (((word &+ 0x0606_0606_0606_0606) & highNibbles) ^ threes)
        return nonDigit.trailingZeroBitCount >> 3
    }

    /// The value of the first `count` (0…8) digit bytes of `word`: shift them to the top so the missing
    /// leading digits read as zeros, then combine pairs, quads and octets with three multiplications.
    @inlinable @inline(__always)
    static func digitValue(_ word: UInt64, count: Int) -> UInt64 {
        if count == 0 { return 0 }
        var v = (word &- 0x3030_3030_3030_3030) << UInt64(8 &* (8 &- count))
        v = ((v &* 2561) >> 8) & 0x00FF_00FF_00FF_00FF
        v = ((v &* 6_553_601) >> 16) & 0x0000_FFFF_0000_FFFF
        return (v &* 42_949_672_960_001) >> 32
    }

    /// 10^e for 0 ≤ e ≤ 22, all exactly representable in binary64. A switch compiles to a constant table,
    /// with no lazy-global initialisation check in the hot path.
    @inlinable @inline(__always)
    static func exactPowerOfTen(_ e: Int) -> Double {
        switch e {
        case 0: return 1e0
        case 1: return 1e1
        case 2: return 1e2
        case 3: return 1e3
        case 4: return 1e4
        case 5: return 1e5
        case 6: return 1e6
        case 7: return 1e7
        case 8: return 1e8
        case 9: return 1e9
        case 10: return 1e10
        case 11: return 1e11
        case 12: return 1e12
        case 13: return 1e13
        case 14: return 1e14
        case 15: return 1e15
        case 16: return 1e16
        case 17: return 1e17
        case 18: return 1e18
        case 19: return 1e19
        case 20: return 1e20
        case 21: return 1e21
        default: return 1e22
        }
    }

    /// 10^e as an integer, 0 ≤ e ≤ 19.
    @inlinable @inline(__always)
    static func exactIntegerPowerOfTen(_ e: Int) -> UInt64 {
        UInt64(exactPowerOfTen(e))  // exact: 10^19 < 2^64 and every 10^e ≤ 10^22 is a Double
    }

    /// `nan`, `inf`, `infinity` in any case after an optional sign; anything else is invalid.
    @usableFromInline
    static func parseSpecial(_ p: UnsafePointer<UInt8>, count n: Int, negative: Bool, hadDot: Bool) -> ParsedDouble {
        if hadDot { return .invalid }
        func matches(_ word: StaticString) -> Bool {
            guard word.utf8CodeUnitCount == n else { return false }
            let w = word.utf8Start
            for k in 0..<n where (p[k] | 0x20) != w[k] { return false }
            return true
        }
        if matches("nan") { return .nonFinite(.nan) }
        if matches("inf") || matches("infinity") { return .nonFinite(negative ? -.infinity : .infinity) }
        return .invalid
    }

    /// Correct rounding for everything outside the fast path: `strtod` on a NUL-terminated copy.
    /// The caller has already checked the grammar, so `strtod` sees only plain decimal numbers (never hex
    /// or special words) and consumes the whole copy.
    @usableFromInline @inline(never)
    static func slowParse(_ p: UnsafePointer<UInt8>, count n: Int) -> ParsedDouble {
        let value: Double = withUnsafeTemporaryAllocation(of: CChar.self, capacity: n + 1) { buffer in
            let copy = buffer.baseAddress!
            UnsafeMutableRawPointer(copy).copyMemory(from: p, byteCount: n)
            copy[n] = 0
            return strtod(copy, nil)
        }
        return value.isFinite ? .finite(value) : .nonFinite(value)
    }
}

extension DecimalParsing {
    /// The padded path (`parseDoublePadded`) for the fuzzing harness (`Fuzz/`), which checks it against `strtod`.
    /// - Precondition: at least 16 bytes after `p + count` are readable.
    @_spi(Fuzzing)
    public static func parseDoubleAssumingPadding(_ p: UnsafePointer<UInt8>, count: Int) -> ParsedDouble {
        parseDoublePadded(p, count: count)
    }
}
