import Testing
import TestSupport
@testable import LinearAlgebra

/// ``TallProduct`` promises one fused multiply-add chain per output, in feature order, from the bias. Swift's
/// `addingProduct` is that same correctly rounded operation, so the reference below must agree to the bit.
@Suite struct TallProductTests {
    struct Case {
        var rows: Int, features: Int, heads: Int, lda: Int, ldc: Int
        var a: [Double], w: Matrix, bias: [Double]
    }

    static func makeCase(rows: Int, features: Int, heads: Int, pad: Int, using g: inout SeededGenerator) -> Case {
        let lda = features + pad, ldc = heads + pad
        // Magnitudes spread over a few decades so that rounding differences would show.
        func value() -> Double { Double.random(in: -1...1, using: &g) * Double.random(in: 0.01...100, using: &g) }
        let a = (0..<(rows * lda)).map { _ in value() }
        let w = Matrix(rows: features, columns: heads, layout: Bool.random(using: &g) ? .rowMajor : .columnMajor,
                       storage: (0..<(features * heads)).map { _ in value() })
        return Case(rows: rows, features: features, heads: heads, lda: lda, ldc: ldc, a: a, w: w,
                    bias: (0..<heads).map { _ in value() })
    }

    /// The contract, in Swift: `s ← fma(a, w, s)` over k in order. Padding of `c` is left untouched.
    static func fusedReference(_ t: Case) -> [Double] {
        var c = [Double](repeating: -7, count: t.rows * t.ldc)
        for i in 0..<t.rows { for j in 0..<t.heads {
            var s = t.bias[j]
            for k in 0..<t.features { s = s.addingProduct(t.a[i * t.lda + k], t.w[k, j]) }
            c[i * t.ldc + j] = s
        } }
        return c
    }

    /// Runs the product into a fresh 64-byte-aligned buffer, `c` starting `offset` doubles in (1 misaligns every
    /// row for the non-temporal stores, which must then fall back to ordinary ones).
    static func run(_ t: Case, path: TallProduct.Path, stores: TallProduct.Stores = .cached,
                    offset: Int = 0) -> [Double] {
        let count = t.rows * t.ldc
        let raw = UnsafeMutableRawPointer.allocate(byteCount: (count + offset) * 8 + 8, alignment: 64)
        defer { raw.deallocate() }
        let c = raw.bindMemory(to: Double.self, capacity: count + offset) + offset
        c.initialize(repeating: -7, count: count)
        let packed = PackedHeads(t.w)
        t.a.withUnsafeBufferPointer { a in
            t.bias.withUnsafeBufferPointer { b in
                TallProduct.multiply(rows: t.rows, a: a.baseAddress!, lda: t.lda, weights: packed,
                                     bias: b.baseAddress!, into: c, ldc: t.ldc, path: path, stores: stores)
            }
        }
        return Array(UnsafeBufferPointer(start: c, count: count))
    }

    /// Every head-group shape (1…17 heads: groups of 8, tails of 1…7 padded to 4 or 8), row tails after the six
    /// bands (8 heads) and eight bands (4 heads), padded leading dimensions, and more than one 128-row panel. Streaming
    /// stores are taken where rows are aligned (even row counts have no padding, so `ldc` = heads: 4, 8, 12, 16
    /// heads stream) and must fall back everywhere else, including a misaligned `c`.
    @Test(arguments: [UInt64(1), 2, 3])
    func bothPathsEqualTheFusedChainToTheBit(seed: UInt64) {
        var g = SeededGenerator(seed: seed)
        for heads in 1...17 {
            for rows in [0, 1, 3, 4, 5, 6, 7, 8, 11, 13, 130, 261] {
                let features = [0, 1, 5, 64][(heads + rows) % 4]
                let t = Self.makeCase(rows: rows, features: features, heads: heads, pad: rows % 2, using: &g)
                let expected = Self.fusedReference(t).map(\.bitPattern)
                let shape = "\(rows)×\(features) → \(heads)"
                #expect(Self.run(t, path: .best).map(\.bitPattern) == expected, "best path, \(shape)")
                #expect(Self.run(t, path: .portable).map(\.bitPattern) == expected, "portable path, \(shape)")
                for offset in [0, 1] {
                    #expect(Self.run(t, path: .best, stores: .streaming, offset: offset).map(\.bitPattern) == expected,
                            "streaming stores at offset \(offset), \(shape)")
                }
            }
        }
    }

    /// And it is the product: the textbook (unfused) triple loop agrees to rounding.
    @Test func agreesWithTheNaiveProduct() {
        var g = SeededGenerator(seed: 42)
        let t = Self.makeCase(rows: 300, features: 40, heads: 9, pad: 0, using: &g)
        let a = Matrix(rows: t.rows, columns: t.features, storage: t.a)
        let naive = naiveProduct(a, t.w)
        let c = Self.run(t, path: .best)
        for i in 0..<t.rows { for j in 0..<t.heads {
            let scale = (0..<t.features).reduce(abs(t.bias[j])) { $0 + abs(a[i, $1] * t.w[$1, j]) }
            #expect(abs(c[i * t.ldc + j] - (naive[i, j] + t.bias[j])) <= 1e-14 * scale)
        } }
    }

    @Test func packingZeroPadsTheLastGroup() {
        let w = Matrix(rows: 2, columns: 9, storage: (0..<18).map(Double.init))
        let p = PackedHeads(w)
        // 9 heads → a group of 8 (2 × 8 values) and a group of 4 holding one head and three zeros.
        #expect(p.storage.count == 2 * 8 + 2 * 4)
        #expect(Array(p.storage[0..<8]) == [0, 1, 2, 3, 4, 5, 6, 7])
        #expect(Array(p.storage[8..<16]) == [9, 10, 11, 12, 13, 14, 15, 16])
        #expect(Array(p.storage[16..<24]) == [8, 0, 0, 0, 17, 0, 0, 0])
    }
}
