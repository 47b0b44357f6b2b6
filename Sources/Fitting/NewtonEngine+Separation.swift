extension NewtonEngine {
    /// The separation certificate, checked when the unpenalised iteration ends (converged, out of iterations,
    /// or the Hessian collapsed).
    ///
    /// Near a finite optimum Newton steps shrink quadratically. Under separation they do not: along the
    /// separating direction `d` the loss of a separated observation behaves like `e^{−t}`, whose Newton step is
    /// about 1 in the linear predictor however far out it is, while the gradient `≈ e^{−t}` vanishes. So the
    /// last accepted step `X·Δ` is a witness: if it still moves some linear predictor by at least 10⁻³ and moves
    /// none against its own outcome (`(2yᵢ − 1)·xᵢᵀΔ ≥ −10⁻⁶·max|xᵢᵀΔ|`), then `Δ` is (to that tolerance) a
    /// separating direction, along which the likelihood keeps increasing — the MLE does not exist.
    func separationReport() -> SeparationReport? {
        guard let u = lastStepEta, let step = lastStep else { return nil }
        var largest = 0.0
        for i in 0..<n where w[i] > 0 { largest = max(largest, abs(u[i])) }
        guard largest >= 1e-3 else { return nil }
        var separated: [Int] = []
        var onHyperplane = 0
        for i in 0..<n where w[i] > 0 {
            let signed = (y[i] == 1 ? 1.0 : -1.0) * u[i]
            if signed < -1e-6 * largest { return nil }
            if signed > 1e-6 * largest { separated.append(i) } else { onHyperplane += 1 }
        }
        // Columns carrying the direction, measured in linear-predictor units (|Δⱼ|·rms of column j).
        let share = (0..<p).map { abs(step[$0]) * scale[$0] / totalWeight }
        let top = share.max() ?? 0
        let columns = (0..<p).filter { share[$0] >= 1e-3 * top }.sorted { share[$0] > share[$1] }
        let logLikelihood = -(objective(eta: eta, beta: beta) - penalty(beta))
        return SeparationReport(
            kind: onHyperplane == 0 ? .complete : .quasiComplete, separatedRows: separated, columns: columns,
            columnNames: columns.map { names[$0] }, coefficientsAtStop: beta, logLikelihoodAtStop: logLikelihood)
    }
}
