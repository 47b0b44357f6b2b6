import Foundation
import Hummingbird
import NIOPosix
import Registry

/// The admin's pages: accounts and roles, the audit log (paged, newest first).
struct AdminRoutes {
    let console: Console

    func register(_ table: inout RouteTable) {
        table.add(.get, "/admin/users", access: .admin, users)
        table.add(.post, "/admin/users", access: .admin, addUser)
        table.add(.post, "/admin/users/{name}/disable", access: .admin) { request, context in
            try setDisabled(request, context, true)
        }
        table.add(.post, "/admin/users/{name}/enable", access: .admin) { request, context in
            try setDisabled(request, context, false)
        }
        table.add(.get, "/admin/audit", access: .admin, audit)
    }

    @Sendable func users(_ request: Request, _ context: ConsoleContext) throws -> Response {
        let csrf = context.session?.csrfToken ?? ""
        let rows = try console.workspace.users().map { user -> [String: Any] in
            ["name": user.name, "role": user.role.description, "disabled": user.disabled ? "✓" : "", "csrf": csrf,
             "toggle": user.disabled ? "enable" : "disable",
             "toggleLabel": Strings.text(user.disabled ? "admin_enable" : "admin_disable", context.language)]
        }
        return console.renderer.page("users", title: Strings.text("nav_users", context.language),
                                     ["users": rows, "csrf": csrf], request: request, context: context,
                                     notice: request.uri.queryParameters["saved"] != nil ? Strings.text("dept_saved", context.language) : nil)
    }

    @Sendable func addUser(_ request: Request, _ context: ConsoleContext) async throws -> Response {
        let form = context.form
        guard let role = UserRole(form["role"] ?? "") else {
            return console.refusal(RegistryError.invalidArgument(name: "role", value: String((form["role"] ?? "").prefix(80)),
                                                                 expected: UserRole.expectedForm), request: request, context: context)
        }
        let password = form["password"] ?? ""
        do {
            let hash = try await NIOThreadPool.singleton.runIfActive { try Passwords.hash(password) }
            try console.workspace.addUser(name: form["name"] ?? "", role: role, passwordHash: hash, by: context.user!.name,
                                          at: Workspace.timestamp(console.clock.now()))
        } catch { return console.refusal(error, request: request, context: context) }
        return Response.redirect(to: "/admin/users?saved=1", type: .normal)
    }

    func setDisabled(_ request: Request, _ context: ConsoleContext, _ disabled: Bool) throws -> Response {
        let name = try context.parameters.require("name")
        do {
            try console.workspace.setUserDisabled(name, disabled: disabled, by: context.user!.name,
                                                  at: Workspace.timestamp(console.clock.now()))
        } catch { return console.refusal(error, request: request, context: context) }
        return Response.redirect(to: "/admin/users?saved=1", type: .normal)
    }

    @Sendable func audit(_ request: Request, _ context: ConsoleContext) throws -> Response {
        let before = request.uri.queryParameters["before"].flatMap { Int64(String($0)) }
        let limit = 100
        let rows = try console.workspace.auditPage(before: before, limit: limit)
        let data: [String: Any] = [
            "rows": rows.map { ["seq": $0.seq ?? 0, "at": $0.at, "user": $0.user, "action": $0.action.rawValue,
                                "scenario": $0.scenario, "period": $0.period, "detail": $0.detail] },
            "nextHref": rows.count == limit ? "/admin/audit?before=\(rows.last!.seq ?? 0)" : "",
        ]
        return console.renderer.page("audit", title: Strings.text("nav_audit", context.language), data,
                                     request: request, context: context)
    }
}

/// The static files (the stylesheet), from the table read at start (``StaticFiles``).
struct StaticRoutes {
    let console: Console

    func register(_ table: inout RouteTable) {
        table.add(.get, "/static/{file}", access: .everyone) { _, context in
            let name = try context.parameters.require("file")
            guard let file = console.staticFiles.files[name] else { throw HTTPError(.notFound) }
            return Response(status: .ok, headers: [.contentType: file.contentType, .cacheControl: "public, max-age=3600"],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: file.bytes)))
        }
    }
}
