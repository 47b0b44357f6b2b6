import Console
import Foundation
import Registry
import Testing
import TestSupport

/// The console's commands through the built binary (`user`, `report`, `serve`), and direct TLS with a
/// self-signed certificate made in the test.
@Suite("console commands and TLS", .serialized)
struct CommandAndTLSTests {
    /// Runs `onecheck arguments…` with `input` on standard input.
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String], input: String? = nil, in directory: URL) throws -> Result {
        let process = Process()
        process.executableURL = OneCheckBinary.url
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        let out = stdout.fileHandleForReading.readDataToEndOfFile(), err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                             stderr: String(decoding: err, as: UTF8.self))
    }

    @Test func userCommandsReadThePasswordFromStandardInputOnly() throws {
        let fixture = try ConsoleFixture()
        defer { fixture.directory.remove() }
        let dir = fixture.directory.url
        let secret = "a long enough password 42"
        let added = try Self.run(["user", "add", "-w", "ws.sqlite", "--name", "wang", "--role", "department:fire",
                                  "--password-stdin"], input: secret + "\n", in: dir)
        #expect(added.status == 0, "\(added.stderr)")
        #expect(!added.stdout.contains(secret) && !added.stderr.contains(secret))
        let account = try #require(try Workspace.open(at: dir.appendingPathComponent("ws.sqlite").path).user(named: "wang"))
        #expect(account.role == .department("fire") && account.passwordHash.hasPrefix("$2"))
        // Without --password-stdin: refused, nothing added.
        let refused = try Self.run(["user", "add", "-w", "ws.sqlite", "--name", "zhao", "--role", "planner"], in: dir)
        #expect(refused.status != 0 && refused.stderr.contains("--password-stdin"))
        let badRole = try Self.run(["user", "add", "-w", "ws.sqlite", "--name", "zhao", "--role", "department:nowhere",
                                    "--password-stdin"], input: secret + "\n", in: dir)
        #expect(badRole.status != 0 && badRole.stderr.contains("department:nowhere"), "\(badRole.stderr)")
        let short = try Self.run(["user", "add", "-w", "ws.sqlite", "--name", "zhao", "--role", "planner", "--password-stdin"],
                                 input: "short\n", in: dir)
        #expect(short.status != 0 && !short.stderr.contains("short\n"))
        let list = try Self.run(["user", "list", "-w", "ws.sqlite"], in: dir)
        #expect(list.stdout.contains("wang\tdepartment:fire\tenabled") && !list.stdout.contains("zhao"))
        #expect(try Self.run(["user", "disable", "-w", "ws.sqlite", "--name", "wang"], in: dir).status == 0)
        #expect(try Self.run(["user", "list", "-w", "ws.sqlite"], in: dir).stdout.contains("wang\tdepartment:fire\tdisabled"))
        let audit = try Self.run(["registry", "audit", "-w", "ws.sqlite"], in: dir).stdout
        #expect(audit.contains("add wang role department:fire") && audit.contains("disable wang") && !audit.contains(secret))
    }

    @Test func reportIndicatorsWritesOneSelfContainedFile() throws {
        let fixture = try ConsoleFixture()
        defer { fixture.directory.remove() }
        let result = try Self.run(["report", "indicators", "-w", "ws.sqlite", "--output", "ind.html", "--as-of", "2026-04-30"],
                                  in: fixture.directory.url)
        #expect(result.status == 0, "\(result.stderr)")
        let html = try String(contentsOf: fixture.directory.file("ind.html"), encoding: .utf8)
        StringsAndReportsTests.expectSelfContained(html)
        #expect(html.contains("lang=\"zh-CN\"") && html.contains("覆盖率"))
        // A bad output folder: a precise refusal, nothing written.
        let bad = try Self.run(["report", "indicators", "-w", "ws.sqlite", "--output", "no/such/dir/x.html"], in: fixture.directory.url)
        #expect(bad.status != 0 && bad.stderr.contains("no/such/dir/x.html"))
    }

    @Test func directTLSWithASelfSignedCertificate() async throws {
        let fixture = try ConsoleFixture()
        defer { fixture.directory.remove() }
        let cert = fixture.directory.file("cert.pem").path, key = fixture.directory.file("key.pem").path
        let made = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/openssl"), [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"])
        #expect(made.status == 0, "\(made.stderr)")
        let live = try await ServedConsole(workspace: "ws.sqlite", in: fixture.directory.url,
                                           ["--tls-cert", cert, "--tls-key", key], scheme: "https")
        let curl = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/curl"), [
            "-sS", "--cacert", cert, "-D", "-", "-o", "/dev/null", live.url("/login", scheme: "https")])
        await live.stop()
        #expect(curl.status == 0, "\(curl.stderr)")
        let headers = curl.stdout.lowercased()
        #expect(headers.hasPrefix("http/1.1 200"), "\(curl.stdout)")
        #expect(headers.contains("strict-transport-security: max-age=31536000"))
        let cookie = headers.split(separator: "\r\n").first { $0.hasPrefix("set-cookie: oc_pre=") } ?? ""
        #expect(cookie.contains("secure") && cookie.contains("httponly") && cookie.contains("samesite=strict"), "\(cookie)")
        // Plain HTTP to the TLS port is not served.
        let plain = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/curl"), ["-sS", "-m", "5", live.url("/")])
        #expect(plain.status != 0 || !plain.stdout.contains("<html"))
    }

    @Test func serveStartsOnLoopbackAndAnswers() async throws {
        let fixture = try ConsoleFixture()
        defer { fixture.directory.remove() }
        // ServedConsole refuses a first line other than "console: http://127.0.0.1:<port>…".
        let served = try await ServedConsole(workspace: "ws.sqlite", in: fixture.directory.url)
        let page = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/curl"), ["-sS", "-m", "10", served.url("/targets?period=2026Q1")])
        await served.stop()
        #expect(page.status == 0 && page.stdout.contains(fixture.codes[0].rawValue), "\(page.stderr)")
        // Refusals of the command line itself.
        let bad = try OneCheckBinary.run(["serve", "-w", "ws.sqlite", "--listen", "nowhere"], in: fixture.directory.url)
        #expect(bad.status != 0 && bad.stderr.contains("HOST:PORT"))
        let half = try OneCheckBinary.run(["serve", "-w", "ws.sqlite", "--tls-cert", "c.pem"], in: fixture.directory.url)
        #expect(half.status != 0 && half.stderr.contains("--tls-key"))
    }
}
