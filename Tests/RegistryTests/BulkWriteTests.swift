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

    /// Alone with the workspace (its own pool's reader idle), SQLite's bulk write runs with a rollback journal and
    /// leaves the workspace as it found it: WAL mode (in the file's header too), `synchronous = NORMAL`, the
    /// store's wait for other writers, and a `-wal` file holding a frame, which the pool's readers need.
    @Test func journalsAloneAndReturnsToWAL() throws {
        let city = try CityImportTests.TinyCity()
        defer { city.directory.remove() }
        let workspace = try city.workspace()
        try workspace.importCity(from: city.directory.url)
        let store = try #require(workspace.store as? SQLiteStore)
        _ = try store.read { try $0.departments() }
        func pragma(_ name: String) throws -> String? {
            try store.database.writeWithoutTransaction { try String.fetchOne($0, sql: "PRAGMA \(name)") }
        }
        let timeout = try pragma("busy_timeout")
        #expect(timeout == String(Int(store.wait * 1000)))

        var seen: [String?] = []
        try store.bulkWrite { tx in
            let db = try #require(tx as? SQLiteTransaction).db
            seen = try ["journal_mode", "synchronous"].map { try String.fetchOne(db, sql: "PRAGMA \($0)") }
            try tx.upsertDepartment(code: "health", name: "Health", riskHead: nil)
        }
        #expect(seen == ["delete", "2"])  // FULL
        #expect(try pragma("journal_mode") == "wal")
        #expect(try pragma("synchronous") == "1")  // NORMAL
        #expect(try pragma("busy_timeout") == timeout)
        let header = try Data(contentsOf: URL(fileURLWithPath: store.path)).prefix(20)
        #expect(header[18] == 2 && header[19] == 2)  // WAL: https://www.sqlite.org/fileformat.html
        let wal = try FileManager.default.attributesOfItem(atPath: store.path + "-wal")[.size] as? Int
        #expect((wal ?? 0) > 0)
        #expect(!FileManager.default.fileExists(atPath: store.path + "-journal"))
        #expect(try store.read { try $0.departments() }.map(\.code) == ["fire", "health", "market"])
    }

    /// A load that fails with a rollback journal leaves the file as it was — to the byte length, though the load
    /// had made it grow (pages spilled into the file itself, where WAL mode would have put them in the `-wal`
    /// file) — and in WAL mode. So does a crash: a copy of the file and its journal taken mid-load (what SIGKILL
    /// would leave on disk) opens as the workspace before the load — read-only first (which rolls the journal back
    /// through a read-write open: a read-only connection refuses a file with a hot journal), then read-write.
    @Test func undoesAFailedJournaledLoad() throws {
        struct Stop: Error {}
        let city = try CityImportTests.TinyCity()
        defer { city.directory.remove() }
        let workspace = try city.workspace()
        try workspace.importCity(from: city.directory.url)
        let store = try #require(workspace.store as? SQLiteStore)
        try store.database.writeWithoutTransaction { try $0.checkpoint(.truncate) }
        let crashed = city.directory.file("crashed.onecheck").path
        func size(_ path: String? = nil) throws -> Int {
            try #require(FileManager.default.attributesOfItem(atPath: path ?? store.path)[.size] as? Int)
        }
        let before = try size()
        var grown = 0
        #expect(throws: Stop.self) {
            try store.bulkWrite { tx in
                let db = try #require(tx as? SQLiteTransaction).db
                try db.execute(sql: """
                    PRAGMA cache_size = 50;
                    DELETE FROM departments WHERE code = 'fire';
                    CREATE TABLE scratch (x BLOB);
                    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4000)
                    INSERT INTO scratch SELECT randomblob(1000) FROM n;
                    """)
                grown = try size()
                for suffix in ["", "-journal"] {
                    try FileManager.default.copyItem(atPath: store.path + suffix, toPath: crashed + suffix)
                }
                throw Stop()
            }
        }
        #expect(grown > before + 2_000_000)
        #expect(try size() == before)
        #expect(try Self.journalIntegrityAndScratch(store) == ["wal", "ok", nil])
        #expect(try store.read { try $0.departments() }.map(\.code) == ["fire", "market"])

        let reader = try Workspace.open(at: crashed, access: .readOnly)
        #expect(try reader.store.read { try $0.departments() }.map(\.code) == ["fire", "market"])
        let reopened = try #require(Workspace.open(at: crashed).store as? SQLiteStore)
        #expect(try reopened.read { try $0.departments() }.map(\.code) == ["fire", "market"])
        #expect(try Self.journalIntegrityAndScratch(reopened) == ["wal", "ok", nil])
        #expect(try size(crashed) == before)
        #expect(!FileManager.default.fileExists(atPath: crashed + "-journal"))
    }

    /// The journal mode, `PRAGMA integrity_check`, and the name of a table `scratch` if there is one.
    static func journalIntegrityAndScratch(_ store: SQLiteStore) throws -> [String?] {
        try store.database.read { db in
            try [String.fetchOne(db, sql: "PRAGMA journal_mode"), String.fetchOne(db, sql: "PRAGMA integrity_check"),
                 String.fetchOne(db, sql: "SELECT group_concat(name) FROM sqlite_master WHERE name = 'scratch'")]
        }
    }

    /// Another connection holds the workspace open (as a second process or the console would): SQLite's bulk
    /// write runs in WAL mode, without waiting for it, and the other connection reads the load afterwards.
    @Test(arguments: [true, false]) func staysInWALBesideAnotherConnection(readOnly: Bool) throws {
        let city = try CityImportTests.TinyCity()
        defer { city.directory.remove() }
        let workspace = try city.workspace()
        try workspace.importCity(from: city.directory.url)
        let other = try Workspace.open(at: workspace.location, access: readOnly ? .readOnly : .readWrite)
        #expect(try other.store.read { try $0.departments() }.count == 2)
        var mode: String?
        try workspace.store.bulkWrite { tx in
            mode = try String.fetchOne(try #require(tx as? SQLiteTransaction).db, sql: "PRAGMA journal_mode")
            try tx.upsertDepartment(code: "health", name: "Health", riskHead: nil)
        }
        #expect(mode == "wal")
        #expect(try other.store.read { try $0.departments() }.count == 3)
    }

    @Test func refusesAReadOnlyWorkspace() throws {
        let city = try CityImportTests.TinyCity()
        defer { city.directory.remove() }
        let path = try city.workspace().location
        let readOnly = try Workspace.open(at: path, access: .readOnly)
        #expect(throws: RegistryError.self) { try readOnly.store.bulkWrite { _ in } }
    }
}
