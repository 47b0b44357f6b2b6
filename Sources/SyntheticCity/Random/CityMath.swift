/// `exp` and `log` written out in plain IEEE arithmetic, for the generator's own use.
///
/// Why not the platform's `exp`/`log`: libm implementations differ in the last bit between platforms (and glibc
/// versions), and the city promises byte-identical files on any machine. A one-ulp difference can move a value across
/// a rounding boundary or flip a Bernoulli draw. These versions use only `+ − × ÷`, comparisons and exponent-bit
/// manipulation, which IEEE 754 defines exactly, and Swift does not contract `a*b + c` into fused multiply-adds
/// unless asked, so they give the same bits everywhere.
///
/// Accuracy: a few ulps over the ranges used here (|relative error| < 1e-15), more than enough for a simulation.
enum CityMath {
    private static let ln2Hi = 6.931_471_803_691_238_164_90e-01 // high bits of ln 2 (exact product with small k)
    private static let ln2Lo = 1.908_214_929_270_587_700_02e-10
    private static let invLn2 = 1.442_695_040_888_963_387_00

    /// `eˣ`. Returns `0` below −745 and `+∞` above 709.78.
    ///
    /// Range reduction `x = k·ln 2 + r` with `|r| ≤ ln2/2` (ln 2 split in two parts so `k·ln2Hi` is exact), then a
    /// degree-13 Taylor polynomial for `eʳ` (truncation error < 1e-17 on that interval), then scaling by `2ᵏ`.
    static func exp(_ x: Double) -> Double {
        if x.isNaN { return x }
        if x > 709.78 { return .infinity }
        if x < -745.2 { return 0 }
        let k = (x * invLn2).rounded(.toNearestOrEven)
        let r = (x - k * ln2Hi) - k * ln2Lo
        // Horner form of Σ rⁿ/n!, n = 0…13.
        var p = 1.0 / 6_227_020_800.0
        p = p * r + 1.0 / 479_001_600.0
        p = p * r + 1.0 / 39_916_800.0
        p = p * r + 1.0 / 3_628_800.0
        p = p * r + 1.0 / 362_880.0
        p = p * r + 1.0 / 40_320.0
        p = p * r + 1.0 / 5_040.0
        p = p * r + 1.0 / 720.0
        p = p * r + 1.0 / 120.0
        p = p * r + 1.0 / 24.0
        p = p * r + 1.0 / 6.0
        p = p * r + 0.5
        p = p * r + 1.0
        p = p * r + 1.0
        return scale(p, by: Int(k))
    }

    /// `ln x` for `x > 0`; `−∞` at 0 and NaN below.
    ///
    /// Writes `x = m·2ᵉ` with `m ∈ [√½, √2)`, then `ln m = 2·atanh(s) = 2(s + s³/3 + s⁵/5 + …)` with
    /// `s = (m − 1)/(m + 1)`, `|s| ≤ 0.1716`, summed to s²³ (remainder < 1e-19).
    static func log(_ x: Double) -> Double {
        if x.isNaN || x < 0 { return .nan }
        if x == 0 { return -.infinity }
        if x.isInfinite { return x }
        var e = Int(x.exponent)
        var m = x.significand // [1, 2), exact
        if m > 1.414_213_562_373_095_048_80 { m *= 0.5; e += 1 }
        let s = (m - 1) / (m + 1)
        let s2 = s * s
        // Horner form of Σ s²ʲ/(2j+1), j = 0…11 (constant divisions fold at compile time).
        var t = 1.0 / 23.0
        t = t * s2 + 1.0 / 21.0
        t = t * s2 + 1.0 / 19.0
        t = t * s2 + 1.0 / 17.0
        t = t * s2 + 1.0 / 15.0
        t = t * s2 + 1.0 / 13.0
        t = t * s2 + 1.0 / 11.0
        t = t * s2 + 1.0 / 9.0
        t = t * s2 + 1.0 / 7.0
        t = t * s2 + 1.0 / 5.0
        t = t * s2 + 1.0 / 3.0
        t = t * s2 + 1.0
        let lnM = 2 * s * t
        let k = Double(e)
        return (k * ln2Hi + lnM) + k * ln2Lo
    }

    /// `1 / (1 + e^(−x))`, the logistic function, stable for large |x|.
    static func logistic(_ x: Double) -> Double {
        if x >= 0 { return 1 / (1 + exp(-x)) }
        let e = exp(x)
        return e / (1 + e)
    }

    /// `x · 2ⁿ` computed in at most three exact steps (each factor a normal power of two), so it never
    /// loses precision before the final, correctly rounded product.
    @inline(__always)
    private static func scale(_ x: Double, by n: Int) -> Double {
        // Common case: 2ⁿ is a normal double, built from its exponent bits.
        if n >= -1022 && n <= 1023 { return x * Double(bitPattern: UInt64(n + 1023) << 52) }
        var value = x
        var k = n
        while k > 1000 { value *= 0x1.0p1000; k -= 1000 }
        while k < -1000 { value *= 0x1.0p-1000; k += 1000 }
        return value * Double(sign: .plus, exponent: k, significand: 1)
    }
}
