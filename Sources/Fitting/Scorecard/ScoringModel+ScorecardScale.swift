import Scoring

extension ScoringModel.PointsScaling {
    /// Refuses a scale a scorecard cannot be built on (the same rules model validation applies to `points`), with
    /// the builder's error.
    func validate() throws {
        guard baseOdds > 0, baseOdds.isFinite, pointsToDoubleOdds > 0, pointsToDoubleOdds.isFinite, basePoints.isFinite else {
            throw ScorecardError.invalidParameter(
                "points scaling needs base odds > 0 and points to double the odds > 0 (got \(baseOdds), \(pointsToDoubleOdds))")
        }
    }
}

extension ScoringModel.GradeBands {
    /// Bands on points holding the given shares of `points` from best to worst (default: quarters).
    ///
    /// The cut below the best `s₁ + … + s_k` share is the points order statistic at that position; a band can
    /// hold more than its share when points tie at a cut (the tie is never split).
    /// - Throws: `ScorecardError.invalidParameter` when the shares are not positive, one per label and summing to 1,
    ///   when `points` is empty, or when ties leave two cuts equal (the bands would not be distinct).
    /// - Complexity: O(*n* log *n*) for *n* points.
    public static func pointQuantiles(of points: [Double], shares: [Double] = [0.25, 0.25, 0.25, 0.25],
                                      labels: [String] = defaultLabels) throws -> Self {
        guard shares.count == labels.count, abs(shares.reduce(0, +) - 1) < 1e-9, shares.allSatisfy({ $0 > 0 }),
              !points.isEmpty else {
            throw ScorecardError.invalidParameter("grade shares must be positive, one per grade, and sum to 1")
        }
        let descending = points.sorted(by: >)
        var cuts: [Double] = []
        var cumulative = 0.0
        for share in shares.dropLast() {
            cumulative += share
            let position = min(descending.count - 1, max(0, Int((cumulative * Double(descending.count)).rounded()) - 1))
            cuts.append(descending[position])
        }
        guard Set(cuts).count == cuts.count, cuts.allSatisfy(\.isFinite) else {
            throw ScorecardError.invalidParameter("grade cut points must be distinct finite numbers: \(cuts)")
        }
        return Self(measure: .points, cuts: cuts, labels: labels)
    }
}
