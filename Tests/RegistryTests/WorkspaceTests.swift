import Foundation
import GRDB
import Registry
import Supervision
import Testing
import TestSupport

@Suite("Workspace: creation, schema version, audit log")
struct WorkspaceTests {
    @Test func createThenOpenInWALMode() throws {
        let dir = try TemporaryDirectory("registry")
        defer { dir.remove() }
        let path = dir.file("w.onecheck").path
        _ = try Workspace.create(at: path)
        #expect(throws: RegistryError.workspaceExists(path: path)) { try Workspace.create(at: path) }
        let workspace = try Workspace.open(at: path)
        #expect(try workspace.storedSchemaVersion() == Workspace.schemaVersion)
        let database = try Engine.sqlite(workspace)
        let mode = try database.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        let tables = try database.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%'")
        }
        // Besides them, only the console's derived summaries (schema v7): grade counts, probability bins and the
        // name index (an FTS5 table and its shadow tables).
        let summaries: Set<String> = ["grade_counts", "probability_bins", "entity_names", "entity_names_config",
                                      "entity_names_content", "entity_names_data", "entity_names_docsize",
                                      "entity_names_idx"]
        #expect(Set(tables).subtracting(summaries) == Set(Workspace.exportedTables.map(\.name)).union(Workspace.credentialTables))
        #expect(Set(tables).isSuperset(of: ["grade_counts", "probability_bins", "entity_names"]))
        // No file of the creation is left beside the workspace.
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.url.path)
        #expect(names.allSatisfy { $0.hasPrefix("w.onecheck") }, "\(names)")
    }

    @Test func missingOrForeignFilesAreRefused() throws {
        let dir = try TemporaryDirectory("registry")
        defer { dir.remove() }
        let missing = dir.file("none.onecheck").path
        #expect(throws: RegistryError.workspaceNotFound(path: missing)) { try Workspace.open(at: missing) }
        let foreign = dir.file("other.sqlite").path
        try DatabaseQueue(path: foreign).write { db in try db.execute(sql: "CREATE TABLE t(x)") }
        do {
            _ = try Workspace.open(at: foreign)
            Issue.record("a foreign database was opened")
        } catch let RegistryError.notAWorkspace(path, _) {
            #expect(path == foreign)
        }
    }

    /// A file written by a newer build is refused, with a message naming both versions, and left untouched.
    @Test func newerSchemaIsRefused() throws {
        let dir = try TemporaryDirectory("registry")
        defer { dir.remove() }
        let path = dir.file("w.onecheck").path
        do {
            let workspace = try Workspace.create(at: path)
            try Engine.sqlite(workspace).writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA user_version = \(Workspace.schemaVersion + 1)")
            }
        }
        let newer = Workspace.schemaVersion + 1
        for access in [WorkspaceAccess.readWrite, .readOnly] {
            do {
                _ = try Workspace.open(at: path, access: access)
                Issue.record("a newer schema was opened")
            } catch let RegistryError.schemaTooNew(refused, found, supported) {
                #expect(refused == path && found == newer && supported == Workspace.schemaVersion)
                let message = RegistryError.schemaTooNew(path: path, found: found, supported: supported).description
                #expect(message.contains("schema version \(newer)") && message.contains("upgrade onecheck"))
            }
        }
        let version = try DatabaseQueue(path: path).read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") }
        #expect(version == newer)
    }

    @Test(arguments: Engine.allCases) func auditLogIsAppendOnly(engine: Engine) throws {
        let city = try Fixtures.City(entities: 4, engine: engine)
        defer { city.directory.remove() }
        let workspace = try city.workspace()
        let before = try workspace.auditLog()
        #expect(before.map(\.action) == [.import, .import, .import, .import])
        // A replacing insert in each engine's SQL: SQLite's deletes the old row without DELETE triggers.
        let replace = engine == .sqlite ? "INSERT OR REPLACE INTO audit_log(seq, at, action) VALUES (1, 'now', 'forged')"
            : "INSERT INTO audit_log(seq, at, action) VALUES (1, 'now', 'forged') ON CONFLICT (seq) DO UPDATE SET action = 'forged'"
        for sql in ["UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log", replace] {
            do {
                try engine.execute(workspace, sql)
                Issue.record("\(sql) succeeded")
            } catch {
                #expect("\(error)".contains("audit_log is append-only"), "\(error)")
            }
        }
        #expect(try workspace.auditLog() == before)
    }

    /// A second draw for the same scenario and period is refused, changes nothing, and is itself logged.
    @Test(arguments: Engine.allCases) func repeatedDrawIsRefusedAndLogged(engine: Engine) throws {
        let city = try Fixtures.City(entities: 6, engine: engine)
        defer { city.directory.remove() }
        let workspace = try city.workspace()
        let plan = ScenarioPlan(id: "P1", scenario: "REST", period: quarter("2026Q1"), seed: "42")
        let checks = [Check(id: "P1-1", plan: "P1", entity: city.code(0), department: "MKT", inclusionProbability: 0.5,
                            checkedOn: day("2026-01-12"))]
        try workspace.recordDraw(plan, checks: checks, at: "2026-01-05T09:00:00Z")
        let again = ScenarioPlan(id: "P2", scenario: "REST", period: quarter("2026Q1"), seed: "43")
        #expect(throws: RegistryError.planAlreadyDrawn(scenario: "REST", period: quarter("2026Q1"), existingPlan: "P1")) {
            try workspace.recordDraw(again, checks: [Check(id: "P2-1", plan: "P2", entity: city.code(1), department: "MKT",
                                                           inclusionProbability: 0.5, checkedOn: day("2026-01-12"))],
                                     at: "2026-01-06T09:00:00Z")
        }
        let log = try workspace.auditLog().suffix(2)
        #expect(log.map(\.action) == [.draw, .redrawRefused])
        #expect(log.last?.detail.contains("seed 43") == true && log.last?.period == "2026Q1")
        #expect(try engine.count(workspace, "plans") == 1 && engine.count(workspace, "checks") == 1)
    }

    /// A plan id names a plan within its period: "P1" of 2026Q1 and "P1" of 2026Q2 are two draws, and the second
    /// is neither refused as "already drawn" nor logged as a refused re-draw (issue 14, item 10).
    @Test(arguments: Engine.allCases) func planIDsArePerPeriod(engine: Engine) throws {
        let city = try Fixtures.City(entities: 6, engine: engine)
        defer { city.directory.remove() }
        let workspace = try city.workspace()
        for (period, date) in [("2026Q1", "2026-02-02"), ("2026Q2", "2026-05-04")] {
            try workspace.recordDraw(ScenarioPlan(id: "P1", scenario: "REST", period: quarter(period), seed: "7"),
                                     checks: [Check(id: CheckID("\(period)-1"), plan: "P1", entity: city.code(0),
                                                    department: "MKT", inclusionProbability: 0.5, checkedOn: day(date))])
        }
        #expect(try workspace.auditLog().map(\.action).suffix(2) == [.draw, .draw])
        #expect(try engine.column(workspace, "SELECT period || '/' || id FROM plans ORDER BY period") == ["2026Q1/P1", "2026Q2/P1"])
        #expect(try workspace.indicators().map(\.period) == [quarter("2026Q1"), quarter("2026Q2")])
        // The same scenario and period is still one draw only, whatever the id.
        #expect(throws: RegistryError.planAlreadyDrawn(scenario: "REST", period: quarter("2026Q2"), existingPlan: "P1")) {
            try workspace.recordDraw(ScenarioPlan(id: "P9", scenario: "REST", period: quarter("2026Q2"), seed: "8"), checks: [])
        }
    }

    /// Check days outside the plan's period, reused check ids and entities outside a department's directory are
    /// refused, and nothing is written.
    @Test(arguments: Engine.allCases) func drawsKeepTheirRules(engine: Engine) throws {
        let city = try Fixtures.City(entities: 6, engine: engine)
        defer { city.directory.remove() }
        let workspace = try city.workspace()
        let plan = ScenarioPlan(id: "P1", scenario: "REST", period: quarter("2026Q1"), seed: "7")
        func check(_ id: CheckID, _ entity: Int, _ department: DepartmentCode = "MKT", on date: String = "2026-02-02") -> Check {
            Check(id: id, plan: "P1", entity: city.code(entity), department: department, inclusionProbability: 0.5,
                  checkedOn: day(date))
        }
        let before = try Fixtures.snapshot(workspace)
        #expect(throws: RegistryError.invalidArgument(name: "checked_on of check c1", value: "2026-04-01",
                                                      expected: "a day of 2026Q1 (2026-01-01 to 2026-03-31)")) {
            try workspace.recordDraw(plan, checks: [check("c1", 0, on: "2026-04-01")])
        }
        #expect(throws: RegistryError.invalidArgument(name: "check id", value: "c1", expected: "a check id not yet recorded")) {
            try workspace.recordDraw(plan, checks: [check("c1", 0), check("c1", 2)])
        }
        #expect(throws: RegistryError.unknownReference(table: "directory of FIRE", key: city.codes[1])) {
            try workspace.recordDraw(plan, checks: [check("c1", 1, "FIRE")])
        }
        #expect(try Fixtures.snapshot(workspace) == before)
    }
}
