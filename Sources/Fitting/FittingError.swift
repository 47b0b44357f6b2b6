/// Why a model could not be fitted, as cases a caller can match on.
///
/// Column and row indices are 0-based positions in the design matrix / outcome vector passed to the fitter;
/// `name` is taken from the column names given to the fitter (or `"x<j>"` when none were given).
public enum FittingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The design, outcome and weight arrays do not agree in size.
    case dimensionMismatch(String)
    /// An outcome that is not 0 or 1.
    case outcomeNotBinary(row: Int, value: Double)
    /// Every observation with positive weight has the same outcome: no model can separate nothing.
    case singleOutcomeClass(value: Double)
    /// A negative, infinite or NaN observation weight, or all weights zero (`row` is then −1).
    case invalidWeight(row: Int, value: Double)
    /// A NaN or infinite entry in the design matrix.
    case nonFiniteValue(row: Int, column: Int, value: Double)
    /// A penalty that is negative or not finite, or a tolerance/iteration setting that cannot work.
    case invalidConfiguration(String)
    /// The design is singular: `column` is constant (zero, or a duplicate of another constant column).
    case constantColumn(column: Int, name: String, value: Double)
    /// The design is singular: `column` is (numerically) a linear combination of earlier columns.
    /// `combination` lists those columns with their coefficients, largest first.
    case collinearColumns(column: Int, name: String, combination: [CollinearTerm])
    /// The maximum likelihood estimate does not exist: outcomes are (quasi-)perfectly separated.
    case separation(SeparationReport)
    /// The objective could not be decreased along the Newton direction although the gradient is not small.
    case lineSearchFailed(iteration: Int, gradientMaxNorm: Double)
    /// Newton's method stopped after `iterations` without meeting the gradient tolerance.
    case didNotConverge(iterations: Int, gradientMaxNorm: Double)
    /// The Hessian lost positive definiteness during the iterations (`column` from the failing leading minor).
    case illConditionedHessian(iteration: Int, column: Int, name: String)

    public var description: String {
        switch self {
        case let .dimensionMismatch(message):
            return "dimension mismatch: \(message)"
        case let .outcomeNotBinary(row, value):
            return "outcome at row \(row) is \(value); expected 0 or 1"
        case let .singleOutcomeClass(value):
            return "every observation has outcome \(value); a binary model needs both 0 and 1"
        case let .invalidWeight(row, value):
            return row < 0 ? "all observation weights are zero"
                : "observation weight at row \(row) is \(value); expected a finite number ≥ 0"
        case let .nonFiniteValue(row, column, value):
            return "design matrix entry at row \(row), column \(column) is \(value); expected a finite number"
        case let .invalidConfiguration(message):
            return "invalid configuration: \(message)"
        case let .constantColumn(column, name, value):
            return "column \(column) (\(name)) is constant (\(value)) and duplicates the intercept or is zero: "
                + "the design is singular; drop it"
        case let .collinearColumns(column, name, combination):
            let terms = ErrorText.list(combination.map { "\($0.coefficient) × \($0.name)" }, separator: " + ")
            return "column \(column) (\(name)) is a linear combination of earlier columns (≈ \(terms)): "
                + "the design is singular; drop it or one of those columns"
        case let .separation(report):
            return report.description
        case let .lineSearchFailed(iteration, gradient):
            return "step halving could not decrease the objective at iteration \(iteration) "
                + "(gradient max-norm \(gradient))"
        case let .didNotConverge(iterations, gradient):
            return "Newton's method did not converge in \(iterations) iterations (gradient max-norm \(gradient))"
        case let .illConditionedHessian(iteration, column, name):
            return "the Hessian became numerically singular at iteration \(iteration) near column \(column) "
                + "(\(name)); the design is nearly collinear or the fitted probabilities are 0 or 1"
        }
    }
}

/// One term of a linear dependency between design columns: `coefficient × column`.
public struct CollinearTerm: Equatable, Sendable {
    public let column: Int
    public let name: String
    public let coefficient: Double
}

/// What the fitter found when the outcomes are perfectly or quasi-perfectly separated.
///
/// Separation means there is a direction `d` in coefficient space with `(2yᵢ − 1)·xᵢᵀd ≥ 0` for every
/// observation (strictly for some): moving along `d` never lowers the likelihood, so coefficients diverge
/// while the fitted probabilities of the separated observations tend to exactly 0 or 1.
public struct SeparationReport: Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        /// Every observation is separated: the likelihood tends to 1 (log-likelihood → 0).
        case complete
        /// A subset is separated; the others lie on the separating hyperplane.
        case quasiComplete
    }

    public let kind: Kind
    /// Observations (rows) fitted to probability 0 or 1 along the separating direction, in row order.
    public let separatedRows: [Int]
    /// Columns carrying the separating direction (those whose coefficients diverge), largest share first.
    public let columns: [Int]
    public let columnNames: [String]
    /// The coefficients when the fitter stopped (already large in the separating direction).
    public let coefficientsAtStop: [Double]
    /// The log-likelihood when the fitter stopped.
    public let logLikelihoodAtStop: Double

    public var description: String {
        let which = kind == .complete ? "complete separation" : "quasi-complete separation"
        return "\(which): \(separatedRows.count) observation(s) are fitted with probability 0 or 1 and the "
            + "coefficients of \(ErrorText.list(columnNames)) diverge; the maximum likelihood estimate "
            + "does not exist — drop or regroup those columns, or fit with an L2 penalty"
    }
}
