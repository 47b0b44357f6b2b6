import LinearAlgebra

/// The result of ``LogisticRegression/fit(design:outcome:weights:columnNames:)``.
public struct LogisticFit: Sendable, Equatable {
    /// β, one per design column.
    public let coefficients: [Double]
    /// `√diag(H⁻¹)` with `H` the Hessian of the (penalised) objective at β. Without a penalty these are the usual
    /// asymptotic standard errors of the MLE; with one, the posterior standard deviations of the matching
    /// Gaussian prior (not frequentist standard errors).
    public let standardErrors: [Double]
    /// `H⁻¹`, `p × p` row-major.
    public let covariance: Matrix
    public let columnNames: [String]
    /// `Σ wᵢ log P(yᵢ | xᵢ, β)` (≤ 0).
    public let logLikelihood: Double
    /// The minimised objective `−logLikelihood + (λ/2)‖β̃‖²` (for scikit-learn's `C`, its objective is `C ×` this).
    public let objective: Double
    /// The ridge penalty λ used.
    public let l2Penalty: Double
    /// Newton steps taken.
    public let iterations: Int
    /// `max_j |∂f/∂βⱼ|` at β (unscaled).
    public let gradientMaxNorm: Double
    /// `Σ wᵢ`.
    public let totalWeight: Double

    /// Linear predictors `Xβ` for a design with the same columns.
    public func linearPredictor(_ design: Matrix) -> [Double] {
        precondition(design.columns == coefficients.count,
                     "design has \(design.columns) columns, the model \(coefficients.count)")
        return BLAS.product(design, coefficients)
    }

    /// Fitted probabilities `σ(Xβ)`.
    public func probabilities(_ design: Matrix) -> [Double] {
        linearPredictor(design).map(LogisticLoss.sigmoid)
    }

    /// Wald z statistics `βⱼ / SEⱼ`.
    public var zStatistics: [Double] { zip(coefficients, standardErrors).map { $0 / $1 } }
}
