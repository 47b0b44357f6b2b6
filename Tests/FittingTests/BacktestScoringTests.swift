import Foundation
import Scoring
import Tables
import Testing
import TestSupport
@testable import Fitting

/// `onecheck backtest` scores its test rows with the fitted model as `onecheck score` scores the exported model
/// file: the same bits (before, it multiplied the dummy design by the coefficients with BLAS).
@Suite struct BacktestScoringTests {
    /// A table with a numeric, a categorical with a level seen only in the test rows, and a binary target.
    static func csv(rows: Int) -> String {
        var state: UInt64 = 99
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        var text = "id,age,sector,bad\n"
        for i in 0..<rows {
            let age = Double(next() % 6000) / 100 + 18
            let sector = i >= rows / 2 && i % 7 == 0 ? "mining" : ["retail", "food", "transport"][Int(next() % 3)]
            let bad = next() % 100 < UInt64(10 + (sector == "food" ? 10 : 0) + Int(age) / 4) ? "1" : "0"
            text += "C\(i),\(age),\(sector),\(bad)\n"
        }
        return text
    }

    @Test func testRowsScoreToTheBitsOfTheExportedModel() throws {
        let dir = try TemporaryDirectory("backtest-bits")
        defer { dir.remove() }
        let input = dir.file("data.csv"), output = dir.file("scores.csv")
        try Self.csv(rows: 2000).write(to: input, atomically: true, encoding: .utf8)
        let table = try CSVTable.read(input)
        let data = try TrainingData(table: table, specification: .init(target: "bad", positive: "1", idColumn: "id"))
        let train = Array(0..<1000), test = Array(1000..<2000)
        let (design, fit) = try data.fitLogistic(rows: train, penalty: 0.1)
        let model = try CompiledModel(design.scoringModel(fit, name: "m", idColumn: "id"))
        // The backtest's path: in memory, the test rows only.
        let inMemory = try model.scores(of: table, rows: test).scores(head: 0)
        // The score command's path on the same rows.
        var options = ScoreOptions()
        options.scoreDecimals = 17
        _ = try ScoreJob.run(model: model, input: input, output: output, options: options)
        let written = try CSVTable.read(output)
        let column = try written.requireColumns(["risk_score"])[0]
        for (i, row) in test.enumerated() {
            #expect(DecimalFormatting.fixed(inMemory[i], decimals: 17) == written.rows[row][column], "row \(row)")
        }
        // The unseen level scores as the reference level, as the design matrix encoded it.
        let blas = try data.linearPredictors(design: design, fit: fit, rows: test)
        for i in test.indices { #expect(Swift.abs(blas[i] - inMemory[i]) <= 1e-12 * Swift.max(1, Swift.abs(blas[i]))) }
    }
}
