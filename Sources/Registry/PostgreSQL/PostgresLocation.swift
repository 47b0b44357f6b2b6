import Foundation

/// Where a PostgreSQL registry lives: a `postgres://` (or `postgresql://`) URL, parsed once.
///
///     postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?host=/socket/dir][&sslmode=disable|prefer|require|verify-full]
///
/// `host=` in the query names a directory holding the server's Unix socket (as libpq reads it); it wins over the
/// URL's host. `sslmode=require` encrypts without checking the certificate; `verify-full` checks it against the
/// system's trust store (or `sslrootcert=FILE`) and the host name. Messages name the store by ``redacted`` — the
/// URL without its password — so a password never reaches a log or an error.
public struct PostgresLocation: Sendable, Equatable {
    public enum TLSMode: String, Sendable { case disable, prefer, require, verifyFull = "verify-full" }

    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    /// The directory of the server's Unix socket, when connecting through one.
    public var socketDirectory: String?
    public var database: String
    public var tls: TLSMode
    /// A PEM file of trusted certificates for `verify-full` (`sslrootcert=`).
    public var rootCertificate: String?
    /// The URL as given, without its password: how messages name the store.
    public let redacted: String
    /// The URL as given, with its password: for connecting only, never shown.
    let url: String

    /// Whether `location` names a PostgreSQL registry rather than a file.
    public static func isURL(_ location: String) -> Bool {
        location.hasPrefix("postgres://") || location.hasPrefix("postgresql://")
    }

    /// Parses a connection URL.
    /// - Throws: `RegistryError.invalidArgument` naming the URL without its password and the expected form.
    public init(_ url: String) throws {
        let expected = "postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?host=SOCKETDIR&sslmode=disable|require|verify-full]"
        guard Self.isURL(url), let components = URLComponents(string: url) else {
            throw RegistryError.invalidArgument(name: "--workspace", value: Self.redact(url), expected: expected)
        }
        self.url = url
        var redactedComponents = components
        if redactedComponents.password != nil { redactedComponents.password = "***" }
        let shown = redactedComponents.string ?? Self.redact(url)
        redacted = shown
        func refuse(_ problem: String) -> RegistryError {
            .invalidArgument(name: "--workspace", value: shown, expected: "\(expected) (\(problem))")
        }
        user = components.user ?? ProcessInfo.processInfo.environment["USER"] ?? "postgres"
        password = components.password
        host = components.host.flatMap { $0.isEmpty ? nil : $0 } ?? "localhost"
        port = components.port ?? 5432
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        guard !path.isEmpty, !path.contains("/") else { throw refuse("no database name") }
        database = path
        tls = .prefer
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "host": socketDirectory = value
            case "sslmode":
                switch value {
                case "disable", "allow": tls = .disable
                case "prefer": tls = .prefer
                case "require", "verify-ca": tls = .require
                case "verify-full": tls = .verifyFull
                default: throw refuse("sslmode \(value) is not one of disable, prefer, require, verify-full")
                }
            case "sslrootcert": rootCertificate = value
            case "application_name", "connect_timeout": break
            default: throw refuse("unknown parameter \(item.name)")
            }
        }
        if socketDirectory != nil, tls == .prefer { tls = .disable }
    }

    /// A string that may hold a password, with everything between `://` and `@` after the first `:` hidden.
    static func redact(_ text: String) -> String {
        guard let scheme = text.range(of: "://"), let at = text.range(of: "@", range: scheme.upperBound..<text.endIndex),
              let colon = text.range(of: ":", range: scheme.upperBound..<at.lowerBound) else { return text }
        return String(text[..<colon.upperBound]) + "***" + String(text[at.lowerBound...])
    }
}

/// Printed, dumped or logged, a location shows its URL without the password.
extension PostgresLocation: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { redacted }
    public var debugDescription: String { redacted }
    public var customMirror: Mirror { Mirror(self, children: ["url": redacted]) }
}
