import Foundation
import Testing
@testable import Scoring

/// Model files are read strictly: syntax errors with line and column, unknown keys at every level with their path
/// and a suggestion, a schema version that must be an integer. (Each of these was accepted or reported without a
/// place before the strict reader.)
@Suite struct StrictModelFileTests {
    /// A small valid model, one key per line, so positions in it are easy to state.
    static let text = """
        {
          "format": "onecheck-model",
          "schemaVersion": 1,
          "name": "tiny",
          "idColumn": "entity_id",
          "features": [
            {"name": "staff", "numeric": {"log1p": true, "mean": 2, "std": 1}},
            {"name": "scenario", "categorical": {"encoding": "one-hot", "levels": ["a", "b"], "reference": "a"}},
            {"name": "district", "categorical": {"encoding": "woe", "levels": ["d1"], "woe": [0.5]}},
            {"name": "complaints", "binned": {"cuts": [1], "woe": [0, 1]}}
          ],
          "heads": [
            {"name": "credit", "link": "logistic", "intercept": -1,
             "weights": {"staff": 0.5, "scenario=b": 1, "district:woe": 1, "complaints:woe": 1},
             "points": {"basePoints": 600, "baseOdds": 50, "pointsToDoubleOdds": 20},
             "grades": {"measure": "points", "cuts": [620, 600, 580]}, "department": "fire"}
          ],
          "supervisionClass": {"rule": "head", "heads": ["credit"]}
        }
        """

    func message(_ text: String) -> String {
        do { _ = try ScoringModel.decode(Data(text.utf8), file: "m.json"); return "no error" } catch { return "\(error)" }
    }

    /// `text` with the first occurrence of `of` replaced.
    func edited(_ of: String, _ with: String) -> String {
        let range = Self.text.range(of: of)!
        return Self.text.replacingCharacters(in: range, with: with)
    }

    @Test func theBaseTextLoads() {
        #expect(message(Self.text) == "no error")
    }

    @Test func anUnknownKeyIsRefusedAtItsPathWithTheClosestKey() {
        #expect(message(edited("\"points\":", "\"point\":"))
                == "m.json:15:6: heads[0].point: unknown key \"point\"; did you mean \"points\"?")
        #expect(message(edited("\"supervisionClass\":", "\"supervisonClass\":"))
                == "m.json:18:3: supervisonClass: unknown key \"supervisonClass\"; did you mean \"supervisionClass\"?")
        // No key is close: the allowed keys are listed.
        #expect(message(edited("\"name\": \"tiny\"", "\"title\": \"tiny\""))
                == "m.json:4:3: title: unknown key \"title\"; expected one of format, schemaVersion, name, description, "
                + "idColumn, features, heads, supervisionClass")
    }

    /// One misspelt key at each level of the format; each is refused at its own path.
    @Test func everyLevelIsStrict() {
        let cases: [(String, String, String)] = [
            ("\"idColumn\":", "\"idColum\":", "idColum: unknown key \"idColum\"; did you mean \"idColumn\"?"),
            ("{\"name\": \"staff\",", "{\"name\": \"staff\", \"colum\": \"x\",",
             "features[0].colum: unknown transform or key \"colum\"; did you mean \"column\"?"),
            ("\"std\": 1", "\"sdt\": 1", "features[0].numeric.sdt: unknown key \"sdt\"; did you mean \"std\"?"),
            ("\"levels\": [\"a\", \"b\"]", "\"level\": [\"a\", \"b\"]",
             "features[1].categorical.level: unknown key \"level\"; did you mean \"levels\"?"),
            ("\"woe\": [0.5]", "\"woe\": [0.5], \"unseenWOE\": 0",
             "features[2].categorical.unseenWOE: unknown key \"unseenWOE\"; did you mean \"unseenWoe\"?"),
            ("\"cuts\": [1]", "\"cut\": [1]", "features[3].binned.cut: unknown key \"cut\"; did you mean \"cuts\"?"),
            ("\"baseOdds\"", "\"baseOds\"", "heads[0].points.baseOds: unknown key \"baseOds\"; did you mean \"baseOdds\"?"),
            ("\"measure\"", "\"measur\"", "heads[0].grades.measur: unknown key \"measur\"; did you mean \"measure\"?"),
            ("\"department\"", "\"departement\"",
             "heads[0].departement: unknown key \"departement\"; did you mean \"department\"?"),
            ("\"rule\"", "\"rules\"", "supervisionClass.rules: unknown key \"rules\"; did you mean \"rule\"?"),
        ]
        for (of, with, expected) in cases {
            let m = message(edited(of, with))
            #expect(m.hasPrefix("m.json:") && m.hasSuffix(expected), "\(m)")
        }
    }

    /// A head's weights are keyed by design columns, not by the format: an unknown one is the validator's
    /// (listing missing and unknown columns), not an unknown key.
    @Test func weightsKeysAreDataNotFormat() {
        #expect(message(edited("\"staff\": 0.5", "\"staf\": 0.5")).hasSuffix(
            "invalid model at heads[0] (credit).weights: has 4 weights for 4 design columns; missing: staff; unknown: staf"))
    }

    @Test func syntaxErrorsNameLineAndColumn() {
        // Truncated in the middle of the heads, after a comma.
        #expect(message(String(Self.text[..<Self.text.range(of: "\"intercept\": -1,")!.upperBound]))
                == "m.json:13:60: malformed model JSON: expected a key (a string in double quotes) after ',', found the end of the file")
        // A stray comma before a closing bracket or brace.
        #expect(message(edited("\"cuts\": [620, 600, 580]", "\"cuts\": [620, 600, 580,]"))
                == "m.json:16:61: malformed model JSON: expected a value after ',', found ']' (a comma before the end of an array)")
        #expect(message(edited("\"heads\": [\"credit\"]}", "\"heads\": [\"credit\"],}"))
                == "m.json:18:60: malformed model JSON: expected a key (a string in double quotes) after ',', found '}'")
        // Not JSON at all, and content after the model.
        #expect(message("model: tiny") == "m.json:1:1: malformed model JSON: expected the file to start with a JSON value, found 'm'")
        #expect(message(Self.text + "\n}") == "m.json:20:1: malformed model JSON: unexpected '}' after the end of the top-level value")
        #expect(message("") == "m.json:1:1: malformed model JSON: expected the file to start with a JSON value, found the end of the file")
    }

    @Test func duplicateKeysAndOutOfRangeNumbersAreRefused() {
        #expect(message(edited("\"name\": \"tiny\",", "\"name\": \"tiny\", \"name\": \"other\","))
                == "m.json:4:19: malformed model JSON: duplicate key \"name\" (first at 4:3)")
        #expect(message(edited("\"intercept\": -1", "\"intercept\": -1e400"))
                == "m.json:13:57: malformed model JSON: the number -1e400 is outside the range of a double (about ±1.8e308)")
    }

    @Test func schemaVersionMustBeAnInteger() {
        let suffix = ", not an integer; expected a whole number such as 2 (no quotes, decimal point or exponent)"
        #expect(message(edited("\"schemaVersion\": 1", "\"schemaVersion\": 1.5"))
                == "m.json:3:20: schemaVersion: 1.5 is a number with a fraction or exponent" + suffix)
        #expect(message(edited("\"schemaVersion\": 1", "\"schemaVersion\": \"1\""))
                == "m.json:3:20: schemaVersion: \"1\" is a string" + suffix)
        #expect(message(edited("\"schemaVersion\": 1", "\"schemaVersion\": 1e0"))
                == "m.json:3:20: schemaVersion: 1e0 is a number with a fraction or exponent" + suffix)
        // An integer that is not supported still says so, and comes before unknown keys (a newer format).
        #expect(message(edited("\"schemaVersion\": 1", "\"schemaVersion\": 3, \"explanations\": {}"))
                == "m.json: model schema version 3 is not supported by this build (it reads versions 1…2); upgrade onecheck or re-export the model")
    }

    @Test func typeErrorsNameTheirLine() {
        #expect(message(edited("\"intercept\": -1", "\"intercept\": \"-1\"")).hasPrefix(
            "m.json:13:57: malformed model JSON at heads[0].intercept: expected Double"))
    }

    @Test func editDistanceCountsSwapsAsOneEdit() {
        #expect(ModelKeySchema.editDistance("sdt", "std") == 1)
        #expect(ModelKeySchema.editDistance("point", "points") == 1)
        #expect(ModelKeySchema.editDistance("", "abc") == 3)
        #expect(ModelKeySchema.editDistance("kitten", "sitting") == 3)
        #expect(ModelKeySchema.suggestion(for: "zzz", among: ["std", "mean"]) == nil)
    }

    /// The schema of unknown keys is built from the types' `CodingKeys`: a model written by `encoded()` passes it.
    @Test func encodedModelsPassTheKeySchema() throws {
        let data = try Fixtures.model().encoded()
        let root = try StrictJSON.parse([UInt8](data))
        #expect(ModelKeySchema.model.firstUnknownKey(in: root) == nil)
        #expect(try ScoringModel.decode(data, file: "m.json") == Fixtures.model())
    }
}
