import Foundation
import NIOSSL
import PostgresNIO

/// A workspace in a PostgreSQL database, shared by many processes and departments: the server engine of
/// ``RegistryStore``, on postgres-nio.
///
/// - **Transactions.** Each ``read(_:)`` is one `REPEATABLE READ READ ONLY` transaction (one snapshot, never
///   waits for a writer). Each ``write(_:)`` is one `SERIALIZABLE` transaction; when the server aborts it to keep
///   writers serializable (SQLSTATE 40001) or to break a deadlock (40P01), the body runs again on a fresh
///   transaction after a randomised, growing pause, up to ``maxAttempts`` times — so concurrent writers never see
///   those failures. A writer blocked on a row lock longer than the store's `wait` fails with `workspaceBusy`.
/// - **Connections.** One connection per read or write, opened on NIO's shared event loops and closed after; the
///   store itself holds only its location, so it is trivially `Sendable`.
/// - **Schema.** The same versions as the SQLite engine (``migrations``); the table `onecheck_schema` marks the
///   database as a OneCheck workspace and holds its version. `create` refuses a database that already has one.
/// - **Errors.** The server's and the connection's errors become `RegistryError`s naming ``location``: the URL
///   without its password.
public final class PostgresStore: RegistryStore {
    public let connection: PostgresLocation
    public var location: String { connection.redacted }
    public let isReadOnly: Bool
    /// Seconds a writer waits for a row lock held by another writer.
    public let wait: Double
    /// How many times a write transaction is tried before a serialization failure reaches the caller.
    public static let maxAttempts = 60

    private init(connection: PostgresLocation, isReadOnly: Bool, wait: Double) {
        self.connection = connection
        self.isReadOnly = isReadOnly
        self.wait = wait
    }

    // MARK: - Creating and opening

    /// Creates the current schema in the (existing, empty of OneCheck tables) database `url` names, atomically.
    /// - Throws: `RegistryError.workspaceExists` when the database already holds a workspace, `.cannotOpen`.
    public static func create(url: String, wait: Double = Workspace.defaultWait) throws -> PostgresStore {
        let store = PostgresStore(connection: try PostgresLocation(url), isReadOnly: false, wait: wait)
        try store.transaction(writing: true) { session in
            if try store.storedVersion(session) != nil {
                throw RegistryError.workspaceExists(path: store.location)
            }
            for statement in Self.statements(markerDDL) { try session.query(statement) }
            try store.migrate(session, from: 0)
        }
        return store
    }

    /// Opens the workspace in the database `url` names; read-write access migrates an older schema.
    /// - Throws: `RegistryError.workspaceNotFound` (no workspace in that database), `.notAWorkspace`,
    ///   `.schemaTooNew`, `.workspaceReadOnly` (read-only access to an older schema), `.cannotOpen`.
    public static func open(url: String, access: WorkspaceAccess) throws -> PostgresStore {
        let location = try PostgresLocation(url)
        switch access {
        case let .readWrite(wait):
            let store = PostgresStore(connection: location, isReadOnly: false, wait: wait)
            try store.transaction(writing: true) { session in
                let version = try store.checkedVersion(session)
                if version < Workspace.schemaVersion { try store.migrate(session, from: version) }
            }
            return store
        case .readOnly:
            let store = PostgresStore(connection: location, isReadOnly: true, wait: Workspace.defaultWait)
            let version = try store.transaction(writing: false) { try store.checkedVersion($0) }
            if version < Workspace.schemaVersion {
                throw RegistryError.workspaceReadOnly(path: store.location, reason:
                    "it has schema version \(version); a command that writes it upgrades it to \(Workspace.schemaVersion)")
            }
            return store
        }
    }

    /// The stored version, nil when the database holds no workspace; refuses a foreign marker.
    private func storedVersion(_ session: PostgresSession) throws -> Int? {
        let exists = try session.query("SELECT to_regclass('public.onecheck_schema') IS NOT NULL")
        guard try exists.first?.bool(0) == true else { return nil }
        let rows = try session.query("SELECT application, version FROM onecheck_schema")
        guard rows.count == 1, try rows[0].string(0) == "onecheck" else {
            throw RegistryError.notAWorkspace(path: location, reason: "its onecheck_schema table is not OneCheck's")
        }
        return try rows[0].int(1)
    }

    private func checkedVersion(_ session: PostgresSession) throws -> Int {
        guard let version = try storedVersion(session) else {
            throw RegistryError.workspaceNotFound(path: location)
        }
        guard version <= Workspace.schemaVersion else {
            throw RegistryError.schemaTooNew(path: location, found: version, supported: Workspace.schemaVersion)
        }
        return version
    }

    private func migrate(_ session: PostgresSession, from version: Int) throws {
        for migration in Self.migrations where migration.version > version {
            for statement in Self.statements(migration.sql) { try session.query(statement) }
            try session.query("UPDATE onecheck_schema SET version = $1", [.integer(migration.version)])
        }
    }

    /// The statements of a script, split at semicolons outside quoted text and `$$` bodies (the extended
    /// protocol takes one statement at a time).
    static func statements(_ script: String) -> [String] {
        var statements: [String] = [], current = ""
        var quoted = false, dollar = false
        var previous: Character = " "
        for character in script {
            if character == "'" && !dollar { quoted.toggle() }
            if character == "$" && previous == "$" && !quoted { dollar.toggle() }
            if character == ";" && !quoted && !dollar {
                let statement = current.trimmingCharacters(in: .whitespacesAndNewlines)
                if !statement.isEmpty { statements.append(statement) }
                current = ""
            } else {
                current.append(character)
            }
            previous = character
        }
        let last = current.trimmingCharacters(in: .whitespacesAndNewlines)
        if !last.isEmpty { statements.append(last) }
        return statements
    }

    // MARK: - RegistryStore

    public func schemaVersion() throws -> Int {
        try transaction(writing: false) { try checkedVersion($0) }
    }

    public func read<T>(_ body: (any RegistryReader) throws -> T) throws -> T {
        try transaction(writing: false) { try body(PostgresTransaction(session: $0)) }
    }

    public func write<T>(_ body: (any RegistryWriter) throws -> T) throws -> T {
        if isReadOnly {
            throw RegistryError.workspaceReadOnly(path: location, reason: "it was opened for reading only")
        }
        return try transaction(writing: true) { try body(PostgresTransaction(session: $0)) }
    }

    /// Runs `body` in one transaction on a new connection: serializable and retried when writing (see the type's
    /// documentation), a read-only snapshot otherwise. The one place the engine's errors are translated.
    private func transaction<T>(writing: Bool, _ body: (PostgresSession) throws -> T) throws -> T {
        let session: PostgresSession
        do { session = try PostgresSession.connect(connection) } catch { throw mapped(error, writing: writing) }
        defer { session.close() }
        var attempt = 1
        while true {
            do {
                if writing {
                    try session.query("BEGIN ISOLATION LEVEL SERIALIZABLE")
                    try session.query("SET LOCAL lock_timeout = '\(Int(wait * 1000))ms'")
                } else {
                    try session.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                }
                let result = try body(session)
                try session.query("COMMIT")
                return result
            } catch {
                _ = try? session.query("ROLLBACK")
                if writing, attempt < Self.maxAttempts, Self.isTransient(error) {
                    // Randomised exponential backoff, capped: contenders spread out instead of colliding again.
                    let cap = min(0.5, 0.005 * pow(2, Double(min(attempt, 10))))
                    Thread.sleep(forTimeInterval: Double.random(in: cap / 2...cap))
                    attempt += 1
                    continue
                }
                throw mapped(error, writing: writing)
            }
        }
    }

    /// Keys two writers collide on only by running at once, where the one that commits second must retry: the
    /// audit log's sequence number (the next after the last one committed, so the log has no gaps), and a new
    /// jurisdiction's partition number (two imports that each bring a jurisdiction without partitions).
    static let transientKeys: Set<String> = ["audit_log_pkey", "jurisdiction_partitions_pkey",
                                             "jurisdiction_partitions_number_key"]

    /// Serialization failures, deadlocks and a duplicate of one of ``transientKeys``: the transaction may
    /// succeed when run again.
    static func isTransient(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError, let state = error.serverInfo?[.sqlState] else { return false }
        return state == "40001" || state == "40P01"
            || (state == "23505" && transientKeys.contains(error.serverInfo?[.constraintName] ?? ""))
    }

    /// `error` as a `RegistryError` naming the store; errors of the body (already the registry's, or a table's)
    /// pass unchanged.
    func mapped(_ error: any Error, writing: Bool) -> any Error {
        if error is RegistryError { return error }
        if let error = error as? StoredValueError { return RegistryError.corrupt(path: location, reason: error.description) }
        if let error = error as? PSQLError {
            guard let info = error.serverInfo, let state = info[.sqlState] else {
                return RegistryError.cannotOpen(path: location, reason: connection.tlsRefusal(error) ?? Self.describe(error))
            }
            let message = info[.message] ?? state
            switch state {
            case "40001", "40P01":
                return RegistryError.workspaceBusy(path: location, waited: wait)
            case "55P03", "57014":
                return RegistryError.workspaceBusy(path: location, waited: wait)
            case "25006":
                return RegistryError.workspaceReadOnly(path: location, reason: message)
            case "53100":
                return RegistryError.storageFull(path: location)
            case "3D000", "28000", "28P01", "42501":
                return RegistryError.cannotOpen(path: location, reason: message)
            case "XX001", "XX002":
                return RegistryError.corrupt(path: location, reason: message)
            default:
                if state.hasPrefix("23") {
                    return RegistryError.storageFailure(path: location, reason:
                        "the change breaks a rule of the workspace's schema: " + message)
                }
                if state.hasPrefix("08") || state.hasPrefix("57") {
                    return RegistryError.cannotOpen(path: location, reason: message)
                }
                return RegistryError.storageFailure(path: location, reason: message)
            }
        }
        if error is PostgresDecodingError {
            return RegistryError.corrupt(path: location, reason: "a stored value this build cannot read")
        }
        if String(reflecting: type(of: error)).contains("NIO") {
            return RegistryError.cannotOpen(path: location, reason: PostgresLocation.redact("\(error)"))
        }
        return error
    }

    /// A connection-level error in words, without anything the URL's password could be part of.
    private static func describe(_ error: PSQLError) -> String {
        var words = "\(error.code)"
        if let underlying = error.underlying { words += ": " + PostgresLocation.redact("\(underlying)") }
        return words
    }
}

extension PostgresLocation {
    /// Why the server's certificate was refused, in words naming what `verify-full` checked it against; nil when
    /// `error` is no certificate refusal.
    func tlsRefusal(_ error: PSQLError) -> String? {
        guard let underlying = error.underlying else { return nil }
        let roots = rootCertificate.map { "the certificates of sslrootcert=\($0)" } ?? "the system's trust store (no sslrootcert=)"
        if let refusal = underlying as? NIOSSLExtraError, refusal == .failedToValidateHostname {
            return "the server's TLS certificate is not for the host name \(host) (sslmode=verify-full checks that the "
                + "certificate names the host of the URL)"
        }
        if "\(underlying)".contains("CERTIFICATE_VERIFY_FAILED") {
            return "the server's TLS certificate is not signed by \(roots) (sslmode=verify-full checks the certificate "
                + "chain); give the CA that signed it as sslrootcert=FILE"
        }
        if underlying is NIOSSLError || underlying is BoringSSLError {
            return "the TLS handshake with the server failed (\(PostgresLocation.redact("\(underlying)")))"
        }
        return nil
    }
}
