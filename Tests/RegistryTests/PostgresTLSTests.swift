import Foundation
@testable import Registry
import Testing
import TestSupport

/// TLS to the server (issue 18 §2): the registry on the private cluster's TLS listener (`postgres-cluster.sh start
/// DIR --tls`, which `make test` starts), where pg_hba.conf accepts TCP only through TLS, with a password.
///
/// `sslmode=require` and `verify-full` (with the cluster's CA, for the name `localhost`) open a workspace that
/// works, over a connection the server itself reports as encrypted; `verify-full` with another CA, with the
/// system's trust store, or for a name the certificate does not carry, and `sslmode=disable` against a server that
/// demands TLS, are refused with a message that says why and never shows the password.
///
/// Without the cluster's variables the suite fails under `CI` (the TLS listener is part of `make test`) and is
/// skipped otherwise.
@Suite("PostgreSQL over TLS", .serialized, .enabled(if: TLSServer.enabled))
struct PostgresTLSTests {
    @Test func requireEncryptsAndWorks() throws {
        let server = try TLSServer()
        let database = try server.newDatabase()
        let url = try server.url(database, ["sslmode": "require"])
        try checkWorks(url: url, database: database, server: server)
    }

    @Test func verifyFullWithTheClusterCAWorks() throws {
        let server = try TLSServer()
        let database = try server.newDatabase()
        let url = try server.url(database, ["sslmode": "verify-full", "sslrootcert": server.ca])
        try checkWorks(url: url, database: database, server: server)
    }

    @Test func verifyFullWithoutTheRightRootIsRefused() throws {
        let server = try TLSServer()
        let database = try server.newDatabase()
        let cases: [(why: String, query: [String: String], host: String, says: String)] = [
            ("a CA that did not sign the server's certificate", ["sslmode": "verify-full", "sslrootcert": server.otherCA],
             "localhost", "certificate is not signed by the certificates of sslrootcert=\(server.otherCA)"),
            ("the system's trust store", ["sslmode": "verify-full"], "localhost",
             "certificate is not signed by the system's trust store"),
            ("a name the certificate does not carry", ["sslmode": "verify-full", "sslrootcert": server.ca], "127.0.0.1",
             "certificate is not for the host name 127.0.0.1"),
        ]
        for (why, query, host, says) in cases {
            let message = try refusal(try server.url(database, query, host: host), server: server)
            #expect(message.contains(says), "\(why): \(message)")
        }
        // Nothing was created by the refused connections.
        #expect(try TestPostgres.execute(server.socketURL(database), "SELECT to_regclass('public.onecheck_schema') IS NULL")
            .first?.first == .integer(1))
    }

    @Test func aServerThatRequiresTLSRefusesDisable() throws {
        let server = try TLSServer()
        let database = try server.newDatabase()
        let message = try refusal(try server.url(database, ["sslmode": "disable"]), server: server)
        #expect(message.contains("no encryption") && message.contains("pg_hba.conf"), "\(message)")
    }

    /// A workspace made over `url` holds a small city, read back over TLS and through the Unix socket alike, and
    /// the server reports the connection as encrypted.
    func checkWorks(url: String, database: String, server: TLSServer) throws {
        let city = try Fixtures.City(entities: 12)
        defer { city.directory.remove() }
        let workspace = try Workspace.create(at: url)
        #expect(workspace.location.contains("***") && !workspace.location.contains(server.password))
        for kind in [ImportKind.departments, .scenarios, .items, .entities] {
            try workspace.importCSV(kind, from: city.directory.file("\(kind.rawValue).csv"),
                                    options: ImportOptions(auditTime: "2026-01-01T00:00:00Z"))
        }
        let overTLS = try Fixtures.snapshot(try Workspace.open(at: url, access: .readOnly))
        #expect(overTLS["entities"]?.count == 12)
        #expect(overTLS == (try Fixtures.snapshot(try Workspace.open(at: server.socketURL(database)))))
        let encrypted = try TestPostgres.execute(url, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
        #expect(encrypted == [[.integer(1)]])
    }

    /// The message of the refusal to open `url`, checked to name the database and not to show the password.
    func refusal(_ url: String, server: TLSServer) throws -> String {
        do {
            _ = try Workspace.create(at: url)
            Issue.record("\(PostgresLocation.redact(url)) was opened")
            return ""
        } catch let error as RegistryError {
            let message = error.description
            guard case .cannotOpen = error else {
                Issue.record("not a cannotOpen refusal: \(message)")
                return message
            }
            #expect(message.contains(PostgresLocation.redact(url).components(separatedBy: "?")[0]), "\(message)")
            #expect(!message.contains(server.password), "the password is shown: \(message)")
            #expect(!"\(error)".contains(server.password) && !String(reflecting: error).contains(server.password))
            return message
        }
    }
}

/// The private cluster's TLS listener, from the variables `postgres-cluster.sh start DIR --tls` prints.
struct TLSServer {
    static let variables = ["ONECHECK_TEST_POSTGRES_TLS_URL", "ONECHECK_TEST_POSTGRES_TLS_CA",
                            "ONECHECK_TEST_POSTGRES_TLS_OTHER_CA"]

    /// Whether the suite runs: the listener is named, or CI is set (where its absence fails the suite).
    static var enabled: Bool {
        let environment = ProcessInfo.processInfo.environment
        return !(environment[variables[0]] ?? "").isEmpty || environment["CI"] != nil
    }

    let base: URLComponents
    let password: String
    let ca: String
    let otherCA: String

    init() throws {
        let environment = ProcessInfo.processInfo.environment
        let values = Self.variables.map { environment[$0] ?? "" }
        guard !values.contains(""), let base = URLComponents(string: values[0]), let password = base.password else {
            let names = Self.variables.joined(separator: ", ")
            Issue.record("\(names) are not all set: run the suite through `make test` (the private cluster with --tls)")
            throw TestPostgres.Unavailable()
        }
        self.base = base
        self.password = password
        ca = values[1]
        otherCA = values[2]
    }

    /// A new, empty database of the cluster, made through its Unix socket.
    func newDatabase() throws -> String {
        try #require(URLComponents(string: try TestPostgres.newDatabase())).path.split(separator: "/").map(String.init)[0]
    }

    /// The TLS URL of `database` with the query `query`, to `host`.
    func url(_ database: String, _ query: [String: String], host: String = "localhost") throws -> String {
        var components = base
        components.host = host
        components.path = "/" + database
        components.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        return try #require(components.string)
    }

    /// `database` through the Unix socket of `ONECHECK_TEST_POSTGRES_URL`.
    func socketURL(_ database: String) throws -> String {
        var components = try #require(URLComponents(string: try TestPostgres.url()))
        components.path = "/" + database
        return try #require(components.string)
    }
}
