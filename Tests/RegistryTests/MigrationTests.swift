import Foundation
import GRDB
@testable import Registry
import Testing
import TestSupport

@Suite("Schema migrations")
struct MigrationTests {
    /// A workspace written by a version-1 build opens, is migrated to version 2, and keeps its rows.
    @Test func versionOneIsMigratedInPlace() throws {
        let dir = try TemporaryDirectory("migration")
        defer { dir.remove() }
        let path = dir.file("v1.onecheck").path
        let queue = try DatabaseQueue(path: path)
        // What a version-1 build wrote: its one migration, recorded under the same identifier.
        try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA application_id = \(Workspace.applicationID)") }
        var v1 = DatabaseMigrator()
        v1.registerMigration("v1") { db in
            try db.execute(sql: Workspace.schemaV1)
            try db.execute(sql: "PRAGMA user_version = 1")
        }
        try v1.migrate(queue)
        try queue.write { db in try db.execute(sql: "INSERT INTO departments(code, name) VALUES ('MKT', 'Market')") }
        try queue.close()
        let workspace = try Workspace.open(at: path)
        #expect(try workspace.storedSchemaVersion() == 2)
        let (risk, tables) = try workspace.database.read { db in
            (try String.fetchAll(db, sql: "SELECT code || ':' || risk_head FROM departments"),
             try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"))
        }
        #expect(risk == ["MKT:"])
        for table in ["workspace_settings", "feature_columns", "entity_features", "department_grades"] {
            #expect(tables.contains(table))
        }
    }
}
