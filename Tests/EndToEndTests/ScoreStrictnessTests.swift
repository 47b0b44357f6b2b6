import Foundation
import Testing
import TestSupport

/// `onecheck score` refuses what it used to accept or misreport (issue 14, items 7 and 10), run as a user would:
/// a misspelt model key, a model file that is not JSON, a non-integer schema version, a row whose score
/// overflows, the same pass-through column twice. Each exits non-zero, names the place, and writes nothing.
@Suite struct ScoreStrictnessTests {
    static let input = "entity_id,scenario,complaints\nE1,hotel,4\nE2,restaurant,1e306\n"

    /// `ScoreCommandTests.modelJSON` with `edit` applied, scored on `input`.
    func score(model edit: (String) -> String = { $0 }, input: String = Self.input, extra: [String] = [])
        throws -> (result: CommandResult, leftovers: [String]) {
        let w = try ScoreCommandTests.Workspace(input: input)
        defer { w.dir.remove() }
        try edit(ScoreCommandTests.modelJSON).write(to: w.dir.file("model.json"), atomically: true, encoding: .utf8)
        let result = try w.score(extra)
        return (result, w.leftovers)
    }

    func expectRefusal(_ run: (result: CommandResult, leftovers: [String]), _ message: String,
                       sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(run.result.status != 0, sourceLocation: sourceLocation)
        #expect(run.result.stderr.contains(message), "stderr: \(run.result.stderr)", sourceLocation: sourceLocation)
        #expect(run.leftovers.isEmpty, "left behind: \(run.leftovers)", sourceLocation: sourceLocation)
    }

    @Test func aMisspeltModelKeyIsRefusedWithASuggestion() throws {
        expectRefusal(try score(model: { $0.replacingOccurrences(of: "\"supervisionClass\"", with: "\"supervisonClass\"") }),
                      "model.json:10:2: supervisonClass: unknown key \"supervisonClass\"; did you mean \"supervisionClass\"?")
        expectRefusal(try score(model: { $0.replacingOccurrences(of: "\"grades\"", with: "\"grade\"") }),
                      "model.json:8:5: heads[0].grade: unknown key \"grade\"; did you mean \"grades\"?")
    }

    @Test func aModelThatIsNotJSONNamesLineAndColumn() throws {
        // Truncated after the features.
        expectRefusal(try score(model: { String($0[..<$0.range(of: "\"heads\"")!.lowerBound]) }),
                      "model.json:6:2: malformed model JSON: expected a key (a string in double quotes) after ',', found the end of the file")
        // A stray comma.
        expectRefusal(try score(model: { $0.replacingOccurrences(of: "[0.2, 0.4, 0.6]", with: "[0.2, 0.4, 0.6,]") }),
                      "model.json:8:65: malformed model JSON: expected a value after ',', found ']'")
    }

    @Test func aNonIntegerSchemaVersionSaysSo() throws {
        expectRefusal(try score(model: { $0.replacingOccurrences(of: "\"schemaVersion\": 1", with: "\"schemaVersion\": 1.5") }),
                      "model.json:1:47: schemaVersion: 1.5 is a number with a fraction or exponent, not an integer")
        expectRefusal(try score(model: { $0.replacingOccurrences(of: "\"schemaVersion\": 1", with: "\"schemaVersion\": \"1\"") }),
                      "model.json:1:47: schemaVersion: \"1\" is a string, not an integer")
    }

    /// complaints is standardised but not clipped: (1e306 − 2) / 2 · 0.5 is finite, times 1e10 it is not.
    @Test func aRowWhoseScoreOverflowsIsRefused() throws {
        expectRefusal(try score(model: { $0.replacingOccurrences(of: "\"complaints\": 0.5", with: "\"complaints\": 1e10") }),
                      "entities.csv:3:3 (column \"complaints\"): \"1e306\" is not valid; expected a value for which head "
                      + "\"risk_fire\" has a finite score (here it overflows a double)")
        // With the original weights the same row is finite and scored.
        let ok = try score()
        #expect(ok.result.status == 0, "\(ok.result.stderr)")
    }

    @Test func theSamePassThroughColumnTwiceIsRefused() throws {
        let run = try score(input: "entity_id,scenario,complaints,name\nE1,hotel,4,Ann\n",
                            extra: ["--pass-through", "name", "name"])
        expectRefusal(run, "--pass-through names the column \"name\" twice; give each column once.")
        #expect(run.result.status == 64)
    }
}
