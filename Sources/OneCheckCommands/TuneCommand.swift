import ArgumentParser
import Fitting
import Foundation
import Scoring
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
            on some fold (say λ = 0 with separated data) is reported with its error, not chosen.
            """
    )

    @OptionGroup var data: FitDataOptions

    @Option(name: .customLong("model-type"), help: "logistic or scorecard.")
    var modelType: FitModelType = .logistic

    @Option(name: .long, help: ArgumentHelp("Number of folds.", valueName: "k"))
    var folds: Int = 5

    @Option(name: .long, help: ArgumentHelp("Repetitions of the k folds with fresh shuffles.", valueName: "R"))
    var repeats: Int = 1

    @Option(name: .long, help: ArgumentHelp("Seed of the fold assignment.", valueName: "n"))
    var seed: UInt64 = 0

    @Option(name: .long, help: ArgumentHelp("auc, logloss or hitrate:<share> (e.g. hitrate:0.1: the hit rate when 10 % can be inspected).", valueName: "metric"))
    var metric: String = "auc"

    @Option(name: .long, help: ArgumentHelp("Comma-separated penalties λ (default: 0,0.01,0.1,1,10,100 logistic; 0,1,3,10,30 scorecard).", valueName: "λ,…"))
    var penalties: String?

    @Option(name: .customLong("min-bin-shares"), help: ArgumentHelp("Scorecard: comma-separated smallest bin shares.", valueName: "s,…"))
    var minBinShares: String = "0.05,0.1"

    @Option(name: .customLong("max-bins"), help: ArgumentHelp("Scorecard: comma-separated bin limits.", valueName: "n,…"))
    var maxBins: String = "5,8"

    @Option(name: .long, help: ArgumentHelp("Where to write the chosen model.", valueName: "model.json"))
    var output: String = "model.json"

    @Option(name: .long, help: ArgumentHelp("Where to write the report of every candidate.", valueName: "report.csv"))
    var report: String = "tuning.csv"

    @Option(name: .long, help: ArgumentHelp("Also write column,coefficient,std_error,z of the chosen model's regression, refitted on every training row (for a scorecard: on the WOE columns).", valueName: "file.csv"))
    var coefficients: String?

    func validate() throws {
        guard folds >= 2 else { throw ValidationError("--folds must be at least 2 (found \(folds)).") }
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1 (found \(repeats)).") }
        _ = try selectionMetric()
        _ = try numbers(penalties ?? "0", "--penalties")
    }

    func selectionMetric() throws -> SelectionMetric {
        switch metric.lowercased() {
        case "auc": return .auc
        case "logloss", "log-loss": return .logLoss
        default:
            let parts = metric.split(separator: ":")
            if parts.count == 2, parts[0].lowercased() == "hitrate", let share = Double(parts[1]), share > 0, share <= 1 {
                return .hitRate(capacity: share)
            }
            throw ValidationError("--metric must be auc, logloss or hitrate:<share in (0, 1]> (found \(metric)).")
        }
    }

    func numbers(_ text: String, _ option: String) throws -> [Double] {
        try FitDataOptions.list(text).map {
            guard let v = Double($0), v.isFinite, v >= 0 else {
                throw ValidationError("\(option) must list finite numbers ≥ 0 (found \($0)).")
            }
            return v
        }
    }

    func run() throws {
        let (data, rows) = try self.data.load()
        try data.validateTraining(rows: rows)
        let metric = try selectionMetric()
        let y = rows.map { data.outcome[$0] }
        let splits: CrossValidation
        do { splits = try CrossValidation(outcomes: y, folds: folds, repeats: repeats, seed: seed) } catch let TuningError.tooFewInClass(positives, negatives, folds) {
            throw TrainingDataError.tooFewPositivesForFolds(positives: positives, negatives: negatives, folds: folds)
        }
        let modelName = URL(fileURLWithPath: self.data.input).deletingPathExtension().lastPathComponent
        let idColumn = self.data.id ?? "id"
        var lines: [[String]] = []
        let model: ScoringModel
        let regression: LogisticFit
        switch modelType {
        case .logistic:
            try data.requireComplete(rows: rows)
            let lambdas = try numbers(penalties ?? "0,0.01,0.1,1,10,100", "--penalties")
            let design = DummyDesign(columns: data.features, rows: rows)
            let x = try design.matrix(data.features, rows: rows)
            let result = try Tuning.logisticPenalty(design: x, outcomes: y, penalties: lambdas, splits: splits, metric: metric)
            for (k, e) in result.entries.enumerated() {
                lines.append(row(k, penalty: e.candidate, share: nil, bins: nil, entry: e, chosen: k == result.bestIndex))
            }
            let (d, fit) = try data.fitLogistic(rows: rows, penalty: result.best.candidate)
            regression = fit
            model = d.scoringModel(fit, name: modelName, idColumn: idColumn, headName: "risk",
                                   description: "logistic tuned by onecheck (\(folds)-fold × \(repeats) CV, \(metric)), λ = \(result.best.candidate)")
        case .scorecard:
            let lambdas = try numbers(penalties ?? "0,1,3,10,30", "--penalties")
            let shares = try numbers(minBinShares, "--min-bin-shares")
            let limits = try numbers(maxBins, "--max-bins").map { Int($0) }
            var builders: [ScorecardBuilder] = []
            for share in shares { for limit in limits { for lambda in lambdas {
                builders.append(FitCommand.builder(penalty: lambda, minBinShare: share, maxBins: limit, minimumIV: 0.02))
            } } }
            let columns = data.features.map { $0.selecting(rows: rows) }
            let result = try Tuning.scorecard(columns: columns, outcomes: y, builders: builders, splits: splits, metric: metric)
            for (k, e) in result.entries.enumerated() {
                let b = e.candidate
                lines.append(row(k, penalty: b.l2Penalty, share: b.numericBinning.rules.minimumBinShare,
                                 bins: b.numericBinning.rules.maximumBins, entry: e, chosen: k == result.bestIndex))
            }
            let card = try data.fitScorecard(rows: rows, builder: result.best.candidate)
            regression = card.model
            let bands = try GradeBands.quantiles(of: try data.linearPredictors(scorecard: card, rows: rows)
                .map { card.scaling.score(linearPredictor: $0) })
            model = card.scoringModel(name: modelName, idColumn: idColumn, headName: "credit", grades: bands,
                                      description: "scorecard tuned by onecheck (\(folds)-fold × \(repeats) CV, \(metric))")
        }
        _ = try CompiledModel(model, file: URL(fileURLWithPath: output).lastPathComponent)
        let header = ["candidate", "model_type", "penalty", "min_bin_share", "max_bins", "metric", "mean", "std",
                      "splits", "chosen", "failure"]
        try CSVTable(fileName: report, header: header, rows: lines).write(to: URL(fileURLWithPath: report))
        try model.write(to: URL(fileURLWithPath: output))
        if let coefficients { try FitCommand.writeCoefficients(regression, to: coefficients) }
        print("tuning     \(splits.splits.count) splits (\(folds) folds × \(repeats)) of \(rows.count) training rows, by \(metric)")
        print("candidate  penalty  share  bins      mean       std")
        for line in lines {
            print(FitText.padLeft(line[0], 9) + FitText.padLeft(line[2], 9) + FitText.padLeft(line[3].isEmpty ? "-" : line[3], 7)
                  + FitText.padLeft(line[4].isEmpty ? "-" : line[4], 6) + FitText.padLeft(line[6], 10) + FitText.padLeft(line[7], 10)
                  + (line[9] == "yes" ? "  ← chosen" : "") + (line[10].isEmpty ? "" : "  failed: \(line[10])"))
        }
        print("model      \(output)")
        print("report     \(report)")
        if let coefficients { print("coefficients \(coefficients)") }
    }

    private func row<C>(_ k: Int, penalty: Double, share: Double?, bins: Int?, entry: TuningReport<C>.Entry,
                        chosen: Bool) -> [String] {
        [String(k + 1), modelType.rawValue, "\(penalty)", share.map { "\($0)" } ?? "", bins.map(String.init) ?? "",
         metric, entry.failure == nil ? FitText.format(entry.mean, 6) : "", entry.failure == nil ? FitText.format(entry.standardDeviation, 6) : "",
         String(entry.splitValues.count), chosen ? "yes" : "no", entry.failure ?? ""]
    }
}
