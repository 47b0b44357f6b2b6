import Console
import Foundation
import Hummingbird
import HummingbirdTesting
import Registry
import Testing

/// The route table: every route has an access rule, and each role × each route is allowed or refused as its
/// rule says (HummingbirdTesting on the router).
@Suite("console routes and access", .serialized)
struct RouteAccessTests {
    /// The route groups and the rule each must use.
    static let expectedRules: [String: Set<AccessRule>] = [
        "public": [.everyone], "auth": [.everyone, .anyUser], "static": [.everyone],
        "planner": [.planner], "department": [.department], "admin": [.admin],
    ]

    @Test func everyRouteDeclaresARuleOfItsGroup() throws {
        let fixture = try ConsoleFixture()
        defer { fixture.directory.remove() }
        let routes = try fixture.console().router().routes
        #expect(routes.count >= 30, "\(routes.count) routes")
        #expect(Set(routes.map(\.group)) == Set(Self.expectedRules.keys))
        for route in routes {
            #expect(Self.expectedRules[route.group]?.contains(route.access) == true,
                    "\(route.method) \(route.path) in \(route.group) has rule \(route.access)")
        }
        // No path is registered twice for a method (a second registration would shadow the first's rule).
        let keys = routes.map { "\($0.method) \($0.path)" }
        #expect(Set(keys).count == keys.count)
        // Every state-changing route needs a login, but the login form itself.
        for route in routes where route.method != .get && route.path != "/login" {
            #expect(route.access != .everyone, "\(route.method) \(route.path) is open to visitors")
        }
    }

    /// A concrete URL for a route pattern, with parameters the market officer owns.
    static func concrete(_ path: String, fixture: ConsoleFixture) -> String {
        path.replacingOccurrences(of: "{code}", with: fixture.codes[2].rawValue)
            .replacingOccurrences(of: "{id}", with: fixture.marketCheck(4).rawValue)
            .replacingOccurrences(of: "{name}", with: path.hasPrefix("/admin") ? "fo" : "none")
            .replacingOccurrences(of: "{file}", with: "console.css")
    }

    /// Form fields that make each state-changing route's request valid enough to reach its handler.
    static func form(_ path: String, fixture: ConsoleFixture) -> [(String, String)] {
        switch path {
        case "/login": return [("name", "nobody"), ("password", "wrong password 123")]
        case "/department/check/{id}/finding": return [("item", "market.r.2"), ("outcome", "compliant"), ("penalty", "0")]
        case "/department/check/{id}/disposal": return [("item", "market.r.1"), ("action", "rectify"), ("opened_on", "2026-01-20")]
        case "/department/publish": return [("period", "2026Q1"), ("day", "2026-03-01")]
        case "/admin/users": return [("name", "new-\(UUID().uuidString.prefix(6))"), ("role", "planner"), ("password", "short")]
        default: return []
        }
    }

    @Test func accessMatrix() async throws {
        let fixture = try ConsoleFixture()
        defer { fixture.directory.remove() }
        let console = try fixture.console()
        let (router, routes) = console.router()
        let app = Application(router: router)
        try await app.test(.router) { client in
            var people: [(String, Visitor, RoleKind?)] = []
            var visitor = Visitor()
            _ = try await visitor.get(client, "/login")  // the pre-session CSRF token
            people.append(("visitor", visitor, nil))
            for (name, kind) in [("pat", RoleKind.planner), ("ada", .admin), ("mo", .department)] {
                let (person, response) = try await Visitor.login(client, name)
                #expect(response.status == .seeOther, "login \(name): \(response.status)")
                people.append((name, person, kind))
            }
            var checked = 0
            for route in routes where !(route.path == "/logout") {
                for (name, person, kind) in people {
                    var person = person
                    let path = Self.concrete(route.path, fixture: fixture)
                    let response = route.method == .get
                        ? try await person.get(client, path)
                        : try await person.post(client, path, Self.form(route.path, fixture: fixture))
                    let location = response.headers[.location] ?? ""
                    // 401 from the login form itself is a wrong password, not a refusal of the route.
                    let refused = response.status == .forbidden
                        || (response.status == .unauthorized && route.path != "/login") || location.hasPrefix("/login")
                    let allowed: Bool
                    switch route.access {
                    case .everyone: allowed = true
                    case let .roles(kinds): allowed = kind.map { kinds.contains($0) } ?? false
                    }
                    #expect(refused == !allowed, "\(name) \(route.method) \(path): \(response.status) \(location)")
                    if !allowed && kind == nil && route.method == .get { #expect(response.status == .seeOther) }
                    if !allowed && kind != nil { #expect(response.status == .forbidden) }
                    checked += 1
                }
            }
            #expect(checked >= 4 * 30)
        }
    }

    @Test func routesOutsideTheTableAreNotFound() async throws {
        let fixture = try ConsoleFixture()
        defer { fixture.directory.remove() }
        let app = Application(router: try fixture.console().router().router)
        try await app.test(.router) { client in
            for path in ["/planner/secret", "/admin", "/department/check", "/export", "/static"] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .notFound, "\(path): \(response.status)")
            }
        }
    }
}
