import ArgumentParser
import Fitting
import Foundation
import Scoring
import Tables

/// `onecheck evaluate`: how well a model file's head ranks and predicts a binary outcome in any CSV.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Print AUC, Gini, KS, log loss, Brier, hit rate and lift in the top k %, calibration by decile and PSI.",
        discussion: """
            Scores every row of --input with the model (as `onecheck score` does; no id column needed), keeps the \
            rows of --split-set when --split is given, and compares the head's scores with the target. Log loss, \
            Brier and calibration need a logistic head. With --baseline, also the population stability index of \
            the scores of --input against those of the baseline file (reference quantile deciles). Output is text \
            with fixed decimals, identical on every run.
            """
    )

    @Option(name: .long, help: ArgumentHelp("The model file.", valueName: "model.json"))
    var model: String

    @Option(name: .long, help: ArgumentHelp("The data CSV with the model's feature columns and the target.", valueName: "data.csv"))
    var input: String

    @OptionGroup var text: TextInputOptions

    @Option(name: .long, help: ArgumentHelp("The outcome column.", valueName: "column"))
    var target: String

    @Option(name: .long, help: ArgumentHelp("The target value that is the event.", valueName: "value"))
    var positive: String

    @Option(name: .long, help: ArgumentHelp("The head to evaluate (default: the first).", valueName: "name"))
    var head: String?

    @Option(name: .long, help: ArgumentHelp("The top share, in percent, for hit rate and lift.", valueName: "percent"))
    var top: Double = 10

    @Option(name: .long, help: ArgumentHelp("A split file (row, set): evaluate only the rows of --split-set.", valueName: "split.csv"))
    var split: String?

    @Option(name: .customLong("split-set"), help: ArgumentHelp("The set of the split file to evaluate.", valueName: "name"))
    var splitSet: String = "test"

    @Option(name: .long, help: ArgumentHelp("Reference data for the PSI (e.g. the development sample).", valueName: "other.csv"))
    var baseline: String?

    @Option(name: .long, help: ArgumentHelp("The field delimiter of --input and --baseline: , ; tab | or auto (detected).", valueName: "d"))
    var delimiter: DelimiterArgument = DelimiterArgument(.detect)

    func validate() throws {
        guard top > 0, top <= 100 else { throw ValidationError("--top must be a percentage in (0, 100] (found \(top)).") }
    }

    func run() throws {
        let modelURL = URL(fileURLWithPath: model)
        let compiled = try CompiledModel(ScoringModel.load(from: modelURL), file: modelURL.lastPathComponent)
        let table = try TrainingData.readTable(path: input, delimiter: delimiter.value).table
        let (outcomeAll, _) = try TrainingData.outcome(table, column: try table.requireColumns([target])[0],
                                                       positive: positive)
        let h = try head.map { try compiled.headIndex(named: $0, file: modelURL.lastPathComponent) } ?? 0
        let headOutput = compiled.heads[h]
        let scoresAll = try compiled.scores(of: table).scores(head: h)
        let rows = try split.map { try TrainingSplit.rows(path: $0, set: splitSet, dataRows: table.rowCount) }
            ?? Array(0..<table.rowCount)
        let scores = rows.map { scoresAll[$0] }, outcome = rows.map { outcomeAll[$0] }
        let positives = Int(outcome.reduce(0, +))
        guard positives < rows.count else {
            throw TrainingDataError.noNegatives(file: table.fileName, column: target, positive: positive)
        }
        guard positives > 0 else {
            throw TrainingDataError.positiveValueAbsent(file: table.fileName, column: target, positive: positive, found: [])
        }
        let kind = headOutput.logistic ? "logistic" : "identity"
        print("model        \(modelURL.lastPathComponent), head \(headOutput.name) (\(kind))")
        let subset = split.map { " (set \(splitSet) of \(URL(fileURLWithPath: $0).lastPathComponent))" } ?? ""
        print("data         \(table.fileName): \(rows.count) rows\(subset), \(positives) positive (\(target) = \(positive))")
        let auc = try Metrics.auc(scores: scores, outcomes: outcome)
        print("AUC          " + FitText.format(auc, 4))
        print("Gini         " + FitText.format(2 * auc - 1, 4))
        print("KS           " + FitText.format(try Metrics.ks(scores: scores, outcomes: outcome), 4))
        if headOutput.logistic {
            let p = scores.map(HeadOutput.logistic)
            print("log loss     " + FitText.format(try Metrics.logLoss(linearPredictors: scores, outcomes: outcome), 4))
            print("Brier        " + FitText.format(try Metrics.brier(probabilities: p, outcomes: outcome), 4))
        }
        let share = try Metrics.topShare(top / 100, scores: scores, outcomes: outcome)
        print("top \(FitText.format(top, top.rounded() == top ? 0 : 1)) %     hit rate \(FitText.format(share.hitRate, 4)), "
              + "lift \(FitText.format(share.lift, 4)), captured \(FitText.format(share.capture, 4)) of positives "
              + "(base rate \(FitText.format(share.baseRate, 4)))")
        if headOutput.logistic { try printCalibration(scores.map(HeadOutput.logistic), outcome) }
        if let baseline {
            let reference = try TrainingData.readTable(path: baseline, delimiter: delimiter.value).table
            let expected = try compiled.scores(of: reference).scores(head: h)
            let psi = try Metrics.populationStability(expected: expected, actual: scores)
            print("PSI          \(FitText.format(psi.index, 4)) against \(reference.fileName) (\(reference.rowCount) rows, "
                  + "\(psi.edges.count + 1) bins)")
        }
    }

    private func printCalibration(_ p: [Double], _ outcome: [Double]) throws {
        let calibration = try Metrics.calibration(probabilities: p, outcomes: outcome)
        print("calibration by decile of predicted probability")
        print("  decile   rows   lowest  highest  predicted  observed")
        for (g, bin) in calibration.bins.enumerated() {
            print("  " + FitText.padLeft("\(g + 1)", 6) + FitText.padLeft("\(bin.count)", 7)
                  + FitText.padLeft(FitText.format(bin.lowestProbability, 4), 9)
                  + FitText.padLeft(FitText.format(bin.highestProbability, 4), 9)
                  + FitText.padLeft(FitText.format(bin.meanPredicted, 4), 11)
                  + FitText.padLeft(FitText.format(bin.observedRate, 4), 10))
        }
        print("Hosmer-Lemeshow \(FitText.format(calibration.hosmerLemeshow, 4)) (\(max(calibration.bins.count - 2, 1)) degrees of freedom)")
    }
}
