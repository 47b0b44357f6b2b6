/// The settings a tuning run searches, and how it cross-validates.
public struct TuningGrid: Sendable, Equatable {
    public var penalties: [Double]
    /// Scorecard only.
    public var minimumBinShares: [Double]
    /// Scorecard only.
    public var maximumBins: [Int]
    public var minimumInformationValue: Double = 0.02
    public var nonNegativeCoefficients = false

    public init(penalties: [Double], minimumBinShares: [Double] = [0.05, 0.1], maximumBins: [Int] = [5, 8]) {
        self.penalties = penalties; self.minimumBinShares = minimumBinShares; self.maximumBins = maximumBins
    }

    /// The default penalties: 0, 0.01, 0.1, 1, 10, 100 for a logistic model; 0, 1, 3, 10, 30 for a scorecard.
    public static func defaultPenalties(scorecard: Bool) -> [Double] {
        scorecard ? [0, 1, 3, 10, 30] : [0, 0.01, 0.1, 1, 10, 100]
    }
}

/// The result of ``ModelTuning/tune(_:rows:kind:grid:folds:repeats:seed:metric:naming:modelFile:)``.
public struct TunedModel: Sendable {
    public struct Candidate: Sendable {
        public let penalty: Double
        public let minimumBinShare: Double?
        public let maximumBins: Int?
        public let entry: TuningReport<ModelSpecification>.Entry
        public let chosen: Bool
    }

    /// The chosen setting refitted on every training row.
    public let fitted: FittedModel
    public let specification: ModelSpecification
    public let candidates: [Candidate]
    public let splits: Int
    /// The fit's warnings and the settings chosen at the end of their grid.
    public let warnings: [FitWarning]
}

/// `onecheck tune` as a library call.
public enum ModelTuning {
    /// What is tuned.
    public enum Kind: Sendable, Equatable {
        /// A logistic regression's penalty. Numeric columns are standardised inside every fit (on that fit's
        /// training rows) so that the penalty weighs them alike; `design` says how missing numbers are filled.
        case logistic(design: DummyDesign.Options)
        /// A scorecard's penalty, smallest bin share and bin limit.
        case scorecard
    }

    /// Evaluates every candidate by repeated stratified k-fold cross-validation on `rows` (``Tuning/search``),
    /// refits the best on all of them (``ModelFitting/fit(_:rows:specification:naming:modelFile:)``) and warns when
    /// a chosen setting lies at the end of a grid of two or more values (a penalty of 0 is an end that cannot be
    /// passed, and is not warned about).
    /// - Throws: ``TrainingDataError/tooFewPositivesForFolds(positives:negatives:folds:)``, the errors of the fits
    ///   when every candidate fails, and those of the final refit.
    public static func tune(_ data: TrainingData, rows: [Int], kind: Kind, grid: TuningGrid, folds: Int, repeats: Int,
                            seed: UInt64, metric: SelectionMetric, naming: ModelNaming,
                            modelFile: String = "model") throws -> TunedModel {
        try data.validateTraining(rows: rows)
        let y = rows.map { data.outcome[$0] }
        let splits: CrossValidation
        do { splits = try CrossValidation(outcomes: y, folds: folds, repeats: repeats, seed: seed) }
        catch let TuningError.tooFewInClass(positives, negatives, folds) {
            throw TrainingDataError.tooFewPositivesForFolds(positives: positives, negatives: negatives, folds: folds)
        }
        var candidates: [ModelSpecification] = []
        switch kind {
        case var .logistic(options):
            options.standardize = true
            if options.imputation == nil { try data.requireComplete(rows: rows) }
            candidates = grid.penalties.map { .logistic(penalty: $0, design: options) }
        case .scorecard:
            for share in grid.minimumBinShares { for limit in grid.maximumBins { for lambda in grid.penalties {
                candidates.append(.scorecard(ScorecardBuilder(
                    penalty: lambda, minimumBinShare: share, maximumBins: limit,
                    minimumInformationValue: grid.minimumInformationValue,
                    nonNegativeCoefficients: grid.nonNegativeCoefficients)))
            } } }
        }
        let columns = data.features.map { $0.selecting(rows: rows) }
        let report = try Tuning.search(candidates, outcomes: y, splits: splits, metric: metric) { candidate, train, validation in
            switch candidate {
            case let .logistic(penalty, options):
                let (design, fit) = try data.fitLogistic(rows: train.map { rows[$0] }, penalty: penalty, options: options)
                return fit.probabilities(try design.matrix(data.features, rows: validation.map { rows[$0] }))
            case let .scorecard(builder):
                let card = try builder.fit(columns: columns, outcome: y, trainingRows: train)
                return try card.probabilities(columns.map { $0.selecting(rows: validation) })
            }
        }
        let best = report.best.candidate
        let fitted = try ModelFitting.fit(data, rows: rows, specification: best, naming: naming, modelFile: modelFile)
        var warnings = fitted.warnings
        let chosenPenalty = best.penalty
        warnings += edge("penalty", chosenPenalty, of: grid.penalties, option: "--penalties", lowerBound: 0)
        if case let .scorecard(builder) = best {
            if grid.minimumBinShares.count > 1 {
                warnings += edge("smallest bin share", builder.numericBinning.rules.minimumBinShare,
                                 of: grid.minimumBinShares, option: "--min-bin-shares", lowerBound: nil)
            }
            warnings += edge("bin limit", Double(builder.numericBinning.rules.maximumBins),
                             of: grid.maximumBins.map(Double.init), option: "--max-bins", lowerBound: 2)
        }
        let rowsOut = report.entries.enumerated().map { k, e -> TunedModel.Candidate in
            var share: Double?, bins: Int?
            if case let .scorecard(b) = e.candidate {
                share = b.numericBinning.rules.minimumBinShare; bins = b.numericBinning.rules.maximumBins
            }
            return .init(penalty: e.candidate.penalty, minimumBinShare: share, maximumBins: bins, entry: e,
                         chosen: k == report.bestIndex)
        }
        return TunedModel(fitted: fitted, specification: best, candidates: rowsOut, splits: splits.splits.count,
                          warnings: warnings)
    }

    /// A warning when `value` is the largest or smallest of two or more distinct `grid` values (the smallest only
    /// when it is above `lowerBound`, the value that cannot be passed).
    static func edge(_ setting: String, _ value: Double, of grid: [Double], option: String,
                     lowerBound: Double?) -> [FitWarning] {
        let distinct = Set(grid).sorted()
        guard distinct.count > 1 else { return [] }
        let shown = value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) : "\(value)"
        if value == distinct.last { return [.edgeOfGrid(setting: setting, value: shown, end: "largest", option: option)] }
        if value == distinct.first, lowerBound.map({ value > $0 }) ?? true {
            return [.edgeOfGrid(setting: setting, value: shown, end: "smallest", option: option)]
        }
        return []
    }
}
