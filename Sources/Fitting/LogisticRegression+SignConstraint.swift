import LinearAlgebra

/// The result of ``LogisticRegression/fitNonNegative(design:outcome:nonNegative:columnNames:)``.
public struct ConstrainedLogisticFit: Sendable, Equatable {
    /// The regression on the free columns alone (in design order): at the constrained optimum, the fixed
    /// coefficients are 0, so this is the fit the model uses. Standard errors are those of this fit (given the
    /// active set).
    public let fit: LogisticFit
    /// The design columns left free, ascending.
    public let freeColumns: [Int]
    /// The constrained columns held at 0, ascending.
    public let zeroColumns: [Int]
    /// β over every design column (0 at ``zeroColumns``).
    public let coefficients: [Double]
    /// The objective's gradient over every design column at ``coefficients``: ≈ 0 on free columns, ≥ 0 on the
    /// columns held at 0 (the Karush–Kuhn–Tucker conditions that certify the constrained optimum).
    public let gradient: [Double]
}

extension LogisticRegression {
    /// Minimises the objective of ``fit(design:outcome:weights:columnNames:)`` subject to `βⱼ ≥ 0` for every `j` in
    /// `nonNegative`.
    ///
    /// **Method: an active set (Lawson and Hanson's, for a convex objective).** When the unconstrained optimum is
    /// feasible it is the answer. Otherwise start with every constrained column held at 0 and the others fitted. Then repeat: at the current point `x`, if no held column has a gradient
    /// component below `−10⁻⁹·Σw·sⱼ` (`sⱼ` the column's root mean square), `x` is optimal — the KKT conditions
    /// hold. Otherwise free the held column whose scaled gradient is most negative, and fit the free columns
    /// without constraint (Newton, as ``fit(design:outcome:weights:columnNames:)``), giving `z`. If a constrained
    /// free coefficient of `z` is negative, move from `x` towards `z` as far as feasibility allows (the objective
    /// falls along the segment: it is convex and `z` minimises it on the free columns), hold the coefficients that
    /// reached 0, and fit again. Every outer step lowers the objective, so no active set repeats and the method
    /// ends; it stops with ``FittingError/didNotConverge(iterations:gradientMaxNorm:)`` after `4p` steps.
    /// - Throws: ``FittingError`` as the plain fit does.
    public func fitNonNegative(design: Matrix, outcome: [Double], nonNegative: Set<Int>,
                               columnNames: [String]? = nil) throws -> ConstrainedLogisticFit {
        let x = design.converted(to: .rowMajor)
        let p = x.columns, n = x.rows
        let names = columnNames ?? (0..<p).map { "x\($0)" }
        let rms = (0..<p).map { j -> Double in
            var s = 0.0
            for i in 0..<n { s += x[i, j] * x[i, j] }
            let r = (s / Double(max(n, 1))).squareRoot()
            return r > 0 ? r : 1
        }
        // The unconstrained optimum, when feasible, is the constrained one.
        let all = try fit(design: x, outcome: outcome, columnNames: names)
        if nonNegative.allSatisfy({ all.coefficients[$0] >= 0 }) {
            return ConstrainedLogisticFit(fit: all, freeColumns: Array(0..<p), zeroColumns: [],
                                          coefficients: all.coefficients, gradient: gradient(x, outcome, all.coefficients))
        }
        var free = (0..<p).filter { !nonNegative.contains($0) }
        var beta = [Double](repeating: 0, count: p)
        var last = try fitFree(x, outcome, free, names)
        for (k, j) in free.enumerated() { beta[j] = last.coefficients[k] }
        var steps = 0
        while true {
            let g = gradient(x, outcome, beta)
            let held = (0..<p).filter { nonNegative.contains($0) && !free.contains($0) }
            let entering = held.filter { g[$0] < -1e-9 * Double(n) * rms[$0] }
                .min { g[$0] / rms[$0] < g[$1] / rms[$1] }
            guard let j = entering else {
                return ConstrainedLogisticFit(fit: last, freeColumns: free, zeroColumns: held, coefficients: beta,
                                              gradient: g)
            }
            free = (free + [j]).sorted()
            while true {
                steps += 1
                if steps > 4 * p { throw FittingError.didNotConverge(iterations: steps, gradientMaxNorm: g.map(abs).max() ?? 0) }
                let candidate = try fitFree(x, outcome, free, names)
                var z = [Double](repeating: 0, count: p)
                for (k, c) in free.enumerated() { z[c] = candidate.coefficients[k] }
                let negative = free.filter { nonNegative.contains($0) && z[$0] < 0 }
                if negative.isEmpty { beta = z; last = candidate; break }
                var alpha = 1.0
                for c in negative { alpha = min(alpha, beta[c] / (beta[c] - z[c])) }
                for c in 0..<p { beta[c] += alpha * (z[c] - beta[c]) }
                let leaving = free.filter { nonNegative.contains($0) && beta[$0] <= 1e-15 * rms[$0] }
                for c in leaving { beta[c] = 0 }
                free.removeAll { leaving.contains($0) }
                if leaving.isEmpty { beta = z; last = candidate; break }   // rounding: α reached 1
            }
        }
    }

    /// The unconstrained fit on columns `free` of `x` (the penalty's exemptions carried over).
    private func fitFree(_ x: Matrix, _ y: [Double], _ free: [Int], _ names: [String]) throws -> LogisticFit {
        var sub = Matrix(rows: x.rows, columns: free.count)
        for i in 0..<x.rows { for (k, j) in free.enumerated() { sub[i, k] = x[i, j] } }
        var model = self
        model.unpenalizedColumns = Set(free.indices.filter { unpenalizedColumns.contains(free[$0]) })
        return try model.fit(design: sub, outcome: y, columnNames: free.map { names[$0] })
    }

    /// `Xᵀ(μ − y) + λβ̃` at `beta`.
    func gradient(_ x: Matrix, _ y: [Double], _ beta: [Double]) -> [Double] {
        let eta = BLAS.product(x, beta)
        let p = x.columns
        var g = [Double](repeating: 0, count: p)
        for i in 0..<x.rows {
            let r = LogisticLoss.sigmoid(eta[i]) - y[i]
            for j in 0..<p { g[j] += r * x[i, j] }
        }
        for j in 0..<p where !unpenalizedColumns.contains(j) { g[j] += l2Penalty * beta[j] }
        return g
    }
}
