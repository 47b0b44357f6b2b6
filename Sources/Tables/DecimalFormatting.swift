#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Deterministic number → text conversion for CSV output, writing ASCII bytes straight into a buffer.
///
/// Fixed-decimal output is computed with integer arithmetic on the exact binary value, so it depends on no
/// locale, C library or floating-point mode: the same `Double` always gives the same bytes on every machine.
public enum DecimalFormatting {
    /// Most decimals `writeFixed` accepts: 10^17 × 2^53 still fits the two-word intermediate product.
    public static let maxDecimals = 17
    /// Bytes that always suffice for one `writeFixed` (the largest finite Double has 309 integer digits).
    public static let maxFixedLength = 1 + 309 + 1 + maxDecimals
    /// Bytes that always suffice for one `writeInteger`.
    public static let maxIntegerLength = 20

    /// Writes `value` with exactly `decimals` digits after the point and returns the bytes written.
    ///
    /// The result is the exact decimal value of `value` rounded to `decimals` places, **ties away from zero**
    /// (0.125 → "0.13", −2.5 → "-3" with 0 decimals). Because rounding is on the exact binary value, 0.145
    /// (really 0.14499999999999999…) gives "0.14". A result that rounds to zero has no minus sign ("0.00",
    /// never "-0.00"). With `decimals == 0` there is no decimal point. NaN and ±∞ are written `NaN`, `Inf`,
    /// `-Inf`, which `DecimalParsing` reads back.
    ///
    /// - Precondition: `0 <= decimals <= maxDecimals`; `out` has room for `maxFixedLength` bytes.
    /// - Complexity: O(digits) with 64/128-bit integer operations; magnitudes ≥ 2^63 (always integers) are
    ///   printed through `snprintf("%.0f")`, which is exact for integers.
    public static func writeFixed(_ value: Double, decimals: Int, to out: UnsafeMutablePointer<UInt8>) -> Int {
        precondition(decimals >= 0 && decimals <= maxDecimals, "decimals must be in 0...\(maxDecimals)")
        if !value.isFinite { return writeNonFinite(value, to: out) }
        let bits = value.bitPattern
        let negative = bits >> 63 != 0
        let biasedExponent = Int((bits >> 52) & 0x7FF)
        var significand = bits & 0x000F_FFFF_FFFF_FFFF
        let exponent: Int  // |value| = significand × 2^exponent
        if biasedExponent == 0 {
            exponent = -1074
        } else {
            significand |= 1 << 52
            exponent = biasedExponent - 1075
        }
        let scale = powerOfTen(decimals)
        var integerPart: UInt64 = 0
        var fraction: UInt64 = 0  // the rounded fraction digits as an integer < scale
        if significand == 0 {
            // ±0 → "0.00…"
        } else if exponent >= 0 {
            if exponent > 10 { return writeHugeInteger(value, decimals: decimals, to: out) }
            integerPart = significand &<< UInt64(exponent)
        } else {
            let shift = -exponent
            let fractionBits: UInt64
            if shift < 64 {
                integerPart = significand &>> UInt64(shift)
                fractionBits = significand & ((1 &<< UInt64(shift)) &- 1)
            } else {
                fractionBits = significand
            }
            // fraction × 10^decimals = fractionBits × scale / 2^shift exactly. The product (< 2^110) is
            // formed in two words; the quotient is the product shifted right, and the exact remainder is at
            // least half the divisor iff bit shift−1 of the product is set — which is "round half up" on
            // the magnitude, i.e. ties away from zero. For shift ≥ 128 the value is below 2^-18: zero.
            if shift < 128 {
                let (high, low) = fractionBits.multipliedFullWidth(by: scale)
                var digits: UInt64
                let roundBit: UInt64
                if shift < 64 {
                    digits = (high &<< UInt64(64 - shift)) | (low &>> UInt64(shift))
                    roundBit = (low &>> UInt64(shift - 1)) & 1
                } else {
                    digits = high &>> UInt64(shift - 64)
                    roundBit = shift == 64 ? low &>> 63 : (high &>> UInt64(shift - 65)) & 1
                }
                digits += roundBit
                if digits == scale {
                    integerPart += 1
                    digits = 0
                }
                fraction = digits
            }
        }
        var n = 0
        if negative && (integerPart != 0 || fraction != 0) {
            out[0] = UInt8(ascii: "-")
            n = 1
        }
        n += writeUnsigned(integerPart, to: out + n)
        if decimals > 0 {
            out[n] = UInt8(ascii: ".")
            n += 1
            writePadded(fraction, digits: decimals, to: out + n)
            n += decimals
        }
        return n
    }

    /// Writes `value` in decimal (with a leading `-` when negative); returns the bytes written (≤ 20).
    public static func writeInteger(_ value: Int, to out: UnsafeMutablePointer<UInt8>) -> Int {
        if value < 0 {
            out[0] = UInt8(ascii: "-")
            return 1 + writeUnsigned(UInt64(value.magnitude), to: out + 1)
        }
        return writeUnsigned(UInt64(value), to: out)
    }

    /// `value` with `decimals` fixed decimals, as a string (see `writeFixed`).
    public static func fixed(_ value: Double, decimals: Int) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maxFixedLength) { buffer in
            let n = writeFixed(value, decimals: decimals, to: buffer.baseAddress!)
            return String(decoding: UnsafeBufferPointer(start: buffer.baseAddress!, count: n), as: UTF8.self)
        }
    }

    /// The shortest text that reads back as exactly `value` (Swift's `description`), with non-finite values
    /// spelled `NaN`, `Inf`, `-Inf` as in `writeFixed`.
    public static func shortest(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "Inf" }
        return value.description
    }

    // MARK: - Digits

    /// "00" "01" … "99": two digits per division halves the divisions.
    private static let digitPairs: StaticString = "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"

    /// 10^e as an integer, 0 ≤ e ≤ 19.
    static func powerOfTen(_ e: Int) -> UInt64 {
        DecimalParsing.exactIntegerPowerOfTen(e)
    }

    /// Decimal digits of `value` (no padding); returns their count.
    static func writeUnsigned(_ value: UInt64, to out: UnsafeMutablePointer<UInt8>) -> Int {
        var length = 1
        var probe = value
        while probe >= 10 {
            probe /= 10
            length += 1
        }
        writePadded(value, digits: length, to: out)
        return length
    }

    /// The last `digits` decimal digits of `value`, zero-padded on the left.
    static func writePadded(_ value: UInt64, digits: Int, to out: UnsafeMutablePointer<UInt8>) {
        let pairs = digitPairs.utf8Start
        var rest = value
        var position = digits
        while position >= 2 {
            let pair = Int(rest % 100)
            rest /= 100
            position -= 2
            out[position] = pairs[2 * pair]
            out[position + 1] = pairs[2 * pair + 1]
        }
        if position == 1 { out[0] = UInt8(truncatingIfNeeded: rest % 10) + UInt8(ascii: "0") }
    }

    private static func writeNonFinite(_ value: Double, to out: UnsafeMutablePointer<UInt8>) -> Int {
        let text: StaticString = value.isNaN ? "NaN" : (value < 0 ? "-Inf" : "Inf")
        out.update(from: text.utf8Start, count: text.utf8CodeUnitCount)
        return text.utf8CodeUnitCount
    }

    /// |value| ≥ 2^63 is an integer; `%.0f` prints integers exactly, then the zero decimals are appended.
    private static func writeHugeInteger(_ value: Double, decimals: Int, to out: UnsafeMutablePointer<UInt8>) -> Int {
        var n = withVaList([value]) { arguments in
            out.withMemoryRebound(to: CChar.self, capacity: maxFixedLength) { text in
                Int(vsnprintf(text, maxFixedLength, "%.0f", arguments))
            }
        }
        if decimals > 0 {
            out[n] = UInt8(ascii: ".")
            n += 1
            for k in 0..<decimals { out[n + k] = UInt8(ascii: "0") }
            n += decimals
        }
        return n
    }
}
