import ArgumentParser
import Fitting
import Foundation
import Tables

/// `onecheck backtest`: "had the test period's inspections been ordered by a model fitted on the training period,
/// how much earlier would the problems have been found?"
struct BacktestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Fit a logistic model on the training rows and reorder the test period's inspections by its score.",
        discussion: """
            The test period keeps its schedule — the same days with the same number of inspections each — and only \
            the order changes: the highest score gets the earliest slot (ties keep their actual order). Prints the \
            mean days earlier over positives, the share of positives found in the first half of the slots before \
            and after reordering, the AUC and the top-decile hit rate and lift. Training and test rows come from \
            --split (a row,set file) or from --test-column/--test-value (rows with that value are the test period).
            """
    )

    @OptionGroup var data: FitDataOptions
    @OptionGroup var missing: ImputationOptions

    @Option(name: .long, help: ArgumentHelp("The inspection date column (as --date-format says); never a feature.", valueName: "column"))
    var date: String

    @Option(name: .customLong("test-column"), help: ArgumentHelp("A column marking the test period; never a feature.", valueName: "column"))
    var testColumn: String?

    @Option(name: .customLong("test-value"), help: ArgumentHelp("The --test-column value of test rows (binary spellings match by meaning: 1, True, yes).", valueName: "value"))
    var testValue: String = "1"

    @Option(name: .long, help: ArgumentHelp("Ridge penalty λ of the logistic fit.", valueName: "λ"))
    var penalty: Double = 0

    func validate() throws {
        guard (testColumn == nil) != (data.split == nil) else {
            throw ValidationError("Give either --test-column or --split to choose the test period.")
        }
    }

    func run() throws {
        let (prepared, trainRows) = try data.load(excluding: [date] + (testColumn.map { [$0] } ?? []))
        let period: Backtesting.TestPeriod
        if let testColumn {
            period = .marked(column: testColumn, value: testValue)
        } else {
            period = .rows(train: trainRows, test: try TrainingSplit.rows(path: data.split!, set: "test",
                                                                          dataRows: prepared.rowCount))
        }
        let result = try Backtesting.run(prepared, dateColumn: date, dateFormat: data.dateFormat.format, period: period,
                                         penalty: penalty, design: .init(imputation: missing.imputation))
        let r = result.backtest
        print("features        \(result.features.count): " + result.features.joined(separator: ", "))
        print("training        \(result.trainingRows) rows, \(result.designColumns) design columns")
        print("test period     \(r.inspections) inspections, \(r.positives) positive")
        print("days earlier    " + FitText.format(r.meanDaysEarlier, 2) + " (mean over positives)")
        print("first half      " + FitText.format(r.firstHalfShareActual, 3) + " of positives as scheduled, "
              + FitText.format(r.firstHalfShareReordered, 3) + " by score")
        print("AUC             " + FitText.format(r.auc, 4))
        print("top decile      hit rate " + FitText.format(r.topDecile.hitRate, 4) + ", lift " + FitText.format(r.topDecile.lift, 4))
    }
}
