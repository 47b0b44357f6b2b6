import Foundation
import Testing
import TestSupport
import Tables
@testable import Scoring

/// The streaming scorer against an independent computation: Foundation parsing, transforms written out from
/// their definitions, and plain loops for the sums.
@Suite struct ScoreJobTests {
    /// Seeded rows for the fixture model, with missing ages, unseen scenarios and districts.
    static func fixtureCSV(rows: Int, seed: UInt64) -> String {
        var state = seed
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        let scenarios = ["restaurant", "hotel", "pharmacy", "casino", "\"inn, with comma\""]
        let districts = ["D01", "D02", "D07"]
        var text = "entity_id,staff,equipment_age,scenario,district,complaints,note\n"
        for i in 0..<rows {
            let staff = Double(next() % 100_000) / 100
            let age = next() % 7 == 0 ? "" : String(Double(next() % 3000) / 100)
            let complaints = next() % 5
            text += "E\(i),\(staff),\(age),\(scenarios[Int(next() % 5)]),\(districts[Int(next() % 3)]),\(complaints),n\(i)\n"
        }
        return text
    }

    /// The fixture model evaluated from its definition, on fields split by hand.
    static func naiveScores(_ fields: [String], model: ScoringModel) -> [Double] {
        let staff = Double(fields[1])!, ageField = fields[2], scenario = fields[3], district = fields[4]
        let complaints = Double(fields[5])!
        var x: [String: Double] = [:]
        x["staff"] = (min(log1p(staff), 5) - 2) / 0.5
        x["age"] = ((Double(ageField) ?? 10) - 10) / 4
        x["age:missing"] = ageField.isEmpty ? 1 : 0
        x["scenario=hotel"] = scenario == "hotel" ? 1 : 0
        x["scenario=pharmacy"] = scenario == "pharmacy" ? 1 : 0
        x["scenario=(unseen)"] = ["restaurant", "hotel", "pharmacy"].contains(scenario) ? 0 : 1
        x["district:woe"] = district == "D01" ? 0.3 : district == "D02" ? -0.2 : 0
        x["complaints:woe"] = complaints < 1 ? -0.5 : complaints < 3 ? 0.1 : 0.9
        return model.heads.map { h in h.weights.reduce(h.intercept) { $0 + $1.value * x[$1.key]! } }
    }

    /// Splits one CSV line of the fixture (only the scenario field may be quoted).
    static func split(_ line: Substring) -> [String] {
        var fields: [String] = [], current = "", quoted = false
        for ch in line {
            if ch == "\"" { quoted.toggle() } else if ch == "," && !quoted { fields.append(current); current = "" } else { current.append(ch) }
        }
        fields.append(current)
        return fields
    }

    @Test func scoresEqualNaiveComputationTo1e12AcrossBlocksAndThreads() throws {
        let dir = try TemporaryDirectory("scorejob")
        defer { dir.remove() }
        let input = dir.file("in.csv")
        let csv = Self.fixtureCSV(rows: 3000, seed: 42)
        try csv.write(to: input, atomically: true, encoding: .utf8)
        let model = try CompiledModel(Fixtures.model())
        var options = ScoreOptions()
        options.scoreDecimals = 15
        options.probabilityDecimals = 17
        options.passThrough = .columns(["note"])
        options.blockBytes = 16 << 10   // many blocks, records split across buffer ends
        options.threads = 3
        let summary = try ScoreJob.run(model: model, input: input, output: dir.file("out.csv"), options: options)
        #expect(summary.rows == 3000 && summary.blocks > 3)
        #expect(summary.outputColumns == ["entity_id", "note", "credit_score", "credit_probability", "credit_points",
                                          "credit_grade", "risk_fire_score", "risk_fire_probability", "risk_fire_grade",
                                          "supervision_class"])

        let inputLines = csv.split(separator: "\n").dropFirst()
        let outputLines = try String(contentsOf: dir.file("out.csv"), encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(inputLines.count == outputLines.count)
        var worst = 0.0
        for (inLine, outLine) in zip(inputLines, outputLines) {
            let fields = Self.split(inLine), out = outLine.split(separator: ",").map(String.init)
            #expect(out[0] == fields[0] && out[1] == fields[6])
            let expected = Self.naiveScores(fields, model: model.model)
            let credit = Double(out[2])!, fire = Double(out[6])!
            worst = max(worst, abs(credit - expected[0]), abs(fire - expected[1]))
            #expect(abs(Double(out[3])! - 1 / (1 + exp(-expected[0]))) <= 1e-12)
            let points = 600 - 20 / log(2.0) * log(50.0) - 20 / log(2.0) * expected[0]
            #expect(abs(Double(out[4])! - points) <= 5e-3)   // two decimals
        }
        #expect(worst <= 1e-12, "worst score difference \(worst)")
    }

    @Test func outputBytesDoNotDependOnThreadsOrBlockSize() throws {
        let dir = try TemporaryDirectory("scorejob-det")
        defer { dir.remove() }
        let input = dir.file("in.csv")
        try Self.fixtureCSV(rows: 2000, seed: 7).write(to: input, atomically: true, encoding: .utf8)
        let model = try CompiledModel(Fixtures.model())
        var outputs: [Data] = []
        for (threads, block) in [(1, 1 << 20), (2, 8 << 10), (5, 3 << 10)] {
            var o = ScoreOptions()
            o.threads = threads
            o.blockBytes = block
            let url = dir.file("out-\(threads).csv")
            _ = try ScoreJob.run(model: model, input: input, output: url, options: o)
            outputs.append(try Data(contentsOf: url))
        }
        #expect(outputs[0] == outputs[1] && outputs[1] == outputs[2])
    }

    @Test func errorsReportTheEarliestBadRowAndLeaveNoOutput() throws {
        let dir = try TemporaryDirectory("scorejob-err")
        defer { dir.remove() }
        var lines = Self.fixtureCSV(rows: 1500, seed: 3).split(separator: "\n").map(String.init)
        lines[1200] = lines[1200].replacingOccurrences(of: ",n1199", with: "x,n1199")   // complaints not a number
        lines[900] = lines[900].replacingOccurrences(of: "E899,", with: "E899,-7,")   // staff −7: log1p domain
            .replacingOccurrences(of: ",n899", with: "")
        let input = dir.file("in.csv")
        try (lines.joined(separator: "\n") + "\n").write(to: input, atomically: true, encoding: .utf8)
        let model = Fixtures.model()
        var o = ScoreOptions()
        // One block, four shares: the bad rows fall to the third and fourth workers; the earlier must be reported.
        o.threads = 4
        o.blockBytes = 1 << 20
        #expect {
            _ = try ScoreJob.run(model: try CompiledModel(model), input: input, output: dir.file("out.csv"), options: o)
        } throws: { error in
            "\(error)".hasPrefix("in.csv:901:2 (column \"staff\"): \"-7\"")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.file("out.csv").path))
    }

    /// Workers split their own rows into fields, so a ragged row is found by the worker that scores it: it must still
    /// lose to a bad value or a duplicate id earlier in the same share, and win over one after it.
    @Test(arguments: [
        (ragged: 920, bad: 900, duplicate: nil, expected: "in.csv:901:6 (column \"complaints\")"),
        (ragged: 900, bad: 920, duplicate: nil, expected: "in.csv:901: expected 7 fields, found 6"),
        (ragged: 920, bad: nil, duplicate: 905,
         expected: "in.csv:906:1 (column \"entity_id\"): duplicate key \"E10\" (first on line 12)"),
        (ragged: 1499, bad: nil, duplicate: nil, expected: "in.csv:1500: expected 7 fields, found 6"),
    ] as [(ragged: Int, bad: Int?, duplicate: Int?, expected: String)])
    func aRaggedRowIsReportedInFileOrder(ragged: Int, bad: Int?, duplicate: Int?, expected: String) throws {
        let dir = try TemporaryDirectory("scorejob-ragged")
        defer { dir.remove() }
        // Line index i of `lines` is file line i + 1 and holds data row i − 1.
        var lines = Self.fixtureCSV(rows: 1500, seed: 3).split(separator: "\n").map(String.init)
        lines[ragged] = lines[ragged].replacingOccurrences(of: ",n\(ragged - 1)", with: "")
        if let bad { lines[bad] = lines[bad].replacingOccurrences(of: ",n\(bad - 1)", with: "x,n\(bad - 1)") }
        if let duplicate { lines[duplicate] = "E10" + lines[duplicate].drop { $0 != "," } }
        let input = dir.file("in.csv")
        try (lines.joined(separator: "\n") + "\n").write(to: input, atomically: true, encoding: .utf8)
        for threads in [1, 4] {
            var o = ScoreOptions()
            o.threads = threads
            o.blockBytes = 1 << 20   // one block; with 4 threads, 16 shares of 94 rows: rows 900–920 share one
            #expect {
                _ = try ScoreJob.run(model: try CompiledModel(Fixtures.model()), input: input,
                                     output: dir.file("out.csv"), options: o)
            } throws: { error in
                "\(error)".hasPrefix(expected)
            }
            #expect(!FileManager.default.fileExists(atPath: dir.file("out.csv").path))
        }
    }

    /// The sink checks ids for block i while block i + 1 is being scored: whichever problem comes first in the
    /// file must be the one reported, across blocks and in either order.
    @Test(arguments: [(duplicateAt: 1000, badAt: 1010), (duplicateAt: 1400, badAt: 1010)])
    func aDuplicateAndABadValueInLaterBlocksReportTheEarlierOne(duplicateAt: Int, badAt: Int) throws {
        let dir = try TemporaryDirectory("scorejob-dup")
        defer { dir.remove() }
        var lines = Self.fixtureCSV(rows: 1500, seed: 5).split(separator: "\n").map(String.init)
        // Line index i of `lines` is file line i + 1; data row 10 is on line 12.
        let firstId = String(lines[11].prefix { $0 != "," })
        let rest = lines[duplicateAt].drop { $0 != "," }
        lines[duplicateAt] = firstId + rest
        lines[badAt] = lines[badAt].replacingOccurrences(of: ",n\(badAt - 1)", with: "x,n\(badAt - 1)")
        let input = dir.file("in.csv")
        try (lines.joined(separator: "\n") + "\n").write(to: input, atomically: true, encoding: .utf8)
        var o = ScoreOptions()
        o.threads = 2
        o.blockBytes = 4 << 10   // dozens of blocks: the two rows fall in different ones
        let expected = duplicateAt < badAt
            ? "in.csv:\(duplicateAt + 1):1 (column \"entity_id\"): duplicate key \"\(firstId)\" (first on line 12)"
            : "in.csv:\(badAt + 1):"
        #expect {
            _ = try ScoreJob.run(model: try CompiledModel(Fixtures.model()), input: input, output: dir.file("out.csv"),
                                 options: o)
        } throws: { error in
            "\(error)".hasPrefix(expected)
        }
        #expect(!FileManager.default.fileExists(atPath: dir.file("out.csv").path))
    }
    /// Past 65,536 rows the ids are spilled in runs (``IdentifierLedger``): a repeat across runs is still found, and
    /// whichever of a duplicate and a bad value comes first in the file is reported.
    @Test(arguments: [(duplicateAt: 139_000, badAt: nil), (duplicateAt: 139_000, badAt: 70_000),
                      (duplicateAt: 69_000, badAt: 139_500)] as [(duplicateAt: Int, badAt: Int?)])
    func duplicatesAcrossSpilledRunsAreFound(duplicateAt: Int, badAt: Int?) throws {
        let dir = try TemporaryDirectory("scorejob-spill")
        defer { dir.remove() }
        var lines = Self.fixtureCSV(rows: 140_000, seed: 8).split(separator: "\n").map(String.init)
        let firstId = String(lines[11].prefix { $0 != "," })   // data row 10, line 12
        lines[duplicateAt] = firstId + lines[duplicateAt].drop { $0 != "," }
        if let badAt {
            lines[badAt] = lines[badAt].replacingOccurrences(of: ",n\(badAt - 1)", with: "x,n\(badAt - 1)")
        }
        let input = dir.file("in.csv")
        try (lines.joined(separator: "\n") + "\n").write(to: input, atomically: true, encoding: .utf8)
        let expected = badAt.map { $0 < duplicateAt } == true
            ? "in.csv:\(badAt! + 1):"
            : "in.csv:\(duplicateAt + 1):1 (column \"entity_id\"): duplicate key \"\(firstId)\" (first on line 12)"
        #expect {
            _ = try ScoreJob.run(model: try CompiledModel(Fixtures.model()), input: input, output: dir.file("out.csv"))
        } throws: { error in
            "\(error)".hasPrefix(expected)
        }
        #expect(!FileManager.default.fileExists(atPath: dir.file("out.csv").path))
        // Only the input is left: no temporary output, no spill file.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path) == ["in.csv"])
    }
    /// Grade labels that CSV must quote (a comma, a quote) are written quoted; plain ones are copied as they are.
    /// Both runs must give the same grades, label for label.
    @Test func gradeLabelsThatNeedQuotingAreQuoted() throws {
        let dir = try TemporaryDirectory("scorejob-labels")
        defer { dir.remove() }
        let input = dir.file("in.csv")
        try Self.fixtureCSV(rows: 400, seed: 9).write(to: input, atomically: true, encoding: .utf8)
        let quoted = ["A, low", "B \"mid\"", "C", "D"]
        var model = Fixtures.model()
        for h in model.heads.indices { model.heads[h].grades?.labels = quoted }
        _ = try ScoreJob.run(model: try CompiledModel(Fixtures.model()), input: input, output: dir.file("plain.csv"))
        _ = try ScoreJob.run(model: try CompiledModel(model), input: input, output: dir.file("quoted.csv"))
        let plain = try CSVTable.read(dir.file("plain.csv")), relabelled = try CSVTable.read(dir.file("quoted.csv"))
        let gradeColumns = ["credit_grade", "risk_fire_grade", "supervision_class"].map { plain.header.firstIndex(of: $0)! }
        let byLetter = Dictionary(uniqueKeysWithValues: zip(ScoringModel.GradeBands.defaultLabels, quoted))
        var seen = Set<String>()
        for (a, b) in zip(plain.rows, relabelled.rows) {
            for c in gradeColumns {
                #expect(byLetter[a[c]] == b[c])
                seen.insert(b[c])
            }
        }
        #expect(plain.rows.count == 400 && relabelled.rows.count == 400)
        #expect(seen.contains("A, low") && seen.contains("B \"mid\""))
        let text = try String(contentsOf: dir.file("quoted.csv"), encoding: .utf8)
        #expect(text.contains(",\"A, low\"") && text.contains(",\"B \"\"mid\"\"\""))
    }
    /// A duplicate id stops the run early: the spilled ids are looked at as their runs reach 1, 2, 4, … (65,536
    /// rows, 131,072, …), not only at the end.
    @Test func anEarlyDuplicateStopsTheRunEarly() throws {
        let dir = try TemporaryDirectory("scorejob-early")
        defer { dir.remove() }
        var lines = Self.fixtureCSV(rows: 200_000, seed: 10).split(separator: "\n").map(String.init)
        let firstId = String(lines[11].prefix { $0 != "," })
        lines[100] = firstId + lines[100].drop { $0 != "," }
        let input = dir.file("in.csv")
        try (lines.joined(separator: "\n") + "\n").write(to: input, atomically: true, encoding: .utf8)
        var o = ScoreOptions()
        o.blockBytes = 256 << 10   // about 5,000 rows per block
        let done = Counter()
        #expect {
            _ = try ScoreJob.run(model: try CompiledModel(Fixtures.model()), input: input, output: dir.file("out.csv"),
                                 options: o) { done.value = $0 }
        } throws: { error in
            "\(error)".hasPrefix("in.csv:101:1 (column \"entity_id\"): duplicate key \"\(firstId)\" (first on line 12)")
        }
        // Stopped a few blocks after the first 65,536 rows were spilled, far from the end of the file.
        #expect(done.value >= IdentifierLedger.runLength && done.value < 100_000, "stopped after \(done.value) rows")
    }

    final class Counter: @unchecked Sendable { var value = 0 }
}
