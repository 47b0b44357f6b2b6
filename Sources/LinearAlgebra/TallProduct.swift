import CKernels

/// The product of a tall design matrix with a few weight columns: `C = 1·biasᵀ + A·W`, with `A` `rows × p`
/// row-major (p up to a few hundred) and `W` `p × H` (H, the number of score heads, small: 1 … 16).
///
/// Why a kernel of our own rather than dgemm: OpenBLAS's dgemm is built for square blocks; with `n = H = 8` it
/// packs `A` and reaches about a sixth of its square-matrix rate on this shape (`Benchmarks` `kernel-ratio`
/// measures both in one run). The kernel in `CKernels` keeps each row's 8 head sums in two AVX2 registers, six
/// rows at a time, and reads `A` once, in place. The six rows come from six bands of `A`, so that each band is read
/// front to back, a sequential stream the hardware prefetchers follow.
///
/// **Exactness contract.** Every output is the chain `s ← fma(a[i, k], W[k, j], s)` over `k = 0 … p − 1`,
/// starting from `bias[j]`. Each fused multiply-add is correctly rounded by IEEE 754, so the result is the same
/// bits on every CPU and for both code paths (AVX2/FMA when the CPU has it, portable C otherwise). dgemm gives no
/// such promise: its blocking, and so its rounding, depend on the CPU it detects.
public enum TallProduct {
    /// Which code path computes the product. Both give identical bits (see the type's contract).
    public enum Path: Sendable {
        /// AVX2/FMA when the CPU supports it, else portable.
        case best
        /// Portable C with `fma()`: the reference the tests compare `best` against.
        case portable
    }

    /// How the product's rows are written to `c`. Both give the same values.
    public enum Stores: Sendable {
        /// Ordinary stores: `c` stays in cache for a caller that reads it next (a block being scored).
        case cached
        /// Non-temporal stores, for an output larger than the caches and read later (a whole in-memory design):
        /// they bypass the cache, so each output line is not first read from memory only to be overwritten.
        /// Used on the AVX2 path for whole 4- or 8-head groups whose rows are 32-byte aligned (`ldc` a multiple
        /// of 4 and `c` aligned); other groups and the portable path store as ``cached``.
        case streaming
    }

    /// Whether ``Path/best`` uses the AVX2/FMA kernel on this CPU.
    public static var isVectorised: Bool { onecheck_tall_product_vectorised() != 0 }

    /// `c[i·ldc + j] = bias[j] + Σ_k a[i·lda + k]·W[k, j]` for `i < rows`, `j < W.heads`.
    ///
    /// - Precondition: `lda ≥ W.features`, `ldc ≥ W.heads`; `bias` holds `W.heads` values; `c` does not alias `a`.
    /// - Complexity: `2 · rows · p · H` flops (H rounded up to a multiple of 4); `A` is read once (in panels of
    ///   128 rows when there are more than 8 heads).
    public static func multiply(rows: Int, a: UnsafePointer<Double>, lda: Int, weights: PackedHeads,
                                bias: UnsafePointer<Double>, into c: UnsafeMutablePointer<Double>, ldc: Int,
                                path: Path = .best, stores: Stores = .cached) {
        precondition(rows >= 0 && lda >= weights.features && ldc >= weights.heads, "bad product dimensions")
        guard rows > 0, weights.heads > 0 else { return }
        weights.storage.withUnsafeBufferPointer { w in
            switch path {
            case .best:
                onecheck_tall_product(rows, weights.features, weights.heads, a, lda, w.baseAddress, bias, c, ldc,
                                      stores == .streaming ? 1 : 0)
            case .portable:
                onecheck_tall_product_portable(rows, weights.features, weights.heads, a, lda, w.baseAddress,
                                               bias, c, ldc)
            }
        }
    }
}

/// Weights `W` (`features × heads`) packed once for ``TallProduct``: head groups of 8 (or 4 for the last few),
/// zero-padded, each group's `features × 8` block contiguous in the order the kernel reads it.
public struct PackedHeads: Sendable, Equatable {
    public let features: Int
    public let heads: Int
    let storage: [Double]

    /// Packs `weights`, whose rows are features and columns heads, in either layout.
    public init(_ weights: Matrix) {
        let p = weights.rows, h = weights.columns
        var rowMajor = [Double](repeating: 0, count: p * h)
        for k in 0..<p { for j in 0..<h { rowMajor[k * h + j] = weights[k, j] } }
        var packed = [Double](repeating: 0, count: Swift.max(onecheck_packed_heads_count(p, h), 1))
        rowMajor.withUnsafeBufferPointer { w in
            packed.withUnsafeMutableBufferPointer { onecheck_pack_heads(p, h, w.baseAddress, $0.baseAddress) }
        }
        features = p
        heads = h
        storage = packed
    }
}
