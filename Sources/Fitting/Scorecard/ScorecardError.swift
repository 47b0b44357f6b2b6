/// Why a scorecard could not be built or applied.
public enum ScorecardError: Error, Equatable, Sendable, CustomStringConvertible {
    case lengthMismatch(feature: String, values: Int, outcomes: Int)
    case outcomeNotBinary(row: Int, value: Double)
    case noValues(feature: String)
    case nonFiniteValue(feature: String, row: Int, value: Double)
    /// A missing (NaN) value where the feature had no missing values in training.
    case missingValue(feature: String, row: Int)
    /// No feature reached the minimum information value.
    case noFeatureSelected(minimumIV: Double, best: String, bestIV: Double)
    case unknownFeature(String)
    case invalidParameter(String)

    public var description: String {
        switch self {
        case let .lengthMismatch(feature, values, outcomes):
            return "feature \(feature) has \(values) values but there are \(outcomes) outcomes"
        case let .outcomeNotBinary(row, value): return "outcome at row \(row) is \(value); expected 0 or 1"
        case let .noValues(feature): return "feature \(feature) has no non-missing value to bin"
        case let .nonFiniteValue(feature, row, value):
            return "feature \(feature), row \(row): value \(value) is not a finite number"
        case let .missingValue(feature, row):
            return "feature \(feature), row \(row): missing value, but training data had none (no missing bin)"
        case let .noFeatureSelected(minimumIV, best, bestIV):
            return "no feature has information value ≥ \(minimumIV) (best: \(best) with \(bestIV))"
        case let .unknownFeature(name): return "unknown feature \(name)"
        case let .invalidParameter(message): return message
        }
    }

    static func validate(feature: String, count: Int, outcomes: [Double]) throws {
        guard count == outcomes.count else {
            throw ScorecardError.lengthMismatch(feature: feature, values: count, outcomes: outcomes.count)
        }
        for (i, y) in outcomes.enumerated() where y != 0 && y != 1 {
            throw ScorecardError.outcomeNotBinary(row: i, value: y)
        }
    }
}
