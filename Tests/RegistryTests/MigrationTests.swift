import Foundation
import GRDB
@testable import Registry
import Supervision
import Testing
import TestSupport

@Suite("Schema migrations")
struct MigrationTests {
    /// A file as a build of schema version `version` wrote it: its migrations, recorded under the same identifiers.
    static func oldWorkspace(_ path: String, version: Int, rows: (Database) throws -> Void) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA application_id = \(SQLiteStore.applicationID)") }
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: SQLiteStore.schemaV1)
            try db.execute(sql: "PRAGMA user_version = 1")
        }
        if version >= 2 {
            migrator.registerMigration("v2") { db in
                try db.execute(sql: SQLiteStore.schemaV2)
                try db.execute(sql: "PRAGMA user_version = 2")
            }
        }
        try migrator.migrate(queue)
        try queue.write(rows)
        try queue.writeWithoutTransaction { db in _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") }
        try queue.close()
    }

    /// A workspace written by a version-1 build opens, is migrated to the current version, and keeps its rows.
    @Test func versionOneIsMigratedInPlace() throws {
        let dir = try TemporaryDirectory("migration")
        defer { dir.remove() }
        let path = dir.file("v1.onecheck").path
        try Self.oldWorkspace(path, version: 1) { db in
            try db.execute(sql: "INSERT INTO departments(code, name) VALUES ('MKT', 'Market')")
        }
        let workspace = try Workspace.open(at: path)
        #expect(try workspace.storedSchemaVersion() == Workspace.schemaVersion)
        let (risk, tables) = try Engine.sqlite(workspace).read { db in
            (try String.fetchAll(db, sql: "SELECT code || ':' || risk_head FROM departments"),
             try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"))
        }
        #expect(risk == ["MKT:"])
        for table in ["workspace_settings", "feature_columns", "entity_features", "department_grades",
                      "stratum_quotas", "caps", "scenario_partners"] {
            #expect(tables.contains(table))
        }
        #expect(try workspace.store.read { try $0.departments() } == [Department(code: "MKT", name: "Market")])
    }

    /// A version-2 workspace with a draw, findings and a publication keeps them through version 3's rebuild of
    /// `plans` and `checks`, and reports the same indicators.
    @Test func versionTwoKeepsItsDrawsThroughTheRebuild() throws {
        let dir = try TemporaryDirectory("migration")
        defer { dir.remove() }
        var rng = SeededGenerator(seed: 3)
        let code = Fixtures.creditCode(&rng)
        let path = dir.file("v2.onecheck").path
        try Self.oldWorkspace(path, version: 2) { db in
            try db.execute(sql: """
                INSERT INTO departments(code, name) VALUES ('MKT', 'Market');
                INSERT INTO scenarios(code, name, lead_department) VALUES ('REST', 'Restaurants', 'MKT');
                INSERT INTO items(code, department, scenario, name, element, measure) VALUES ('M1', 'MKT', 'REST', 'x', 'people', 'on_site');
                INSERT INTO entities(credit_code, name, scenario, credit_grade) VALUES ('\(code)', 'Shop', 'REST', 'B');
                INSERT INTO directory_memberships(department, entity) VALUES ('MKT', '\(code)');
                INSERT INTO plans(id, scenario, period, seed) VALUES ('P1', 'REST', '2026Q1', 's');
                INSERT INTO checks(id, plan, entity, department, inclusion_probability, checked_on) VALUES ('C1', 'P1', '\(code)', 'MKT', 0.25, '2026-02-02');
                INSERT INTO findings(check_id, item, outcome) VALUES ('C1', 'M1', 'minor');
                INSERT INTO publications(check_id, published_on, deadline) VALUES ('C1', '2026-02-10', '2026-03-02');
                """)
        }
        let workspace = try Workspace.open(at: path)
        #expect(try workspace.storedSchemaVersion() == Workspace.schemaVersion)
        let check = try #require(try workspace.store.read { try $0.checks(["C1"]) }["C1"])
        #expect(check.period == quarter("2026Q1") && check.scenario == "REST" && check.check.plan == "P1")
        let indicators = try #require(try workspace.indicators().first)
        #expect(indicators.performedChecks == 1 && indicators.estimatedProblemEntities == 4 && indicators.publishedOnTime == 1)
        let integrity = try Engine.sqlite(workspace).read { db in try String.fetchAll(db, sql: "PRAGMA foreign_key_check") }
        #expect(integrity.isEmpty)
    }
}
