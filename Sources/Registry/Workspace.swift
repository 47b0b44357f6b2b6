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
    public static let schemaVersion = 6

    /// Seconds a writer waits for another process's write lock by default.
    public static let defaultWait = 10.0

    /// The storage.
    public let store: any RegistryStore

    /// Where the workspace lives, as messages name it.
    public var location: String { store.location }

    public init(store: any RegistryStore) {
        self.store = store
    }

    /// Creates a new SQLite workspace file at `path` with the current schema.
    /// - Throws: `RegistryError.workspaceExists` when a file is already there.
    public static func create(at path: String, wait: Double = defaultWait) throws -> Workspace {
        Workspace(store: try SQLiteStore.create(at: path, wait: wait))
    }

    /// Opens an existing SQLite workspace; read-write access migrates an older schema to the current version.
    /// - Throws: `RegistryError.workspaceNotFound`, `.notAWorkspace` or `.schemaTooNew` (the file is left
    ///   untouched), `.workspaceBusy`, `.workspaceReadOnly`, `.cannotOpen`.
    public static func open(at path: String, access: WorkspaceAccess = .readWrite) throws -> Workspace {
        Workspace(store: try SQLiteStore.open(at: path, access: access))
    }

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
