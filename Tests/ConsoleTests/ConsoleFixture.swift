import Console
import Foundation
import Hummingbird
import HummingbirdTesting
import Registry
import Supervision
import Testing
import TestSupport

/// A small workspace for the console's tests: two departments (market, fire) in one restaurant scenario, 24
/// entities (one named like a script), a drawn 2026Q1 plan (market checks of entities 0–9, fire checks of the
/// even ones), findings of market checks 0–3 of which 0–2 are published and 3 is not, department grades, and one
/// account per role.
struct ConsoleFixture: Sendable {
    static let password = "correct horse battery staple"
    /// One bcrypt hash for every account (hashing costs a quarter second each).
    static let passwordHash = try! Passwords.hash(password)
    static let scriptName = "<script>alert(\"x\")</script> Ltd."
    static let secretNote = "SECRET-UNPUBLISHED-NOTE"
    static let period = Period("2026Q1")!
    /// The console's clock in the fixture (2026-04-29T22:00:00Z, the evening before its `today`).
    static let now = Date(timeIntervalSince1970: 1_777_500_000)

    let directory: FixtureDirectory
    let workspace: Workspace
    /// Where the workspace is: the file `ws.sqlite` in ``directory``, or a PostgreSQL database's URL.
    let location: String
    let codes: [CreditCode]

    static func code(_ i: Int) -> CreditCode {
        let prefix = "91310101" + String(format: "%09d", 100_000 + i * 7919)
        return try! CreditCode(validating: prefix + String(CreditCode.checkCharacter(forPrefix: prefix)!))
    }

    func marketCheck(_ i: Int) -> CheckID { CheckID("2026Q1-\(i)-market") }
    func fireCheck(_ i: Int) -> CheckID { CheckID("2026Q1-\(i)-fire") }

    init(engine: ConsoleEngine = .sqlite) throws {
        directory = try FixtureDirectory()
        codes = (0..<24).map(Self.code)
        let folder = directory
        func write(_ rows: [[String]], _ name: String) throws {
            let text = rows.map { $0.map { f in f.contains(",") || f.contains("\"") ? "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : f }
                .joined(separator: ",") }.joined(separator: "\n") + "\n"
            try text.write(to: folder.file(name), atomically: true, encoding: .utf8)
        }
        try write([["code", "name"], ["market", "市场监管"], ["fire", "消防救援"]], "departments.csv")
        try write([["code", "name", "lead_department"], ["restaurant", "餐饮", "market"]], "scenarios.csv")
        try write([["code", "department", "scenario", "name", "element", "measure", "legal_basis"],
                   ["market.r.1", "market", "restaurant", "从业人员健康证明", "people", "on_site", "食品安全法第四十五条"],
                   ["market.r.2", "market", "restaurant", "Cold storage", "equipment", "on_site", ""],
                   ["fire.r.1", "fire", "restaurant", "灭火器", "equipment", "on_site", ""]], "items.csv")
        var rows = [["credit_code", "name", "scenario", "district", "legal_representative", "credit_grade", "departments"]]
        for (i, code) in codes.enumerated() {
            rows.append([code.rawValue, i == 1 ? Self.scriptName : "餐馆 \(i) 有限公司", "restaurant", "310101", "某人",
                         ["A", "B", "C", "D"][i % 4], i % 2 == 0 ? "market;fire" : "market"])
        }
        try write(rows, "entities.csv")
        location = try engine.newLocation(directory)
        workspace = try Workspace.create(at: location)
        for kind in [ImportKind.departments, .scenarios, .items, .entities] {
            try workspace.importCSV(kind, from: directory.file("\(kind.rawValue).csv"),
                                    options: ImportOptions(auditTime: "2026-01-01T00:00:00Z"))
        }
        let plan = ScenarioPlan(id: PlanID("2026Q1-restaurant"), scenario: "restaurant", period: Self.period, seed: "public seed 1")
        var checks: [Check] = []
        for i in 0..<10 {
            let day = CalendarDate(year: 2026, month: 1, day: 5 + i)!
            checks.append(Check(id: marketCheck(i), plan: plan.id, entity: codes[i], department: "market",
                                inclusionProbability: 0.25, checkedOn: day, inspectors: [InspectorID("m-\(i % 3)")]))
            if i % 2 == 0 {
                checks.append(Check(id: fireCheck(i), plan: plan.id, entity: codes[i], department: "fire",
                                    inclusionProbability: 0.5, checkedOn: day, inspectors: [InspectorID("f-\(i % 2)")]))
            }
        }
        try workspace.recordDraw(plan, checks: checks, at: "2026-01-02T00:00:00Z")
        try workspace.recordFindings((0..<3).map {
            Finding(checkId: marketCheck($0), item: "market.r.1", outcome: $0 == 1 ? .minor : .compliant, penalty: $0 == 1 ? 500 : 0)
        })
        try workspace.publish(on: CalendarDate(year: 2026, month: 1, day: 20)!, to: directory.file("disclosure.csv"),
                              at: "2026-01-20T00:00:00Z")
        try workspace.recordFindings([Finding(checkId: marketCheck(3), item: "market.r.1", outcome: .serious, penalty: 9000,
                                              note: Self.secretNote)])
        try workspace.store.write { tx in
            try tx.insertDepartmentGrades(codes.enumerated().flatMap { i, code in
                ["market", "fire"].map { d in
                    let p = Double((i * 37) % 100) / 100
                    let grade = Grade(label: ["A", "B", "C", "D"][min(3, Int(p * 4))])!
                    return DepartmentGrade(period: Self.period, department: DepartmentCode(d), entity: code, probability: p,
                                           scoredGrade: grade, grade: grade)
                }
            })
        }
        for (name, role) in [("pat", UserRole.planner), ("ada", .admin), ("mo", .department("market")), ("fo", .department("fire"))] {
            try workspace.addUser(name: name, role: role, passwordHash: Self.passwordHash, at: "2026-01-01T00:00:00Z")
        }
    }

    /// A console on the fixture (today 2026-04-30, a fixed clock).
    func console(throttle: LoginThrottle = LoginThrottle(), staticDirectory: URL? = nil, plans: String? = nil) throws -> Console {
        try Console(configuration: ConsoleConfiguration(workspacePath: location, port: 0,
                                                        plansDirectory: plans, staticDirectory: staticDirectory,
                                                        today: CalendarDate(year: 2026, month: 4, day: 30)),
                    workspace: workspace, clock: ConsoleClock(now: { ConsoleFixture.now }),
                    throttle: throttle)
    }
}

/// The engine a console test's workspace is stored in. PostgreSQL runs in the server `ONECHECK_TEST_POSTGRES_URL`
/// names (`make test` starts a private one: scripts/postgres-cluster.sh), each workspace a new database; without
/// the variable its cases are left out, and fail under `CI`.
enum ConsoleEngine: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres
    static let variable = "ONECHECK_TEST_POSTGRES_URL"

    var testDescription: String { rawValue }

    /// SQLite, and PostgreSQL where a server is named or under CI.
    static var enabled: [ConsoleEngine] {
        let env = ProcessInfo.processInfo.environment
        return !(env[variable] ?? "").isEmpty || env["CI"] != nil ? [.sqlite, .postgres] : [.sqlite]
    }

    /// A new workspace location: `ws.sqlite` in `directory`, or a new database in the test server.
    func newLocation(_ directory: FixtureDirectory) throws -> String {
        switch self {
        case .sqlite: return directory.file("ws.sqlite").path
        case .postgres:
            guard let server = ProcessInfo.processInfo.environment[Self.variable], !server.isEmpty else {
                throw FixtureError("\(Self.variable) is not set: run the suite through `make test`, which starts a private PostgreSQL")
            }
            let database = "onecheck_c_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            let created = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/psql"),
                                                [server, "-v", "ON_ERROR_STOP=1", "-qc", "CREATE DATABASE \(database)"])
            guard created.status == 0 else { throw FixtureError("psql: \(created.stderr)") }
            guard var components = URLComponents(string: server) else { throw FixtureError("\(Self.variable): not a URL") }
            components.path = "/" + database
            guard let url = components.string else { throw FixtureError("\(Self.variable): not a URL") }
            return url
        }
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A logged-in (or anonymous) client's cookies and CSRF token.
struct Visitor {
    var cookies: [String: String] = [:]
    var csrf = ""

    var cookieHeader: String { cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ") }

    var headers: HTTPFields {
        var fields = HTTPFields()
        if !cookies.isEmpty { fields[.cookie] = cookieHeader }
        return fields
    }

    mutating func absorb(_ response: TestResponse) {
        for value in response.headers[values: .setCookie] {
            let pair = value.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            if pair[1].isEmpty { cookies[String(pair[0])] = nil } else { cookies[String(pair[0])] = String(pair[1]) }
        }
    }

    /// `GET path`.
    mutating func get(_ client: some TestClientProtocol, _ path: String) async throws -> TestResponse {
        let response = try await client.execute(uri: path, method: .get, headers: headers)
        absorb(response)
        // A logged-in user keeps the session's token (the login form shows a pre-session one).
        if cookies["oc_session"] == nil || !path.hasPrefix("/login"),
           let token = Self.csrfToken(in: String(buffer: response.body)) { csrf = token }
        return response
    }

    /// `POST path` with an urlencoded form (the CSRF token added unless `csrf` is false).
    mutating func post(_ client: some TestClientProtocol, _ path: String, _ fields: [(String, String)],
                       csrf withToken: Bool = true) async throws -> TestResponse {
        var all = fields
        if withToken { all.append(("csrf", csrf)) }
        let body = all.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        var fields = headers
        fields[.contentType] = "application/x-www-form-urlencoded"
        let response = try await client.execute(uri: path, method: .post, headers: fields, body: ByteBuffer(string: body))
        absorb(response)
        return response
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    /// The first `name="csrf" value="…"` of a page.
    static func csrfToken(in html: String) -> String? {
        guard let range = html.range(of: "name=\"csrf\" value=\"") else { return nil }
        let rest = html[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    /// A visitor holding a session of `name` opened directly in `fixture`'s workspace, as a login would open it
    /// (at the fixture's clock, for 8 hours), without the password check: for tests about something else than
    /// logging in that run beside the whole suite's bcrypt checks (cost 12, several at once) and need not wait
    /// behind them. 8 hours is the console's session length (`AuthRoutes.sessionSeconds`, not visible here).
    static func session(_ name: String, in fixture: ConsoleFixture) throws -> Visitor {
        let token = SessionTokens.make(), csrf = SessionTokens.make()
        let now = ConsoleFixture.now
        try fixture.workspace.openSession(StoredSession(tokenDigest: SessionTokens.digest(token), user: name, csrfToken: csrf,
                                                        createdAt: Workspace.timestamp(now),
                                                        expiresAt: Workspace.timestamp(now.addingTimeInterval(8 * 3600))),
                                          address: "127.0.0.1")
        var visitor = Visitor()
        visitor.cookies["oc_session"] = token
        visitor.csrf = csrf
        return visitor
    }

    /// Logs in as `name` and returns the visitor with the session cookie and CSRF token.
    static func login(_ client: some TestClientProtocol, _ name: String,
                      password: String = ConsoleFixture.password) async throws -> (Visitor, TestResponse) {
        var visitor = Visitor()
        _ = try await visitor.get(client, "/login")
        let response = try await visitor.post(client, "/login", [("name", name), ("password", password), ("next", "/")])
        if response.status == .seeOther, let home = response.headers[.location] {
            _ = try await visitor.get(client, home)
        }
        return (visitor, response)
    }
}

/// A fresh temporary folder (Sendable, unlike TestSupport's).
struct FixtureDirectory: Sendable {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("console-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func file(_ name: String) -> URL { url.appendingPathComponent(name) }
    func remove() { try? FileManager.default.removeItem(at: url) }
}
