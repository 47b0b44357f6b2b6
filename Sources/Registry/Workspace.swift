import Foundation
import GRDB

/// A OneCheck workspace: the shared record of the supervision cycle, in one SQLite file.
///
/// The file is opened through a GRDB `DatabasePool`, which puts it in WAL mode: any number of readers see a
/// consistent snapshot while one writer writes, and a write transaction interrupted by a crash (even SIGKILL)
/// leaves the file as it was before the transaction began.
///
///     let workspace = try Workspace.create(at: "city.onecheck")     // `onecheck init city.onecheck`
///     try workspace.importCSV(.entities, from: url)
///     let workspace = try Workspace.open(at: "city.onecheck")       // later, from another process
///
/// The schema is versioned by `DatabaseMigrator` migrations; the version is also stored in SQLite's
/// `user_version` so that any build can read it before touching the schema. Opening a workspace written by a
/// newer build throws `RegistryError.schemaTooNew` and changes nothing.
public final class Workspace: Sendable {
    /// The schema version this build writes and understands.
    public static let schemaVersion = 2

    /// SQLite `application_id` marking OneCheck workspaces ("OCHK").
    public static let applicationID: Int32 = 0x4F43_484B

    /// The database path.
    public let path: String

    /// The connection pool; use it for queries the registry API does not cover.
    public let database: DatabasePool

    private init(path: String, database: DatabasePool) {
        self.path = path
        self.database = database
    }

    /// Creates a new workspace file at `path` with the current schema.
    /// - Throws: `RegistryError.workspaceExists` when a file is already there.
    public static func create(at path: String) throws -> Workspace {
        if FileManager.default.fileExists(atPath: path) { throw RegistryError.workspaceExists(path: path) }
        let pool = try DatabasePool(path: path, configuration: configuration())
        try pool.barrierWriteWithoutTransaction { db in
            try db.execute(sql: "PRAGMA application_id = \(applicationID)")
        }
        try migrator.migrate(pool)
        return Workspace(path: path, database: pool)
    }

    /// Opens an existing workspace, migrating an older schema to the current version.
    /// - Throws: `RegistryError.workspaceNotFound`, `.notAWorkspace`, or `.schemaTooNew` (the file is left
    ///   untouched).
    public static func open(at path: String) throws -> Workspace {
        guard FileManager.default.fileExists(atPath: path) else { throw RegistryError.workspaceNotFound(path: path) }
        let pool = try DatabasePool(path: path, configuration: configuration())
        let (application, version) = try pool.read { db in
            (try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0,
             try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0)
        }
        guard application == applicationID else { throw RegistryError.notAWorkspace(path: path) }
        guard version <= schemaVersion else { throw RegistryError.schemaTooNew(found: version, supported: schemaVersion) }
        if version < schemaVersion { try migrator.migrate(pool) }
        return Workspace(path: path, database: pool)
    }

    /// The schema version stored in the file.
    public func storedSchemaVersion() throws -> Int {
        try database.read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 }
    }

    static func configuration() -> Configuration {
        var config = Configuration()
        config.foreignKeysEnabled = true
        // A second writer (another `onecheck` process) waits for the first instead of failing at once.
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            // NORMAL is durable against process crashes in WAL mode; only a power loss may drop the last commits.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // 64 MiB of page cache (SQLite's default is 2 MiB): a million-row import in one transaction otherwise
            // spills dirty pages to the WAL and reads them back, over and over.
            try db.execute(sql: "PRAGMA cache_size = -65536")
        }
        return config
    }

    /// Today's date in UTC as `YYYY-MM-DD`, and a timestamp for the audit log. Kept here so callers that need
    /// reproducible output pass explicit dates instead.
    public static func timestamp(_ date: Date = Date()) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
