import HTTPTypes
import Hummingbird

/// Adds the security headers to every response, errors included: a Content-Security-Policy that allows no
/// script at all and style only from the console's own stylesheet, no framing, no MIME sniffing, no referrer
/// across origins, and HSTS under TLS.
public struct SecurityHeadersMiddleware: RouterMiddleware {
    public typealias Context = ConsoleContext
    let tls: Bool

    public static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!

    public static let contentSecurityPolicy = "default-src 'none'; script-src 'none'; style-src 'self'; img-src 'self' data:; "
        + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

    public func handle(_ request: Request, context: ConsoleContext,
                       next: (Request, ConsoleContext) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        } catch {
            // Any other failure: a plain 500 that says nothing of the server's insides (paths, SQL).
            context.logger.error("request failed: \(type(of: error))")
            response = Response(status: .internalServerError, headers: [.contentType: "text/plain; charset=utf-8"],
                                body: ResponseBody(byteBuffer: ByteBuffer(string: "internal error")))
        }
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[Self.referrerPolicy] = "same-origin"
        response.headers[Self.xFrameOptions] = "DENY"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        if tls { response.headers[.strictTransportSecurity] = "max-age=31536000" }
        return response
    }
}
