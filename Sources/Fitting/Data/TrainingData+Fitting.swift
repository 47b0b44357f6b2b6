import LinearAlgebra
import Scoring

extension TrainingData {
    /// A logistic regression on `rows`: intercept, numeric features (filled and standardised as `options` say),
    /// categorical features one-hot (levels and reference from `rows`, see ``DummyDesign``), ridge penalty λ
    /// (intercept unpenalised).
    /// - Throws: ``TrainingDataError`` (a constant column, one class), `TableError` (a missing number without
    ///   imputation) or ``FittingError`` (separation, collinear columns, …).
    public func fitLogistic(rows: [Int], penalty: Double,
                            options: DummyDesign.Options = DummyDesign.Options()) throws -> (design: DummyDesign, fit: LogisticFit) {
        try validateTraining(rows: rows)
        if options.imputation == nil { try requireComplete(rows: rows) }
        let design = DummyDesign(columns: features, rows: rows, options: options)
        let fit = try LogisticRegression(l2Penalty: penalty)
            .fit(design: try design.matrix(features, rows: rows), outcome: rows.map { outcome[$0] },
                 columnNames: design.columnNames)
        return (design, fit)
    }

    /// A scorecard on `rows` (bins, WOE and coefficients from those rows only).
    /// - Throws: ``TrainingDataError/tooFewPositivesInBin(feature:bin:positives:negatives:)`` when a selected
    ///   feature has a bin without a positive or without a negative, plus the errors of ``fitLogistic(rows:penalty:options:)``.
    public func fitScorecard(rows: [Int], builder: ScorecardBuilder) throws -> Scorecard {
        try validateTraining(rows: rows)
        let card = try builder.fit(columns: features, outcome: outcome, trainingRows: rows)
        for feature in card.bins {
            for (k, counts) in feature.counts.enumerated() where counts.events == 0 || counts.nonEvents == 0 {
                throw TrainingDataError.tooFewPositivesInBin(feature: feature.feature, bin: feature.labels[k],
                                                             positives: Int(counts.events),
                                                             negatives: Int(counts.nonEvents))
            }
        }
        return card
    }

    /// Linear predictors (event log-odds) of a logistic fit for `rows` (every row when nil); unseen levels score as
    /// the reference level, as the exported model does.
    public func linearPredictors(design: DummyDesign, fit: LogisticFit, rows: [Int]? = nil) throws -> [Double] {
        let rows = rows ?? Array(0..<rowCount)
        if design.columns.contains(where: { if case let .numeric(_, e) = $0 { return e.fill == nil }; return false }) {
            try requireComplete(rows: rows)
        }
        return fit.linearPredictor(try design.matrix(features, rows: rows))
    }

    /// Linear predictors of a scorecard for `rows` (every row when nil).
    public func linearPredictors(scorecard: Scorecard, rows: [Int]? = nil) throws -> [Double] {
        guard let rows else { return try scorecard.linearPredictors(features) }
        return try scorecard.linearPredictors(features.map { $0.selecting(rows: rows) })
    }
}
