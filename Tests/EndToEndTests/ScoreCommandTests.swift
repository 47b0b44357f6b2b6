import Foundation
import Testing
import TestSupport

/// `onecheck score` run as a user would: the built binary, real files, exit status and messages.
@Suite struct ScoreCommandTests {
    /// A two-feature model: a standardised numeric and a one-hot categorical without an unseen bin.
    static let modelJSON = """
        {"format": "onecheck-model", "schemaVersion": 1, "name": "tiny", "idColumn": "entity_id",
         "features": [
           {"name": "complaints", "numeric": {"mean": 2, "std": 2}},
           {"name": "scenario", "categorical": {"encoding": "one-hot", "levels": ["restaurant", "hotel"], "reference": "restaurant"}}
         ],
         "heads": [
           {"name": "risk_fire", "link": "logistic", "intercept": -1, "weights": {"complaints": 0.5, "scenario=hotel": 1},
            "grades": {"measure": "probability", "cuts": [0.2, 0.4, 0.6]}}
         ],
         "supervisionClass": {"rule": "head", "heads": ["risk_fire"]}}
        """

    struct Workspace {
        let dir: TemporaryDirectory
        var model: String { dir.file("model.json").path }
        var output: String { dir.file("scores.csv").path }
        init(input: String) throws {
            dir = try TemporaryDirectory("score-e2e")
            try ScoreCommandTests.modelJSON.write(to: dir.file("model.json"), atomically: true, encoding: .utf8)
            try input.write(to: dir.file("entities.csv"), atomically: true, encoding: .utf8)
        }
        func score(_ extra: [String] = []) throws -> CommandResult {
            try OneCheckBinary.run(["score", "--model", model, "--input", dir.file("entities.csv").path,
                                    "--output", output] + extra)
        }
        var outputExists: Bool { FileManager.default.fileExists(atPath: output) }
        /// No output and no temporary file left in the directory.
        var leftovers: [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: dir.url.path)) ?? [])
                .filter { $0 != "model.json" && $0 != "entities.csv" }
        }
    }

    @Test func scoresEveryRowInOrder() throws {
        let w = try Workspace(input: "entity_id,scenario,complaints,name\nE1,hotel,4,Ann\nE2,restaurant,0,Bo\n")
        defer { w.dir.remove() }
        let r = try w.score(["--pass-through", "name"])
        #expect(r.status == 0, "\(r.stderr)")
        let text = try String(contentsOfFile: w.output, encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first == "entity_id,name,risk_fire_score,risk_fire_probability,risk_fire_grade,supervision_class")
        // E1: −1 + 0.5·(4−2)/2 + 1 = 0.5, p = 0.62245933; E2: −1 + 0.5·(−1) = −1.5, p = 0.18242552.
        #expect(lines.count == 3)
        #expect(lines[1] == "E1,Ann,0.500000,0.62245933,D,D")
        #expect(lines[2] == "E2,Bo,-1.500000,0.18242552,A,A")
        #expect(r.stdout == "scored 2 entities into \(w.output)\nsupervision class: A 1 (50.0 %), B 0 (0.0 %), C 0 (0.0 %), D 1 (50.0 %)\n")
    }

    func expectFailure(_ input: String, _ fragments: [String], extra: [String] = [],
                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        let w = try Workspace(input: input)
        defer { w.dir.remove() }
        let r = try w.score(extra)
        #expect(r.status != 0, sourceLocation: sourceLocation)
        for f in fragments { #expect(r.stderr.contains(f), "stderr: \(r.stderr)", sourceLocation: sourceLocation) }
        #expect(w.leftovers.isEmpty, "left behind: \(w.leftovers)", sourceLocation: sourceLocation)
    }

    @Test func missingColumnsAreListed() throws {
        try expectFailure("entity_id,other\nE1,1\n", ["entities.csv", "complaints", "scenario"])
    }

    @Test func nonNumericValueNamesLineAndColumn() throws {
        try expectFailure("entity_id,scenario,complaints\nE1,hotel,4\nE2,hotel,abc\n",
                          ["entities.csv:3:3", "complaints", "abc", "a decimal number"])
    }

    @Test func nonFiniteValuesAreRejected() throws {
        try expectFailure("entity_id,scenario,complaints\nE1,hotel,NaN\n", ["entities.csv:2:3", "NaN", "finite"])
        try expectFailure("entity_id,scenario,complaints\nE1,hotel,inf\n", ["entities.csv:2:3", "finite"])
    }

    @Test func missingValueWithoutPolicyIsRejected() throws {
        try expectFailure("entity_id,scenario,complaints\nE1,hotel,\n", ["entities.csv:2:3", "complaints"])
    }

    @Test func duplicateIdsNameBothLines() throws {
        try expectFailure("entity_id,scenario,complaints\nE1,hotel,1\nE2,hotel,1\nE1,hotel,2\n",
                          ["entities.csv:4:1", "E1", "line 2"])
    }

    @Test func emptyFileAndHeaderOnlyAreErrors() throws {
        try expectFailure("", ["entities.csv"])
        try expectFailure("entity_id,scenario,complaints\n", ["entities.csv", "no entity rows"])
    }

    @Test func raggedRowIsNamed() throws {
        try expectFailure("entity_id,scenario,complaints\nE1,hotel,1\nE2,hotel\n", ["entities.csv:3", "3", "2"])
    }

    @Test func unseenCategoryListsTheKnownLevels() throws {
        try expectFailure("entity_id,scenario,complaints\nE1,casino,1\n",
                          ["entities.csv:2:2", "casino", "restaurant", "hotel"])
    }

    @Test func existingOutputSurvivesAFailedRun() throws {
        let w = try Workspace(input: "entity_id,scenario,complaints\nE1,hotel,x\n")
        defer { w.dir.remove() }
        try "previous good scores\n".write(toFile: w.output, atomically: true, encoding: .utf8)
        let r = try w.score()
        #expect(r.status != 0)
        #expect(try String(contentsOfFile: w.output, encoding: .utf8) == "previous good scores\n")
    }

    @Test func invalidModelIsReportedWithItsLocation() throws {
        let w = try Workspace(input: "entity_id,scenario,complaints\nE1,hotel,1\n")
        defer { w.dir.remove() }
        let broken = Self.modelJSON.replacingOccurrences(of: "\"complaints\": 0.5, ", with: "")
        try broken.write(toFile: w.model, atomically: true, encoding: .utf8)
        let r = try w.score()
        #expect(r.status != 0)
        #expect(r.stderr.contains("model.json") && r.stderr.contains("heads[0] (risk_fire).weights") && r.stderr.contains("missing: complaints"))
        #expect(!w.outputExists)
    }

    @Test func helpExplainsEveryOption() throws {
        let r = try OneCheckBinary.run(["score", "--help"])
        #expect(r.status == 0)
        for option in ["--model", "--input", "--output", "--pass-through", "--pass-through-extra", "--threads",
                       "--block-mib", "--progress"] {
            #expect(r.stdout.contains(option), "help lacks \(option)")
        }
    }

    @Test func badOptionsAreValidationErrors() throws {
        let r = try OneCheckBinary.run(["score", "--model", "m", "--input", "a.csv", "--output", "b.csv", "--threads", "0"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("--threads must be at least 1"))
    }
}
