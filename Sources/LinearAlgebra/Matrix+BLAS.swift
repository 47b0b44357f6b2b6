import COpenBLAS

/// Thin, checked wrappers around the CBLAS level-1/2/3 routines the engine uses.
///
/// Matrix-level functions accept any ``Matrix/Layout``: a column-major matrix is, seen row-major, its own
/// transpose, so it is passed to `CblasRowMajor` routines with its transposition flag flipped. Raw-pointer
/// variants exist for hot loops (block scoring, IRLS) that manage their own buffers.
public enum BLAS {
    /// How an operand enters a product: as is or transposed.
    public enum Transpose: Sendable { case none, transpose }

    @inline(__always)
    static func cblas(_ t: Transpose) -> CBLAS_TRANSPOSE { t == .none ? CblasNoTrans : CblasTrans }

    /// The operand as seen by a row-major CBLAS call: its transposition flag and leading dimension.
    @inline(__always)
    static func rowMajorView(_ m: Matrix, _ t: Transpose) -> (CBLAS_TRANSPOSE, Int32) {
        switch (m.layout, t) {
        case (.rowMajor, .none): return (CblasNoTrans, Int32(m.leadingDimension))
        case (.rowMajor, .transpose): return (CblasTrans, Int32(m.leadingDimension))
        case (.columnMajor, .none): return (CblasTrans, Int32(m.leadingDimension))
        case (.columnMajor, .transpose): return (CblasNoTrans, Int32(m.leadingDimension))
        }
    }

    // MARK: Level 3

    /// `C ← α·op(A)·op(B) + β·C` (dgemm).
    ///
    /// Shapes: `op(A)` is `m × k`, `op(B)` is `k × n`, `C` is `m × n`; any layouts.
    /// With `β = 0`, `C`'s previous contents are ignored (NaNs in it do not propagate).
    /// - Complexity: O(m·n·k) flops.
    public static func gemm(_ a: Matrix, _ b: Matrix, transA: Transpose = .none, transB: Transpose = .none,
                            alpha: Double = 1, beta: Double = 0, into c: inout Matrix) {
        let (m, k) = transA == .none ? (a.rows, a.columns) : (a.columns, a.rows)
        let (kb, n) = transB == .none ? (b.rows, b.columns) : (b.columns, b.rows)
        precondition(k == kb, "gemm: inner dimensions differ (\(k) vs \(kb))")
        precondition(c.rows == m && c.columns == n, "gemm: C is \(c.rows)×\(c.columns), expected \(m)×\(n)")
        if m == 0 || n == 0 { return }
        if c.layout == .columnMajor {
            // Cᵀ (row-major view of C) = α·op(B)ᵀ·op(A)ᵀ + β·Cᵀ
            let flip: (Transpose) -> Transpose = { $0 == .none ? .transpose : .none }
            let (tb, ldb) = rowMajorView(b, flip(transB))
            let (ta, lda) = rowMajorView(a, flip(transA))
            b.storage.withUnsafeBufferPointer { bp in
                a.storage.withUnsafeBufferPointer { ap in
                    c.storage.withUnsafeMutableBufferPointer { cp in
                        cblas_dgemm(CblasRowMajor, tb, ta, Int32(n), Int32(m), Int32(k), alpha,
                                    bp.baseAddress, ldb, ap.baseAddress, lda, beta, cp.baseAddress, Int32(m))
                    }
                }
            }
            return
        }
        let (ta, lda) = rowMajorView(a, transA)
        let (tb, ldb) = rowMajorView(b, transB)
        a.storage.withUnsafeBufferPointer { ap in
            b.storage.withUnsafeBufferPointer { bp in
                c.storage.withUnsafeMutableBufferPointer { cp in
                    cblas_dgemm(CblasRowMajor, ta, tb, Int32(m), Int32(n), Int32(k), alpha,
                                ap.baseAddress, lda, bp.baseAddress, ldb, beta, cp.baseAddress, Int32(n))
                }
            }
        }
    }

    /// `op(A)·op(B)` as a new row-major matrix.
    public static func product(_ a: Matrix, _ b: Matrix, transA: Transpose = .none,
                               transB: Transpose = .none) -> Matrix {
        let m = transA == .none ? a.rows : a.columns
        let n = transB == .none ? b.columns : b.rows
        var c = Matrix(rows: m, columns: n)
        gemm(a, b, transA: transA, transB: transB, into: &c)
        return c
    }

    /// Row-major dgemm on raw buffers: `C[m×n] ← α·op(A)·op(B) + β·C`.
    /// The caller guarantees the buffers hold the shapes implied by `m, n, k` and the leading dimensions.
    @inline(__always)
    public static func gemm(rowMajor transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int,
                            alpha: Double, a: UnsafePointer<Double>, lda: Int,
                            b: UnsafePointer<Double>, ldb: Int,
                            beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
        if m == 0 || n == 0 { return }
        cblas_dgemm(CblasRowMajor, cblas(transA), cblas(transB), Int32(m), Int32(n), Int32(k),
                    alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// The Gram matrix `C ← α·AᵀA + β·C` (dsyrk), returned full (both triangles filled).
    ///
    /// `A` is `m × n` in any layout; `C` is `n × n` and is returned row-major. Only one triangle is computed by
    /// BLAS (half the flops of gemm); the other is mirrored so callers never see a half-filled matrix.
    /// - Complexity: O(m·n²/2) flops plus O(n²) for the mirror.
    public static func gram(_ a: Matrix, alpha: Double = 1, beta: Double = 0, into c: inout Matrix) {
        let n = a.columns, k = a.rows
        precondition(c.rows == n && c.columns == n, "gram: C must be \(n)×\(n)")
        if c.layout != .rowMajor { c = c.converted(to: .rowMajor) }
        // Row-major A: AᵀA = op(A)·op(A)ᵀ with op = Trans. Column-major A seen row-major is Aᵀ: NoTrans.
        let trans: CBLAS_TRANSPOSE = a.layout == .rowMajor ? CblasTrans : CblasNoTrans
        a.storage.withUnsafeBufferPointer { ap in
            c.storage.withUnsafeMutableBufferPointer { cp in
                cblas_dsyrk(CblasRowMajor, CblasUpper, trans, Int32(n), Int32(k), alpha,
                            ap.baseAddress, Int32(a.leadingDimension), beta, cp.baseAddress, Int32(n))
                mirrorUpperToLower(cp.baseAddress!, n: n)
            }
        }
    }

    /// `AᵀA` as a new row-major symmetric matrix.
    public static func gram(_ a: Matrix) -> Matrix {
        var c = Matrix(rows: a.columns, columns: a.columns)
        gram(a, into: &c)
        return c
    }

    /// Row-major dsyrk on raw buffers, upper triangle: `C[n×n] ← α·AᵀA + β·C` where `A` is `k × n` with
    /// leading dimension `lda`. Only the upper triangle of `C` is written; call ``mirrorUpperToLower(_:n:)``.
    @inline(__always)
    public static func syrkUpperTransposed(n: Int, k: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
                                           beta: Double, c: UnsafeMutablePointer<Double>) {
        cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(n), Int32(k), alpha, a, Int32(lda),
                    beta, c, Int32(n))
    }

    /// Copies the upper triangle of a row-major `n × n` matrix onto its lower triangle.
    public static func mirrorUpperToLower(_ c: UnsafeMutablePointer<Double>, n: Int) {
        for i in 0..<n { for j in 0..<i { c[i * n + j] = c[j * n + i] } }
    }

    // MARK: Level 2

    /// `y ← α·op(A)·x + β·y` (dgemv).
    /// - Complexity: O(rows × columns).
    public static func gemv(_ a: Matrix, _ x: [Double], transA: Transpose = .none,
                            alpha: Double = 1, beta: Double = 0, into y: inout [Double]) {
        let (m, n) = transA == .none ? (a.rows, a.columns) : (a.columns, a.rows)
        precondition(x.count == n, "gemv: x has \(x.count) elements, expected \(n)")
        precondition(y.count == m, "gemv: y has \(y.count) elements, expected \(m)")
        if m == 0 { return }
        if n == 0 { for i in 0..<m { y[i] = beta == 0 ? 0 : beta * y[i] }; return }
        let (ta, lda) = rowMajorView(a, transA)
        // dgemv's M, N are the stored (row-major view) shape, not op(A)'s.
        let storedRows = a.layout == .rowMajor ? a.rows : a.columns
        let storedCols = a.layout == .rowMajor ? a.columns : a.rows
        a.storage.withUnsafeBufferPointer { ap in
            x.withUnsafeBufferPointer { xp in
                y.withUnsafeMutableBufferPointer { yp in
                    cblas_dgemv(CblasRowMajor, ta, Int32(storedRows), Int32(storedCols), alpha, ap.baseAddress,
                                lda, xp.baseAddress, 1, beta, yp.baseAddress, 1)
                }
            }
        }
    }

    /// `op(A)·x` as a new vector.
    public static func product(_ a: Matrix, _ x: [Double], transA: Transpose = .none) -> [Double] {
        var y = [Double](repeating: 0, count: transA == .none ? a.rows : a.columns)
        gemv(a, x, transA: transA, into: &y)
        return y
    }

    // MARK: Level 1

    /// `xᵀy` (ddot).
    public static func dot(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count, "dot: lengths differ")
        return x.withUnsafeBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in cblas_ddot(Int32(x.count), xp.baseAddress, 1, yp.baseAddress, 1) }
        }
    }

    /// `y ← α·x + y` (daxpy).
    public static func axpy(_ alpha: Double, _ x: [Double], _ y: inout [Double]) {
        precondition(x.count == y.count, "axpy: lengths differ")
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in cblas_daxpy(Int32(x.count), alpha, xp.baseAddress, 1, yp.baseAddress, 1) }
        }
    }
}
