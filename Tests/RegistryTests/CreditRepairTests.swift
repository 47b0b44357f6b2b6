import Foundation
import Registry
import Supervision
import Tables
import Testing
import TestSupport

/// Penalty decisions and credit repairs through the workspace's use cases: refusals on both sides of each window
/// boundary, the `penalties` and `repairs` imports, and the disclosure file on days around a repair and an expiry.
@Suite("Credit repair")
struct CreditRepairTests {
    /// The fixture city with plan P1 (REST, 2026Q1) of MKT checks: M1 (entity 0, 2026-02-02) finds MKT-1 serious with
    /// a 1000 yuan fine, MKT-2 minor with 200, MKT-3 compliant; M2 (entity 1, 2026-02-03) MKT-1 minor; M3 (entity 2,
    /// 2026-02-04) MKT-1 compliant.
    struct Setting {
        let city: Fixtures.City
        let workspace: Workspace

        init(engine: Engine) throws {
            city = try Fixtures.City(entities: 4, engine: engine)
            workspace = try city.workspace()
            try workspace.recordDraw(ScenarioPlan(id: "P1", scenario: "REST", period: quarter("2026Q1"), seed: "s"), checks: [
                Check(id: "M1", plan: "P1", entity: city.code(0), department: "MKT", inclusionProbability: 0.5,
                      checkedOn: day("2026-02-02")),
                Check(id: "M2", plan: "P1", entity: city.code(1), department: "MKT", inclusionProbability: 0.5,
                      checkedOn: day("2026-02-03")),
                Check(id: "M3", plan: "P1", entity: city.code(2), department: "MKT", inclusionProbability: 0.5,
                      checkedOn: day("2026-02-04")),
            ], at: "t")
            try workspace.recordFindings([
                Finding(checkId: "M1", item: "MKT-1", outcome: .serious, penalty: 1000),
                Finding(checkId: "M1", item: "MKT-2", outcome: .minor, penalty: 200),
                Finding(checkId: "M1", item: "MKT-3", outcome: .compliant),
                Finding(checkId: "M2", item: "MKT-1", outcome: .minor),
                Finding(checkId: "M3", item: "MKT-1", outcome: .compliant),
            ])
        }

        func repair(_ check: CheckID, _ item: ItemCode, on text: String, by: String = "District market bureau",
                    reason: String = "rectified and fine paid") throws {
            try workspace.recordRepairs([CreditRepair(checkId: check, item: item, repairedOn: day(text), decidedBy: by,
                                                      reason: reason)], at: "t")
        }

        func file(_ name: String, _ rows: [[String]]) throws -> URL {
            let url = city.directory.file(name)
            try Fixtures.write(rows, to: url)
            return url
        }
    }

    /// The `expected` of an `invalidArgument` refusal of `body`, or nil when it did not refuse so.
    static func refusal(_ body: () throws -> Void) -> (name: String, value: String, expected: String)? {
        do {
            try body()
            return nil
        } catch let RegistryError.invalidArgument(name, value, expected) {
            return (name, value, expected)
        } catch {
            return nil
        }
    }

    @Test(arguments: Engine.allCases) func recordsAreListedWithPresumedSeverities(engine: Engine) throws {
        let s = try Setting(engine: engine)
        defer { s.city.directory.remove() }
        let records = try s.workspace.penaltyRecords(asOf: day("2026-04-01"))
        // The compliant, unfined M1/MKT-3 and M3/MKT-1 are no records.
        #expect(records.map { "\($0.record.key.check)/\($0.record.key.item)" } == ["M1/MKT-1", "M1/MKT-2", "M2/MKT-1"])
        #expect(records.map(\.record.severity) == [.serious, .general, .general])
        #expect(records.map(\.stopsCountingOn) == [day("2029-02-03"), day("2027-02-03"), day("2027-02-04")])
        #expect(records.allSatisfy { $0.status == .inForce && $0.record.decision == nil })
        #expect(try s.workspace.penaltyRecords(of: s.city.code(1), asOf: day("2026-04-01")).count == 1)
    }

    @Test(arguments: Engine.allCases) func aRepairIsRefusedWithinTheMinimumAndAfterTheMaximum(engine: Engine) throws {
        let s = try Setting(engine: engine)
        defer { s.city.directory.remove() }
        // M1/MKT-2, general (presumed) from 2026-02-02: minimum through 2026-05-02, published through 2027-02-02.
        for early in ["2026-05-01", "2026-05-02"] {
            let refused = Self.refusal { try s.repair("M1", "MKT-2", on: early) }
            #expect(refused?.name == "repaired_on" && refused?.value == early)
            #expect(refused?.expected.contains("a day from 2026-05-03 through 2027-02-02 for the general penalty record "
                                               + "M1/MKT-2 decided on 2026-02-02") == true, "\(refused?.expected ?? "none")")
        }
        let late = Self.refusal { try s.repair("M1", "MKT-2", on: "2027-02-03") }
        #expect(late?.expected.contains("needs no repair") == true)
        #expect(try s.city.engine.count(s.workspace, "credit_repairs") == 0)
        try s.repair("M1", "MKT-2", on: "2027-02-02")  // the last day of the maximum window
        try s.repair("M1", "MKT-2", on: "2026-05-03")  // the first day after the minimum (replaces the first)
        #expect(try s.city.engine.rows(s.workspace, "SELECT repaired_on, decided_by FROM credit_repairs")
                == [["2026-05-03", "District market bureau"]])
        #expect(try s.workspace.auditLog().filter { $0.action == .creditRepair }.count == 2)
        // Serious M1/MKT-1: a year's minimum.
        #expect(Self.refusal { try s.repair("M1", "MKT-1", on: "2027-02-02") }?.expected.contains("from 2027-02-03") == true)
        try s.repair("M1", "MKT-1", on: "2027-02-03")
    }

    @Test(arguments: Engine.allCases) func aRepairNeedsARecordAWhoAndAWhy(engine: Engine) throws {
        let s = try Setting(engine: engine)
        defer { s.city.directory.remove() }
        #expect(throws: RegistryError.unknownReference(table: "penalty records (minor, serious or fined findings)",
                                                       key: "M3/MKT-1")) {
            try s.repair("M3", "MKT-1", on: "2026-06-01")
        }
        #expect(Self.refusal { try s.repair("M2", "MKT-1", on: "2026-06-01", by: " ") }?.name == "decided_by")
        #expect(Self.refusal { try s.repair("M2", "MKT-1", on: "2026-06-01", reason: "") }?.name == "reason")
        #expect(try s.city.engine.count(s.workspace, "credit_repairs") == 0)
    }

    @Test(arguments: Engine.allCases) func decisionsAreDatedFromTheCheckAndKeepRepairsValid(engine: Engine) throws {
        let s = try Setting(engine: engine)
        defer { s.city.directory.remove() }
        let before = Self.refusal {
            try s.workspace.recordPenaltyDecisions([PenaltyDecision(checkId: "M2", item: "MKT-1", severity: .minor,
                                                                    decidedOn: day("2026-02-02"))], at: "t")
        }
        #expect(before?.name == "decided_on" && before?.expected.contains("on or after the check of M2 on 2026-02-03") == true)
        try s.workspace.recordPenaltyDecisions([PenaltyDecision(checkId: "M2", item: "MKT-1", severity: .minor,
                                                                decidedOn: day("2026-02-03"))], at: "t")
        // Minor: repairable from the day after its decision.
        #expect(Self.refusal { try s.repair("M2", "MKT-1", on: "2026-02-03") } != nil)
        try s.repair("M2", "MKT-1", on: "2026-02-04")
        // Raising it to general would put the recorded repair inside the new minimum: refused, nothing changed.
        let raised = Self.refusal {
            try s.workspace.recordPenaltyDecisions([PenaltyDecision(checkId: "M2", item: "MKT-1", severity: .general,
                                                                    decidedOn: day("2026-02-03"))], at: "t")
        }
        #expect(raised?.name == "severity" && raised?.expected.contains("repair recorded on 2026-02-04") == true)
        #expect(try s.city.engine.column(s.workspace, "SELECT severity FROM penalty_decisions") == ["minor"])
        let listed = try s.workspace.penaltyRecords(of: s.city.code(1), asOf: day("2026-02-04"))
        #expect(listed.map(\.status) == [.repaired] && listed.first?.stopsCountingOn == day("2026-02-04"))
    }

    @Test(arguments: Engine.allCases) func importsLocateEveryRefusal(engine: Engine) throws {
        let s = try Setting(engine: engine)
        defer { s.city.directory.remove() }
        let penalties = try s.file("penalties.csv", [["check_id", "item", "severity", "decided_on"],
                                                     ["M1", "MKT-2", "minor", "2026-02-05"],
                                                     ["M2", "MKT-1", "grave", ""]])
        do {
            try s.workspace.importCSV(.penalties, from: penalties)
            Issue.record("accepted severity grave")
        } catch let error as TableError {
            #expect(error.file == "penalties.csv" && error.line == 3 && error.columnName == "severity" && error.value == "grave")
        }
        #expect(try s.city.engine.count(s.workspace, "penalty_decisions") == 0)
        let compliant = try s.file("compliant.csv", [["check_id", "item", "severity"], ["M3", "MKT-1", "minor"]])
        do {
            try s.workspace.importCSV(.penalties, from: compliant)
            Issue.record("accepted a decision on a compliant finding")
        } catch let error as TableError {
            #expect(error.line == 2 && error.columnName == "item" && error.description.contains("a penalty record"))
        }
        let good = try s.file("good.csv", [["check_id", "item", "severity", "decided_on"],
                                           ["M1", "MKT-2", "minor", "2026-02-05"], ["M2", "MKT-1", "serious", ""]])
        try s.workspace.importCSV(.penalties, from: good)
        let once = try Fixtures.snapshot(s.workspace)
        try s.workspace.importCSV(.penalties, from: good)
        #expect(try Fixtures.snapshot(s.workspace)["penalty_decisions"] == once["penalty_decisions"])
        #expect(try s.city.engine.rows(s.workspace, "SELECT check_id, severity, decided_on FROM penalty_decisions ORDER BY check_id")
                == [["M1", "minor", "2026-02-05"], ["M2", "serious", "2026-02-03"]])

        // M1/MKT-2 is now minor from 2026-02-05: repairable from 2026-02-06; M2/MKT-1 serious: from 2027-02-04.
        let repairs = try s.file("repairs.csv", [["check_id", "item", "repaired_on", "decided_by", "reason"],
                                                 ["M1", "MKT-2", "2026-02-06", "Bureau", "rectified"],
                                                 ["M2", "MKT-1", "2027-02-03", "Bureau", "rectified"]])
        do {
            try s.workspace.importCSV(.repairs, from: repairs)
            Issue.record("accepted a repair within the minimum window")
        } catch let error as TableError {
            #expect(error.line == 3 && error.columnName == "repaired_on" && error.value == "2027-02-03")
            #expect(error.description.contains("a day from 2027-02-04 through 2029-02-03"), "\(error)")
        }
        #expect(try s.city.engine.count(s.workspace, "credit_repairs") == 0)
        let twice = try s.file("twice.csv", [["check_id", "item", "repaired_on", "decided_by", "reason"],
                                             ["M1", "MKT-2", "2026-02-06", "Bureau", "rectified"],
                                             ["M1", "MKT-2", "2026-02-07", "Bureau", "rectified"]])
        #expect(throws: TableError.self) { try s.workspace.importCSV(.repairs, from: twice) }
        let noReason = try s.file("noreason.csv", [["check_id", "item", "repaired_on", "decided_by", "reason"],
                                                   ["M1", "MKT-2", "2026-02-06", "Bureau", ""]])
        do {
            try s.workspace.importCSV(.repairs, from: noReason)
            Issue.record("accepted a repair without a reason")
        } catch let error as TableError {
            #expect(error.line == 2 && error.columnName == "reason")
        }
        try s.workspace.importCSV(.repairs, from: s.file("ok.csv", [["check_id", "item", "repaired_on", "decided_by", "reason"],
                                                                   ["M1", "MKT-2", "2026-02-06", "Bureau", "rectified"]]))
        #expect(try s.city.engine.column(s.workspace, "SELECT repaired_on FROM credit_repairs") == ["2026-02-06"])
    }

    @Test(arguments: Engine.allCases) func theDisclosureFileDropsRepairedAndExpiredRecords(engine: Engine) throws {
        let s = try Setting(engine: engine)
        defer { s.city.directory.remove() }
        try s.workspace.recordDisposals([Disposal(checkId: "M1", item: "MKT-2", action: "rectify", openedOn: day("2026-02-05"))])
        try s.workspace.recordPenaltyDecisions([
            PenaltyDecision(checkId: "M1", item: "MKT-2", severity: .minor, decidedOn: day("2026-02-02")),
            PenaltyDecision(checkId: "M2", item: "MKT-1", severity: .minor, decidedOn: day("2026-02-03")),
        ], at: "t")
        let column = { (name: String) in Workspace.disclosureColumns.firstIndex(of: name)! }
        func published(on text: String) throws -> [String: [String]] {
            let url = s.city.directory.file("disclosure-\(text).csv")
            try s.workspace.publish(on: day(text), to: url, at: "t")
            return Dictionary(uniqueKeysWithValues: try CSVTable.read(url).rows.map { ($0[0], $0) })
        }
        func shown(_ row: [String]?) -> [String] {
            ["items_checked", "minor_findings", "serious_findings", "penalties", "disposal"].map { row?[column($0)] ?? "-" }
        }
        let before = try published(on: "2026-02-09")
        #expect(shown(before["M1"]) == ["3", "1", "1", "1200.0", "open"])
        #expect(shown(before["M2"]) == ["1", "1", "0", "0.0", "none"] && shown(before["M3"]) == ["1", "0", "0", "0.0", "none"])
        try s.repair("M1", "MKT-2", on: "2026-02-10")
        // The day before the repair the record is still shown; from its day, the row shows the check without it.
        #expect(shown(try published(on: "2026-02-09")["M1"]) == ["3", "1", "1", "1200.0", "open"])
        #expect(shown(try published(on: "2026-02-10")["M1"]) == ["2", "0", "1", "1000.0", "none"])
        // M2's only record, minor from 2026-02-03, is published through 2026-05-03 and left out from 2026-05-04.
        #expect(try published(on: "2026-05-03")["M2"] != nil)
        let after = try published(on: "2026-05-04")
        #expect(after["M2"] == nil && after.keys.sorted() == ["M1", "M3"])
        // Its publication stays recorded: the disclosure indicator still counts three published results.
        #expect(try s.workspace.indicators().first { $0.department == "MKT" }?.publishedResults == 3)
    }
}
