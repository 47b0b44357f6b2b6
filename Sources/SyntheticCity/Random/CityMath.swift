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

    /// `eˣ`. Returns `0` below −745.2 and `+∞` above 709.78.
    ///
    /// Table-driven: `x = (64m + j)·ln2/64 + r` with `|r| ≤ ln2/128` (ln 2 split in two parts so the product with
    /// the integer `64m + j` is exact), then `eˣ = 2ᵐ · 2^(j/64) · eʳ`, where `2^(j/64)` comes from a table of
    /// correctly rounded constants and `eʳ − 1` from its degree-6 Taylor polynomial (truncation < 3e-20).
    static func exp(_ x: Double) -> Double {
        if x.isNaN { return x }
        if x > 709.78 { return .infinity }
        if x < -745.2 { return 0 }
        let n = Int((x * 92.332_482_616_893_66).rounded(.toNearestOrEven)) // x · 64/ln 2
        let r = (x - Double(n) * (ln2Hi / 64)) - Double(n) * (ln2Lo / 64)
        var p = 1.0 / 720.0
        p = p * r + 1.0 / 120.0
        p = p * r + 1.0 / 24.0
        p = p * r + 1.0 / 6.0
        p = p * r + 0.5
        p = p * r + 1.0
        p = p * r // eʳ − 1
        let t = twoToTheJOver64[n & 63]
        return scale(t + t * p, by: n >> 6)
    }

    /// `2^(j/64)` for `j = 0…63`, each the double nearest to the exact value (computed once, offline, with
    /// 60-digit decimal arithmetic), so the table is the same on every machine.
    private static let twoToTheJOver64: [Double] = [
        0x1.0000000000000p+0, 0x1.02c9a3e778061p+0, 0x1.059b0d3158574p+0, 0x1.0874518759bc8p+0,
        0x1.0b5586cf9890fp+0, 0x1.0e3ec32d3d1a2p+0, 0x1.11301d0125b51p+0, 0x1.1429aaea92de0p+0,
        0x1.172b83c7d517bp+0, 0x1.1a35beb6fcb75p+0, 0x1.1d4873168b9aap+0, 0x1.2063b88628cd6p+0,
        0x1.2387a6e756238p+0, 0x1.26b4565e27cddp+0, 0x1.29e9df51fdee1p+0, 0x1.2d285a6e4030bp+0,
        0x1.306fe0a31b715p+0, 0x1.33c08b26416ffp+0, 0x1.371a7373aa9cbp+0, 0x1.3a7db34e59ff7p+0,
        0x1.3dea64c123422p+0, 0x1.4160a21f72e2ap+0, 0x1.44e086061892dp+0, 0x1.486a2b5c13cd0p+0,
        0x1.4bfdad5362a27p+0, 0x1.4f9b2769d2ca7p+0, 0x1.5342b569d4f82p+0, 0x1.56f4736b527dap+0,
        0x1.5ab07dd485429p+0, 0x1.5e76f15ad2148p+0, 0x1.6247eb03a5585p+0, 0x1.6623882552225p+0,
        0x1.6a09e667f3bcdp+0, 0x1.6dfb23c651a2fp+0, 0x1.71f75e8ec5f74p+0, 0x1.75feb564267c9p+0,
        0x1.7a11473eb0187p+0, 0x1.7e2f336cf4e62p+0, 0x1.82589994cce13p+0, 0x1.868d99b4492edp+0,
        0x1.8ace5422aa0dbp+0, 0x1.8f1ae99157736p+0, 0x1.93737b0cdc5e5p+0, 0x1.97d829fde4e50p+0,
        0x1.9c49182a3f090p+0, 0x1.a0c667b5de565p+0, 0x1.a5503b23e255dp+0, 0x1.a9e6b5579fdbfp+0,
        0x1.ae89f995ad3adp+0, 0x1.b33a2b84f15fbp+0, 0x1.b7f76f2fb5e47p+0, 0x1.bcc1e904bc1d2p+0,
        0x1.c199bdd85529cp+0, 0x1.c67f12e57d14bp+0, 0x1.cb720dcef9069p+0, 0x1.d072d4a07897cp+0,
        0x1.d5818dcfba487p+0, 0x1.da9e603db3285p+0, 0x1.dfc97337b9b5fp+0, 0x1.e502ee78b3ff6p+0,
        0x1.ea4afa2a490dap+0, 0x1.efa1bee615a27p+0, 0x1.f50765b6e4540p+0, 0x1.fa7c1819e90d8p+0,
    ]

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
