import ArgumentParser
import Fitting
import Foundation
import Tables

/// `onecheck tune`: choose the penalty (and, for scorecards, the binning) by repeated stratified k-fold
/// cross-validation on the training rows, then refit the chosen setting on all of them.
struct TuneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tune",
        abstract: "Cross-validated search over the penalty and binning; writes the chosen model and a report of every candidate.",
        discussion: """
            Folds are stratified (each has the class balance of the whole) and seeded, so a run repeats exactly. \
            Every candidate is fitted on each fold's other rows and scored on the fold; the best mean metric wins \
            (the first listed on ties), and is refitted on every training row. A candidate that cannot be fitted \
            on some fold (say λ = 0 with separated data) is reported with its error, not chosen. A logistic model's \
            numeric columns are standardised inside every fit (mean and standard deviation of its training rows, \
            stored in the model), so the penalty weighs them alike. A choice at the end of its grid is warned about.
            """
    )

    @OptionGroup var data: FitDataOptions
    @OptionGroup var missing: ImputationOptions

    @Option(name: .customLong("model-type"), help: "logistic or scorecard.")
    var modelType: FitModelType = .logistic

    @Option(name: .long, help: ArgumentHelp("Number of folds.", valueName: "k"))
    var folds: Int = 5

    @Option(name: .long, help: ArgumentHelp("Repetitions of the k folds with fresh shuffles.", valueName: "R"))
    var repeats: Int = 1

    @Option(name: .long, help: ArgumentHelp("Seed of the fold assignment.", valueName: "n"))
    var seed: UInt64 = 0

    @Option(name: .long, help: ArgumentHelp("auc, logloss or hitrate:<share> (e.g. hitrate:0.1: the hit rate when 10 % can be inspected).", valueName: "metric"))
    var metric: MetricArgument = MetricArgument("auc")

    @Option(name: .long, help: ArgumentHelp("Comma-separated penalties λ (default: 0,0.01,0.1,1,10,100 logistic; 0,1,3,10,30 scorecard).", valueName: "λ,…"))
    var penalties: NumberList?

    @Option(name: .customLong("min-bin-shares"), help: ArgumentHelp("Scorecard: comma-separated smallest bin shares.", valueName: "s,…"))
    var minBinShares: NumberList = NumberList([0.05, 0.1])

    @Option(name: .customLong("max-bins"), help: ArgumentHelp("Scorecard: comma-separated bin limits.", valueName: "n,…"))
    var maxBins: BinLimitList = BinLimitList([5, 8])

    @Flag(name: .customLong("sign-constrained"), help: "Scorecard: keep every WOE coefficient ≥ 0 in every fit.")
    var signConstrained = false

    @Option(name: .long, help: ArgumentHelp("Where to write the chosen model.", valueName: "model.json"))
    var output: String = "model.json"

    @Option(name: .long, help: ArgumentHelp("Where to write the report of every candidate.", valueName: "report.csv"))
    var report: String = "tuning.csv"

    @Option(name: .long, help: ArgumentHelp("Also write column,coefficient,std_error,z of the chosen model's regression, refitted on every training row (for a scorecard: on the WOE columns).", valueName: "file.csv"))
    var coefficients: String?

    func validate() throws {
        guard folds >= 2 else { throw ValidationError("--folds must be at least 2 (found \(folds)).") }
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1 (found \(repeats)).") }
        if modelType == .scorecard && missing.impute != nil {
            throw ValidationError("--impute applies to logistic models; a scorecard bins missing values.")
        }
        if modelType == .logistic && signConstrained { throw ValidationError("--sign-constrained applies to scorecards.") }
        guard minBinShares.values.allSatisfy({ $0 > 0 && $0 < 0.5 }) else {
            throw ValidationError("--min-bin-shares must lie in (0, 0.5).")
        }
    }

    func run() throws {
        try RunFiles.check(outputs: [("--output", output), ("--report", report), ("--coefficients", coefficients)],
                           inputs: [("--input", self.data.input), ("--split", self.data.split)])
        let (data, rows) = try self.data.load()
        var grid = TuningGrid(penalties: penalties?.values ?? TuningGrid.defaultPenalties(scorecard: modelType == .scorecard),
                              minimumBinShares: minBinShares.values, maximumBins: maxBins.values)
        grid.nonNegativeCoefficients = signConstrained
        let kind: ModelTuning.Kind = modelType == .logistic
            ? .logistic(design: .init(imputation: missing.imputation)) : .scorecard
        let description = modelType == .logistic
            ? "logistic tuned by onecheck (\(folds)-fold × \(repeats) CV, \(metric)), standardised"
            : "scorecard tuned by onecheck (\(folds)-fold × \(repeats) CV, \(metric))"
        let tuned = try ModelTuning.tune(data, rows: rows, kind: kind, grid: grid, folds: folds, repeats: repeats,
                                         seed: seed, metric: metric.metric,
                                         naming: ModelNaming(name: self.data.modelName, description: description),
                                         modelFile: URL(fileURLWithPath: output).lastPathComponent)
        let model = tuned.fitted.model
        let lines: [[String]] = tuned.candidates.enumerated().map { k, c in reportRow(k, c) }
        let header = ["candidate", "model_type", "penalty", "min_bin_share", "max_bins", "metric", "mean", "std",
                      "splits", "chosen", "failure"]
        try CSVTable(fileName: report, header: header, rows: lines).write(to: RunFiles.url(report))
        try model.write(to: RunFiles.url(output))
        if let coefficients { try FitCommand.writeCoefficients(tuned.fitted.regression, to: coefficients) }
        print("tuning     \(tuned.splits) splits (\(folds) folds × \(repeats)) of \(rows.count) training rows, by \(metric.metric)")
        print("candidate  penalty  share  bins      mean       std")
        for line in lines { print(consoleRow(line)) }
        FitText.warn(tuned.warnings)
        print("model      \(output)")
        print("report     \(report)")
        if let coefficients { print("coefficients \(coefficients)") }
    }

    private func reportRow(_ k: Int, _ c: TunedModel.Candidate) -> [String] {
        let ok = c.entry.failure == nil
        let share: String = c.minimumBinShare.map { "\($0)" } ?? ""
        let bins: String = c.maximumBins.map(String.init) ?? ""
        let mean: String = ok ? FitText.format(c.entry.mean, 6) : ""
        let std: String = ok ? FitText.format(c.entry.standardDeviation, 6) : ""
        return [String(k + 1), modelType.rawValue, "\(c.penalty)", share, bins, metric.name, mean, std,
                String(c.entry.splitValues.count), c.chosen ? "yes" : "no", c.entry.failure ?? ""]
    }

    private func consoleRow(_ line: [String]) -> String {
        var text = FitText.padLeft(line[0], 9) + FitText.padLeft(line[2], 9)
        text += FitText.padLeft(line[3].isEmpty ? "-" : line[3], 7) + FitText.padLeft(line[4].isEmpty ? "-" : line[4], 6)
        text += FitText.padLeft(line[6], 10) + FitText.padLeft(line[7], 10)
        if line[9] == "yes" { text += "  ← chosen" }
        if !line[10].isEmpty { text += "  failed: \(line[10])" }
        return text
    }
}
