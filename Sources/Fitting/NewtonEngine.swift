import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LinearAlgebra
import OneCheckUtilities

/// The Newton/IRLS iteration behind ``LogisticRegression``: buffers and one pass per step over row blocks.
///
/// Invariant between steps: `eta == X·beta` (updated as `eta + t·X·Δ`, so a halved step needs no further pass
/// over `X`), and `objective == f(beta)`.
struct NewtonEngine {
    let model: LogisticRegression
    let x: Matrix            // n × p, row-major
    let y: [Double]
    let w: [Double]
    let names: [String]
    let n: Int
    let p: Int
    let block: Int
    let rowSlices: Int?
    let penalized: [Bool]
    let lambda: Double
    let totalWeight: Double

    var beta: [Double]
    var eta: [Double]
    var gradient: [Double]
    var hessian: [Double]     // p × p row-major, full after `derivatives()`
    /// `μ(1 − μ)` of every row at the starting point (¼ at β = 0).
    var startVariance: Double
    /// Per-column convergence scale `Σw · sⱼ` (fixed at the first pass, whose data Hessian is `μ(1 − μ)·XᵀDX`).
    var scale: [Double]
    /// `X·(t·Δ)` of the last accepted step: the separation certificate.
    var lastStepEta: [Double]?
    var lastStep: [Double]?

    init(model: LogisticRegression, design: Matrix, outcome: [Double], weights: [Double], names: [String]) {
        self.model = model
        x = design
        y = outcome
        w = weights
        self.names = names
        n = design.rows
        p = design.columns
        block = max(1, min(n, model.rowsPerBlock ?? max(256, (1 << 18) / max(1, p))))
        rowSlices = model.rowSlices
        penalized = (0..<design.columns).map { !model.unpenalizedColumns.contains($0) }
        lambda = model.l2Penalty
        totalWeight = weights.reduce(0, +)
        beta = [Double](repeating: 0, count: p)
        eta = [Double](repeating: 0, count: n)
        // Start from the intercept-only fit when there is an unpenalised column of ones: it saves about one
        // Newton step, and μ is still the same for every row, so the first Hessian stays proportional to XᵀDX
        // (which the rank check relies on).
        startVariance = 0.25
        let rows = n, columns = p
        let ones = model.unpenalizedColumns.sorted().first { j in
            (0..<rows).allSatisfy { design.storage[$0 * columns + j] == 1 }
        }
        if let j = ones {
            var events = 0.0, total = 0.0
            for i in 0..<rows { events += weights[i] * outcome[i]; total += weights[i] }
            let mean = events / total
            beta[j] = LogisticLoss.logit(mean)
            eta = [Double](repeating: beta[j], count: rows)
            startVariance = mean * (1 - mean)
        }
        gradient = [Double](repeating: 0, count: p)
        hessian = [Double](repeating: 0, count: p * p)
        scale = [Double](repeating: 1, count: p)
    }

    /// `f` at the linear predictors `eta` and coefficients `beta`.
    func objective(eta: [Double], beta: [Double]) -> Double {
        var sum = CompensatedSum()
        for i in 0..<n where w[i] > 0 {
            sum.add(w[i] * LogisticLoss.loss(outcome: y[i], linearPredictor: eta[i]))
        }
        return sum.value + penalty(beta)
    }

    func penalty(_ beta: [Double]) -> Double {
        guard lambda > 0 else { return 0 }
        var s = 0.0
        for j in 0..<p where penalized[j] { s += beta[j] * beta[j] }
        return 0.5 * lambda * s
    }

    /// Gradient and full Hessian of `f` at the current `beta`/`eta`, in one blocked pass.
    ///
    /// Each block's rows are scaled by `√(wᵢμᵢ(1 − μᵢ))` into `work` and accumulated with `syrk`; the gradient
    /// term `wᵢ(μᵢ − yᵢ)·xᵢ` is added while the row is in cache (a one-column BLAS call would re-read the block,
    /// and OpenBLAS would pack it first).
    ///
    /// A large problem is cut into a fixed number of row slices, one task each (single-threaded BLAS inside),
    /// and the slices' sums are added in slice order — so the result does not depend on the number of cores.
    /// OpenBLAS's own threads would only split each block's small syrk, leaving the row pass serial.
    mutating func derivatives() {
        let p = self.p, n = self.n, block = self.block
        let slices = max(1, min(n, rowSlices ?? (Double(n) * Double(p * p) >= 4e7 ? 8 : 1)))
        var partialHessian = [Double](repeating: 0, count: slices * p * p)
        var partialGradient = [Double](repeating: 0, count: slices * p)
        x.storage.withUnsafeBufferPointer { xb in
        eta.withUnsafeBufferPointer { etab in
        y.withUnsafeBufferPointer { yb in
        w.withUnsafeBufferPointer { wtb in
        partialHessian.withUnsafeMutableBufferPointer { hb in
        partialGradient.withUnsafeMutableBufferPointer { gb in
            // SharedBuffer's contract: X, η, y and w are only read during the pass, and each slice writes only its
            // own partial Hessian and gradient (disjoint ranges of the two buffers), summed after every task ended.
            let xp = SharedBuffer(readOnly: xb), etas = SharedBuffer(readOnly: etab)
            let ys = SharedBuffer(readOnly: yb), ws = SharedBuffer(readOnly: wtb)
            let hessians = SharedBuffer(hb), gradients = SharedBuffer(gb)
            let accumulate: @Sendable (Int) -> Void = { slice in
                let lower = slice * n / slices, upper = (slice + 1) * n / slices
                let buffer = UnsafeMutablePointer<Double>.allocate(capacity: block * p)
                defer { buffer.deallocate() }
                let h = hessians.base + slice * p * p, g = gradients.base + slice * p
                var start = lower
                while start < upper {
                    let rows = min(block, upper - start)
                    for r in 0..<rows {
                        let i = start + r
                        // μ and μ(1 − μ) from a = e^{−|η|} ≤ 1: no overflow, no cancellation in 1 − μ.
                        let e = etas[i], a = exp(-abs(e))
                        let mu = e >= 0 ? 1 / (1 + a) : a / (1 + a)
                        let variance = a / ((1 + a) * (1 + a))
                        let residual = ws[i] * (mu - ys[i])
                        let s = (ws[i] * variance).squareRoot()
                        let src = xp.base + i * p, dst = buffer + r * p
                        for j in 0..<p {
                            dst[j] = s * src[j]
                            g[j] += residual * src[j]
                        }
                    }
                    BLAS.syrkUpperTransposed(n: p, k: rows, alpha: 1, a: buffer, lda: p,
                                             beta: start == lower ? 0 : 1, c: h)
                    start += rows
                }
            }
            if slices == 1 {
                accumulate(0)
            } else {
                BLASThreads.with(1) { DispatchQueue.concurrentPerform(iterations: slices, execute: accumulate) }
            }
        }}}}}}
        for k in 0..<(p * p) {
            var sum = 0.0
            for s in 0..<slices { sum += partialHessian[s * p * p + k] }
            hessian[k] = sum
        }
        for j in 0..<p {
            var sum = 0.0
            for s in 0..<slices { sum += partialGradient[s * p + j] }
            gradient[j] = sum
        }
        hessian.withUnsafeMutableBufferPointer { BLAS.mirrorUpperToLower($0.baseAddress!, n: p) }
        if lambda > 0 {
            for j in 0..<p where penalized[j] {
                gradient[j] += lambda * beta[j]
                hessian[j * p + j] += lambda
            }
        }
    }

    /// `X·v` for a coefficient-space vector `v` (dgemv: one streaming pass, no packing).
    func times(_ v: [Double]) -> [Double] {
        BLAS.product(x, v)
    }

    func scaledGradientMaxNorm() -> Double {
        var worst = 0.0
        for j in 0..<p { worst = max(worst, abs(gradient[j]) / scale[j]) }
        return worst
    }

    mutating func run() throws -> LogisticFit {
        var f = objective(eta: eta, beta: beta)
        var iteration = 0
        while true {
            derivatives()
            if iteration == 0 {
                // At the start every μᵢ is the same, so the data part of H is μ(1 − μ)·XᵀDX: the design's rank.
                try DesignRank.check(hessian: hessian, p: p, design: x, weights: w, names: names,
                                     tolerance: model.collinearityTolerance)
                for j in 0..<p {
                    let data = hessian[j * p + j] - (lambda > 0 && penalized[j] ? lambda : 0)
                    let rms = (max(0, data) / (startVariance * totalWeight)).squareRoot()
                    scale[j] = totalWeight * (rms > 0 ? rms : 1)
                }
            }
            let gmax = scaledGradientMaxNorm()
            if gmax <= model.gradientTolerance { break }
            if iteration >= model.maxIterations {
                if lambda == 0, let report = separationReport() { throw FittingError.separation(report) }
                throw FittingError.didNotConverge(iterations: iteration, gradientMaxNorm: maxAbs(gradient))
            }
            let factor: Cholesky
            do {
                factor = try Cholesky(Matrix(rows: p, columns: p, storage: hessian))
            } catch let LAPACKError.notPositiveDefinite(_, order) {
                if lambda == 0, let report = separationReport() { throw FittingError.separation(report) }
                let column = max(0, order - 1)
                throw FittingError.illConditionedHessian(iteration: iteration, column: column, name: names[column])
            }
            let delta = try factor.solve(gradient.map { -$0 })
            let u = times(delta)
            let slope = zip(gradient, delta).reduce(0) { $0 + $1.0 * $1.1 }  // < 0: a descent direction
            var t = 1.0, halvings = 0
            var candidateEta = eta, candidateBeta = beta
            while true {
                for i in 0..<n { candidateEta[i] = eta[i] + t * u[i] }
                for j in 0..<p { candidateBeta[j] = beta[j] + t * delta[j] }
                let fc = objective(eta: candidateEta, beta: candidateBeta)
                // Armijo decrease, or a change below the rounding noise of f (the last, tiny Newton steps).
                if fc <= f + 1e-4 * t * slope || abs(fc - f) <= 1e-13 * max(1, abs(f)) {
                    f = fc
                    break
                }
                halvings += 1
                if halvings > model.maxStepHalvings {
                    if gmax <= model.gradientTolerance.squareRoot() { return try finish(iterations: iteration) }
                    throw FittingError.lineSearchFailed(iteration: iteration, gradientMaxNorm: maxAbs(gradient))
                }
                t *= 0.5
            }
            lastStepEta = u.map { $0 * t }
            lastStep = delta.map { $0 * t }
            swap(&eta, &candidateEta)
            swap(&beta, &candidateBeta)
            iteration += 1
        }
        if lambda == 0, let report = separationReport() { throw FittingError.separation(report) }
        return try finish(iterations: iteration)
    }

    /// Standard errors from the Hessian at β, and the log-likelihood from a fresh `X·β` (no drift).
    mutating func finish(iterations: Int) throws -> LogisticFit {
        let factor: Cholesky
        do {
            factor = try Cholesky(Matrix(rows: p, columns: p, storage: hessian))
        } catch let LAPACKError.notPositiveDefinite(_, order) {
            let column = max(0, order - 1)
            throw FittingError.illConditionedHessian(iteration: iterations, column: column, name: names[column])
        }
        let covariance = try factor.inverse()
        let freshEta = times(beta)
        let value = objective(eta: freshEta, beta: beta)
        let logLikelihood = -(value - penalty(beta))
        return LogisticFit(
            coefficients: beta,
            standardErrors: (0..<p).map { covariance[$0, $0].squareRoot() },
            covariance: covariance, columnNames: names, logLikelihood: logLikelihood, objective: value,
            l2Penalty: lambda, iterations: iterations, gradientMaxNorm: maxAbs(gradient), totalWeight: totalWeight)
    }

    func maxAbs(_ v: [Double]) -> Double { v.reduce(0) { max($0, abs($1)) } }
}
