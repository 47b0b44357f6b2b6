import Foundation
import Hummingbird
import Mustache

/// Renders the console's pages from the mustache templates (resources of this module) inside the layout.
///
/// Templates escape every `{{value}}`; the only unescaped inserts (`{{{…}}}`) are markup the console built itself
/// from escaped parts (charts, the rendered page inside the layout, the report's stylesheet).
public struct Renderer: Sendable {
    let library: MustacheLibrary
    /// The stylesheet, inlined by the self-contained reports.
    public let stylesheet: String

    /// Loads the templates and stylesheet bundled with the module.
    public init() throws {
        guard let templates = Bundle.module.url(forResource: "templates", withExtension: nil),
              let css = Bundle.module.url(forResource: "static/console", withExtension: "css")
                ?? Bundle.module.url(forResource: "console", withExtension: "css", subdirectory: "static") else {
            throw ConsoleError.missingResource("templates or static/console.css")
        }
        var library = MustacheLibrary()
        for name in try FileManager.default.contentsOfDirectory(atPath: templates.path).sorted()
        where name.hasSuffix(".mustache") {
            let text = try String(contentsOf: templates.appendingPathComponent(name), encoding: .utf8)
            try library.register(text, named: String(name.dropLast(".mustache".count)))
        }
        self.library = library
        self.stylesheet = try String(contentsOf: css, encoding: .utf8)
    }

    /// The directory of the bundled static files.
    public static func staticDirectory() -> URL? {
        Bundle.module.url(forResource: "static", withExtension: nil)
    }

    /// `template` rendered with `data` (labels of `language` added as `t`).
    /// Top-level empty strings are left out: mustache renders a section for any string, empty or not, and the
    /// templates use `{{#nextHref}}…{{/nextHref}}` to show a link only when there is one.
    public func fragment(_ template: String, _ data: [String: Any], language: Language) -> String {
        var data = data.filter { ($0.value as? String)?.isEmpty != true }
        data["t"] = Strings.labels(language)
        return library.render(data, withTemplate: template) ?? ""
    }

    /// A whole page: `template` inside the layout, for `context`'s user and language.
    public func page(_ template: String, title: String, _ data: [String: Any], request: Request,
                     context: ConsoleContext, notice: String? = nil, status: HTTPResponse.Status = .ok) -> Response {
        rendered(template, title: title, data, request: request, context: context, notice: notice, status: status).response
    }

    /// ``page(_:title:_:request:context:notice:status:)`` as bytes, for the public pages' cache.
    func rendered(_ template: String, title: String, _ data: [String: Any], request: Request,
                  context: ConsoleContext, notice: String? = nil, status: HTTPResponse.Status = .ok) -> RenderedPage {
        let body = fragment(template, data, language: context.language)
        let other: Language = context.language == .zh ? .en : .zh
        var layout: [String: Any] = [
            "t": Strings.labels(context.language), "title": title, "body": body,
            "htmlLang": context.language == .zh ? "zh-CN" : "en", "otherLang": other.rawValue,
            "switchHref": Self.switchHref(request, to: other),
        ]
        if let notice { layout["notice"] = notice }
        if let user = context.user, let session = context.session {
            layout["userName"] = user.name
            layout["csrf"] = session.csrfToken
            switch RoleKind(user.role) {
            case .planner: layout["isPlanner"] = true
            case .admin: layout["isAdmin"] = true
            case .department: layout["isDepartment"] = true
            }
        }
        let html = library.render(layout, withTemplate: "layout") ?? ""
        return RenderedPage(status: status, body: ByteBuffer(string: html), language: context.language)
    }

    /// A self-contained document (the reports): the stylesheet inline, no link to anything.
    public func document(title: String, body: String, language: Language) -> String {
        library.render(["t": Strings.labels(language), "title": title, "body": body, "report": true,
                        "inlineCSS": stylesheet, "htmlLang": language == .zh ? "zh-CN" : "en"] as [String: Any],
                       withTemplate: "layout") ?? ""
    }

    /// The current page with `lang=` set to `language`, other query parameters kept (re-encoded).
    static func switchHref(_ request: Request, to language: Language) -> String {
        var items = [URLQueryItem(name: "lang", value: language.rawValue)]
        for (name, value) in request.uri.queryParameters where name != "lang" {
            items.append(URLQueryItem(name: String(name), value: String(value)))
        }
        var components = URLComponents()
        components.path = request.uri.path
        components.queryItems = items.sorted { $0.name < $1.name }
        return components.string ?? "/"
    }
}

/// Failures of the console's set-up.
public enum ConsoleError: Error, CustomStringConvertible {
    case missingResource(String)
    case badListenAddress(String)
    case tls(String)

    public var description: String {
        switch self {
        case let .missingResource(name): return "the console's bundled \(name) is missing; rebuild onecheck"
        case let .badListenAddress(text): return "--listen \"\(text.prefix(80))\" is not valid; expected HOST:PORT like 127.0.0.1:8080"
        case let .tls(reason): return "TLS: \(reason); expected --tls-cert and --tls-key naming PEM files"
        }
    }
}

/// A rendered page: what a response carries, kept as bytes so that a cache can answer with it again.
struct RenderedPage: Sendable {
    var status: HTTPResponse.Status
    var body: ByteBuffer
    var language: Language

    var response: Response {
        var response = Response(status: status, headers: [.contentType: "text/html; charset=utf-8"],
                                body: ResponseBody(byteBuffer: body))
        response.headers[.contentLanguage] = language == .zh ? "zh-CN" : "en"
        return response
    }
}
