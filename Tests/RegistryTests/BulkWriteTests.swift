import Foundation
import GRDB
@testable import Registry
import Supervision
import Testing
import TestSupport

/// `RegistryStore.bulkWrite`: references may be checked once, after the body, instead of row by row — but a
/// broken one is refused as `write` refuses it, nothing of the body is kept, and later writes check references
/// row by row again (SQLite switches its connection's foreign keys off for the bulk write only).
@Suite("Bulk write")
struct BulkWriteTests {
    /// A credit code the tiny city does not hold.
    static let unknown = "91310000MA1FL0000X"

    @Test(arguments: Engine.allCases) func refusesABrokenReferenceAndKeepsNothing(engine: Engine) throws {
        let city = try CityImportTests.TinyCity(engine: engine)
        defer { city.directory.remove() }
        #expect(!city.codes.contains(Self.unknown))
        let workspace = try city.workspace()
        try workspace.importCity(from: city.directory.url)
        let memberships = try engine.count(workspace, "directory_memberships")
        let health = DepartmentCode("health")

        // A new department and a membership of a stored entity (both fine), then one of an entity nobody stored.
        let refused = #expect(throws: RegistryError.self) {
            try workspace.store.bulkWrite { tx in
                try tx.upsertDepartment(code: health, name: "Health", riskHead: nil)
                try tx.addMemberships([DirectoryMembership(department: health, entity: EntityID(city.codes[0])),
                                       DirectoryMembership(department: health, entity: EntityID(Self.unknown))])
            }
        }
        guard case let .storageFailure(_, reason)? = refused else {
            Issue.record("expected a storage failure, got \(String(describing: refused))")
            return
        }
        #expect(reason.contains("breaks a rule of the workspace's schema"))
        if engine == .sqlite { #expect(reason.contains("directory_memberships") && reason.contains("entities")) }
        #expect(try engine.count(workspace, "directory_memberships") == memberships)
        #expect(try workspace.store.read { try $0.departments() }.map(\.code) == ["fire", "market"])

        // Without the broken row the same body commits; a plain write after it still checks each row.
        try workspace.store.bulkWrite { tx in
            try tx.upsertDepartment(code: health, name: "Health", riskHead: nil)
            try tx.addMemberships([DirectoryMembership(department: health, entity: EntityID(city.codes[0]))])
        }
        #expect(try engine.count(workspace, "directory_memberships") == memberships + 1)
        #expect(throws: RegistryError.self) {
            try workspace.store.write { tx in
                try tx.addMemberships([DirectoryMembership(department: health, entity: EntityID(Self.unknown))])
            }
        }
        #expect(try engine.count(workspace, "directory_memberships") == memberships + 1)
    }

    /// An error of the body itself passes through unchanged and keeps nothing; references are checked row by row
    /// again afterwards.
    @Test(arguments: Engine.allCases) func passesTheBodysErrorThrough(engine: Engine) throws {
        struct Stop: Error {}
        let city = try CityImportTests.TinyCity(engine: engine)
        defer { city.directory.remove() }
        let workspace = try city.workspace()
        try workspace.importCity(from: city.directory.url)
        #expect(throws: Stop.self) {
            try workspace.store.bulkWrite { tx in
                try tx.upsertDepartment(code: "health", name: "Health", riskHead: nil)
                throw Stop()
            }
        }
        #expect(try workspace.store.read { try $0.departments() }.map(\.code) == ["fire", "market"])
        #expect(throws: RegistryError.self) {
            try workspace.store.write { tx in
                try tx.addMemberships([DirectoryMembership(department: "market", entity: EntityID(Self.unknown))])
            }
        }
    }

    /// SQLite's check after a bulk write finds a broken reference exactly when `PRAGMA foreign_key_check` does, on
    /// random rows: a composite key, a reference to the parent's primary key without naming its columns, NULLs.
    @Test func checkReferencesAgreesWithSQLite() throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = false
        let queue = try DatabaseQueue(configuration: configuration)
        try queue.write { db in
            try db.execute(sql: """
                CREATE TABLE p (a TEXT NOT NULL, b TEXT NOT NULL, PRIMARY KEY (a, b)) WITHOUT ROWID;
                CREATE TABLE q (k TEXT PRIMARY KEY);
                CREATE TABLE c (x TEXT, y TEXT, z TEXT REFERENCES q, FOREIGN KEY (x, y) REFERENCES p(a, b));
                CREATE INDEX c_y ON c(y, x);
                """)
        }
        var rng = SeededGenerator(seed: 5)
        let values: [String?] = ["a", "b", "c", nil]
        var verdicts: [Bool: Int] = [:]
        for _ in 0..<300 {
            try queue.write { db in
                try db.execute(sql: "DELETE FROM p; DELETE FROM q; DELETE FROM c")
                for a in ["a", "b", "c"] {
                    for b in ["a", "b", "c"] where Int.random(in: 0..<4, using: &rng) > 0 {
                        try db.execute(sql: "INSERT INTO p VALUES (?, ?)", arguments: [a, b])
                    }
                    if Bool.random(using: &rng) { try db.execute(sql: "INSERT INTO q VALUES (?)", arguments: [a]) }
                }
                for _ in 0..<Int.random(in: 0...4, using: &rng) {
                    try db.execute(sql: "INSERT INTO c VALUES (?, ?, ?)", arguments: [
                        values.randomElement(using: &rng)!, values.randomElement(using: &rng)!,
                        values.randomElement(using: &rng)!])
                }
                let expected = try Row.fetchOne(db, sql: "PRAGMA foreign_key_check") != nil
                var found = false
                do { try SQLiteStore.checkReferences(db) } catch let error as DatabaseError {
                    #expect(error.extendedResultCode == .SQLITE_CONSTRAINT_FOREIGNKEY)
                    found = true
                }
                #expect(found == expected)
                verdicts[found, default: 0] += 1
            }
        }
        #expect(verdicts[true, default: 0] > 50 && verdicts[false, default: 0] > 50)
    }

    @Test func refusesAReadOnlyWorkspace() throws {
        let city = try CityImportTests.TinyCity()
        defer { city.directory.remove() }
        let path = try city.workspace().location
        let readOnly = try Workspace.open(at: path, access: .readOnly)
        #expect(throws: RegistryError.self) { try readOnly.store.bulkWrite { _ in } }
    }
}
