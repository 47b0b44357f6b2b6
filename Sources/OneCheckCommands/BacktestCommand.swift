import ArgumentParser
import Fitting
import Foundation
import Scoring
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

    @Option(name: .long, help: ArgumentHelp("The inspection date column (YYYY-MM-DD); never a feature.", valueName: "column"))
    var date: String

    @Option(name: .customLong("test-column"), help: ArgumentHelp("A column marking the test period; never a feature.", valueName: "column"))
    var testColumn: String?

    @Option(name: .customLong("test-value"), help: ArgumentHelp("The --test-column value of test rows.", valueName: "value"))
    var testValue: String = "1"

    @Option(name: .long, help: ArgumentHelp("Ridge penalty λ of the logistic fit.", valueName: "λ"))
    var penalty: Double = 0

    func validate() throws {
        guard (testColumn == nil) != (data.split == nil) else {
            throw ValidationError("Give either --test-column or --split to choose the test period.")
        }
    }

    func run() throws {
        var spec = data.specification
        spec.exclude += [date] + (testColumn.map { [$0] } ?? [])
        let table = try CSVTable.read(path: data.input)
        let prepared = try TrainingData(table: table, specification: spec)
        let dateColumn = try table.requireColumns([date])[0]
        let days = try table.rows.indices.map { i -> Int in
            do { return try CivilDate.dayNumber(Substring(table.rows[i][dateColumn]), row: i) } catch {
                throw table.error(.invalidValue, row: i, column: dateColumn, expected: "a date like 2014-09-02")
            }
        }
        let trainRows: [Int], testRows: [Int]
        if let testColumn {
            let marks = try table.strings(named: testColumn)
            testRows = marks.indices.filter { marks[$0] == testValue }
            trainRows = marks.indices.filter { marks[$0] != testValue }
        } else {
            trainRows = try TrainingSplit.rows(path: data.split!, set: data.splitSet, dataRows: table.rowCount)
            testRows = try TrainingSplit.rows(path: data.split!, set: "test", dataRows: table.rowCount)
        }
        let (design, fit) = try prepared.fitLogistic(rows: trainRows, penalty: penalty)
        // Score the test rows as `onecheck score` would score the fitted model's file: the same bits.
        var idName = data.id ?? "id"
        while prepared.features.contains(where: { $0.name == idName }) { idName = "_" + idName }
        let model = try CompiledModel(design.scoringModel(fit, name: "backtest", idColumn: idName), file: "fitted model")
        let scores = try model.scores(of: table, rows: testRows).scores(head: 0)
        let r = try TargetingBacktest.evaluate(days: testRows.map { days[$0] }, scores: scores,
                                               outcomes: testRows.map { prepared.outcome[$0] })
        let features = prepared.features.map(\.name)
        print("features        \(features.count): " + features.joined(separator: ", "))
        print("training        \(trainRows.count) rows, \(fit.coefficients.count) design columns")
        print("test period     \(r.inspections) inspections, \(r.positives) positive")
        print("days earlier    " + FitText.format(r.meanDaysEarlier, 2) + " (mean over positives)")
        print("first half      " + FitText.format(r.firstHalfShareActual, 3) + " of positives as scheduled, "
              + FitText.format(r.firstHalfShareReordered, 3) + " by score")
        print("AUC             " + FitText.format(r.auc, 4))
        print("top decile      hit rate " + FitText.format(r.topDecile.hitRate, 4) + ", lift " + FitText.format(r.topDecile.lift, 4))
    }
}
