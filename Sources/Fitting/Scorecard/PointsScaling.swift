#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns log-odds into scorecard points: `score = offset + factor·ln(good:bad odds)`.
///
/// The scale is pinned by three numbers: at `baseOdds` (good:bad, e.g. 50 : 1) the score is `basePoints`
/// (e.g. 600), and every `pointsToDoubleOdds` (PDO, e.g. 20) points double the odds. Hence
/// `factor = PDO / ln 2` and `offset = basePoints − factor·ln(baseOdds)`. With `η` the model's log-odds of the
/// *event* (bad), `ln(good:bad) = −η`, so `score = offset − factor·η`: higher scores are safer.
public struct PointsScaling: Equatable, Sendable {
    public var basePoints: Double
    public var baseOdds: Double
    public var pointsToDoubleOdds: Double

    public init(basePoints: Double = 600, baseOdds: Double = 50, pointsToDoubleOdds: Double = 20) {
        self.basePoints = basePoints
        self.baseOdds = baseOdds
        self.pointsToDoubleOdds = pointsToDoubleOdds
    }

    public var factor: Double { pointsToDoubleOdds / log(2) }
    public var offset: Double { basePoints - factor * log(baseOdds) }

    /// Points for the event log-odds `η`.
    public func score(linearPredictor eta: Double) -> Double { offset - factor * eta }
    /// The event log-odds for a score (the inverse of ``score(linearPredictor:)``).
    public func linearPredictor(score: Double) -> Double { (offset - score) / factor }

    func validate() throws {
        guard baseOdds > 0, baseOdds.isFinite, pointsToDoubleOdds > 0, pointsToDoubleOdds.isFinite, basePoints.isFinite else {
            throw ScorecardError.invalidParameter(
                "points scaling needs base odds > 0 and points to double the odds > 0 (got \(baseOdds), \(pointsToDoubleOdds))")
        }
    }
}

/// Grade bands A–D (or any labels) by score: the first grade is the best (highest scores).
public struct GradeBands: Equatable, Sendable {
    public let grades: [String]
    /// Descending: a score ≥ `lowerBounds[k]` (and below the previous bound) gets `grades[k]`; below the last
    /// bound it gets `grades.last`. `lowerBounds.count == grades.count − 1`.
    public let lowerBounds: [Double]

    /// Bands from explicit cut points (any order; sorted descending).
    public init(grades: [String] = ["A", "B", "C", "D"], lowerBounds: [Double]) throws {
        guard grades.count == lowerBounds.count + 1, !grades.isEmpty else {
            throw ScorecardError.invalidParameter("\(grades.count) grades need \(grades.count - 1) cut points, got \(lowerBounds.count)")
        }
        let sorted = lowerBounds.sorted(by: >)
        guard Set(sorted).count == sorted.count, sorted.allSatisfy(\.isFinite) else {
            throw ScorecardError.invalidParameter("grade cut points must be distinct finite numbers: \(lowerBounds)")
        }
        self.grades = grades
        self.lowerBounds = sorted
    }

    /// Bands holding the given shares of `scores` from best to worst (default: quarters).
    ///
    /// The bound below the best `s₁ + … + s_k` share is the score order statistic at that position; a band can
    /// hold more than its share when scores tie at a bound (the tie is never split).
    public static func quantiles(of scores: [Double], shares: [Double] = [0.25, 0.25, 0.25, 0.25],
                                 grades: [String] = ["A", "B", "C", "D"]) throws -> GradeBands {
        guard shares.count == grades.count, abs(shares.reduce(0, +) - 1) < 1e-9, shares.allSatisfy({ $0 > 0 }),
              !scores.isEmpty else {
            throw ScorecardError.invalidParameter("grade shares must be positive, one per grade, and sum to 1")
        }
        let descending = scores.sorted(by: >)
        var bounds: [Double] = []
        var cumulative = 0.0
        for share in shares.dropLast() {
            cumulative += share
            let position = min(descending.count - 1, max(0, Int((cumulative * Double(descending.count)).rounded()) - 1))
            bounds.append(descending[position])
        }
        return try GradeBands(grades: grades, lowerBounds: bounds)
    }

    public func grade(_ score: Double) -> String {
        for (k, bound) in lowerBounds.enumerated() where score >= bound { return grades[k] }
        return grades[grades.count - 1]
    }
}
