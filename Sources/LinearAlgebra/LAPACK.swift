import COpenBLAS

/// LAPACKE wrappers: Cholesky (potrf/potrs/potri), SPD solve (posv) and least squares (gels).
///
/// Every routine is called with the matrix's own layout (`LAPACK_ROW_MAJOR` or `LAPACK_COL_MAJOR`), so no
/// copies are made to change layout. `lapack_int` is 32-bit: dimensions beyond `Int32.max` are rejected.
public enum LAPACK {
    @inline(__always)
    static func order(_ layout: Matrix.Layout) -> Int32 {
        layout == .rowMajor ? LAPACK_ROW_MAJOR : LAPACK_COL_MAJOR
    }

    static func int32(_ n: Int, _ what: String) throws -> Int32 {
        guard n <= Int(Int32.max) else { throw LAPACKError.dimensionMismatch("\(what) = \(n) exceeds lapack_int") }
        return Int32(n)
    }

    /// Solves `A·X = B` for symmetric positive definite `A` (dposv). Returns `X` in `B`'s layout.
    /// - Throws: ``LAPACKError/notPositiveDefinite(routine:order:)`` when `A` is not SPD.
    /// - Complexity: O(n³/3 + n²·nrhs).
    public static func solvePositiveDefinite(_ a: Matrix, _ b: Matrix) throws -> Matrix {
        guard a.rows == a.columns, b.rows == a.rows else {
            throw LAPACKError.dimensionMismatch("posv: A is \(a.rows)×\(a.columns), B is \(b.rows)×\(b.columns)")
        }
        var factor = a.converted(to: b.layout)
        var x = b
        let n = try int32(a.rows, "n"), nrhs = try int32(b.columns, "nrhs")
        if n == 0 { return x }
        let lda = Int32(factor.leadingDimension), ldb = Int32(x.leadingDimension)
        let info = factor.storage.withUnsafeMutableBufferPointer { ap in
            x.storage.withUnsafeMutableBufferPointer { bp in
                LAPACKE_dposv(order(b.layout), Int8(UInt8(ascii: "U")), n, nrhs, ap.baseAddress,
                              lda, bp.baseAddress, ldb)
            }
        }
        try LAPACKError.check(info, routine: "dposv") { .notPositiveDefinite(routine: $0, order: $1) }
        return x
    }

    /// Solves `A·x = b` for SPD `A` and one right-hand side.
    public static func solvePositiveDefinite(_ a: Matrix, _ b: [Double]) throws -> [Double] {
        try solvePositiveDefinite(a, Matrix(rows: b.count, columns: 1, storage: b)).storage
    }

    /// Minimum-norm least squares `min ‖A·X − B‖₂` for a full-rank `A` (dgels, QR or LQ).
    ///
    /// Row-major note: LAPACKE's row-major `ldb` is the number of right-hand sides, and `B` must have
    /// `max(m, n)` rows; this wrapper pads and trims so callers pass an `m × nrhs` `B` and get `n × nrhs` back.
    /// - Throws: ``LAPACKError/rankDeficient(routine:index:)`` when `A` is rank deficient.
    /// - Complexity: O(m·n²) for m ≥ n.
    public static func leastSquares(_ a: Matrix, _ b: Matrix) throws -> Matrix {
        guard b.rows == a.rows else {
            throw LAPACKError.dimensionMismatch("gels: A has \(a.rows) rows, B has \(b.rows)")
        }
        let m = a.rows, n = a.columns, nrhs = b.columns
        var work = a.converted(to: .rowMajor)
        var rhs = Matrix(rows: Swift.max(m, n), columns: nrhs)
        for i in 0..<m { for j in 0..<nrhs { rhs[i, j] = b[i, j] } }
        let info = work.storage.withUnsafeMutableBufferPointer { ap in
            rhs.storage.withUnsafeMutableBufferPointer { bp in
                LAPACKE_dgels(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "N")), Int32(m), Int32(n), Int32(nrhs),
                              ap.baseAddress, Int32(Swift.max(1, n)), bp.baseAddress, Int32(Swift.max(1, nrhs)))
            }
        }
        try LAPACKError.check(info, routine: "dgels") { .rankDeficient(routine: $0, index: $1) }
        var x = Matrix(rows: n, columns: nrhs)
        for i in 0..<n { for j in 0..<nrhs { x[i, j] = rhs[i, j] } }
        return x
    }

    /// Least squares for one right-hand side.
    public static func leastSquares(_ a: Matrix, _ b: [Double]) throws -> [Double] {
        try leastSquares(a, Matrix(rows: b.count, columns: 1, storage: b)).storage
    }
}

/// The Cholesky factorisation `A = UᵀU` of a symmetric positive definite matrix (dpotrf, upper).
///
/// Keep it when the same matrix is used several times: solving (dpotrs), inverting (dpotri — e.g. the
/// inverse Hessian for standard errors) and the log-determinant all reuse the factor.
public struct Cholesky: Sendable {
    /// `U` in the upper triangle (row-major); the strict lower triangle is zero.
    public let upper: Matrix

    /// Factorises `a`; only its upper triangle is read.
    /// - Throws: ``LAPACKError/notPositiveDefinite(routine:order:)``.
    /// - Complexity: O(n³/3).
    public init(_ a: Matrix) throws {
        guard a.rows == a.columns else {
            throw LAPACKError.dimensionMismatch("potrf: matrix is \(a.rows)×\(a.columns), not square")
        }
        var f = a.converted(to: .rowMajor)
        let n = try LAPACK.int32(a.rows, "n")
        if n > 0 {
            let info = f.storage.withUnsafeMutableBufferPointer { p in
                LAPACKE_dpotrf(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "U")), n, p.baseAddress, n)
            }
            try LAPACKError.check(info, routine: "dpotrf") { .notPositiveDefinite(routine: $0, order: $1) }
        }
        for i in 0..<a.rows { for j in 0..<i { f[i, j] = 0 } }
        upper = f
    }

    public var dimension: Int { upper.rows }

    /// Solves `A·X = B` with the factor (dpotrs).
    public func solve(_ b: Matrix) throws -> Matrix {
        guard b.rows == dimension else {
            throw LAPACKError.dimensionMismatch("potrs: B has \(b.rows) rows, expected \(dimension)")
        }
        var x = b.converted(to: .rowMajor)
        if dimension == 0 || b.columns == 0 { return x }
        let info = upper.storage.withUnsafeBufferPointer { up in
            x.storage.withUnsafeMutableBufferPointer { bp in
                LAPACKE_dpotrs(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "U")), Int32(dimension), Int32(b.columns),
                               up.baseAddress, Int32(dimension), bp.baseAddress, Int32(b.columns))
            }
        }
        try LAPACKError.check(info, routine: "dpotrs") { .singular(routine: $0, index: $1) }
        return x
    }

    /// Solves `A·x = b` for one right-hand side.
    public func solve(_ b: [Double]) throws -> [Double] {
        try solve(Matrix(rows: b.count, columns: 1, storage: b)).storage
    }

    /// `A⁻¹` (dpotri), full and row-major.
    public func inverse() throws -> Matrix {
        var inv = upper
        let n = dimension
        if n == 0 { return inv }
        let info = inv.storage.withUnsafeMutableBufferPointer { p in
            LAPACKE_dpotri(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "U")), Int32(n), p.baseAddress, Int32(n))
        }
        try LAPACKError.check(info, routine: "dpotri") { .singular(routine: $0, index: $1) }
        inv.storage.withUnsafeMutableBufferPointer { BLAS.mirrorUpperToLower($0.baseAddress!, n: n) }
        return inv
    }

    /// `log det A = 2 Σ log Uᵢᵢ`.
    public var logDeterminant: Double {
        (0..<dimension).reduce(0.0) { $0 + 2 * log(upper[$1, $1]) }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
