import Foundation
import GRDB
@testable import Registry
import Supervision
import Testing
import TestSupport

/// Schema version 4 (`v4-credit-repair`): a version-3 workspace gains the two tables, keeps its rows, and its
/// findings become penalty records with presumed severities.
@Suite("Credit-repair migration")
struct CreditRepairMigrationTests {
    @Test func versionThreeGainsDecisionsAndRepairs() throws {
        let dir = try TemporaryDirectory("migration")
        defer { dir.remove() }
        var rng = SeededGenerator(seed: 5)
        let code = Fixtures.creditCode(&rng)
        let path = dir.file("v3.onecheck").path
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA application_id = \(SQLiteStore.applicationID)") }
        var migrator = DatabaseMigrator()
        for (name, sql, version) in [("v1", SQLiteStore.schemaV1, 1), ("v2", SQLiteStore.schemaV2, 2),
                                     ("v3", SQLiteStore.schemaV3, 3)] {
            migrator.registerMigration(name) { db in
                try db.execute(sql: sql)
                try db.execute(sql: "PRAGMA user_version = \(version)")
            }
        }
        try migrator.migrate(queue)
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO departments(code, name) VALUES ('MKT', 'Market');
                INSERT INTO scenarios(code, name, lead_department) VALUES ('REST', 'Restaurants', 'MKT');
                INSERT INTO items(code, department, scenario, name, element, measure) VALUES ('M1', 'MKT', 'REST', 'x', 'people', 'on_site');
                INSERT INTO items(code, department, scenario, name, element, measure) VALUES ('M2', 'MKT', 'REST', 'y', 'rules', 'documents');
                INSERT INTO entities(credit_code, name, scenario, credit_grade) VALUES ('\(code)', 'Shop', 'REST', 'B');
                INSERT INTO directory_memberships(department, entity) VALUES ('MKT', '\(code)');
                INSERT INTO plans(id, scenario, period, seed) VALUES ('P1', 'REST', '2026Q1', 's');
                INSERT INTO checks(id, plan, period, entity, department, inclusion_probability, checked_on) VALUES ('C1', 'P1', '2026Q1', '\(code)', 'MKT', 0.25, '2026-02-02');
                INSERT INTO findings(check_id, item, outcome, penalty) VALUES ('C1', 'M1', 'serious', 500);
                INSERT INTO findings(check_id, item, outcome) VALUES ('C1', 'M2', 'minor');
                """)
        }
        try queue.writeWithoutTransaction { db in _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") }
        try queue.close()

        // Read-only access to an older file that may be written migrates it first.
        let workspace = try Workspace.open(at: path, access: .readOnly)
        #expect(try workspace.storedSchemaVersion() == Workspace.schemaVersion && Workspace.schemaVersion == 12)
        let migrations = try Engine.sqlite(workspace).read { db in
            try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid")
        }
        #expect(migrations == ["v1", "v2", "v3", "v4-credit-repair", "v5-console", "v6-jurisdictions",
                               "v7-console-summaries", "v8-jurisdiction-partitions",
                               "v9-grade-partitions", "v10-roster-partitions", "v11-plan-jurisdictions",
                               "v12-cycle-partitions"])
        // Version 11 rebuilt `plans`: the plan kept, of no jurisdiction, and its check still references it.
        #expect(try Engine.sqlite.rows(workspace, "SELECT id, scenario, period, seed, jurisdiction FROM plans")
                    == [["P1", "REST", "2026Q1", "s", ""]])
        #expect(try Engine.sqlite.rows(workspace, "PRAGMA foreign_key_check") == [])
        let records = try workspace.penaltyRecords(asOf: day("2026-04-01"))
        #expect(records.map(\.record.severity) == [.serious, .general])
        #expect(records.map(\.record.decision) == [nil, nil] && records.allSatisfy { $0.status == .inForce })
        #expect(records.map(\.stopsCountingOn) == [day("2029-02-03"), day("2027-02-03")])

        let writable = try Workspace.open(at: path)
        try writable.recordRepairs([CreditRepair(checkId: "C1", item: "M2", repairedOn: day("2026-05-03"),
                                                 decidedBy: "Bureau", reason: "rectified")], at: "t")
        #expect(try Engine.sqlite.count(writable, "credit_repairs") == 1)
        // The store's own constraints refuse a repair of no finding and an unknown severity.
        #expect(throws: (any Error).self) {
            try Engine.sqlite.execute(writable, """
                INSERT INTO credit_repairs(check_id, item, repaired_on, decided_by, reason)
                VALUES ('C1', 'M9', '2026-06-01', 'x', 'y')
                """)
        }
        #expect(throws: (any Error).self) {
            try Engine.sqlite.execute(writable, """
                INSERT INTO penalty_decisions(check_id, item, severity, decided_on) VALUES ('C1', 'M1', 'grave', '2026-02-02')
                """)
        }
    }
}
