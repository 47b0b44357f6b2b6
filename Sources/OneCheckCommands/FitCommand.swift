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
            Every column except the target, the id and --exclude is a feature. With --split only the rows of \
            --split-set are used for fitting (bins, levels and coefficients). The model's head scores the event's \
            log-odds; a scorecard also has points (600 at odds 50:1, 20 points to double the odds) and grades A–D \
            at the quartiles of the training points. Prints a summary of the fit; --predictions writes every input \
            row's linear predictor (what `onecheck score` prints as <head>_score).
            """
    )

    @OptionGroup var data: FitDataOptions

    @Option(name: .customLong("model-type"), help: "logistic or scorecard.")
    var modelType: FitModelType = .logistic

    @Option(name: .long, help: ArgumentHelp("Ridge penalty λ on the summed log-loss (intercept unpenalised). Default: 0 for logistic, 10 for scorecard.", valueName: "λ"))
    var penalty: Double?

    @Option(name: .customLong("C"), help: ArgumentHelp("scikit-learn's inverse regularisation C (λ = 1/C).", valueName: "c"))
    var inverseRegularization: Double?

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
    }

    var lambda: Double {
        if let penalty { return penalty }
        if let c = inverseRegularization { return c.isInfinite ? 0 : 1 / c }
        return modelType == .scorecard ? ScorecardBuilder().l2Penalty : 0
    }

    func run() throws {
        let (data, rows) = try self.data.load()
        let modelName = name ?? URL(fileURLWithPath: self.data.input).deletingPathExtension().lastPathComponent
        let idColumn = self.data.id ?? "id"
        let positives = rows.reduce(0) { $0 + Int(data.outcome[$1]) }
        print("data       \(data.fileName): \(rows.count) training rows of \(data.rowCount), \(positives) positive (\(self.data.target) = \(self.data.positive))")
        let model: ScoringModel
        let linear: [Double]
        let regression: LogisticFit
        switch modelType {
        case .logistic:
            let (design, fit) = try data.fitLogistic(rows: rows, penalty: lambda)
            regression = fit
            model = design.scoringModel(fit, name: modelName, idColumn: idColumn, headName: headName ?? "risk",
                                        description: description(data))
            linear = try data.linearPredictors(design: design, fit: fit)
            printLogistic(fit)
        case .scorecard:
            let card = try data.fitScorecard(rows: rows, builder: FitCommand.builder(
                penalty: lambda, minBinShare: minBinShare, maxBins: maxBins, minimumIV: minimumIV))
            regression = card.model
            let bands = try GradeBands.quantiles(of: try data.linearPredictors(scorecard: card, rows: rows)
                .map { card.scaling.score(linearPredictor: $0) })
            model = card.scoringModel(name: modelName, idColumn: idColumn, headName: headName ?? "credit",
                                      grades: bands, description: description(data))
            linear = try data.linearPredictors(scorecard: card)
            printScorecard(card, bands: bands)
        }
        // Validate as `onecheck score` will before writing, so a bad model never reaches disk.
        _ = try CompiledModel(model, file: URL(fileURLWithPath: output).lastPathComponent)
        try model.write(to: URL(fileURLWithPath: output))
        if let predictions { try FitCommand.writePredictions(linear, to: predictions) }
        if let coefficients { try FitCommand.writeCoefficients(regression, to: coefficients) }
        print("model      \(output)")
    }

    static func builder(penalty: Double, minBinShare: Double, maxBins: Int, minimumIV: Double) -> ScorecardBuilder {
        var builder = ScorecardBuilder()
        builder.l2Penalty = penalty
        builder.numericBinning.rules.minimumBinShare = minBinShare
        builder.numericBinning.rules.maximumBins = maxBins
        builder.categoricalGrouping.rules.minimumBinShare = minBinShare
        builder.categoricalGrouping.rules.maximumBins = maxBins
        builder.minimumInformationValue = minimumIV
        return builder
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

    private func description(_ data: TrainingData) -> String {
        "\(modelType.rawValue) fit by onecheck on \(data.fileName) (\(self.data.target) = \(self.data.positive)), "
            + "λ = \(lambda)" + (self.data.split.map { ", rows of set \(self.data.splitSet) in \(URL(fileURLWithPath: $0).lastPathComponent)" } ?? "")
    }

    private func printLogistic(_ fit: LogisticFit) {
        print("model      logistic, λ = \(FitText.format(lambda, 4)), \(fit.iterations) Newton steps, log-likelihood \(FitText.format(fit.logLikelihood, 4))")
        let width = max(12, fit.columnNames.map(\.count).max() ?? 0) + 2
        print(FitText.pad("column", width) + FitText.padLeft("coefficient", 12) + FitText.padLeft("std.error", 12) + FitText.padLeft("z", 10))
        for j in fit.coefficients.indices {
            print(FitText.pad(fit.columnNames[j], width) + FitText.padLeft(FitText.format(fit.coefficients[j], 6), 12)
                  + FitText.padLeft(FitText.format(fit.standardErrors[j], 6), 12)
                  + FitText.padLeft(FitText.format(fit.zStatistics[j], 3), 10))
        }
    }

    private func printScorecard(_ card: Scorecard, bands: GradeBands) {
        print("model      scorecard, λ = \(FitText.format(lambda, 4)), \(card.bins.count) of \(card.candidates.count) features selected (IV ≥ \(FitText.format(minimumIV, 3)))")
        print("information value")
        let selected = Set(card.bins.map(\.feature))
        for c in card.candidates.sorted(by: { $0.informationValue > $1.informationValue }) {
            print("  " + FitText.padLeft(FitText.format(c.informationValue, 4), 8) + "  " + FitText.padLeft("\(c.counts.count)", 2)
                  + " bins  " + c.feature + (selected.contains(c.feature) ? "" : "  (dropped)"))
        }
        print("points (base \(FitText.format(card.basePoints, 2)))")
        for row in card.pointsTable {
            print("  " + FitText.padLeft(FitText.format(row.points, 2), 8) + FitText.padLeft("\(Int(row.count))", 6)
                  + FitText.padLeft(FitText.format(row.eventRate, 3), 7) + "  \(row.feature): \(row.bin)")
        }
        print("grades on points: " + zip(bands.grades, bands.lowerBounds + [-Double.infinity]).map { g, lower in
            lower.isFinite ? "\(g) ≥ \(FitText.format(lower, 2))" : "\(g) below"
        }.joined(separator: ", "))
    }
}
