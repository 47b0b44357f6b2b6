import Foundation
import Testing
import TestSupport
import Tables
@testable import Scoring

/// The scores file's contract: its columns named once (``ScoresFileSchema``), the job writes exactly them, and
/// ``ScoresFileReader`` reads them back.
@Suite struct ScoresFileTests {
    @Test func theSchemaNamesTheColumnsTheJobWrites() throws {
        let compiled = try CompiledModel(Fixtures.model())
        let schema = try ScoresFileSchema(model: compiled, passThrough: ["note"])
        #expect(schema.columns == ["entity_id", "note", "credit_score", "credit_probability", "credit_points",
                                   "credit_grade", "risk_fire_score", "risk_fire_probability", "risk_fire_grade",
                                   "supervision_class"])
        #expect(schema.heads[1].points == nil && schema.heads[1].labels == ["A", "B", "C", "D"])
        #expect(schema.classLabels == ["A", "B", "C", "D"])
        let dir = try TemporaryDirectory("scores-schema")
        defer { dir.remove() }
        try ScoreJobTests.fixtureCSV(rows: 10, seed: 1).write(to: dir.file("in.csv"), atomically: true, encoding: .utf8)
        var options = ScoreOptions()
        options.passThrough = .columns(["note"])
        let summary = try ScoreJob.run(model: compiled, input: dir.file("in.csv"), output: dir.file("out.csv"), options: options)
        #expect(summary.outputColumns == schema.columns)
        #expect(try CSVReader(url: dir.file("out.csv")).header == schema.columns)
    }

    @Test func passThroughTwiceOrOverAnOutputColumnIsRefused() throws {
        let compiled = try CompiledModel(Fixtures.model())
        #expect(throws: ScoresFileError.passThroughTwice(column: "note")) {
            try ScoresFileSchema(model: compiled, passThrough: ["note", "staff", "note"])
        }
        #expect(throws: ScoresFileError.duplicateColumn("entity_id")) {
            try ScoresFileSchema(model: compiled, passThrough: ["entity_id"])
        }
        #expect(throws: ScoresFileError.duplicateColumn("credit_score")) {
            try ScoresFileSchema(model: compiled, passThrough: ["credit_score"])
        }
        #expect("\(ScoresFileError.passThroughTwice(column: "note"))"
                == "the pass-through columns name \"note\" twice; expected each column once")
        // The job refuses before writing anything.
        let dir = try TemporaryDirectory("scores-twice")
        defer { dir.remove() }
        try ScoreJobTests.fixtureCSV(rows: 10, seed: 1).write(to: dir.file("in.csv"), atomically: true, encoding: .utf8)
        var options = ScoreOptions()
        options.passThrough = .columns(["note", "note"])
        #expect(throws: ScoresFileError.passThroughTwice(column: "note")) {
            try ScoreJob.run(model: compiled, input: dir.file("in.csv"), output: dir.file("out.csv"), options: options)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path) == ["in.csv"])
    }

    /// The reader gives back what the job wrote: ids, probabilities and grades as label indices, across blocks.
    @Test func theReaderReadsWhatTheJobWrote() throws {
        let dir = try TemporaryDirectory("scores-reader")
        defer { dir.remove() }
        try ScoreJobTests.fixtureCSV(rows: 2000, seed: 5).write(to: dir.file("in.csv"), atomically: true, encoding: .utf8)
        let compiled = try CompiledModel(Fixtures.model())
        _ = try ScoreJob.run(model: compiled, input: dir.file("in.csv"), output: dir.file("out.csv"))
        let written = try CSVTable.read(dir.file("out.csv"))
        let labels = ["A", "B", "C", "D"]
        var reader = try ScoresFileReader(url: dir.file("out.csv"), requests: [
            .init(head: "risk_fire", labels: labels),
            .init(head: "credit", probability: .ignored, labels: labels),
            .supervisionClass(labels: labels),
        ], blockSize: 16 << 10)
        #expect(reader.readsProbability(request: 0) && !reader.readsProbability(request: 1))
        let p = try written.requireColumns(["entity_id", "risk_fire_probability", "risk_fire_grade", "credit_grade",
                                            "supervision_class"])
        var rows = 0, blocks = 0
        while let block = try reader.nextBlock() {
            blocks += 1
            for row in 0..<block.rowCount {
                let expected = written.rows[block.firstRowIndex + row]
                #expect(block.id(row: row) == expected[p[0]])
                #expect(block.withID(row: row) { String(decoding: $0, as: UTF8.self) } == expected[p[0]])
                #expect(try block.probability(row: row, request: 0) == Double(expected[p[1]]))
                #expect(try block.probability(row: row, request: 1) == nil)
                #expect(labels[try block.gradeIndex(row: row, request: 0)] == expected[p[2]])
                #expect(labels[try block.gradeIndex(row: row, request: 1)] == expected[p[3]])
                #expect(labels[try block.gradeIndex(row: row, request: 2)] == expected[p[4]])
                #expect(block.lineNumber(ofRow: row) == block.firstRowIndex + row + 2)
                rows += 1
            }
        }
        #expect(rows == 2000 && blocks > 1)
    }

    func readAll(_ text: String, _ requests: [ScoresFileReader.Request]) throws {
        let dir = try TemporaryDirectory("scores-bad")
        defer { dir.remove() }
        try text.write(to: dir.file("scores.csv"), atomically: true, encoding: .utf8)
        var reader = try ScoresFileReader(url: dir.file("scores.csv"), requests: requests)
        while let block = try reader.nextBlock() {
            for row in 0..<block.rowCount {
                for k in requests.indices {
                    _ = try block.probability(row: row, request: k)
                    if requests[k].labels != nil { _ = try block.gradeIndex(row: row, request: k) }
                }
            }
        }
    }

    func message(_ text: String, _ requests: [ScoresFileReader.Request]) -> String {
        do { try readAll(text, requests); return "no error" } catch { return "\(error)" }
    }

    @Test func badValuesAreRefusedWithTheirPlace() {
        let fire = [ScoresFileReader.Request(head: "risk_fire", labels: ["A", "B", "C", "D"])]
        let header = "entity_id,risk_fire_probability,risk_fire_grade\n"
        #expect(message(header + "E1,0.5,A\nE2,0.25,E\n", fire)
                == "scores.csv:3:3 (column \"risk_fire_grade\"): \"E\" is not a known category; expected a grade label, one of \"A\", \"B\", \"C\" or \"D\"")
        #expect(message(header + "E1,0.5,a\n", fire).hasPrefix("scores.csv:2:3 (column \"risk_fire_grade\"): \"a\" is not a known category"))
        #expect(message(header + "E1,0.5,\n", fire).hasPrefix("scores.csv:2:3 (column \"risk_fire_grade\"): missing value; expected a grade label"))
        #expect(message(header + "E1,1.5,A\n", fire)
                == "scores.csv:2:2 (column \"risk_fire_probability\"): \"1.5\" is not valid; expected a probability in [0, 1]")
        #expect(message(header + "E1,NaN,A\n", fire).hasPrefix("scores.csv:2:2 (column \"risk_fire_probability\"): \"NaN\" is not valid"))
        #expect(message("entity_id,risk_fire_score\nE1,1\n", fire)
                == "scores.csv:1: missing required columns \"risk_fire_probability\", \"risk_fire_grade\"")
        // Other labels, when the caller allows them.
        #expect(message(header + "E1,0.5,low\n", [.init(head: "risk_fire", labels: ["low", "high"])]) == "no error")
        // An optional probability column may be absent.
        #expect(message("entity_id,risk_fire_grade\nE1,A\n",
                        [.init(head: "risk_fire", probability: .ifPresent, labels: ["A", "B", "C", "D"])]) == "no error")
    }
}
