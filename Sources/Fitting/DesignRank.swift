import LinearAlgebra

/// Finds the first redundant column of a design from its weighted Gram matrix, and names what it depends on.
///
/// The Gram matrix `G = XᵀDX` (any positive multiple of it, plus a diagonal ridge, works the same) is scaled to
/// unit diagonal, `Cⱼₖ = Gⱼₖ / √(GⱼⱼGₖₖ)`, and factorised `C = LLᵀ` column by column in the caller's order. For
/// column `k`, `1 − Σ Lₖₐ²` is `1 − R²` of regressing column `k` on the earlier kept columns: when it falls
/// below the tolerance, column `k` is (numerically) a linear combination `Σ cₐ·xₐ` of them, with `c` from
/// `Lᵀc = Lₖ` rescaled to the original units. Reporting the *later* column in the user's order names the one
/// to drop (e.g. the dummy of a category whose every level is present, after the intercept).
///
/// Pivoting LAPACK factorisations (`dpstrf`, QR with pivoting) would reorder columns, which makes the message
/// about "which column is redundant" arbitrary; `p` is small here, so the O(p³/3) loop costs nothing.
enum DesignRank {
    static func check(hessian h: [Double], p: Int, design: Matrix, weights: [Double], names: [String],
                      tolerance: Double) throws {
        var kept: [Int] = []
        var factor: [[Double]] = []  // row a holds L[a][0...a]
        for k in 0..<p {
            let hkk = h[k * p + k]
            guard hkk > 0 else { throw FittingError.constantColumn(column: k, name: names[k], value: 0) }
            var l = [Double](repeating: 0, count: kept.count)
            var explained = 0.0
            for a in kept.indices {
                let ka = kept[a]
                var s = h[k * p + ka] / (hkk * h[ka * p + ka]).squareRoot()
                for b in 0..<a { s -= l[b] * factor[a][b] }
                l[a] = s / factor[a][a]
                explained += l[a] * l[a]
            }
            let residual = 1 - explained
            if residual <= tolerance {
                if let value = constantValue(design: design, column: k, weights: weights) {
                    throw FittingError.constantColumn(column: k, name: names[k], value: value)
                }
                var c = l
                for a in stride(from: kept.count - 1, through: 0, by: -1) {
                    var s = c[a]
                    for b in (a + 1)..<kept.count { s -= factor[b][a] * c[b] }
                    c[a] = s / factor[a][a]
                }
                let terms = kept.indices
                    .filter { abs(c[$0]) > 1e-8 }
                    .map { a in
                        CollinearTerm(column: kept[a], name: names[kept[a]],
                                      coefficient: c[a] * (hkk / h[kept[a] * p + kept[a]]).squareRoot())
                    }
                    .sorted { abs($0.coefficient) > abs($1.coefficient) }
                throw FittingError.collinearColumns(column: k, name: names[k], combination: terms)
            }
            factor.append(l + [residual.squareRoot()])
            kept.append(k)
        }
    }

    /// The common value of column `k` over rows with positive weight, or nil when it varies.
    static func constantValue(design: Matrix, column k: Int, weights: [Double]) -> Double? {
        var value: Double?
        for i in 0..<design.rows where weights[i] > 0 {
            let v = design[i, k]
            if let value, value != v { return nil }
            value = v
        }
        return value
    }
}
