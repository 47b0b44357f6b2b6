// Exact conversion of 17–19 digit decimals (mantissa above 2^53), which Clinger's fast path cannot do with
// one operation: shortest round-trip output of arbitrary doubles ("0.30000000000000004") lands here. Calling
// strtod for them is a libc call with locale handling and a general big-number path; this check-and-correct
// path is several times cheaper (Benchmarks/README.md, "Design measurements").

extension DecimalParsing {
    /// The correctly rounded double nearest to `w / 10^k`, or nil when this method cannot decide (the
    /// caller then uses strtod).
    ///
    /// A first guess `Double(w) / 10^k` (two roundings) is within a couple of ulps. It is then checked
    /// against the exact midpoints to its neighbours with 128-bit integer arithmetic: with the midpoint
    /// `M × 2^E`, `w / 10^k` is compared with it as `w × 2^−E` against `M × 10^k` (or `w` against
    /// `M × 10^k × 2^E`). Both sides are within a factor of about 4 of `2^54 × 10^k < 2^125` for `k ≤ 21`,
    /// so they fit. A midpoint hit exactly is a tie, resolved to the even significand as strtod does.
    /// - Precondition: `w > 0`, `0 ≤ k ≤ 21`.
    @usableFromInline
    static func nearestDouble(mantissa w: UInt64, dividedByPowerOfTen k: Int) -> Double? {
        var powerOfTen: UInt128 = 1
        for _ in 0..<k { powerOfTen &*= 10 }
        var guess = Double(w) / exactPowerOfTen(k)
        for _ in 0..<4 {
            guard guess.isNormal, let above = compare(w, powerOfTen, midpointAbove(guess)) else { return nil }
            if above > 0 {
                guess = guess.nextUp
                continue
            }
            guard let below = compare(w, powerOfTen, midpointBelow(guess)) else { return nil }
            if below < 0 {
                guess = guess.nextDown
                continue
            }
            if above == 0 { return evenOf(guess, guess.nextUp) }
            if below == 0 { return evenOf(guess, guess.nextDown) }
            return guess
        }
        return nil
    }

    /// The one of two adjacent doubles whose significand is even.
    private static func evenOf(_ a: Double, _ b: Double) -> Double {
        a.bitPattern & 1 == 0 ? a : b
    }

    /// The exact midpoint between positive normal `d` and its successor, as (M, E) with value M × 2^E.
    private static func midpointAbove(_ d: Double) -> (UInt64, Int) {
        let significand = d.significandBitPattern | (1 << 52)
        let exponent = Int(d.exponentBitPattern) - 1075
        return (2 * significand + 1, exponent - 1)
    }

    /// The exact midpoint between positive normal `d` and its predecessor; at a power of two the
    /// predecessor is half an ulp away.
    private static func midpointBelow(_ d: Double) -> (UInt64, Int) {
        let significand = d.significandBitPattern | (1 << 52)
        let exponent = Int(d.exponentBitPattern) - 1075
        if d.significandBitPattern == 0 { return (4 * significand - 1, exponent - 2) }
        return (2 * significand - 1, exponent - 1)
    }

    /// The sign of `w / powerOfTen − M × 2^E` (−1, 0, 1), or nil if an operand would not fit 128 bits.
    private static func compare(_ w: UInt64, _ powerOfTen: UInt128, _ midpoint: (UInt64, Int)) -> Int? {
        let (m, e) = midpoint
        var left = UInt128(w)
        let (product, overflow) = UInt128(m).multipliedReportingOverflow(by: powerOfTen)
        if overflow { return nil }
        var right = product
        if e < 0 {
            if -e >= left.leadingZeroBitCount { return nil }
            left <<= UInt128(-e)
        } else if e > 0 {
            if e >= right.leadingZeroBitCount { return nil }
            right <<= UInt128(e)
        }
        return left < right ? -1 : (left == right ? 0 : 1)
    }
}
