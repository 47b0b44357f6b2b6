import Crypto
import Foundation
import Hummingbird
import Registry

/// Reads the session cookie and the language choice into the context.
///
/// The cookie holds a random token; the workspace holds only its SHA-256 digest (``SessionTokens``). A session
/// that is unknown, expired, or whose account is disabled leaves the request anonymous.
public struct SessionMiddleware: RouterMiddleware {
    public typealias Context = ConsoleContext
    let workspace: Workspace
    let clock: ConsoleClock

    public static let sessionCookie = "oc_session"
    public static let languageCookie = "oc_lang"

    public func handle(_ request: Request, context: ConsoleContext,
                       next: (Request, ConsoleContext) async throws -> Response) async throws -> Response {
        var context = context
        if let token = request.cookies[Self.sessionCookie]?.value, SessionTokens.isWellFormed(token),
           let found = try workspace.activeSession(digest: SessionTokens.digest(token), now: Workspace.timestamp(clock.now())) {
            context.session = found.session
            context.user = found.user
        }
        if let chosen = request.uri.queryParameters["lang"].flatMap({ Language(rawValue: String($0)) }) {
            context.language = chosen
            context.languageChosen = true
        } else if let remembered = request.cookies[Self.languageCookie].flatMap({ Language(rawValue: $0.value) }) {
            context.language = remembered
        }
        var response = try await next(request, context)
        if context.languageChosen {
            response.setCookie(Cookie(name: Self.languageCookie, value: context.language.rawValue, maxAge: 31_536_000,
                                      path: "/", secure: false, httpOnly: true, sameSite: .strict))
        }
        return response
    }
}

/// Session and CSRF tokens: 32 random bytes as lowercase hex; the store keeps a token's SHA-256 digest.
public enum SessionTokens {
    /// A new random token (the system's generator: tokens are secrets, not planning draws).
    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// Whether `token` has the form ``make()`` gives (so no other text reaches the store).
    public static func isWellFormed(_ token: String) -> Bool {
        token.utf8.count == 64 && token.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// The hex SHA-256 digest of `token`.
    public static func digest(_ token: String) -> String {
        SHA256.hash(data: Array(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Compares two strings in time independent of where they differ.
    public static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}

/// The console's notion of now (a fixed clock in tests).
public struct ConsoleClock: Sendable {
    public var now: @Sendable () -> Date
    public init(now: @escaping @Sendable () -> Date = { Date() }) { self.now = now }
}
