import Foundation
import Tables
import Testing
import TestSupport

/// `onecheck registry reasons` through the built binary, on a generated city with a drawn and recorded 2026Q1: the
/// reasons per department head are `score --reasons K`'s on the features `registry features --period` exports, the
/// records columns follow `repair records` and a repair, and bad requests are refused precisely.
@Suite("onecheck registry reasons", .serialized)
struct RegistryReasonsTests {
    typealias Cycle = RegistryCycleTests
    /// The default model with the bundled city's training ranges (reasons need them for logistic heads).
    static let model = SharedData.bundled("models/default-reasons.json").path

    /// A workspace holding a 400-entity city scored for 2026Q1, its draw, and the simulated findings.
    static func workspace() throws -> TemporaryDirectory {
        let d = try TemporaryDirectory("registry-reasons")
        try Cycle.run(["generate", "--entities", "400", "--seed", "5", "--output", "city", "--quiet"], in: d)
        try Cycle.run(["score", "--model", "city/default-model.json", "--input", "city/entities.csv", "--output", "scores.csv",
                       "--threads", "1", "--no-progress"], in: d)
        try Cycle.run(["init", "ws.sqlite"], in: d)
        try Cycle.run(["import", "-w", "ws.sqlite", "city", "city", "--scores", "scores.csv"], in: d)
        try Cycle.run(["import", "-w", "ws.sqlite", "scores", "scores.csv", "--period", "2026Q1"], in: d)
        try Cycle.run(["plan", "--scores", "scores.csv", "--entities", "city/entities.csv", "--quotas", "city/quotas.csv",
                       "--inspectors", "city/inspectors.csv", "--departments", "city/departments.csv",
                       "--scenarios", "city/scenarios.csv", "--items", "city/items.csv", "--caps", "city/caps.csv",
                       "--period", "2026Q1", "--seed", "reasons seed", "--output", "plan"], in: d)
        try Cycle.run(["import", "-w", "ws.sqlite", "draw", "plan"], in: d)
        try Cycle.run(["simulate", "--plan", "plan", "--entities", "city/entities.csv", "--items", "city/items.csv",
                       "--truth", "city/true-model.json", "--seed", "9", "--output", "sim"], in: d)
        try Cycle.run(["import", "-w", "ws.sqlite", "findings", "sim/findings.csv"], in: d)
        return d
    }

    /// Rows of a CSV file keyed by the value of `key`.
    static func rows(_ table: CSVTable, key: String) throws -> [String: [String: String]] {
        let k = try table.requireColumns([key])[0]
        return Dictionary(uniqueKeysWithValues: table.rows.map { row in
            (row[k], Dictionary(uniqueKeysWithValues: zip(table.header, row)))
        })
    }

    @Test func reasonsAreScoresReasonsOnTheExportedFeaturesAndRecordsFollowRepairs() throws {
        let d = try Self.workspace()
        defer { d.remove() }
        try Cycle.run(["registry", "features", "-w", "ws.sqlite", "--period", "2026Q2", "--output", "next.csv"], in: d)
        try Cycle.run(["score", "--model", Self.model, "--input", "next.csv", "--output", "next-scores.csv",
                       "--threads", "1", "--no-progress", "--reasons", "3"], in: d)
        try Cycle.run(["registry", "reasons", "-w", "ws.sqlite", "--period", "2026Q2", "--model", Self.model,
                       "--reasons", "3", "--output", "reasons.csv"], in: d)
        let scores = try Cycle.table(d, "next-scores.csv"), reasons = try Cycle.table(d, "reasons.csv")

        // The columns: the id, score's reason columns of every department head (not the credit head) in the
        // workspace's department order, each head's ranks together, then the records.
        let departmentReasonColumns = scores.header.filter { $0.hasPrefix("risk_") && $0.contains("_reason_") }
        #expect(departmentReasonColumns.count == 8 * 3 * 2)
        #expect(reasons.header.first == "entity_id")
        #expect(reasons.header.suffix(3) == ["records_in_force", "next_record", "next_record_stops_counting_on"])
        let middle = Array(reasons.header.dropFirst().dropLast(3))
        #expect(Set(middle) == Set(departmentReasonColumns) && middle.count == departmentReasonColumns.count)
        #expect(middle.prefix(6) == ["risk_construction_reason_1", "risk_construction_reason_1_cost", "risk_construction_reason_2",
                                     "risk_construction_reason_2_cost", "risk_construction_reason_3", "risk_construction_reason_3_cost"])
        // Every entity, in the exported order, with score's fields byte for byte.
        let exported = try Cycle.table(d, "next.csv")
        #expect(reasons.rows.map { $0[0] } == exported.rows.map { $0[0] })
        let scored = try Self.rows(scores, key: "entity_id")
        var nonEmpty = 0
        for row in reasons.rows {
            let fields = Dictionary(uniqueKeysWithValues: zip(reasons.header, row))
            for column in departmentReasonColumns {
                #expect(fields[column] == scored[row[0]]?[column], "\(row[0]) \(column)")
                if !(fields[column] ?? "").isEmpty { nonEmpty += 1 }
            }
        }
        #expect(nonEmpty > reasons.rowCount, "reasons are given")

        // Records: an entity with a general penalty record in force on 2026-04-01, as `repair records` lists them.
        let all = CreditRepairCommandTests.records(try Cycle.run(["repair", "records", "-w", "ws.sqlite", "--as-of",
                                                                  "2026-04-01"], in: d).stdout)
        let general = try #require(all.values.filter { $0["status"] == "in_force" && $0["severity"] == "general" }
            .min { ($0["entity"]!, $0["check_id"]!, $0["item"]!) < ($1["entity"]!, $1["check_id"]!, $1["item"]!) })
        let entity = general["entity"]!
        let inForce = all.values.filter { $0["entity"] == entity && $0["status"] == "in_force" }
        let first = try #require(inForce.min { ($0["stops_counting_on"]!, $0["check_id"]!, $0["item"]!)
                                               < ($1["stops_counting_on"]!, $1["check_id"]!, $1["item"]!) })
        let row = try #require(try Self.rows(reasons, key: "entity_id")[entity])
        #expect(row["records_in_force"] == String(inForce.count))
        #expect(row["next_record"] == "\(first["check_id"]!)/\(first["item"]!)")
        #expect(row["next_record_stops_counting_on"] == first["stops_counting_on"])
        let recorded = Set(all.values.map { $0["entity"]! })
        let quiet = try #require(reasons.rows.first { !recorded.contains($0[0]) })
        #expect(Array(quiet.suffix(3)) == ["0", "", ""], "an entity without records")

        // The general record repaired on the first day it may be: on 2026-04-01 (2026Q2) it still counts and is
        // the next to stop, on its repair day; on 2026-10-01 (2026Q4) it no longer counts.
        let repairDay = general["repairable_from"]!
        #expect(repairDay > "2026-04-01" && repairDay < "2026-10-01")
        try Cycle.run(["repair", "decide", "-w", "ws.sqlite", "--check", general["check_id"]!, "--item", general["item"]!,
                       "--on", repairDay, "--by", "bureau", "--reason", "rectified"], in: d)
        func recordsOf(_ period: String) throws -> [String: String] {
            let out = try Cycle.run(["registry", "reasons", "-w", "ws.sqlite", "--period", period, "--model", Self.model,
                                     "--entity", entity, "--output", "-"], in: d).stdout
            let lines = out.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            #expect(lines.count == 2, "\(out)")
            return Dictionary(uniqueKeysWithValues: zip(lines[0], lines[1]))
        }
        let q2 = try recordsOf("2026Q2")
        #expect(q2["records_in_force"] == String(inForce.count))
        #expect(q2["next_record"] == "\(general["check_id"]!)/\(general["item"]!)")
        #expect(q2["next_record_stops_counting_on"] == repairDay, "a repaired record stops counting on its repair day")
        #expect(try recordsOf("2026Q4")["records_in_force"] == String(inForce.count - 1))
    }

    @Test func badRequestsAreRefusedNamingTheValue() throws {
        let d = try Self.workspace()
        defer { d.remove() }
        func refused(_ arguments: [String]) throws -> String {
            let result = try OneCheckBinary.run(["registry", "reasons", "-w", "ws.sqlite", "--output", "out.csv"] + arguments,
                                                in: d.url)
            #expect(result.status != 0, "\(arguments) was accepted")
            #expect(!FileManager.default.fileExists(atPath: d.file("out.csv").path), "no output on a refusal")
            return result.stderr
        }
        let ok = ["--period", "2026Q2", "--model", Self.model]
        // An entity that is not in the workspace (a valid code), and one that is no credit code.
        let stranger = RegistryCommandTests.codes(1, seed: 4242)[0]
        var message = try refused(ok + ["--entity", stranger])
        #expect(message.contains("--entity \"\(stranger)\": no such entity among the 400 entities of the workspace's "
                                 + "features for 2026Q2"), "\(message)")
        message = try refused(ok + ["--entity", "not-a-code"])
        #expect(message.contains("\"not-a-code\" is not valid"), "\(message)")
        // A period that is no quarter.
        message = try refused(["--period", "2026Q5", "--model", Self.model])
        #expect(message.contains("\"2026Q5\" is not valid"), "\(message)")
        // A model that needs a column the workspace's features do not have: the features and the column named.
        let text = try String(contentsOfFile: Self.model, encoding: .utf8)
            .replacingOccurrences(of: "\"people_staff_count\"", with: "\"people_staff_total\"")
        try text.write(to: d.file("renamed.json"), atomically: true, encoding: .utf8)
        message = try refused(["--period", "2026Q2", "--model", "renamed.json"])
        #expect(message.contains("the features of 2026Q2 in ") && message.contains("ws.sqlite")
                && message.contains("\"people_staff_total\""), "\(message)")
        // A model without training ranges: its logistic heads cannot give reasons.
        message = try refused(["--period", "2026Q2", "--model", "city/default-model.json"])
        #expect(message.contains("default-model.json: cannot give reasons"), "\(message)")
    }
}
