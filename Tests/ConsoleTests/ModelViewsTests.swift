import Console
import Foundation
import Hummingbird
import HummingbirdTesting
import Registry
import Supervision
import Tables
import Testing
import TestSupport

/// Issue 17's console views on a generated city: the entity page's reasons per department head are the ones
/// `onecheck score --reasons K` writes, and the model page shows `onecheck monitor`'s figures as charts with their
/// numbers.
@Suite("console model views", .serialized)
struct ModelViewsTests {
    /// A copy of `model` with each numeric feature's training range (`trainingMin`, `trainingMax`, schema version 2)
    /// taken from `data`, as `Benchmarks/scripts/with_training_range.py` writes it.
    static func addTrainingRange(model: URL, data: URL, to output: URL) throws {
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: model)) as? [String: Any])
        let table = try CSVTable.read(data)
        var features = try #require(json["features"] as? [[String: Any]])
        for (i, feature) in features.enumerated() {
            guard var numeric = feature["numeric"] as? [String: Any] else { continue }
            let column = try #require(table.header.firstIndex(of: (feature["column"] ?? feature["name"]) as! String))
            let values = table.rows.compactMap { Double($0[column]) }.filter(\.isFinite)
            numeric["trainingMin"] = values.min()!
            numeric["trainingMax"] = values.max()!
            features[i]["numeric"] = numeric
        }
        json["features"] = features
        json["schemaVersion"] = max(json["schemaVersion"] as? Int ?? 1, 2)
        try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys]).write(to: output)
    }

    @Test func entityReasonsAreScoresReasonsAndModelPageShowsMonitoring() async throws {
        let d = try FixtureDirectory()
        defer { d.remove() }
        let dir = d.url
        let run = { (arguments: [String]) in try PlanWorkflowTests.run(arguments, in: dir) }
        try run(["generate", "--entities", "300", "--seed", "5", "--output", "city", "--quiet"])
        try run(["generate", "--entities", "300", "--seed", "6", "--output", "later", "--quiet"])
        // The city's model is written by hand, without the training ranges reasons need (`onecheck fit` stores them).
        try Self.addTrainingRange(model: d.file("city/default-model.json"), data: d.file("city/entities.csv"),
                                  to: d.file("model.json"))
        try run(["score", "--model", "model.json", "--input", "city/entities.csv", "--output", "scores.csv",
                 "--threads", "1", "--no-progress", "--reasons", "3"])
        try run(["init", "ws.sqlite"])
        try run(["import", "-w", "ws.sqlite", "city", "city", "--scores", "scores.csv"])
        try run(["import", "-w", "ws.sqlite", "scores", "scores.csv", "--period", "2026Q1"])
        try run(["monitor", "--model", "model.json", "--baseline", "city/entities.csv",
                 "--current", "later/entities.csv", "--output", "monitor"])
        let workspace = try Workspace.open(at: d.file("ws.sqlite").path)
        try workspace.addUser(name: "pat", role: .planner, passwordHash: ConsoleFixture.passwordHash)
        let console = try Console(configuration: ConsoleConfiguration(
            workspacePath: d.file("ws.sqlite").path, port: 0,
            modelInputs: ModelInputs(model: d.file("model.json").path, baseline: d.file("city/entities.csv").path,
                                     current: d.file("later/entities.csv").path, reasons: 3)),
            workspace: workspace)

        let scores = try CSVTable.read(d.file("scores.csv"))
        let id = try #require(scores.header.firstIndex(of: "entity_id") ?? scores.header.firstIndex(of: "credit_code"))
        let departments = try workspace.catalogue().departments
        let app = Application(router: console.router().router)
        try await app.test(.router) { client in
            var planner = try await Visitor.login(client, "pat").0
            for row in scores.rows.prefix(3) {
                let page = String(buffer: try await planner.get(client, "/planner/entity/\(row[id])").body)
                // Each department that graded the entity has its head's section.
                let graded = try workspace.entityRecord(CreditCode(validating: row[id]))!.grades.map(\.department)
                #expect(!graded.isEmpty)
                for department in departments where graded.contains(department.code) {
                    let head = department.riskHead
                    guard let section = page.components(separatedBy: "<section class=\"head\">")
                        .first(where: { $0.hasPrefix("\n<h3>\(department.code.rawValue) · \(head)</h3>") }) else {
                        Issue.record("no reasons of \(head) for \(row[id])")
                        continue
                    }
                    // The reasons of rank 1…3 are the codes `score --reasons 3` wrote, in its order.
                    for rank in 1...3 {
                        let code = row[scores.header.firstIndex(of: "\(head)_reason_\(rank)")!]
                        guard !code.isEmpty else { continue }
                        #expect(section.contains("<tr><td>\(rank)</td><td>\(code)</td>"),
                                "\(row[id]) \(head) reason \(rank) \(code)")
                    }
                }
            }
            let model = String(buffer: try await planner.get(client, "/planner/model?period=2026Q1&lang=en").body)
            let monitoring = try #require(model.components(separatedBy: "id=\"monitoring\"").dropFirst().first)
            #expect(monitoring.contains("System stability: PSI of score bands") && monitoring.contains("CSI per feature"))
            // Every head's PSI as `monitor` wrote it (stability.csv), in the chart's table to four decimals.
            let stability = try CSVTable.read(d.file("monitor/stability.csv"))
            let kind = stability.header.firstIndex(of: "kind")!, name = stability.header.firstIndex(of: "subject")!
            let index = stability.header.firstIndex(of: "index")!, flag = stability.header.firstIndex(of: "flag")!
            var heads = 0
            for row in stability.rows where row[kind] == "psi" {
                heads += 1
                // The chart's table writes 4 decimals, the file 6: the same index within their roundings.
                let cell = monitoring.components(separatedBy: "<th scope=\"row\">\(row[name]) · \(row[flag])</th><td>")
                    .dropFirst().first?.components(separatedBy: "</td>").first
                let shown = try #require(cell.flatMap(Double.init), "PSI of \(row[name]) (\(row[flag])) is not in the chart")
                #expect(abs(shown - Double(row[index])!) <= 0.5e-4 + 0.5e-6, "PSI of \(row[name])")
            }
            #expect(heads == 9)
            #expect(monitoring.components(separatedBy: "<svg").count > 3)
        }
    }

    /// `models/default-reasons.json` (what `make console` explains with) is `models/default.json` with the training
    /// range of the bundled city (`datasets/entities.csv`) and a sentence more in its description — nothing else.
    @Test func theShippedReasonsModelIsTheDefaultModelWithTheBundledCitysRange() throws {
        let d = try FixtureDirectory()
        defer { d.remove() }
        try Self.addTrainingRange(model: SharedData.bundled("models/default.json"), data: SharedData.bundled("datasets/entities.csv"),
                                  to: d.file("expected.json"))
        func object(_ url: URL) throws -> NSDictionary {
            let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
            var rest = json
            rest["description"] = nil
            return rest as NSDictionary
        }
        let shipped = SharedData.bundled("models/default-reasons.json")
        #expect(try object(shipped) == object(d.file("expected.json")))
        let description = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: shipped)) as? [String: Any])["description"] as? String
        let original = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: SharedData.bundled("models/default.json"))) as? [String: Any])["description"] as? String
        #expect(description?.hasPrefix(original ?? "?") == true && description?.contains("datasets/entities.csv") == true)
    }
}
