import Supervision

// The people of the console: accounts with one role each, their sessions, and who wrote what.

/// What a console account may do. One role per account; a department officer belongs to one department.
public enum UserRole: Hashable, Sendable, CustomStringConvertible {
    /// Plans draws, reads every indicator and entity.
    case planner
    /// Manages accounts and reads the audit log.
    case admin
    /// Records the findings and disposals of one department's checks.
    case department(DepartmentCode)

    /// Parses `planner`, `admin` or `department:<code>`; nil otherwise.
    public init?(_ text: String) {
        switch text {
        case "planner": self = .planner
        case "admin": self = .admin
        default:
            let prefix = "department:"
            guard text.hasPrefix(prefix), text.count > prefix.count else { return nil }
            let code = String(text.dropFirst(prefix.count))
            guard code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) else { return nil }
            self = .department(DepartmentCode(code))
        }
    }

    /// `planner`, `admin` or `department:<code>`, as stored and as `user add --role` takes it.
    public var description: String {
        switch self {
        case .planner: return "planner"
        case .admin: return "admin"
        case let .department(code): return "department:\(code)"
        }
    }

    /// The department of an officer; nil for other roles.
    public var department: DepartmentCode? {
        if case let .department(code) = self { return code }
        return nil
    }

    /// The expected form, for refusals.
    public static let expectedForm = "planner, admin or department:<department code>"
}

/// A console account. The password is kept only as a bcrypt hash made by the console; the registry never sees
/// the password itself.
public struct UserAccount: Hashable, Sendable {
    public var name: String
    public var role: UserRole
    /// The bcrypt hash (`$2b$…`).
    public var passwordHash: String
    public var disabled: Bool
    /// When the account was added, ISO 8601 (UTC).
    public var createdAt: String

    public init(name: String, role: UserRole, passwordHash: String, disabled: Bool = false, createdAt: String) {
        self.name = name
        self.role = role
        self.passwordHash = passwordHash
        self.disabled = disabled
        self.createdAt = createdAt
    }

    /// A user name: 1–64 characters of letters, digits, `.`, `_`, `-`.
    public static func isValidName(_ name: String) -> Bool {
        (1...64).contains(name.count)
            && name.unicodeScalars.allSatisfy { nameScalars.contains($0) }
    }

    private static let nameScalars: Set<Unicode.Scalar> = Set(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-".unicodeScalars)
}

/// A console session as stored. The store keeps only a digest of the session token (the cookie's value), so a
/// copy of the workspace file opens no session.
public struct StoredSession: Hashable, Sendable {
    /// The digest of the token (hex SHA-256), made by the console.
    public var tokenDigest: String
    public var user: String
    /// The session's CSRF token, echoed in every form.
    public var csrfToken: String
    /// ISO 8601 (UTC) instants; the session is valid strictly before `expiresAt`.
    public var createdAt: String
    public var expiresAt: String

    public init(tokenDigest: String, user: String, csrfToken: String, createdAt: String, expiresAt: String) {
        self.tokenDigest = tokenDigest
        self.user = user
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

extension Workspace {
    /// The console's tables of credentials (password hashes, session digests), which `export` never writes.
    public static let credentialTables = ["users", "sessions"]
}
