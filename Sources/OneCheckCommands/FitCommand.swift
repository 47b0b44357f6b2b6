import ArgumentParser
import Fitting
import Foundation
import Scoring
import Tables

/// `onecheck fit`: fit a logistic regression or a scorecard on any CSV with a binary target and write a model file
/// that `onecheck score` uses unchanged.
struct FitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Fit a logistic regression or a scorecard on a CSV with a binary target; write a model file.",
        discussion: """
            Every column except the target, the id and --exclude is a feature. Missing values (empty, NA, NaN, \
            NULL, N/A; see --na-values) stay missing; numbers with thousands separators (400,000) or blanks are \
            read and noted; a column of dates is refused unless --date-features derives features from it. With \
            --split only the rows of --split-set are used for fitting (bins, levels and coefficients). The model's \
            head scores the event's log-odds; a scorecard also has points (600 at odds 50:1, 20 points to double \
            the odds) and grades A–D at the quartiles of the training points. Prints a summary of the fit; \
            --predictions writes every input row's linear predictor (what `onecheck score` prints as <head>_score).
            """
    )

    @OptionGroup var data: FitDataOptions
    @OptionGroup var missing: ImputationOptions

    @Option(name: .customLong("model-type"), help: "logistic or scorecard.")
    var modelType: FitModelType = .logistic

    @Option(name: .long, help: ArgumentHelp("Ridge penalty λ on the summed log-loss (intercept unpenalised). Default: 0 for logistic, 10 for scorecard.", valueName: "λ"))
    var penalty: Double?

    @Option(name: .customLong("C"), help: ArgumentHelp("scikit-learn's inverse regularisation C (λ = 1/C).", valueName: "c"))
    var inverseRegularization: Double?

    @Flag(name: .long, help: "Logistic: standardise the numeric columns (training mean and standard deviation, stored in the model) so the penalty weighs them alike, as `tune` does.")
    var standardize = false

    @Option(name: .long, help: ArgumentHelp("Where to write the model file.", valueName: "model.json"))
    var output: String = "model.json"

    @Option(name: .long, help: ArgumentHelp("The model's name (default: the input file's name without extension).", valueName: "name"))
    var name: String?

    @Option(name: .customLong("head"), help: ArgumentHelp("The head's name (default: risk for logistic, credit for scorecard).", valueName: "name"))
    var headName: String?

    @Option(name: .customLong("min-bin-share"), help: ArgumentHelp("Scorecard: the smallest share of training rows in a bin.", valueName: "share"))
    var minBinShare: Double = 0.05

    @Option(name: .customLong("max-bins"), help: ArgumentHelp("Scorecard: at most this many bins per feature.", valueName: "n"))
    var maxBins: Int = 8

    @Option(name: .customLong("min-iv"), help: ArgumentHelp("Scorecard: drop features whose information value is below this.", valueName: "iv"))
    var minimumIV: Double = 0.02

    @Flag(name: .customLong("sign-constrained"), help: "Scorecard: keep every WOE coefficient ≥ 0 (the constrained optimum; a feature held at 0 leaves the card), so points never run against bad rates.")
    var signConstrained = false

    @Option(name: .long, help: ArgumentHelp("Also write row,linear_predictor for every input row.", valueName: "file.csv"))
    var predictions: String?

    @Option(name: .long, help: ArgumentHelp("Also write column,coefficient,std_error,z of the regression (for a scorecard: on the WOE columns).", valueName: "file.csv"))
    var coefficients: String?

    func validate() throws {
        if penalty != nil && inverseRegularization != nil { throw ValidationError("Give either --penalty or --C, not both.") }
        if let penalty, !(penalty >= 0 && penalty.isFinite) { throw ValidationError("--penalty must be a finite number ≥ 0 (found \(penalty)).") }
        if let c = inverseRegularization, !(c > 0) { throw ValidationError("--C must be positive (found \(c)).") }
        guard minBinShare > 0, minBinShare < 0.5 else { throw ValidationError("--min-bin-share must be in (0, 0.5) (found \(minBinShare)).") }
        guard maxBins >= 2 else { throw ValidationError("--max-bins must be at least 2 (found \(maxBins)).") }
        if modelType == .scorecard && (missing.impute != nil || standardize) {
            throw ValidationError("--impute and --standardize apply to logistic models; a scorecard bins missing values and needs no scaling.")
        }
        if modelType == .logistic && signConstrained { throw ValidationError("--sign-constrained applies to scorecards.") }
    }

    var lambda: Double {
        if let penalty { return penalty }
        if let c = inverseRegularization { return c.isInfinite ? 0 : 1 / c }
        return modelType == .scorecard ? ScorecardBuilder().l2Penalty : 0
    }

    var specification: ModelSpecification {
        switch modelType {
        case .logistic:
            return .logistic(penalty: lambda, design: .init(imputation: missing.imputation, standardize: standardize))
        case .scorecard:
            return .scorecard(ScorecardBuilder(penalty: lambda, minimumBinShare: minBinShare, maximumBins: maxBins,
                                               minimumInformationValue: minimumIV,
                                               nonNegativeCoefficients: signConstrained))
        }
    }

    func run() throws {
        try RunFiles.check(outputs: [("--output", output), ("--predictions", predictions), ("--coefficients", coefficients)],
                           inputs: [("--input", self.data.input), ("--split", self.data.split)])
        let (data, rows) = try self.data.load()
        let positives = rows.reduce(0) { $0 + Int(data.outcome[$1]) }
        print("data       \(data.fileName): \(rows.count) training rows of \(data.rowCount), \(positives) positive (\(self.data.target) = \(self.data.positive))")
        let description = "\(modelType.rawValue) fit by onecheck on \(data.fileName) (\(self.data.target) = \(self.data.positive)), "
            + "λ = \(lambda)" + (self.data.split.map { ", rows of set \(self.data.splitSet) in \(URL(fileURLWithPath: $0).lastPathComponent)" } ?? "")
        let fitted = try ModelFitting.fit(data, rows: rows, specification: specification,
                                          naming: ModelNaming(name: name ?? self.data.modelName, head: headName,
                                                              description: description),
                                          modelFile: URL(fileURLWithPath: output).lastPathComponent)
        switch fitted.detail {
        case let .logistic(design): Self.printLogistic(fitted.regression, lambda: lambda, design: design)
        case let .scorecard(card, bands): printScorecard(card, bands: bands)
        }
        FitText.warn(fitted.warnings)
        try fitted.model.write(to: RunFiles.url(output))
        if let predictions { try Self.writePredictions(fitted.linearPredictors, to: predictions) }
        if let coefficients { try Self.writeCoefficients(fitted.regression, to: coefficients) }
        print("model      \(output)")
    }

    static func writePredictions(_ linear: [Double], to path: String) throws {
        let writer = try CSVWriter(path: path)
        try writer.appendRow(["row", "linear_predictor"])
        for (row, value) in linear.enumerated() {
            writer.appendField(row)
            writer.appendField(shortest: value)
            try writer.endRow()
        }
        try writer.commit()
    }

    /// `column,coefficient,std_error,z`, one row per design column (intercept first), shortest round-trip
    /// decimals so a reader gets the fitted doubles back exactly. The standard errors are `√diag(H⁻¹)` of the
    /// (penalised) objective, as ``LogisticFit/standardErrors`` states.
    static func writeCoefficients(_ fit: LogisticFit, to path: String) throws {
        let writer = try CSVWriter(path: path)
        try writer.appendRow(["column", "coefficient", "std_error", "z"])
        for j in fit.coefficients.indices {
            writer.appendField(fit.columnNames[j])
            writer.appendField(shortest: fit.coefficients[j])
            writer.appendField(shortest: fit.standardErrors[j])
            writer.appendField(shortest: fit.zStatistics[j])
            try writer.endRow()
        }
        try writer.commit()
    }

    /// The coefficient table with 6 significant digits (z with 4), whatever the scale of a column.
    static func printLogistic(_ fit: LogisticFit, lambda: Double, design: DummyDesign) {
        print("model      logistic, λ = \(FitText.format(lambda, 4)), \(fit.iterations) Newton steps, log-likelihood \(FitText.format(fit.logLikelihood, 4))")
        let standardized = design.columns.contains { if case let .numeric(_, e) = $0 { return e.std != nil }; return false }
        if standardized { print("           numeric columns standardised: coefficients per standard deviation") }
        let width = max(12, fit.columnNames.map(\.count).max() ?? 0) + 2
        print(FitText.pad("column", width) + FitText.padLeft("coefficient", 14) + FitText.padLeft("std.error", 14) + FitText.padLeft("z", 10))
        for j in fit.coefficients.indices {
            print(FitText.pad(fit.columnNames[j], width) + FitText.padLeft(FitText.significant(fit.coefficients[j], 6), 14)
                  + FitText.padLeft(FitText.significant(fit.standardErrors[j], 6), 14)
                  + FitText.padLeft(FitText.significant(fit.zStatistics[j], 4), 10))
        }
    }

    private func printScorecard(_ card: Scorecard, bands: ScoringModel.GradeBands) {
        print("model      scorecard, λ = \(FitText.format(lambda, 4)), \(card.bins.count) of \(card.candidates.count) features selected (IV ≥ \(FitText.format(minimumIV, 3)))")
        print("information value")
        let selected = Set(card.bins.map(\.feature)), held = Set(card.heldAtZero)
        for c in card.candidates.sorted(by: { $0.informationValue > $1.informationValue }) {
            let status = selected.contains(c.feature) ? "" : held.contains(c.feature) ? "  (held at 0)" : "  (dropped)"
            print("  " + FitText.padLeft(FitText.format(c.informationValue, 4), 8) + "  " + FitText.padLeft("\(c.counts.count)", 2)
                  + " bins  " + c.feature + status)
        }
        print("points (base \(FitText.format(card.basePoints, 2)))")
        for row in card.pointsTable {
            print("  " + FitText.padLeft(FitText.format(row.points, 2), 8) + FitText.padLeft("\(Int(row.count))", 6)
                  + FitText.padLeft(FitText.format(row.eventRate, 3), 7) + "  \(row.feature): \(row.bin)")
        }
        print("grades on points: " + zip(bands.resolvedLabels, bands.cuts + [-Double.infinity]).map { g, lower in
            lower.isFinite ? "\(g) ≥ \(FitText.format(lower, 2))" : "\(g) below"
        }.joined(separator: ", "))
    }
}
