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
/// second writer waits up to the store's `wait` for the first, then fails with `RegistryError.workspaceBusy`. A bulk
/// write (`import city`) may run with a rollback journal instead (``bulkWrite(_:)``), equally undone by a crash.
///
/// Read-only stores use one read-only connection and never write the file. In a directory this process may not
/// write (where no writer can create the `-wal` file a WAL database needs, so nobody can change the database),
/// the file is opened as immutable, which needs no `-shm` file either. A `-journal` file beside it (a bulk write
/// interrupted by a crash) is rolled back first by a read-write open, as a schema upgrade is.
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
            var status = stat()
            // A bulk write interrupted by a crash leaves its rollback journal, which only a read-write connection
            // may roll back (a read-only one refuses the file): opened read-write once first, as for an upgrade.
            let journal = lstat(path + "-journal", &status) == 0
            if header.version < Workspace.schemaVersion || journal {
                guard access_(path, W_OK) == 0 else {
                    throw RegistryError.workspaceReadOnly(path: path, reason: journal
                        ? "an import interrupted before it finished left \(path)-journal beside it, which a command "
                            + "that writes the workspace (e.g. `onecheck import`) rolls back, but the file is not writable"
                        : "it has schema version \(header.version) and must be upgraded to version "
                            + "\(Workspace.schemaVersion) by a command that writes it (e.g. `onecheck import`), but the "
                            + "file is not writable")
                }
                _ = try open(at: path, access: .readWrite(wait: defaultWait))
            }
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
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

    /// Runs `body`, a write, as ``guarded(writing:_:)`` does; a store opened read-only refuses it first.
    func writing<T>(_ body: () throws -> T) throws -> T {
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
