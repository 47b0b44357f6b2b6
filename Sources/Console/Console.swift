import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import NIOCore
import Logging
import NIOSSL
import Planning
import Registry
import Supervision

/// How `onecheck serve` runs the console.
public struct ConsoleConfiguration: Sendable {
    /// The workspace file.
    public var workspacePath: String
    public var host: String
    public var port: Int
    /// PEM files for direct TLS; both or neither.
    public var tlsCertificate: String?
    public var tlsKey: String?
    /// A directory holding plan directories (`onecheck plan --output`), for the announcements, the manifest
    /// download and the planner's review; nil: none.
    public var plansDirectory: String?
    /// The static files' directory; nil: the bundled one.
    public var staticDirectory: URL?
    /// Today, for overdue lists and default publication days; nil: the clock's day (UTC).
    public var today: CalendarDate?
    /// The planner's inputs for the plan workflow (commit the frame, draw); nil: the workflow only reviews and
    /// locks plan directories found in ``plansDirectory``.
    public var planInputs: PlanInputPaths?
    /// The model the entity page explains and the model page monitors; nil: neither is shown.
    public var modelInputs: ModelInputs?

    public init(workspacePath: String, host: String = "127.0.0.1", port: Int = 8080, tlsCertificate: String? = nil,
                tlsKey: String? = nil, plansDirectory: String? = nil, staticDirectory: URL? = nil,
                today: CalendarDate? = nil, planInputs: PlanInputPaths? = nil, modelInputs: ModelInputs? = nil) {
        self.planInputs = planInputs
        self.modelInputs = modelInputs
        self.workspacePath = workspacePath
        self.host = host
        self.port = port
        self.tlsCertificate = tlsCertificate
        self.tlsKey = tlsKey
        self.plansDirectory = plansDirectory
        self.staticDirectory = staticDirectory
        self.today = today
    }

    /// Parses `HOST:PORT` (`[::1]:8080` for IPv6).
    public static func listenAddress(_ text: String) throws -> (host: String, port: Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (0...65535).contains(port) else { throw ConsoleError.badListenAddress(text) }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw ConsoleError.badListenAddress(text) }
        return (host, port)
    }
}

/// The console: the web interface on a workspace, for the public, planners, department officers and admins.
///
/// Built from route groups (``PublicRoutes``, ``AuthRoutes``, ``PlannerRoutes``, ``DepartmentRoutes``,
/// ``AdminRoutes``, ``StaticRoutes``) registered through one ``RouteTable`` (every route with its access rule),
/// behind middleware for the cross-cutting rules: the workspace's blocking calls off the cooperative pool
/// (``BlockingWorkMiddleware``), security headers, sessions and language, CSRF. Writes go
/// through the workspace's use cases, which record each in the audit log with the user.
public struct Console: Sendable {
    public let configuration: ConsoleConfiguration
    public let workspace: Workspace
    public let renderer: Renderer
    public let throttle: LoginThrottle
    public let clock: ConsoleClock
    let staticFiles: StaticFiles
    let plans: PlanLibrary
    let indicators: IndicatorCache
    /// The public pages as visitors see them, kept between writes (``PublicPageCache``).
    let publicPages = PublicPageCache()
    /// The model's explanations and monitoring charts (``ConsoleConfiguration/modelInputs``), or nil.
    let modelViews: ModelViews?

    public init(configuration: ConsoleConfiguration, workspace: Workspace, clock: ConsoleClock = ConsoleClock(),
                throttle: LoginThrottle = LoginThrottle()) throws {
        self.configuration = configuration
        self.workspace = workspace
        self.clock = clock
        self.throttle = throttle
        renderer = try Renderer()
        guard let directory = configuration.staticDirectory ?? Renderer.staticDirectory() else {
            throw ConsoleError.missingResource("static files")
        }
        staticFiles = StaticFiles(directory: directory)
        plans = PlanLibrary(root: configuration.plansDirectory)
        indicators = IndicatorCache()
        modelViews = try configuration.modelInputs.map(ModelViews.init)
    }

    /// Opens the workspace (read-write: officers record findings) and builds the console.
    public init(configuration: ConsoleConfiguration) throws {
        try self.init(configuration: configuration,
                      workspace: try Workspace.open(at: configuration.workspacePath, access: .readWrite))
    }

    /// Today: the configured day, else the clock's day in UTC.
    var today: CalendarDate {
        if let day = configuration.today { return day }
        let parts = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: clock.now())
        return CalendarDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    }

    var usesTLS: Bool { configuration.tlsCertificate != nil }

    /// The router with every route group and the middleware, and the table of its routes.
    public func router() -> (router: Router<ConsoleContext>, routes: [RouteEntry]) {
        let router = Router(context: ConsoleContext.self)
        router.add(middleware: BlockingWorkMiddleware())
        router.add(middleware: SecurityHeadersMiddleware(tls: usesTLS))
        router.add(middleware: SessionMiddleware(workspace: workspace, clock: clock))
        router.add(middleware: CSRFMiddleware())
        var table = RouteTable(router: router)
        table.group = "public"
        PublicRoutes(console: self).register(&table)
        table.group = "auth"
        AuthRoutes(console: self).register(&table)
        table.group = "planner"
        PlannerRoutes(console: self).register(&table)
        table.group = "department"
        DepartmentRoutes(console: self).register(&table)
        table.group = "admin"
        AdminRoutes(console: self).register(&table)
        table.group = "static"
        StaticRoutes(console: self).register(&table)
        return (router, table.entries)
    }

    /// The application: plain HTTP, or TLS when a certificate and key are configured.
    public func application(logger: Logger? = nil,
                            onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in })
        throws -> some ApplicationProtocol {
        let server: HTTPServerBuilder
        if let certificate = configuration.tlsCertificate, let key = configuration.tlsKey {
            do {
                let chain = try NIOSSLCertificate.fromPEMFile(certificate).map { NIOSSLCertificateSource.certificate($0) }
                let tls = TLSConfiguration.makeServerConfiguration(
                    certificateChain: chain, privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
                server = try .tls(.http1(), tlsConfiguration: tls)
            } catch {
                throw ConsoleError.tls("\(error)")
            }
        } else {
            server = .http1()
        }
        var log = logger ?? Logger(label: "onecheck.console")
        if logger == nil { log.logLevel = .notice }
        return Application(router: router().router, server: server,
                           configuration: .init(address: .hostname(configuration.host, port: configuration.port),
                                                serverName: "onecheck"),
                           onServerRunning: onServerRunning, logger: log)
    }

    /// The `?period=` query as a period, else the latest of `periods`.
    func selectedPeriod(_ request: Request, among periods: [Period]) -> Period? {
        if let text = request.uri.queryParameters["period"], let period = Period(String(text)) { return period }
        return periods.last
    }

    /// The period choices of a form.
    static func periodOptions(_ periods: [Period], selected: Period?) -> [[String: Any]] {
        periods.map { ["value": $0.description, "selected": $0 == selected] }
    }

    /// The periods that have plans, oldest first.
    func plannedPeriods() throws -> [Period] {
        Array(Set(try workspace.plans().map(\.period))).sorted()
    }
}

/// Renders errors of the workspace's rules as a page with the message (never a stack or a path of the server).
extension Console {
    func refusal(_ error: any Error, request: Request, context: ConsoleContext) -> Response {
        let message: String
        switch error {
        case let error as RegistryError: message = error.description
        case let error as CustomStringConvertible: message = error.description
        default: message = "\(type(of: error))"
        }
        return renderer.page("error", title: Strings.text("error_title", context.language), ["message": message],
                             request: request, context: context, status: .unprocessableContent)
    }
}
