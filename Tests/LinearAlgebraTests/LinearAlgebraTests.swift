import Testing
import TestSupport
@testable import LinearAlgebra

func randomMatrix(_ rows: Int, _ columns: Int, layout: Matrix.Layout, using g: inout SeededGenerator) -> Matrix {
    Matrix(rows: rows, columns: columns, layout: layout,
           storage: (0..<(rows * columns)).map { _ in Double.random(in: -1...1, using: &g) })
}

/// The textbook triple loop, the reference every BLAS result is compared with.
func naiveProduct(_ a: Matrix, _ b: Matrix) -> Matrix {
    var c = Matrix(rows: a.rows, columns: b.columns)
    for i in 0..<a.rows { for j in 0..<b.columns {
        var s = 0.0
        for k in 0..<a.columns { s += a[i, k] * b[k, j] }
        c[i, j] = s
    } }
    return c
}

@Suite struct MatrixTests {
    @Test func elementAccessFollowsLayout() {
        var r = Matrix(rows: 2, columns: 3, layout: .rowMajor)
        var c = Matrix(rows: 2, columns: 3, layout: .columnMajor)
        for i in 0..<2 { for j in 0..<3 { r[i, j] = Double(10 * i + j); c[i, j] = Double(10 * i + j) } }
        #expect(r.storage == [0, 1, 2, 10, 11, 12])
        #expect(c.storage == [0, 10, 1, 11, 2, 12])
        #expect(r == c)
        #expect(r.leadingDimension == 3 && c.leadingDimension == 2)
    }

    @Test func transposeIsAViewWithFlippedLayout() {
        let m = Matrix([[1, 2, 3], [4, 5, 6]])
        let t = m.transposed()
        #expect(t.rows == 3 && t.columns == 2 && t.layout == .columnMajor)
        #expect(t.storage == m.storage)
        for i in 0..<2 { for j in 0..<3 { #expect(t[j, i] == m[i, j]) } }
        #expect(t.converted(to: .rowMajor).storage == [1, 4, 2, 5, 3, 6])
    }
}

@Suite struct BLASTests {
    static let layouts: [(Matrix.Layout, Matrix.Layout, Matrix.Layout)] = [
        (.rowMajor, .rowMajor, .rowMajor), (.columnMajor, .rowMajor, .rowMajor),
        (.rowMajor, .columnMajor, .columnMajor), (.columnMajor, .columnMajor, .columnMajor),
    ]

    @Test(arguments: 0..<4, [BLAS.Transpose.none, .transpose])
    func gemmMatchesNaiveLoops(layoutCase: Int, transA: BLAS.Transpose) {
        var g = SeededGenerator(seed: 11 + UInt64(layoutCase))
        let (la, lb, lc) = Self.layouts[layoutCase]
        let (m, k, n) = (7, 5, 4)
        let a = transA == .none ? randomMatrix(m, k, layout: la, using: &g) : randomMatrix(k, m, layout: la, using: &g)
        let b = randomMatrix(k, n, layout: lb, using: &g)
        var c = randomMatrix(m, n, layout: lc, using: &g)
        let c0 = c
        BLAS.gemm(a, b, transA: transA, alpha: 2, beta: 0.5, into: &c)
        let opA = transA == .none ? a : a.transposed()
        let expected = naiveProduct(opA, b)
        for i in 0..<m { for j in 0..<n {
            #expect(abs(c[i, j] - (2 * expected[i, j] + 0.5 * c0[i, j])) < 1e-12)
        } }
    }

    @Test func gemmWithBetaZeroIgnoresNaNInOutput() {
        let a = Matrix([[1, 2], [3, 4]])
        var c = Matrix(rows: 2, columns: 2, repeating: .nan)
        BLAS.gemm(a, a, into: &c)
        #expect(c == Matrix([[7, 10], [15, 22]]))
    }

    @Test(arguments: [Matrix.Layout.rowMajor, .columnMajor])
    func gramIsFullAndMatchesNaive(layout: Matrix.Layout) {
        var g = SeededGenerator(seed: 5)
        let a = randomMatrix(9, 4, layout: layout, using: &g)
        let gram = BLAS.gram(a)
        let expected = naiveProduct(a.transposed().converted(to: .rowMajor), a.converted(to: .rowMajor))
        #expect(gram.maxAbsDifference(expected) < 1e-12)
        for i in 0..<4 { for j in 0..<4 { #expect(gram[i, j] == gram[j, i]) } }
    }

    @Test(arguments: [Matrix.Layout.rowMajor, .columnMajor], [BLAS.Transpose.none, .transpose])
    func gemvMatchesNaive(layout: Matrix.Layout, trans: BLAS.Transpose) {
        var g = SeededGenerator(seed: 3)
        let a = randomMatrix(6, 3, layout: layout, using: &g)
        let x = (0..<(trans == .none ? 3 : 6)).map { Double($0) - 1.5 }
        let y = BLAS.product(a, x, transA: trans)
        let op = trans == .none ? a : a.transposed()
        for i in 0..<op.rows {
            let expected = (0..<op.columns).reduce(0.0) { $0 + op[i, $1] * x[$1] }
            #expect(abs(y[i] - expected) < 1e-12)
        }
    }

    @Test func dotAndAxpy() {
        var y = [1.0, 2, 3]
        #expect(BLAS.dot([1, 2, 3], [4, 5, 6]) == 32)
        BLAS.axpy(2, [1, 1, 1], &y)
        #expect(y == [3, 4, 5])
    }

    @Test func threadCountIsRestored() {
        let before = BLASThreads.count
        let inside = BLASThreads.with(1) { BLASThreads.count }
        #expect(inside == 1)
        #expect(BLASThreads.count == before)
    }
}

@Suite struct LAPACKTests {
    /// A random SPD matrix AᵀA + n·I and a right-hand side.
    static func spd(_ n: Int, seed: UInt64) -> Matrix {
        var g = SeededGenerator(seed: seed)
        let a = randomMatrix(n + 3, n, layout: .rowMajor, using: &g)
        var s = BLAS.gram(a)
        for i in 0..<n { s[i, i] += Double(n) }
        return s
    }

    @Test(arguments: [Matrix.Layout.rowMajor, .columnMajor])
    func positiveDefiniteSolveSatisfiesTheSystem(layout: Matrix.Layout) throws {
        let a = Self.spd(6, seed: 21)
        var g = SeededGenerator(seed: 22)
        let b = randomMatrix(6, 3, layout: layout, using: &g)
        let x = try LAPACK.solvePositiveDefinite(a, b)
        #expect(x.layout == layout)
        let residual = naiveProduct(a, x.converted(to: .rowMajor)).maxAbsDifference(b.converted(to: .rowMajor))
        #expect(residual < 1e-12)
    }

    @Test func choleskyFactorSolveInverseAndDeterminant() throws {
        let a = Self.spd(5, seed: 8)
        let chol = try Cholesky(a)
        let u = chol.upper
        #expect(naiveProduct(u.transposed().converted(to: .rowMajor), u).maxAbsDifference(a) < 1e-12)
        let inv = try chol.inverse()
        #expect(naiveProduct(a, inv).maxAbsDifference(.identity(5)) < 1e-12)
        let x = try chol.solve([1, 2, 3, 4, 5])
        let back = BLAS.product(a, x)
        for (i, v) in back.enumerated() { #expect(abs(v - Double(i + 1)) < 1e-12) }
        // log det from the factor equals log of the product of eigenvalues; check on a diagonal matrix.
        var d = Matrix(rows: 3, columns: 3)
        d[0, 0] = 2; d[1, 1] = 3; d[2, 2] = 7
        #expect(abs(try Cholesky(d).logDeterminant - log(42.0)) < 1e-14)
    }

    @Test func notPositiveDefiniteIsATypedError() {
        let a = Matrix([[1, 2], [2, 1]])   // eigenvalues 3 and -1
        #expect(throws: LAPACKError.notPositiveDefinite(routine: "dpotrf", order: 2)) { try Cholesky(a) }
        #expect(throws: LAPACKError.notPositiveDefinite(routine: "dposv", order: 2)) {
            try LAPACK.solvePositiveDefinite(a, [1, 1])
        }
    }

    @Test func leastSquaresMatchesNormalEquations() throws {
        var g = SeededGenerator(seed: 31)
        let a = randomMatrix(20, 4, layout: .columnMajor, using: &g)
        let b = randomMatrix(20, 2, layout: .rowMajor, using: &g)
        let x = try LAPACK.leastSquares(a, b)
        // Normal equations AᵀA x = Aᵀb, solved independently by Cholesky.
        let ata = BLAS.gram(a)
        let atb = BLAS.product(a, b, transA: .transpose)
        let reference = try Cholesky(ata).solve(atb)
        #expect(x.maxAbsDifference(reference) < 1e-10)
    }

    @Test func rankDeficientLeastSquaresIsATypedError() {
        // Third column is exactly zero, so R has a zero on its diagonal.
        let a = Matrix([[1, 2, 0], [3, 4, 0], [5, 7, 0], [1, 1, 0]])
        #expect(throws: LAPACKError.self) { try LAPACK.leastSquares(a, [1, 2, 3, 4]) }
        do { _ = try LAPACK.leastSquares(a, [1, 2, 3, 4]) } catch let e as LAPACKError {
            #expect(e == .rankDeficient(routine: "dgels", index: 3))
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test func dimensionMismatchIsReported() {
        #expect(throws: LAPACKError.self) { try Cholesky(Matrix(rows: 2, columns: 3)) }
    }
}

#if canImport(Glibc)
import Glibc
#endif
