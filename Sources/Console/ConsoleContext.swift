import Hummingbird
import NIOCore
import Registry

/// The console's request context: who is asking (set by ``SessionMiddleware``), in which language, from where,
/// and the form a state-changing request carried (read and CSRF-checked by ``CSRFMiddleware``).
public struct ConsoleContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The logged-in account, or nil for a visitor.
    public var user: UserAccount?
    /// The session of ``user``.
    public var session: StoredSession?
    /// The language of the page: the `lang` query parameter, else the `oc_lang` cookie, else Chinese.
    public var language: Language = .zh
    /// Whether the `lang` query parameter chose the language (the response then remembers it in a cookie).
    public var languageChosen = false
    /// The peer's address, for login throttling ("" when unknown).
    public let remoteAddress: String
    /// The fields of a state-changing request's form (urlencoded or multipart), after the CSRF check.
    public var form = FormFields()

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        switch source.channel.remoteAddress {
        case let .some(.v4(address)): remoteAddress = address.host
        case let .some(.v6(address)): remoteAddress = address.host
        default: remoteAddress = ""
        }
    }

    /// Uploads of a department officer's CSV are limited to 8 MiB.
    public var maxUploadSize: Int { 8 << 20 }
}

/// The console's languages; every label has both (``Strings``).
public enum Language: String, Sendable, CaseIterable {
    case zh, en
}
