import Foundation
import Hummingbird
import HummingbirdBcrypt
import NIOPosix
import Registry

/// Logging in and out. Passwords are checked against the bcrypt hash off the request threads; failures are
/// throttled per account and per address; the session cookie is HttpOnly, SameSite=Strict, and Secure under TLS.
struct AuthRoutes {
    let console: Console
    /// Sessions last 8 hours (a working day).
    static let sessionSeconds: TimeInterval = 8 * 3600

    func register(_ table: inout RouteTable) {
        table.add(.get, "/login", access: .everyone, loginForm)
        table.add(.post, "/login", access: .everyone, login)
        table.add(.post, "/logout", access: .anyUser, logout)
    }

    /// The login form with a fresh pre-session CSRF token (double-submit cookie).
    func form(_ request: Request, _ context: ConsoleContext, error: String?, status: HTTPResponse.Status = .ok) -> Response {
        let token = SessionTokens.make()
        let next = request.uri.queryParameters["next"].map(String.init) ?? context.form["next"] ?? "/"
        var data: [String: Any] = ["preToken": token, "next": Self.localPath(next)]
        if let error { data["error"] = error }
        var response = console.renderer.page("login", title: Strings.text("login_title", context.language), data,
                                             request: request, context: context, status: status)
        response.setCookie(Cookie(name: CSRFMiddleware.preSessionCookie, value: token, maxAge: 3600, path: "/",
                                  secure: console.usesTLS, httpOnly: true, sameSite: .strict))
        return response
    }

    @Sendable func loginForm(_ request: Request, _ context: ConsoleContext) -> Response {
        form(request, context, error: nil)
    }

    @Sendable func login(_ request: Request, _ context: ConsoleContext) async throws -> Response {
        let name = String((context.form["name"] ?? "").prefix(64))
        let password = context.form["password"] ?? ""
        let now = console.clock.now()
        guard await console.throttle.allows(account: name, address: context.remoteAddress, now: now) else {
            return form(request, context, error: Strings.text("login_throttled", context.language), status: .tooManyRequests)
        }
        let account = try console.workspace.user(named: name)
        // A missing account is checked against a fixed hash, so the answer takes as long as for a wrong password.
        let hash = account?.passwordHash ?? Self.decoyHash
        let matches = try await NIOThreadPool.singleton.runIfActive {
            password.utf8.count <= 200 && Bcrypt.verify(password, hash: hash)
        }
        guard let account, matches, !account.disabled else {
            await console.throttle.recordFailure(account: name, address: context.remoteAddress, now: now)
            return form(request, context, error: Strings.text("login_failed", context.language), status: .unauthorized)
        }
        await console.throttle.recordSuccess(account: name)
        let token = SessionTokens.make()
        let session = StoredSession(tokenDigest: SessionTokens.digest(token), user: account.name,
                                    csrfToken: SessionTokens.make(), createdAt: Workspace.timestamp(now),
                                    expiresAt: Workspace.timestamp(now.addingTimeInterval(Self.sessionSeconds)))
        try console.workspace.openSession(session, address: context.remoteAddress)
        let next = Self.localPath(context.form["next"] ?? "/")
        var response = Response.redirect(to: next == "/" ? Self.home(of: account.role) : next, type: .normal)
        response.setCookie(Cookie(name: SessionMiddleware.sessionCookie, value: token, maxAge: Int(Self.sessionSeconds),
                                  path: "/", secure: console.usesTLS, httpOnly: true, sameSite: .strict))
        response.setCookie(Cookie(name: CSRFMiddleware.preSessionCookie, value: "", maxAge: 0, path: "/",
                                  secure: console.usesTLS, httpOnly: true, sameSite: .strict))
        return response
    }

    @Sendable func logout(_ request: Request, _ context: ConsoleContext) throws -> Response {
        if let session = context.session, let user = context.user {
            try console.workspace.closeSession(digest: session.tokenDigest, user: user.name,
                                               at: Workspace.timestamp(console.clock.now()))
        }
        var response = Response.redirect(to: "/", type: .normal)
        response.setCookie(Cookie(name: SessionMiddleware.sessionCookie, value: "", maxAge: 0, path: "/",
                                  secure: console.usesTLS, httpOnly: true, sameSite: .strict))
        return response
    }

    static func localPath(_ text: String) -> String { LocalRedirect.path(text) }

    static func home(of role: UserRole) -> String {
        switch role {
        case .planner: return "/planner"
        case .admin: return "/admin/users"
        case .department: return "/department"
        }
    }

    /// A bcrypt hash of a random password, made once: checking a missing account costs what checking a real one
    /// does.
    static let decoyHash = Bcrypt.hash(SessionTokens.make(), cost: Passwords.cost)
}

/// Where the login page may send a user afterwards.
public enum LocalRedirect {
    /// `text` when it is a local path (one leading `/`, no backslash, printable ASCII, ≤ 200 characters), else
    /// the home page: no open redirect to another site.
    public static func path(_ text: String) -> String {
        guard text.hasPrefix("/"), !text.hasPrefix("//"), !text.contains("\\"), text.count <= 200,
              text.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7f }) else { return "/" }
        return text
    }
}

/// Password hashing for accounts (bcrypt, hummingbird-auth).
public enum Passwords {
    /// The bcrypt cost.
    public static let cost: UInt8 = 12
    /// At least this many characters.
    public static let minimumLength = 12

    /// The bcrypt hash of `password`.
    /// - Throws: `RegistryError.invalidArgument` for a password shorter than ``minimumLength`` or over 72 bytes
    ///   (bcrypt reads no further).
    public static func hash(_ password: String) throws -> String {
        guard password.count >= minimumLength, password.utf8.count <= 72 else {
            throw RegistryError.invalidArgument(name: "password", value: "(\(password.count) characters, not shown)",
                                                expected: "\(minimumLength) to 72 bytes")
        }
        return Bcrypt.hash(password, cost: cost)
    }

    /// A random password of 20 letters and digits, for `make demo`'s accounts.
    public static func random() -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<20).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }
}
