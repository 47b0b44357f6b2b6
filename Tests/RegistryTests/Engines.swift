import Foundation
import GRDB
import PostgresNIO
@testable import Registry
import Testing
import TestSupport

/// The storage engines the registry suite runs on. Every engine-neutral test takes an `Engine` argument
/// (`@Test(arguments: Engine.allCases)`), so a second engine (PostgreSQL) is one more case here: how to make a
/// workspace, and how to run the few raw queries tests use to look inside.
///
/// PostgreSQL runs in the server `ONECHECK_TEST_POSTGRES_URL` names (`make test` starts a private one: see
/// scripts/postgres-cluster.sh); each workspace is a new database there. When the variable is unset, its cases
/// fail under `CI` and are skipped otherwise (``TestPostgres``).
enum Engine: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    /// The engines the suite runs on: PostgreSQL only where a server is named or under CI (see the type).
    static var allCases: [Engine] { TestPostgres.enabled ? [.sqlite, .postgres] : [.sqlite] }

    var testDescription: String { rawValue }

    /// A new, empty workspace of this engine, kept in `directory`.
    func createWorkspace(in directory: TemporaryDirectory, name: String = "city.onecheck") throws -> Workspace {
        switch self {
        case .sqlite: return try Workspace.create(at: directory.file(name).path)
        case .postgres: return try Workspace.create(at: try TestPostgres.newDatabase())
        }
    }

    /// Opens the workspace `workspace` lives in again, as another process would.
    func reopen(_ workspace: Workspace, access: WorkspaceAccess = .readWrite) throws -> Workspace {
        switch self {
        case .sqlite: return try Workspace.open(at: workspace.location, access: access)
        case .postgres:
            return try Workspace.open(at: try #require(workspace.store as? PostgresStore).connection.url, access: access)
        }
    }

    /// The rows of a query in the engine's SQL, each value as text (NULL as "", reals in Swift's `description`).
    func rows(_ workspace: Workspace, _ sql: String, _ arguments: [String] = []) throws -> [[String]] {
        switch self {
        case .sqlite:
            return try Self.sqlite(workspace).read { db in
                try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map { row in
                    row.databaseValues.map { value -> String in
                        switch value.storage {
                        case .string(let s): return s
                        case .int64(let i): return String(i)
                        case .double(let x): return String(x)
                        case .blob, .null: return ""
                        }
                    }
                }
            }
        case .postgres:
            return try TestPostgres.rows(workspace, Self.numbered(sql), arguments).map { row in
                row.map { value -> String in
                    switch value {
                    case .text(let s): return s
                    case .integer(let i): return String(i)
                    case .real(let x): return String(x)
                    case .null: return ""
                    }
                }
            }
        }
    }

    /// `?` placeholders as PostgreSQL's `$1`, `$2`, … (outside quoted text).
    static func numbered(_ sql: String) -> String {
        var result = "", number = 0, quoted = false
        for character in sql {
            if character == "'" { quoted.toggle() }
            if character == "?" && !quoted {
                number += 1
                result += "$\(number)"
            } else {
                result.append(character)
            }
        }
        return result
    }

    /// The one value of a query, as text.
    func value(_ workspace: Workspace, _ sql: String, _ arguments: [String] = []) throws -> String? {
        try rows(workspace, sql, arguments).first?.first
    }

    /// The first column of each row of a query, as text.
    func column(_ workspace: Workspace, _ sql: String, _ arguments: [String] = []) throws -> [String] {
        try rows(workspace, sql, arguments).map { $0[0] }
    }

    /// The number of rows of `table`.
    func count(_ workspace: Workspace, _ table: String) throws -> Int {
        Int(try value(workspace, "SELECT COUNT(*) FROM \(table)") ?? "") ?? -1
    }

    /// Runs a statement in the engine's SQL outside the registry's API (to show what the store itself refuses).
    func execute(_ workspace: Workspace, _ sql: String) throws {
        switch self {
        case .sqlite: try Self.sqlite(workspace).write { db in try db.execute(sql: sql) }
        case .postgres: _ = try TestPostgres.rows(workspace, sql, [])
        }
    }

    static func sqlite(_ workspace: Workspace) throws -> any DatabaseWriter {
        try #require(workspace.store as? SQLiteStore).database
    }
}

/// The test server: `ONECHECK_TEST_POSTGRES_URL`, a database in it per workspace, and raw statements for tests.
enum TestPostgres {
    static let variable = "ONECHECK_TEST_POSTGRES_URL"

    /// The server's URL; without one, a failure under `CI` and a skip (a thrown `Skip`-like refusal) otherwise.
    static func url() throws -> String {
        if let url = ProcessInfo.processInfo.environment[variable], !url.isEmpty { return url }
        if ProcessInfo.processInfo.environment["CI"] != nil {
            Issue.record("\(variable) is not set: run the suite through `make test`, which starts a private PostgreSQL")
        }
        throw Unavailable()
    }

    /// Whether the PostgreSQL cases run: a server is named, or CI is set (where its absence fails them).
    static var enabled: Bool {
        !(ProcessInfo.processInfo.environment[variable] ?? "").isEmpty || ProcessInfo.processInfo.environment["CI"] != nil
    }

    struct Unavailable: Error, CustomStringConvertible {
        var description: String { "no PostgreSQL test server (\(TestPostgres.variable))" }
    }

    /// A raw error of the server, with its message (postgres-nio's own description hides it).
    struct ServerError: Error, CustomStringConvertible {
        var description: String
    }

    /// A new, empty database in the test server, as a URL.
    static func newDatabase() throws -> String {
        let server = try url()
        let name = "onecheck_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try execute(server, "CREATE DATABASE \(name)")
        var components = try #require(URLComponents(string: server))
        components.path = "/" + name
        return try #require(components.string)
    }

    /// Runs `sql` outside any transaction of the registry on the database `url` names.
    @discardableResult
    static func execute(_ url: String, _ sql: String, _ arguments: [String] = []) throws -> [[StoredValue]] {
        let session = try PostgresSession.connect(try PostgresLocation(url))
        defer { session.close() }
        do {
            return try session.query(sql, arguments.map { .text($0) }).map { row in
                try (0..<row.count).map { try row.stored($0) }
            }
        } catch let error as PSQLError {
            throw ServerError(description: error.serverInfo?[.message] ?? "\(error.code)")
        }
    }

    static func rows(_ workspace: Workspace, _ sql: String, _ arguments: [String]) throws -> [[StoredValue]] {
        try execute(try #require(workspace.store as? PostgresStore).connection.url, sql, arguments)
    }
}
