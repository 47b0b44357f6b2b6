import Hummingbird
import Registry

/// Who a console user is, as access rules name them.
public enum RoleKind: String, Sendable, CaseIterable, Hashable {
    case planner, admin, department

    public init(_ role: UserRole) {
        switch role {
        case .planner: self = .planner
        case .admin: self = .admin
        case .department: self = .department
        }
    }
}

/// Who may use a route. Every route is registered with one (``RouteTable/add(_:_:access:_:)``): there is no
/// other way to add a route, so none exists without a rule.
public enum AccessRule: Sendable, Hashable, CustomStringConvertible {
    /// Anyone, logged in or not: the public pages, the login form, static files.
    case everyone
    /// Logged-in users of these roles only.
    case roles(Set<RoleKind>)

    public static let planner = AccessRule.roles([.planner])
    public static let admin = AccessRule.roles([.admin])
    public static let department = AccessRule.roles([.department])
    public static let anyUser = AccessRule.roles(Set(RoleKind.allCases))

    /// Whether a request by `user` (nil: not logged in) may use the route.
    public func allows(_ user: UserAccount?) -> Bool {
        switch self {
        case .everyone: return true
        case let .roles(kinds):
            guard let user, !user.disabled else { return false }
            return kinds.contains(RoleKind(user.role))
        }
    }

    public var description: String {
        switch self {
        case .everyone: return "everyone"
        case let .roles(kinds): return kinds.map(\.rawValue).sorted().joined(separator: "|")
        }
    }
}

/// One registered route, as the route table lists it.
public struct RouteEntry: Sendable, Hashable {
    public var method: HTTPRequest.Method
    public var path: String
    public var access: AccessRule
    /// The route group that registered it (public, auth, planner, department, admin, static).
    public var group: String
}

/// The only way to add a route to the console's router: each route with its access rule, which the table checks
/// before the handler runs (303 to the login page for a visitor, 403 for a user of another role). The table also
/// lists every route for the tests that walk it.
public struct RouteTable {
    public private(set) var entries: [RouteEntry] = []
    let router: Router<ConsoleContext>
    var group = ""

    init(router: Router<ConsoleContext>) { self.router = router }

    /// Registers `handler` for `method path`, allowed by `access` only.
    public mutating func add(_ method: HTTPRequest.Method, _ path: String, access: AccessRule,
                             _ handler: @escaping @Sendable (Request, ConsoleContext) async throws -> Response) {
        entries.append(RouteEntry(method: method, path: path, access: access, group: group))
        router.on(RouterPath(path), method: method) { request, context -> Response in
            guard access.allows(context.user) else {
                if context.user == nil {
                    if method == .get || method == .head {
                        return Response.redirect(to: "/login?next=" + Self.nextParameter(request), type: .normal)
                    }
                    throw HTTPError(.unauthorized, message: "log in first")
                }
                throw HTTPError(.forbidden, message: "your role may not use this page")
            }
            return try await handler(request, context)
        }
    }

    /// The path being asked for, percent-encoded, for the login page's `next` (a local path only).
    static func nextParameter(_ request: Request) -> String {
        let path = request.uri.path
        guard path.hasPrefix("/"), !path.hasPrefix("//") else { return "%2F" }
        return path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "%2F"
    }
}
