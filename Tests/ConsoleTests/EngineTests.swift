import Console
import Foundation
import Hummingbird
import HummingbirdTesting
import Registry
import Supervision
import Testing

/// The console on each storage engine (`onecheck serve --workspace postgres://…` as on a file): the main pages of
/// every role answer with the fixture's data through the console's router and middleware, also under concurrent
/// requests (the workspace's blocking calls run on the console's request pool: ``BlockingWorkMiddleware``), and a
/// write through a form is visible on the next page.
///
/// In process, not through a socket (`serveStartsOnLoopbackAndAnswers` runs the real server): the live test client
/// gives up after 20 s without a byte, and under the whole suite the test process's cooperative threads are at
/// times all held longer than that by tests waiting on child processes (in a clean-clone run, five tests ended at
/// the same instant after a 27 s hold, and this test's live client timed out then, as on CI).
@Suite("console on each engine", .serialized)
struct EngineTests {
    static let publicPages = ["/", "/items", "/plans", "/targets?period=2026Q1", "/results?period=2026Q1"]
    static let plannerPages = ["/planner", "/planner/model?period=2026Q1", "/planner/plans"]

    @Test(arguments: ConsoleEngine.enabled)
    func mainPagesAnswerOnEachEngine(engine: ConsoleEngine) async throws {
        let fixture = try ConsoleFixture(engine: engine)
        defer { fixture.directory.remove() }
        let console = try fixture.console()
        let app = Application(router: console.router().router)
        let code = fixture.codes[0].rawValue
        try await app.test(.router) { client in
            for path in Self.publicPages + ["/entity/\(code)"] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .ok, "\(engine) \(path)")
            }
            // The drawn entities on the target list; the published finding's entity page shows it, the unpublished
            // note nowhere.
            let targets = String(buffer: try await client.execute(uri: "/targets?period=2026Q1", method: .get).body)
            #expect(targets.contains(code), "\(engine): the drawn entity on the target list")
            #expect(!targets.contains(ConsoleFixture.secretNote))

            // Sessions opened in the store: logging in (bcrypt) is not what this test is about (SecurityTests).
            var planner = try Visitor.session("pat", in: fixture)
            for path in Self.plannerPages + ["/planner/entity/\(code)"] {
                let response = try await planner.get(client, path)
                #expect(response.status == .ok, "\(engine) \(path) (planner)")
            }
            let model = String(buffer: try await planner.get(client, "/planner/model?period=2026Q1&lang=en").body)
            #expect(model.contains("<svg"), "\(engine): the model page's charts")

            // Concurrent requests, four times the machine's cores: each answers.
            let concurrent = 4 * ProcessInfo.processInfo.activeProcessorCount
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for i in 0..<concurrent {
                    let path = Self.publicPages[i % Self.publicPages.count]
                    group.addTask { try await client.execute(uri: path, method: .get).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.count == concurrent && statuses.allSatisfy { $0 == .ok }, "\(engine): \(statuses)")

            // A write through a form (an admin disables an account: no password to hash), then the store has it
            // and the audit page lists it.
            var admin = try Visitor.session("ada", in: fixture)
            _ = try await admin.get(client, "/admin/users")
            let disabled = try await admin.post(client, "/admin/users/mo/disable", [])
            #expect(disabled.status == .seeOther || disabled.status == .ok, "\(engine): disable \(disabled.status)")
            #expect(try fixture.workspace.user(named: "mo")?.disabled == true, "\(engine): the change was stored")
            let audit = String(buffer: try await admin.get(client, "/admin/audit").body)
            #expect(audit.contains("disable mo"), "\(engine): the audit log shows the write")
        }
    }
}
