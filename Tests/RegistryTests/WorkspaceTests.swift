import Foundation
import GRDB
import Registry
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
        let mode = try workspace.database.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        let tables = try workspace.database.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%'")
        }
        #expect(Set(tables) == Set(Workspace.exportedTables.map(\.table)))
    }

    @Test func missingOrForeignFilesAreRefused() throws {
        let dir = try TemporaryDirectory("registry")
        defer { dir.remove() }
        let missing = dir.file("none.onecheck").path
        #expect(throws: RegistryError.workspaceNotFound(path: missing)) { try Workspace.open(at: missing) }
        let foreign = dir.file("other.sqlite").path
        try DatabaseQueue(path: foreign).write { db in try db.execute(sql: "CREATE TABLE t(x)") }
        #expect(throws: RegistryError.notAWorkspace(path: foreign)) { try Workspace.open(at: foreign) }
    }

    /// A file written by a newer build is refused, with a message naming both versions, and left untouched.
    @Test func newerSchemaIsRefused() throws {
        let dir = try TemporaryDirectory("registry")
        defer { dir.remove() }
        let path = dir.file("w.onecheck").path
        do {
            let workspace = try Workspace.create(at: path)
            try workspace.database.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA user_version = \(Workspace.schemaVersion + 1)")
            }
        }
        let newer = Workspace.schemaVersion + 1
        do {
            _ = try Workspace.open(at: path)
            Issue.record("a newer schema was opened")
        } catch let RegistryError.schemaTooNew(found, supported) {
            #expect(found == newer && supported == Workspace.schemaVersion)
            let message = RegistryError.schemaTooNew(found: found, supported: supported).description
            #expect(message.contains("schema version \(newer)") && message.contains("upgrade onecheck"))
        }
        let version = try DatabaseQueue(path: path).read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") }
        #expect(version == newer)
    }

    @Test func auditLogIsAppendOnly() throws {
        let city = try Fixtures.City(entities: 4)
        defer { city.directory.remove() }
        let workspace = try city.workspace()
        let before = try workspace.auditLog()
        #expect(before.map(\.action) == ["import", "import", "import", "import"])
        for sql in ["UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log", "INSERT OR REPLACE INTO audit_log(seq, at, action) VALUES (1, 'now', 'forged')"] {
            do {
                try workspace.database.write { db in try db.execute(sql: sql) }
                Issue.record("\(sql) succeeded")
            } catch let error as DatabaseError {
                #expect(error.message == "audit_log is append-only")
            }
        }
        #expect(try workspace.auditLog() == before)
    }

    /// A second draw for the same scenario and period is refused, changes nothing, and is itself logged.
    @Test func repeatedDrawIsRefusedAndLogged() throws {
        let city = try Fixtures.City(entities: 6)
        defer { city.directory.remove() }
        let workspace = try city.workspace()
        let plan = Plan(id: "P1", scenario: "REST", period: "2026Q1", seed: "42")
        let checks = [Check(id: "P1-1", plan: "P1", entity: city.codes[0], department: "MKT", inclusionProbability: 0.5,
                            checkedOn: "2026-01-12")]
        try workspace.recordDraw(plan, checks: checks, at: "2026-01-05T09:00:00Z")
        let again = Plan(id: "P2", scenario: "REST", period: "2026Q1", seed: "43")
        #expect(throws: RegistryError.planAlreadyDrawn(scenario: "REST", period: "2026Q1", existingPlan: "P1")) {
            try workspace.recordDraw(again, checks: [Check(id: "P2-1", plan: "P2", entity: city.codes[1], department: "MKT",
                                                           inclusionProbability: 0.5, checkedOn: "2026-01-12")],
                                     at: "2026-01-06T09:00:00Z")
        }
        let log = try workspace.auditLog().suffix(2)
        #expect(log.map(\.action) == ["draw", "redraw_refused"])
        #expect(log.last?.detail.contains("seed 43") == true && log.last?.period == "2026Q1")
        let planCount = try workspace.database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM plans") }
        let checkCount = try workspace.database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM checks") }
        #expect(planCount == 1 && checkCount == 1)
    }
}
