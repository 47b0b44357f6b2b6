import Console
import Foundation
import Hummingbird
import HummingbirdTesting
import Registry
import Supervision
import Testing

/// Every security point of the console, each tested: headers, cookies, CSRF, throttling, passwords, the audit
/// log, escaping, SQL from request text, static files, nothing unpublished in public, department isolation.
@Suite("console security", .serialized)
struct SecurityTests {
    let fixture: ConsoleFixture
    init() throws { fixture = try ConsoleFixture() }

    func withClient(_ console: Console? = nil, _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = Application(router: try (console ?? fixture.console()).router().router)
        try await app.test(.router) { client in try await body(client) }
    }

    @Test func securityHeadersOnPagesAndErrors() async throws {
        try await withClient { client in
            for path in ["/", "/targets", "/nowhere", "/planner", "/static/console.css"] {
                let response = try await client.execute(uri: path, method: .get)
                let csp = response.headers[.contentSecurityPolicy] ?? ""
                #expect(csp.contains("script-src 'none'") && csp.contains("frame-ancestors 'none'")
                        && csp.contains("style-src 'self'") && !csp.contains("unsafe-inline"), "\(path): \(csp)")
                #expect(response.headers[.xContentTypeOptions] == "nosniff", "\(path)")
                #expect(response.headers[SecurityHeadersMiddleware.referrerPolicy] == "same-origin", "\(path)")
                #expect(response.headers[.strictTransportSecurity] == nil, "no HSTS on plain HTTP")
            }
            // No inline script or style anywhere in a page.
            let page = String(buffer: try await client.execute(uri: "/", method: .get).body)
            #expect(!page.contains("<script") && !page.contains("style=") && !page.contains("<style"))
        }
    }

    @Test func sessionCookieFlagsAndServerSideSessions() async throws {
        try await withClient { client in
            var visitor = Visitor()
            _ = try await visitor.get(client, "/login")
            let response = try await visitor.post(client, "/login", [("name", "pat"), ("password", ConsoleFixture.password)])
            #expect(response.status == .seeOther && response.headers[.location] == "/planner")
            let cookie = response.headers[values: .setCookie].first { $0.hasPrefix("oc_session=") } ?? ""
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && !cookie.contains("Secure"), "\(cookie)")
            // The store keeps the token's digest, never the token.
            let token = visitor.cookies["oc_session"]!
            #expect(try fixture.workspace.activeSession(digest: SessionTokens.digest(token), now: "2026-04-30T00:00:00Z") != nil)
            #expect(try fixture.workspace.activeSession(digest: token, now: "2026-04-30T00:00:00Z") == nil)
            // A forged cookie is anonymous.
            var forged = Visitor(cookies: ["oc_session": String(repeating: "a", count: 64)])
            #expect(try await forged.get(client, "/planner").headers[.location]?.hasPrefix("/login") == true)
            // Logout ends the session server-side: the old cookie no longer works.
            _ = try await visitor.get(client, "/planner")
            #expect(try await visitor.post(client, "/logout", []).status == .seeOther)
            var replay = Visitor(cookies: ["oc_session": token])
            #expect(try await replay.get(client, "/planner").headers[.location]?.hasPrefix("/login") == true)
        }
    }

    @Test func csrfTokenCheckedOnEveryStateChange() async throws {
        try await withClient { client in
            var officer = try await Visitor.login(client, "mo").0
            let path = "/department/check/\(fixture.marketCheck(5))/finding"
            let form = [("item", "market.r.1"), ("outcome", "serious"), ("penalty", "1")]
            #expect(try await officer.post(client, path, form, csrf: false).status == .forbidden)
            #expect(try await officer.post(client, path, form + [("csrf", String(repeating: "0", count: 64))], csrf: false).status == .forbidden)
            #expect(try fixture.workspace.checkRecord(fixture.marketCheck(5))?.findings.isEmpty == true, "nothing written")
            #expect(try await officer.post(client, path, form).status == .seeOther)
            #expect(try fixture.workspace.checkRecord(fixture.marketCheck(5))?.findings.count == 1)
            // Login itself needs the pre-session token.
            var visitor = Visitor()
            _ = try await visitor.get(client, "/login")
            #expect(try await visitor.post(client, "/login", [("name", "pat"), ("password", ConsoleFixture.password)],
                                           csrf: false).status == .forbidden)
            // Every form of every page carries the token.
            for page in ["/department", "/department/check/\(fixture.marketCheck(5))"] {
                let html = String(buffer: try await officer.get(client, page).body)
                let forms = html.components(separatedBy: "method=\"post\"").count - 1
                let tokens = html.components(separatedBy: "name=\"csrf\" value=\"\(officer.csrf)\"").count - 1
                #expect(forms > 0 && forms == tokens, "\(page): \(forms) forms, \(tokens) tokens")
            }
        }
    }

    @Test func loginThrottledPerAccountAndPerAddress() async throws {
        let throttle = LoginThrottle(window: 900, maxPerAccount: 5, maxPerAddress: 8)
        try await withClient(try fixture.console(throttle: throttle)) { client in
            for _ in 0..<5 {
                #expect(try await Visitor.login(client, "pat", password: "wrong password!!").1.status == .unauthorized)
            }
            // The right password is not even checked now.
            #expect(try await Visitor.login(client, "pat").1.status == .tooManyRequests)
            // Another account from the same address: allowed until the address's limit.
            #expect(try await Visitor.login(client, "ada").1.status == .seeOther)
            for _ in 0..<3 { _ = try await Visitor.login(client, "mo", password: "wrong password!!") }
            #expect(try await Visitor.login(client, "fo").1.status == .tooManyRequests, "8 failures from one address")
        }
        // The window passes.
        let later = ConsoleFixture.now.addingTimeInterval(901)
        #expect(await throttle.allows(account: "pat", address: "", now: later))
    }

    @Test func passwordsAreBcryptHashes() throws {
        let account = try #require(try fixture.workspace.user(named: "pat"))
        #expect(account.passwordHash.hasPrefix("$2") && !account.passwordHash.contains(ConsoleFixture.password))
        #expect(throws: RegistryError.self) { try Passwords.hash("short") }
        // No table the export writes holds credentials.
        #expect(!RegistryTable.all.map(\.name).contains("users") && !RegistryTable.all.map(\.name).contains("sessions"))
    }

    @Test func everyWriteIsAuditedWithTheUser() async throws {
        try await withClient { client in
            var officer = try await Visitor.login(client, "mo").0
            _ = try await officer.post(client, "/department/check/\(fixture.marketCheck(6))/finding",
                                       [("item", "market.r.1"), ("outcome", "minor"), ("penalty", "100")])
            _ = try await officer.post(client, "/department/publish", [("period", "2026Q1"), ("day", "2026-02-27")])
            var admin = try await Visitor.login(client, "ada").0
            _ = try await admin.post(client, "/admin/users", [("name", "li"), ("role", "department:fire"),
                                                              ("password", "another long password")])
            _ = try await admin.post(client, "/admin/users/li/disable", [])
            let log = try fixture.workspace.auditLog()
            let mine = log.filter { !$0.user.isEmpty }.map { "\($0.user) \($0.action.rawValue) \($0.detail)" }
            #expect(mine.contains { $0.hasPrefix("mo findings 2026Q1-6-market/market.r.1=minor") }, "\(mine)")
            #expect(mine.contains { $0.hasPrefix("mo publish published=") }, "\(mine)")
            #expect(mine.contains { $0 == "ada user add li role department:fire" }, "\(mine)")
            #expect(mine.contains { $0 == "ada user disable li" }, "\(mine)")
            #expect(mine.contains { $0.hasPrefix("mo session login") })
            #expect(!log.contains { $0.detail.contains("another long password") })
        }
    }

    @Test func outputIsEscapedEverywhere() async throws {
        try await withClient { client in
            var planner = try await Visitor.login(client, "pat").0
            let code = fixture.codes[1].rawValue
            for path in ["/targets?period=2026Q1", "/targets?period=2026Q1&q=%3Cscript", "/entity/\(code)",
                         "/planner/entity/\(code)", "/targets?q=%3Cscript%3Ealert"] {
                let html = String(buffer: try await planner.get(client, path).body)
                #expect(!html.contains("<script"), "\(path) carries a raw <script")
                if path.contains("q=%3Cscript") || path.contains("entity") {
                    #expect(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"), "\(path)")
                }
            }
            // A chart's labels and title are escaped too.
            let chart = Chart(.bars, title: "<b>t</b>", labels: ["<i>"], series: [Chart.Series(name: "\"s\"", values: [1])]).html
            #expect(!chart.contains("<b>") && !chart.contains("<i>") && chart.contains("&lt;i&gt;") && chart.contains("&quot;s&quot;"))
        }
    }

    @Test func searchTextNeverBecomesSQL() throws {
        let count = { (q: String) in try fixture.workspace.checkPage(CheckPageQuery(period: ConsoleFixture.period, search: q, limit: 500)).count }
        let all = try fixture.workspace.checkPage(CheckPageQuery(period: ConsoleFixture.period, limit: 500)).count
        #expect(all == 15)
        #expect(try count("' OR 1=1 --") == 0)
        #expect(try count("%") == 0, "% matches itself, not everything")
        #expect(try count("_") == 0)
        #expect(try count("餐馆 3") == 1)
        #expect(try count(fixture.codes[2].rawValue.prefix(17).description) == 2, "market and fire checks of entity 2")
        #expect(try fixture.workspace.user(named: "pat' OR '1'='1") == nil)
    }

    @Test func staticFilesCannotEscapeTheirFolder() async throws {
        let folder = try TemporaryDirectoryForStatic()
        defer { folder.remove() }
        try await withClient(try fixture.console(staticDirectory: folder.staticURL)) { client in
            #expect(try await client.execute(uri: "/static/console.css", method: .get).status == .ok)
            for path in ["/static/../Package.swift", "/static/..%2f..%2fetc%2fpasswd", "/static/%2e%2e/secret.txt",
                         "/static/%2e%2e%2fsecret.txt", "/static/link.txt", "/static/.hidden", "/static/sub/x.css",
                         "/static/..", "/static/%2e%2e"] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .notFound, "\(path): \(response.status)")
                #expect(!String(buffer: response.body).contains("TOP SECRET"), "\(path)")
            }
        }
    }

    @Test func nothingUnpublishedOnPublicPages() async throws {
        try await withClient { client in
            var visitor = Visitor()
            let unpublished = fixture.marketCheck(3).rawValue
            for path in ["/", "/results?period=2026Q1", "/entity/\(fixture.codes[3].rawValue)", "/plans", "/items",
                         "/targets?period=2026Q1"] {
                let html = String(buffer: try await visitor.get(client, path).body)
                #expect(!html.contains(ConsoleFixture.secretNote), "\(path)")
                if !path.hasPrefix("/targets") { #expect(!html.contains(unpublished), "\(path) shows \(unpublished)") }
            }
            let results = String(buffer: try await visitor.get(client, "/results?period=2026Q1").body)
            for i in 0..<3 { #expect(results.contains(fixture.codes[i].rawValue)) }
            #expect(!results.contains(fixture.codes[3].rawValue))
        }
    }

    @Test func officersTouchOnlyTheirDepartmentsChecks() async throws {
        try await withClient { client in
            var officer = try await Visitor.login(client, "mo").0
            let fire = fixture.fireCheck(4)
            #expect(try await officer.get(client, "/department/check/\(fire)").status == .notFound)
            let response = try await officer.post(client, "/department/check/\(fire)/finding",
                                                   [("item", "fire.r.1"), ("outcome", "serious"), ("penalty", "0")])
            #expect(response.status == .unprocessableContent)
            #expect(String(buffer: response.body).contains("not a check of market"))
            // A CSV upload touching a fire check is refused whole, naming the line.
            let csv = "check_id,item,outcome\n\(fixture.marketCheck(7)),market.r.1,compliant\n\(fire),fire.r.1,serious\n"
            let boundary = "XyZ"
            let body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(officer.csrf)\r\n"
                + "--\(boundary)\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nfindings\r\n"
                + "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.csv\"\r\nContent-Type: text/csv\r\n\r\n\(csv)\r\n"
                + "--\(boundary)--\r\n"
            var headers = officer.headers
            headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
            let upload = try await client.execute(uri: "/department/upload", method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect(upload.status == .unprocessableContent)
            #expect(String(buffer: upload.body).contains("findings.csv:3:1 (column &quot;check_id&quot;)"),
                    "\(String(buffer: upload.body).suffix(400))")
            #expect(try fixture.workspace.checkRecord(fixture.marketCheck(7))?.findings.isEmpty == true)
            #expect(try fixture.workspace.checkRecord(fire)?.findings.isEmpty == true)
            // The same file without the fire row is accepted.
            let good = body.replacingOccurrences(of: "\(fire),fire.r.1,serious\n", with: "")
            let accepted = try await client.execute(uri: "/department/upload", method: .post, headers: headers, body: ByteBuffer(string: good))
            #expect(accepted.status == .seeOther)
            #expect(try fixture.workspace.checkRecord(fixture.marketCheck(7))?.findings.count == 1)
            // The officer's list holds only market checks.
            let list = String(buffer: try await officer.get(client, "/department?period=2026Q1").body)
            #expect(list.contains(fixture.marketCheck(0).rawValue) && !list.contains("-fire"))
        }
    }

    @Test func loginRedirectStaysLocal() {
        #expect(LocalRedirect.path("//evil.example/x") == "/")
        #expect(LocalRedirect.path("https://evil.example") == "/")
        #expect(LocalRedirect.path("/\\evil") == "/")
        #expect(LocalRedirect.path("/planner/model") == "/planner/model")
    }
}

/// A static folder with a stylesheet, a secret beside it, a symlink to the secret inside it, a hidden file and a
/// sub-folder.
struct TemporaryDirectoryForStatic {
    let root: URL
    var staticURL: URL { root.appendingPathComponent("static") }

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("static-\(UUID().uuidString)")
        let fm = FileManager.default
        try fm.createDirectory(at: staticURL.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try "body{}".write(to: staticURL.appendingPathComponent("console.css"), atomically: true, encoding: .utf8)
        try "x{}".write(to: staticURL.appendingPathComponent("sub/x.css"), atomically: true, encoding: .utf8)
        try "TOP SECRET".write(to: root.appendingPathComponent("secret.txt"), atomically: true, encoding: .utf8)
        try "TOP SECRET".write(to: staticURL.appendingPathComponent(".hidden"), atomically: true, encoding: .utf8)
        try fm.createSymbolicLink(atPath: staticURL.appendingPathComponent("link.txt").path,
                                  withDestinationPath: root.appendingPathComponent("secret.txt").path)
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}
