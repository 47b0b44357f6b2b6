import Foundation
import Testing
import TestSupport

/// `--workspace postgres://…` through the binary: the URL from `ONECHECK_DATABASE_URL`, and a password that never
/// reaches the output or an error message.
@Suite("onecheck on PostgreSQL", .enabled(if: ManyWritersTests.Store.enabled.contains(.postgres)))
struct PostgresCommandTests {
    static let password = "Pa55-word-never-shown"

    /// The test server's URL for a new database, with a password added (the private cluster trusts local users,
    /// so any password is accepted: what matters is that it is never echoed).
    static func urlWithPassword() throws -> (url: String, redacted: String) {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var components = try #require(URLComponents(string: try ManyWritersTests.Store.postgres.newWorkspace(dir, "x")))
        components.password = password
        let url = try #require(components.string)
        components.password = "***"
        return (url, try #require(components.string))
    }

    @Test func urlFromTheEnvironmentAndNoPasswordShown() throws {
        let (url, redacted) = try Self.urlWithPassword()
        var environment = ProcessInfo.processInfo.environment
        environment["ONECHECK_DATABASE_URL"] = url
        let created = try ProcessRunner.run(OneCheckBinary.url, ["init"], environment: environment)
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout.contains(redacted), "\(created.stdout)")
        #expect(!(created.stdout + created.stderr).contains(Self.password))
        // Every workspace command takes the variable when --workspace is absent; a second init is refused, naming
        // the database without its password.
        let again = try ProcessRunner.run(OneCheckBinary.url, ["init"], environment: environment)
        #expect(again.status != 0)
        #expect(again.stderr.contains(redacted) && again.stderr.contains("already"), "\(again.stderr)")
        #expect(!(again.stdout + again.stderr).contains(Self.password))
        let target = NSTemporaryDirectory() + "/pg-export-" + UUID().uuidString
        let exported = try ProcessRunner.run(OneCheckBinary.url, ["export", "--to", target], environment: environment)
        #expect(exported.status == 0, "\(exported.stderr)")
        #expect(!(exported.stdout + exported.stderr).contains(Self.password))
    }

    @Test func errorsNameTheDatabaseWithoutItsPassword() throws {
        let (url, _) = try Self.urlWithPassword()
        var components = try #require(URLComponents(string: url))
        components.path = "/no_such_database"
        let missing = try OneCheckBinary.run(["export", "-w", try #require(components.string), "--to",
                                              NSTemporaryDirectory() + "/pg-missing-" + UUID().uuidString])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("no_such_database") && missing.stderr.contains("***"), "\(missing.stderr)")
        #expect(!(missing.stdout + missing.stderr).contains(Self.password))
    }
}
