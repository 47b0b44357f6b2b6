import Foundation
import GRDB
import Tables
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A workspace in one SQLite file, through GRDB: the embedded engine of ``RegistryStore``.
///
/// Read-write stores use a `DatabasePool` in WAL mode: readers see a consistent snapshot while one writer writes,
/// and a write transaction interrupted by a crash (even SIGKILL) leaves the file as it was before it began. A
/// second writer waits up to the store's `wait` for the first, then fails with `RegistryError.workspaceBusy`.
///
/// Read-only stores use one read-only connection and never write the file. In a directory this process may not
/// write (where no writer can create the `-wal` file a WAL database needs, so nobody can change the database),
/// the file is opened as immutable, which needs no `-shm` file either.
///
/// Before SQLite opens a file, its header is checked (``WorkspaceFileHeader``): an empty file, a file that is not
/// SQLite, and an SQLite database of another application are refused unchanged — SQLite would otherwise turn an
/// empty file into a database, and GRDB's pool would switch a foreign database to WAL mode.
public final class SQLiteStore: RegistryStore {
    /// SQLite `application_id` marking OneCheck workspaces ("OCHK").
    public static let applicationID: Int32 = 0x4F43_484B

    /// The file path.
    public let path: String
    public var location: String { path }
    public let isReadOnly: Bool
    /// Seconds a writer waits for another process's write lock.
    public let wait: Double
    /// The connection pool (read-write) or the read-only connection: for tests and tools that inspect the file.
    public let database: any DatabaseWriter

    private init(path: String, isReadOnly: Bool, wait: Double, database: any DatabaseWriter) {
        self.path = path
        self.isReadOnly = isReadOnly
        self.wait = wait
        self.database = database
    }

    // MARK: - Creating and opening

    /// Creates a workspace file at `path` with the current schema, and opens it for writing.
    ///
    /// The file is built beside `path` (rollback journal, then switched to WAL so that its header carries the
    /// application id, the schema version and the journal mode) and linked into place only when complete: a
    /// failed or interrupted `init` leaves no half-made workspace, and a file that appears meanwhile is never
    /// replaced.
    /// - Throws: `RegistryError.workspaceExists`, `.cannotWrite` (the directory cannot be written).
    public static func create(at path: String, wait: Double = Workspace.defaultWait) throws -> SQLiteStore {
        var status = stat()
        if lstat(path, &status) == 0 { throw RegistryError.workspaceExists(path: path) }
        let url = URL(fileURLWithPath: path)
        if access(url.deletingLastPathComponent().path, W_OK) != 0 {
            throw RegistryError.cannotWrite(path: path, reason: "its directory: " + systemError())
        }
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).creating-\(getpid())").path
        for suffix in ["", "-journal", "-wal", "-shm"] { TemporaryFiles.register(temporary + suffix) }
        defer {
            for suffix in ["", "-journal", "-wal", "-shm"] {
                unlink(temporary + suffix)
                TemporaryFiles.unregister(temporary + suffix)
            }
        }
        do {
            let queue = try DatabaseQueue(path: temporary, configuration: configuration(wait: wait, readOnly: false))
            try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA application_id = \(applicationID)") }
            try migrator.migrate(queue)
            try queue.writeWithoutTransaction { db in _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") }
            try queue.close()
        } catch {
            switch SQLiteErrors.mapped(error, path: path, wait: wait, writing: true) {
            case let RegistryError.cannotOpen(_, reason), let RegistryError.workspaceReadOnly(_, reason):
                throw RegistryError.cannotWrite(path: path, reason: reason)
            case let mapped:
                throw mapped
            }
        }
        if link(temporary, path) != 0 {
            let code = errno
            if code == EEXIST { throw RegistryError.workspaceExists(path: path) }
            // File systems without hard links: the existence check above, then a rename.
            guard code == EPERM || code == ENOTSUP, lstat(path, &status) != 0, rename(temporary, path) == 0 else {
                throw RegistryError.cannotWrite(path: path, reason: systemError(code))
            }
        }
        return try open(at: path, access: .readWrite(wait: wait))
    }

    /// Opens an existing workspace file.
    ///
    /// Read-write access migrates an older schema to the current one. Read-only access never writes; an older
    /// schema is then migrated first if the file can be written, and refused otherwise.
    /// - Throws: `RegistryError.workspaceNotFound`, `.notAWorkspace`, `.schemaTooNew` (the file is left
    ///   untouched), `.workspaceBusy`, `.workspaceReadOnly`, `.cannotOpen`.
    public static func open(at path: String, access: WorkspaceAccess) throws -> SQLiteStore {
        let header = try WorkspaceFileHeader.check(path, applicationID: applicationID,
                                                   supportedVersion: Workspace.schemaVersion)
        switch access {
        case let .readWrite(wait):
            if access_(path, W_OK) != 0 {
                throw RegistryError.workspaceReadOnly(path: path, reason: "the file is not writable: \(systemError())")
            }
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            var status = stat()
            if access_(directory, W_OK) != 0 && lstat(path + "-wal", &status) != 0 {
                throw RegistryError.workspaceReadOnly(path: path, reason: "its directory is not writable (\(systemError())), "
                                                      + "and a writer needs to create the -wal file beside it")
            }
            let pool: DatabasePool
            do {
                pool = try DatabasePool(path: path, configuration: configuration(wait: wait, readOnly: false))
            } catch {
                throw SQLiteErrors.mapped(error, path: path, wait: wait, writing: true)
            }
            let store = SQLiteStore(path: path, isReadOnly: false, wait: wait, database: pool)
            let version = try store.checkIdentity(header: header)
            if version < Workspace.schemaVersion {
                do { try migrator.migrate(pool) } catch {
                    throw SQLiteErrors.mapped(error, path: path, wait: wait, writing: true)
                }
                // Readers opened before the upgrade (reading the identity) keep what they learnt of the old
                // tables; they are closed so that every later read sees the new columns.
                pool.invalidateReadOnlyConnections()
            }
            return store
        case .readOnly:
            if header.version < Workspace.schemaVersion {
                guard access_(path, W_OK) == 0 else {
                    throw RegistryError.workspaceReadOnly(path: path, reason:
                        "it has schema version \(header.version) and must be upgraded to version "
                        + "\(Workspace.schemaVersion) by a command that writes it (e.g. `onecheck import`), but the "
                        + "file is not writable")
                }
                _ = try open(at: path, access: .readWrite(wait: defaultWait))
            }
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            var status = stat()
            let immutable = access_(directory, W_OK) != 0 && lstat(path + "-wal", &status) != 0
            let queue: DatabaseQueue
            do {
                queue = try DatabaseQueue(path: immutable ? immutableURI(path) : path,
                                          configuration: configuration(wait: defaultWait, readOnly: true))
            } catch {
                throw SQLiteErrors.mapped(error, path: path, wait: defaultWait, writing: false)
            }
            let store = SQLiteStore(path: path, isReadOnly: true, wait: defaultWait, database: queue)
            let version = try store.checkIdentity(header: header)
            if version < Workspace.schemaVersion {
                throw RegistryError.workspaceReadOnly(path: path, reason:
                    "it has schema version \(version); a command that writes it upgrades it to \(Workspace.schemaVersion)")
            }
            return store
        }
    }

    private static let defaultWait = Workspace.defaultWait

    /// `access(2)`, named apart from the `access` parameters above.
    private static func access_(_ path: String, _ mode: Int32) -> Int32 { access(path, mode) }

    /// An SQLite URI that opens `path` read-only without locks or a `-shm` file.
    private static func immutableURI(_ path: String) -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        return "file:" + (absolute.addingPercentEncoding(withAllowedCharacters: allowed) ?? absolute) + "?immutable=1"
    }

    /// Reads the application id and schema version through SQLite (the file header may lag behind a WAL file)
    /// and refuses a foreign or newer file.
    private func checkIdentity(header: WorkspaceFileHeader) throws -> Int {
        let (application, version) = try guarded(writing: false) {
            try database.read { db in
                (try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0, try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0)
            }
        }
        guard application == Self.applicationID else {
            throw RegistryError.notAWorkspace(path: path, reason: WorkspaceFileHeader.foreignReason(application))
        }
        guard version <= Workspace.schemaVersion else {
            throw RegistryError.schemaTooNew(path: path, found: version, supported: Workspace.schemaVersion)
        }
        return version
    }

    static func configuration(wait: Double, readOnly: Bool) -> Configuration {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.readonly = readOnly
        config.busyMode = .timeout(wait)
        config.prepareDatabase { db in
            // NORMAL is durable against process crashes in WAL mode; only a power loss may drop the last commits.
            if !db.configuration.readonly { try db.execute(sql: "PRAGMA synchronous = NORMAL") }
            // 64 MiB of page cache (SQLite's default is 2 MiB): a million-row import in one transaction otherwise
            // spills dirty pages to the WAL and reads them back, over and over.
            try db.execute(sql: "PRAGMA cache_size = -65536")
        }
        return config
    }

    // MARK: - RegistryStore

    public func schemaVersion() throws -> Int {
        try guarded(writing: false) { try database.read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 } }
    }

    public func read<T>(_ body: (any RegistryReader) throws -> T) throws -> T {
        try guarded(writing: false) { try database.read { db in try body(SQLiteTransaction(db: db)) } }
    }

    public func write<T>(_ body: (any RegistryWriter) throws -> T) throws -> T {
        try writing { try database.write { db in try body(SQLiteTransaction(db: db)) } }
    }

    /// ``RegistryStore/bulkWrite(_:)``: the transaction runs with the connection's foreign keys off, and
    /// ``checkReferences(_:)`` looks for a broken reference in the whole workspace before the commit — a merge of
    /// each referring table with the table it refers to, instead of a lookup per row written (SQLite can switch
    /// foreign keys only between transactions, hence here and not in `bulkLoad`). The connection's foreign keys
    /// are on again afterwards, whatever happened.
    /// - Throws: a broken reference as `RegistryError.storageFailure` naming the table and the table it refers
    ///   to; nothing is written then.
    public func bulkWrite<T>(_ body: (any RegistryWriter) throws -> T) throws -> T {
        try writing {
            try database.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA foreign_keys = OFF")
                let outcome = Result<T, any Error> {
                    var result: T?
                    try db.inTransaction(.immediate) {
                        result = try body(SQLiteTransaction(db: db))
                        try Self.checkReferences(db)
                        return .commit
                    }
                    return result!
                }
                try db.execute(sql: "PRAGMA foreign_keys = ON")
                return try outcome.get()
            }
        }
    }

    /// Throws SQLite's foreign-key error, naming the tables, when a row of the workspace refers to no row.
    ///
    /// One query per foreign key: the child's key values `EXCEPT` the parent's, ordered, which SQLite runs as a
    /// merge of the two in index order — a pass over each, where `PRAGMA foreign_key_check` looks every child row
    /// up in the parent (about 4× the time for 10.8M memberships). Rows with a NULL in the key refer to nothing,
    /// as SQLite's foreign keys have it. Values compare as stored, so a child's integer 5 would not match a
    /// parent's text '5' that a foreign key would match; the registry's keys are texts on both sides.
    static func checkReferences(_ db: Database) throws {
        let references = try Row.fetchAll(db, sql: """
            SELECT m.name AS child, f.id, f."table" AS parent, f."from", f."to"
            FROM sqlite_master AS m JOIN pragma_foreign_key_list(m.name) AS f
            WHERE m.type = 'table' ORDER BY m.name, f.id, f.seq
            """)
        for (_, columns) in Dictionary(grouping: references, by: { [$0["child"] as String, "\($0["id"] as Int)"] })
            .sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            let child: String = columns[0]["child"], parent: String = columns[0]["parent"]
            let from = columns.map { ($0["from"] as String).quotedDatabaseIdentifier }
            var to = columns.map { ($0["to"] as String?)?.quotedDatabaseIdentifier }
            if to.contains(nil) {  // `REFERENCES parent` alone: the parent's primary key
                to = try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk",
                                         arguments: [parent]).map(\.quotedDatabaseIdentifier)
            }
            let order = (1...from.count).map(String.init).joined(separator: ", ")
            // Not `EXISTS (…)`: SQLite drops the ORDER BY of a subquery there, and with it the merge.
            let broken = try Bool.fetchOne(db, sql: """
                SELECT 1 FROM (SELECT \(from.joined(separator: ", ")) FROM \(child.quotedDatabaseIdentifier)
                    WHERE \(from.map { "\($0) IS NOT NULL" }.joined(separator: " AND "))
                    EXCEPT SELECT \(to.map { $0! }.joined(separator: ", ")) FROM \(parent.quotedDatabaseIdentifier)
                    ORDER BY \(order)) LIMIT 1
                """) ?? false
            if broken {
                throw DatabaseError(resultCode: .SQLITE_CONSTRAINT_FOREIGNKEY, message:
                    "FOREIGN KEY constraint failed: a row of \(child) refers to no row of \(parent)")
            }
        }
    }

    /// Runs `body`, a write, as ``guarded(writing:_:)`` does; a store opened read-only refuses it first.
    private func writing<T>(_ body: () throws -> T) throws -> T {
        if isReadOnly {
            throw RegistryError.workspaceReadOnly(path: path, reason: "it was opened for reading only")
        }
        return try guarded(writing: true, body)
    }

    /// Runs `body`, mapping the engine's errors to `RegistryError`s (the one place they are translated).
    private func guarded<T>(writing: Bool, _ body: () throws -> T) throws -> T {
        do { return try body() } catch { throw SQLiteErrors.mapped(error, path: path, wait: wait, writing: writing) }
    }
}
