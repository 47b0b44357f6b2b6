import Console
import Foundation
import Hummingbird
import HummingbirdTesting
import Registry
import Supervision
import Testing

/// The console on each storage engine (`onecheck serve --workspace postgres://…` as on a file): the main pages of
/// every role answer with the fixture's data through a live server, also under concurrent requests (the
/// workspace's blocking calls run on the console's request pool: ``BlockingWorkMiddleware``), and a write through a form
/// is visible on the next page.
@Suite("console on each engine", .serialized)
struct EngineTests {
    static let publicPages = ["/", "/items", "/plans", "/targets?period=2026Q1", "/results?period=2026Q1"]
    static let plannerPages = ["/planner", "/planner/model?period=2026Q1", "/planner/plans"]

    @Test(arguments: ConsoleEngine.enabled)
    func mainPagesAnswerOnEachEngine(engine: ConsoleEngine) async throws {
        let fixture = try ConsoleFixture(engine: engine)
        defer { fixture.directory.remove() }
        let console = try fixture.console()
        let app = Application(router: console.router().router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        let code = fixture.codes[0].rawValue
        try await app.test(.live) { client in
            for path in Self.publicPages + ["/entity/\(code)"] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .ok, "\(engine) \(path)")
            }
            // The drawn entities on the target list; the published finding's entity page shows it, the unpublished
            // note nowhere.
            let targets = String(buffer: try await client.execute(uri: "/targets?period=2026Q1", method: .get).body)
            #expect(targets.contains(code), "\(engine): the drawn entity on the target list")
            #expect(!targets.contains(ConsoleFixture.secretNote))

            var planner = try await Visitor.login(client, "pat").0
            for path in Self.plannerPages + ["/planner/entity/\(code)"] {
                let response = try await planner.get(client, path)
                #expect(response.status == .ok, "\(engine) \(path) (planner)")
            }
            let model = String(buffer: try await planner.get(client, "/planner/model?period=2026Q1&lang=en").body)
            #expect(model.contains("<svg"), "\(engine): the model page's charts")

            // Concurrent requests, four times the machine's cores: each answers. (The request pool is the console's
            // own: on NIO's singleton, shared with every bcrypt check of the other console tests in this process,
            // a request waited behind them past the live client's fixed 20 s read timeout.)
            let concurrent = 4 * ProcessInfo.processInfo.activeProcessorCount
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for i in 0..<concurrent {
                    let path = Self.publicPages[i % Self.publicPages.count]
                    group.addTask { try await client.execute(uri: path, method: .get).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.count == concurrent && statuses.allSatisfy { $0 == .ok }, "\(engine): \(statuses)")

            // A write through a form (an admin adds an account), then the audit page lists it.
            var admin = try await Visitor.login(client, "ada").0
            _ = try await admin.get(client, "/admin/users")
            let added = try await admin.post(client, "/admin/users", [("name", "lin"), ("role", "planner"),
                                                                      ("password", "another long password 42")])
            #expect(added.status == .seeOther || added.status == .ok, "\(engine): add user \(added.status)")
            #expect(try fixture.workspace.user(named: "lin") != nil, "\(engine): the account was stored")
            let audit = String(buffer: try await admin.get(client, "/admin/audit").body)
            #expect(audit.contains("lin"), "\(engine): the audit log shows the write")
        }
    }
}
