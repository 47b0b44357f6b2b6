import Hummingbird

/// Checks the CSRF token of every state-changing request (any method but GET and HEAD) and hands the parsed form
/// to the handler.
///
/// A logged-in user's forms carry the session's token; the login form (no session yet) carries the token of the
/// `oc_pre` cookie (double submit). Both cookies are SameSite=Strict as well. A request without the right token
/// is refused with 403 before any handler runs.
public struct CSRFMiddleware: RouterMiddleware {
    public typealias Context = ConsoleContext
    public static let field = "csrf"
    public static let preSessionCookie = "oc_pre"

    public func handle(_ request: Request, context: ConsoleContext,
                       next: (Request, ConsoleContext) async throws -> Response) async throws -> Response {
        guard request.method != .get && request.method != .head else { return try await next(request, context) }
        var context = context
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let bytes = Array(buffer: body)
        let type = request.headers[.contentType] ?? ""
        if let boundary = FormFields.boundary(ofContentType: type) {
            guard let form = FormFields.multipart(bytes, boundary: boundary) else {
                throw HTTPError(.badRequest, message: "malformed form")
            }
            context.form = form
        } else if type.lowercased().hasPrefix("application/x-www-form-urlencoded") {
            context.form = FormFields.urlencoded(bytes)
        } else if !bytes.isEmpty {
            throw HTTPError(.unsupportedMediaType, message: "forms only")
        }
        let expected = context.session?.csrfToken ?? request.cookies[Self.preSessionCookie]?.value
        guard let expected, SessionTokens.isWellFormed(expected), let sent = context.form[Self.field],
              SessionTokens.constantTimeEqual(sent, expected) else {
            throw HTTPError(.forbidden, message: "the form's security token is missing or stale; reload the page")
        }
        return try await next(request, context)
    }
}
