import Foundation
import Testing
@testable import Scoring

@Suite struct ModelValidationTests {
    func decode(_ mutate: (inout [String: Any]) -> Void) throws -> ScoringModel {
        var json = try JSONSerialization.jsonObject(with: Fixtures.model().encoded()) as! [String: Any]
        mutate(&json)
        return try ScoringModel.decode(JSONSerialization.data(withJSONObject: json), file: "m.json")
    }

    func message(_ mutate: (inout [String: Any]) -> Void) -> String {
        do { _ = try decode(mutate); return "no error" } catch { return "\(error)" }
    }

    @Test func fixtureRoundTripsThroughJSON() throws {
        let model = Fixtures.model()
        let back = try ScoringModel.decode(model.encoded(), file: "m.json")
        #expect(back == model)
        #expect(model.designColumns == ["staff", "age", "age:missing", "scenario=hotel", "scenario=pharmacy",
                                        "scenario=(unseen)", "district:woe", "complaints:woe"])
        // Sorted keys: encoding is byte-stable.
        #expect(try model.encoded() == back.encoded())
    }

    @Test func unknownTransformIsNamed() {
        let m = message { j in
            var f = (j["features"] as! [[String: Any]])
            f[0]["quantile"] = ["q": 3]
            j["features"] = f
        }
        #expect(m.contains("m.json") && m.contains("features[0]") && m.contains("unknown transform or key \"quantile\""))
    }

    @Test func weightCountMismatchListsMissingAndUnknown() {
        let m = message { j in
            var heads = j["heads"] as! [[String: Any]]
            var w = heads[1]["weights"] as! [String: Double]
            w.removeValue(forKey: "age")
            w["agee"] = 1
            heads[1]["weights"] = w
            j["heads"] = heads
        }
        #expect(m == "m.json: invalid model at heads[1] (risk_fire).weights: has 8 weights for 8 design columns; missing: age; unknown: agee")
    }

    @Test func nonMonotoneCutsAreRejected() {
        let m = message { j in
            var heads = j["heads"] as! [[String: Any]]
            var g = heads[1]["grades"] as! [String: Any]
            g["cuts"] = [0.1, 0.3, 0.2]
            heads[1]["grades"] = g
            j["heads"] = heads
        }
        #expect(m == "m.json: invalid model at heads[1] (risk_fire).grades.cuts: cut points on probability must be strictly increasing (0.3 then 0.2)")
        let points = message { j in
            var heads = j["heads"] as! [[String: Any]]
            var g = heads[0]["grades"] as! [String: Any]
            g["cuts"] = [560, 600, 640]
            heads[0]["grades"] = g
            j["heads"] = heads
        }
        #expect(points.contains("cut points on points must be strictly decreasing"))
        let bins = message { j in
            var f = j["features"] as! [[String: Any]]
            f[4]["binned"] = ["cuts": [3, 1], "woe": [0, 0, 0]]
            j["features"] = f
        }
        #expect(bins.contains("features[4] (complaints).binned.cuts: cut points must be strictly increasing"))
    }

    @Test func newerSchemaVersionAndForeignFormatAreRefused() {
        #expect(message { $0["schemaVersion"] = 3 }
                == "m.json: model schema version 3 is not supported by this build (it reads versions 1…2); upgrade onecheck or re-export the model")
        #expect(message { $0["format"] = "pmml" }.contains("not a OneCheck model"))
    }

    @Test func structuralProblemsAreLocated() {
        #expect(message { $0["heads"] = [] as [Any] }.contains("at heads: a model needs at least one head"))
        #expect(message { j in
            var f = j["features"] as! [[String: Any]]
            f[1]["numeric"] = ["mean": 1, "std": 0]
            j["features"] = f
        }.contains("features[1] (age).numeric.std: must be finite and > 0"))
        #expect(message { j in
            var f = j["features"] as! [[String: Any]]
            f[3]["categorical"] = ["encoding": "woe", "levels": ["D01", "D02"], "woe": [0.1]]
            j["features"] = f
        }.contains("has 1 values for 2 levels"))
        #expect(message { j in
            var f = j["features"] as! [[String: Any]]
            f[2]["categorical"] = ["encoding": "one-hot", "levels": ["a"], "reference": "b"]
            j["features"] = f
        }.contains("reference level \"b\" is not among the levels"))
        #expect(message { $0["supervisionClass"] = ["rule": "worst", "heads": ["nope"]] }
                .contains("unknown head \"nope\""))
        #expect(message { j in
            var f = j["features"] as! [[String: Any]]
            f[0].removeValue(forKey: "name")
            j["features"] = f
        }.contains("features[0].name: required field \"name\" is missing"))
    }

    @Test func loadNamesAMissingFile() {
        #expect(throws: ModelError.self) { try ScoringModel.load(from: URL(fileURLWithPath: "/nonexistent/m.json")) }
    }
}
