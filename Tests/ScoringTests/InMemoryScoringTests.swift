import Foundation
import Testing
import TestSupport
import Tables
@testable import Scoring

/// In-memory scoring (evaluate, backtest, simulate) gives the same bits as `onecheck score`.
///
/// The job is run with 17 decimals for scores and probabilities, and the in-memory doubles are formatted the same
/// way: 17 decimals tell apart any two doubles of magnitude 2⁻⁴ or more, and the fixture's scores are checked to be
/// that large. The plain loop that evaluation used before (`intercept + Σ x·w`, one rounding per step) differs
/// from the kernel's fused multiply-adds in the last bits, and the test checks that it would have been caught.
@Suite struct InMemoryScoringTests {
    static let rows = 3000

    struct Run {
        let dir: TemporaryDirectory
        let input: URL
        /// Per row, the job's `<head>_score` and `<head>_probability` texts, head after head.
        let fields: [[Substring]]
        let compiled: CompiledModel
    }

    /// Writes the fixture rows and scores them with the job (17 decimals).
    static func runJob() throws -> Run {
        let dir = try TemporaryDirectory("in-memory")
        let input = dir.file("in.csv"), output = dir.file("out.csv")
        try ScoreJobTests.fixtureCSV(rows: rows, seed: 7).write(to: input, atomically: true, encoding: .utf8)
        let compiled = try CompiledModel(Fixtures.model())
        var options = ScoreOptions()
        options.scoreDecimals = 17
        options.probabilityDecimals = 17
        options.threads = 2
        options.blockBytes = 64 << 10
        _ = try ScoreJob.run(model: compiled, input: input, output: output, options: options)
        let table = try CSVTable.read(output)
        let wanted = compiled.heads.flatMap { h in [h.name + "_score", h.name + "_probability"] }
        let columns = try table.requireColumns(wanted)
        let fields = table.rows.map { row in columns.map { Substring(row[$0]) } }
        return Run(dir: dir, input: input, fields: fields, compiled: compiled)
    }

    /// The texts the job would write for row `row` of `scores`.
    static func texts(_ scores: ScoreMatrix, row: Int) -> [Substring] {
        (0..<scores.headCount).flatMap { h -> [Substring] in
            [Substring(DecimalFormatting.fixed(scores.score(row: row, head: h), decimals: 17)),
             Substring(DecimalFormatting.fixed(scores.probability(row: row, head: h)!, decimals: 17))]
        }
    }

    @Test func aTableScoresToTheJobsBits() throws {
        let run = try Self.runJob()
        defer { run.dir.remove() }
        let table = try CSVTable.read(run.input)
        let scores = try run.compiled.scores(of: table)
        #expect(scores.rowCount == Self.rows)
        var large = 0
        for row in 0..<Self.rows {
            #expect(Self.texts(scores, row: row) == run.fields[row], "row \(row)")
            for h in 0..<scores.headCount where Swift.abs(scores.score(row: row, head: h)) >= 0.0625 { large += 1 }
        }
        // Nearly every score is large enough for 17 decimals to be exact (the few near 0 still agree).
        #expect(large > 2 * Self.rows * 95 / 100)

        // The old plain loop is not the same bits: this comparison would have failed for it.
        let design = Self.designRows(table, model: run.compiled)
        var plainDiffers = 0
        for row in 0..<Self.rows {
            for h in 0..<run.compiled.headCount {
                var s = run.compiled.intercepts[h]
                for c in 0..<run.compiled.designWidth { s += design[row][c] * run.compiled.weights[c, h] }
                if s != scores.score(row: row, head: h) { plainDiffers += 1 }
            }
        }
        #expect(plainDiffers > 0, "the plain loop agreed on every row: the test would not tell the two apart")
    }

    /// Backtest and evaluate score a selection of rows (a split's test set) in the caller's order.
    @Test func aSelectionOfRowsScoresToTheJobsBits() throws {
        let run = try Self.runJob()
        defer { run.dir.remove() }
        let table = try CSVTable.read(run.input)
        let selection = [2999, 5, 17, 5, 1000]
        let scores = try run.compiled.scores(of: table, rows: selection)
        for (i, row) in selection.enumerated() { #expect(Self.texts(scores, row: i) == run.fields[row]) }
    }

    /// Simulate streams the file block by block and scores each block in memory.
    @Test func blocksOfAStreamedFileScoreToTheJobsBits() throws {
        let run = try Self.runJob()
        defer { run.dir.remove() }
        var reader = try CSVReader(url: run.input, options: .init(blockSize: 32 << 10))
        let columns = try ModelColumns(model: run.compiled, includingID: true, require: reader.requireColumns)
        #expect(columns.id == 0)
        var seen = 0, blocks = 0
        while let block = try reader.nextBlock() {
            let scores = try run.compiled.scores(of: block, columns: columns)
            for row in 0..<block.rowCount { #expect(Self.texts(scores, row: row) == run.fields[block.firstRowIndex + row]) }
            seen += block.rowCount
            blocks += 1
        }
        #expect(seen == Self.rows && blocks > 1)
    }

    /// Probabilities, points and grades follow the head's rules exactly as the job writes them.
    @Test func derivedOutputsMatchTheJob() throws {
        let dir = try TemporaryDirectory("in-memory-derived")
        defer { dir.remove() }
        let input = dir.file("in.csv"), output = dir.file("out.csv")
        try ScoreJobTests.fixtureCSV(rows: 500, seed: 3).write(to: input, atomically: true, encoding: .utf8)
        let compiled = try CompiledModel(Fixtures.model())
        _ = try ScoreJob.run(model: compiled, input: input, output: output)
        let written = try CSVTable.read(output)
        let scores = try compiled.scores(of: CSVTable.read(input))
        let points = try written.requireColumns(["credit_points"])[0]
        let grades = try written.requireColumns(["credit_grade", "risk_fire_grade"])
        for row in 0..<500 {
            #expect(DecimalFormatting.fixed(scores.points(row: row, head: 0)!, decimals: 2) == written.rows[row][points])
            for h in 0..<2 {
                #expect(compiled.heads[h].labels[scores.gradeIndex(row: row, head: h)] == written.rows[row][grades[h]])
            }
        }
        #expect(scores.points(row: 0, head: 1) == nil)
    }

    @Test func missingFeatureColumnsAreListedAndTheIdIsNotNeeded() throws {
        let compiled = try CompiledModel(Fixtures.model())
        let noID = CSVTable(fileName: "d.csv", header: ["staff", "equipment_age", "scenario", "district", "complaints"],
                            rows: [["1", "2", "hotel", "D01", "0"]])
        #expect(try compiled.scores(of: noID).rowCount == 1)
        let missing = CSVTable(fileName: "d.csv", header: ["staff", "scenario"], rows: [["1", "hotel"]])
        #expect(throws: TableError.missingColumns(["equipment_age", "district", "complaints"], file: "d.csv")) {
            try compiled.scores(of: missing)
        }
        #expect(throws: ModelError.self) { try compiled.headIndex(named: "nope") }
        #expect(try compiled.headIndex(named: "risk_fire") == 1)
    }

    /// Design rows from the encoders (one row at a time), for the plain-loop comparison.
    static func designRows(_ table: CSVTable, model: CompiledModel) -> [[Double]] {
        let columns = try! ModelColumns(model: model, includingID: false, require: table.requireColumns)
        let encoder = DesignEncoder(model: model, featureColumns: columns.features)
        return (0..<table.rowCount).map { row in
            var design = [Double](repeating: 0, count: model.designWidth)
            design.withUnsafeMutableBufferPointer { d in
                try! encoder.encode(TableRows(table: table, selection: [row]), 0..<1, into: d.baseAddress!)
            }
            return design
        }
    }
}
