import Foundation
import Supervision

/// How a workspace is opened.
public enum WorkspaceAccess: Sendable, Equatable {
    /// Reading only: the file is never written, and may be read-only.
    case readOnly
    /// Reading and writing; a writer waits up to `wait` seconds for another process's write lock.
    case readWrite(wait: Double)

    /// Reading and writing with the default wait.
    public static var readWrite: WorkspaceAccess { .readWrite(wait: Workspace.defaultWait) }
}

/// A OneCheck workspace: the shared record of the supervision cycle, and the rules that keep it.
///
/// The use cases — importing a city or a file, recording a draw, findings and disposals, storing grades with joint
/// sanctions, publishing results within their deadline, indicators, next period's features, export, the audit log
/// — are methods of this type, in engine-neutral code; the rows live in a ``RegistryStore`` (SQLite by default).
///
///     let workspace = try Workspace.create(at: "city.onecheck")       // `onecheck init city.onecheck`
///     try workspace.importCSV(.entities, from: url)
///     let reader = try Workspace.open(at: "city.onecheck", access: .readOnly)   // later, from another process
public final class Workspace: Sendable {
    /// The schema version this build writes and understands.
    public static let schemaVersion = 12

    /// Seconds a writer waits for another process's write lock by default.
    public static let defaultWait = 10.0

    /// The storage.
    public let store: any RegistryStore

    /// Where the workspace lives, as messages name it.
    public var location: String { store.location }

    public init(store: any RegistryStore) {
        self.store = store
    }

    /// Creates a new workspace with the current schema at `location`: an SQLite file path, or a `postgres://` URL
    /// naming an existing database (``PostgresLocation``), where the schema is created.
    /// - Throws: `RegistryError.workspaceExists` when a file, or a workspace in that database, is already there.
    public static func create(at location: String, wait: Double = defaultWait) throws -> Workspace {
        if PostgresLocation.isURL(location) { return Workspace(store: try PostgresStore.create(url: location, wait: wait)) }
        return Workspace(store: try SQLiteStore.create(at: location, wait: wait))
    }

    /// Opens an existing workspace — an SQLite file path or a `postgres://` URL; read-write access migrates an
    /// older schema to the current version.
    /// - Throws: `RegistryError.workspaceNotFound`, `.notAWorkspace` or `.schemaTooNew` (the store is left
    ///   untouched), `.workspaceBusy`, `.workspaceReadOnly`, `.cannotOpen`.
    public static func open(at location: String, access: WorkspaceAccess = .readWrite) throws -> Workspace {
        if PostgresLocation.isURL(location) { return Workspace(store: try PostgresStore.open(url: location, access: access)) }
        return Workspace(store: try SQLiteStore.open(at: location, access: access))
    }

    /// The environment variable that may hold the workspace's location (typically a `postgres://` URL with its
    /// password), so that a password need not appear on a command line.
    public static let locationVariable = "ONECHECK_DATABASE_URL"

    /// The schema version stored.
    public func storedSchemaVersion() throws -> Int { try store.schemaVersion() }

    /// The entity `code`, or nil.
    public func entity(_ code: CreditCode) throws -> Entity? { try store.read { try $0.entity(code) } }

    /// The audit log, oldest first.
    public func auditLog() throws -> [AuditEntry] { try store.read { try $0.auditLog() } }

    /// A timestamp for the audit log: `date` in UTC, ISO 8601. Callers that need reproducible output pass explicit
    /// timestamps instead.
    public static func timestamp(_ date: Date = Date()) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
