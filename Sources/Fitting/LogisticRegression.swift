import LinearAlgebra

/// Maximum-likelihood logistic regression by Newton's method (IRLS), on BLAS and LAPACK.
///
/// For a design `X` (`n × p`, the intercept being an ordinary column of ones), outcomes `yᵢ ∈ {0, 1}` and
/// observation weights `wᵢ ≥ 0`, the fit minimises
///
///     f(β) = Σᵢ wᵢ·ℓ(yᵢ, xᵢᵀβ) + (λ/2)·Σ_{j penalised} βⱼ²,   ℓ(y, η) = log(1 + e^η) − y·η,
///
/// i.e. the negative log-likelihood plus an optional ridge (L2) penalty that spares ``unpenalizedColumns``
/// (by default column 0, the intercept). Weights are frequency weights: weight 2 is the same as the row twice.
///
/// **scikit-learn's `C`.** `LogisticRegression(C=…)` minimises `C·Σ ℓ + ½‖β[1:]‖²` (with an unpenalised
/// intercept); dividing by `C` gives the form above with `λ = 1/C`, so the optima coincide and sklearn's
/// objective is `C · f`. ``init(inverseRegularization:unpenalizedColumns:)`` does this mapping.
///
/// **Method.** Each iteration builds the gradient `Xᵀ·w(μ − y) + λβ̃` and the Hessian `XᵀWX + λI'`
/// (`W = diag(wᵢμᵢ(1 − μᵢ))`) in one pass over row blocks: a block's rows are scaled by `√Wᵢᵢ` into a work
/// buffer and accumulated with `syrk`, so extra memory is `O(block·p + n)` however large `n` is. The Newton
/// direction is solved by Cholesky (`potrf`/`potrs`); the step is halved until the objective decreases
/// (Armijo condition). The iteration stops when every gradient component is small relative to the total weight
/// and the column's scale (see ``gradientTolerance``). Standard errors are `√diag(H⁻¹)` at the optimum.
///
/// **Failures are typed** (``FittingError``): outcomes other than 0/1, a single outcome class, bad weights,
/// non-finite values; a singular design (``FittingError/constantColumn(column:name:value:)`` or
/// ``FittingError/collinearColumns(column:name:combination:)`` naming the redundant column and the columns it is a
/// combination of); and (without penalty) perfect or quasi-perfect separation
/// (``FittingError/separation(_:)``), recognised by the certificate that the last Newton step moves every
/// observation's linear predictor towards its own outcome while the gradient has vanished.
public struct LogisticRegression: Sendable {
    /// How many threads OpenBLAS may use during the fit.
    public enum Threading: Sendable, Equatable {
        /// One thread when `n·p²` is small (thread start-up would dominate), the process setting otherwise.
        case automatic
        /// Leave OpenBLAS's process-wide setting alone.
        case inherit
        /// Exactly this many threads during the fit (restored afterwards).
        case fixed(Int)
    }

    /// The ridge penalty λ ≥ 0 on the summed loss (0 = plain maximum likelihood).
    public var l2Penalty: Double
    /// Columns the penalty does not touch (by default `[0]`, the intercept column).
    public var unpenalizedColumns: Set<Int>
    /// Convergence when `max_j |∂f/∂βⱼ| / (Σw · sⱼ) ≤ gradientTolerance`, where `sⱼ = √(Σ wᵢxᵢⱼ² / Σw)` is the
    /// column's weighted root-mean-square (1 for a zero column). Scaling by `Σw` and `sⱼ` makes the criterion
    /// independent of the number of rows and of the units of each column.
    public var gradientTolerance: Double = 1e-12
    /// The largest number of Newton steps before ``FittingError/didNotConverge(iterations:gradientMaxNorm:)``.
    public var maxIterations: Int = 100
    /// The largest number of step halvings in one iteration.
    public var maxStepHalvings: Int = 50
    /// A column is reported as collinear when `1 − R²` of its regression on the earlier columns (in the
    /// weighted Gram matrix) is below this.
    public var collinearityTolerance: Double = 1e-10
    /// Rows per block in the Hessian pass; `nil` chooses about 2 MB of work buffer.
    public var rowsPerBlock: Int?
    /// Row slices of the gradient/Hessian pass, run as parallel tasks and summed in slice order (so the fit does
    /// not depend on the number of cores); `nil` chooses 8 when `n·p² ≥ 4·10⁷` and 1 otherwise.
    public var rowSlices: Int?
    public var threading: Threading = .automatic

    /// A fit with ridge penalty `l2Penalty` (λ on the summed loss) sparing `unpenalizedColumns`.
    public init(l2Penalty: Double = 0, unpenalizedColumns: Set<Int> = [0]) {
        self.l2Penalty = l2Penalty
        self.unpenalizedColumns = unpenalizedColumns
    }

    /// scikit-learn's parameterisation: `C·Σℓ + ½‖β̃‖²`, i.e. `λ = 1/C`. `C = .infinity` means no penalty.
    public init(inverseRegularization c: Double, unpenalizedColumns: Set<Int> = [0]) {
        self.init(l2Penalty: c.isInfinite ? 0 : 1 / c, unpenalizedColumns: unpenalizedColumns)
    }

    /// Fits the model.
    ///
    /// - Parameters:
    ///   - design: `n × p`, either layout (column-major input is copied to row-major once). Include a column of
    ///     ones for the intercept.
    ///   - outcome: `n` values, each 0 or 1.
    ///   - weights: `n` finite weights ≥ 0 (frequency weights), or `nil` for all ones.
    ///   - columnNames: `p` names used in errors and in the result; `nil` gives `x0, x1, …`.
    /// - Throws: ``FittingError``.
    /// - Complexity: O(n·p²/2 + p³/3) per Newton step (usually 5–10 steps); extra memory O(n + block·p + p²).
    public func fit(design: Matrix, outcome: [Double], weights: [Double]? = nil,
                    columnNames: [String]? = nil) throws -> LogisticFit {
        let names = columnNames ?? (0..<design.columns).map { "x\($0)" }
        try validate(design: design, outcome: outcome, weights: weights, names: names)
        let x = design.converted(to: .rowMajor)
        let w = weights ?? [Double](repeating: 1, count: x.rows)
        let threads: Int?
        switch threading {
        case .automatic:
            threads = Double(x.rows) * Double(x.columns * x.columns) < 4e7 ? 1 : nil
        case .inherit: threads = nil
        case let .fixed(count): threads = count
        }
        var engine = NewtonEngine(model: self, design: x, outcome: outcome, weights: w, names: names)
        if let threads { return try BLASThreads.with(threads) { try engine.run() } }
        return try engine.run()
    }

    private func validate(design: Matrix, outcome: [Double], weights: [Double]?, names: [String]) throws {
        let n = design.rows, p = design.columns
        guard outcome.count == n else {
            throw FittingError.dimensionMismatch("design has \(n) rows, outcome has \(outcome.count) values")
        }
        if let weights, weights.count != n {
            throw FittingError.dimensionMismatch("design has \(n) rows, weights has \(weights.count) values")
        }
        guard names.count == p else {
            throw FittingError.dimensionMismatch("design has \(p) columns, \(names.count) column names given")
        }
        guard p > 0, n > 0 else { throw FittingError.dimensionMismatch("design is \(n) × \(p)") }
        guard l2Penalty >= 0, l2Penalty.isFinite else {
            throw FittingError.invalidConfiguration("l2Penalty is \(l2Penalty); expected a finite number ≥ 0")
        }
        guard gradientTolerance > 0, maxIterations >= 0, maxStepHalvings >= 0, collinearityTolerance >= 0 else {
            throw FittingError.invalidConfiguration("tolerances must be positive and iteration limits ≥ 0")
        }
        if let bad = unpenalizedColumns.first(where: { $0 < 0 || $0 >= p }) {
            throw FittingError.invalidConfiguration("unpenalized column \(bad) is outside 0..<\(p)")
        }
        var total = 0.0
        var seen: (zero: Bool, one: Bool) = (false, false)
        for i in 0..<n {
            let wi = weights?[i] ?? 1
            guard wi.isFinite, wi >= 0 else { throw FittingError.invalidWeight(row: i, value: wi) }
            let yi = outcome[i]
            guard yi == 0 || yi == 1 else { throw FittingError.outcomeNotBinary(row: i, value: yi) }
            total += wi
            if wi > 0 { if yi == 1 { seen.one = true } else { seen.zero = true } }
        }
        guard total > 0 else { throw FittingError.invalidWeight(row: -1, value: 0) }
        guard seen.zero, seen.one else { throw FittingError.singleOutcomeClass(value: seen.one ? 1 : 0) }
        for (k, v) in design.storage.enumerated() where !v.isFinite {
            let (i, j) = design.layout == .rowMajor ? (k / p, k % p) : (k % n, k / n)
            throw FittingError.nonFiniteValue(row: i, column: j, value: v)
        }
    }
}
