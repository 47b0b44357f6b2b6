import Supervision

// The console's accounts and sessions. Passwords never reach the registry: the console hashes them (bcrypt) and
// the registry keeps the hash. Every change is a line of the audit log naming who made it.

extension Workspace {
    /// Adds an account.
    /// - Parameters:
    ///   - by: the account adding it ("" for the command line).
    /// - Throws: `RegistryError.invalidArgument` for a bad name, a name taken, or a department not in the
    ///   workspace.
    public func addUser(name: String, role: UserRole, passwordHash: String, by: String = "",
                        at: String = Workspace.timestamp()) throws {
        guard UserAccount.isValidName(name) else {
            throw RegistryError.invalidArgument(name: "user name", value: String(name.prefix(80)),
                                                expected: "1–64 letters, digits, '.', '_' or '-'")
        }
        try store.write { tx in
            guard try tx.user(named: name) == nil else {
                throw RegistryError.invalidArgument(name: "user name", value: name, expected: "a name not yet taken")
            }
            if let department = role.department, !(try tx.departments().contains { $0.code == department }) {
                throw RegistryError.invalidArgument(name: "role", value: role.description,
                                                    expected: "department:<code> of a department of the workspace")
            }
            try tx.insertUser(UserAccount(name: name, role: role, passwordHash: passwordHash, createdAt: at))
            try tx.appendAudit(AuditEntry(at: at, action: .user, detail: "add \(name) role \(role)", user: by))
        }
    }

    /// Disables (or enables again) an account; disabling closes its sessions.
    /// - Throws: `RegistryError.unknownReference` when there is no such account.
    public func setUserDisabled(_ name: String, disabled: Bool = true, by: String = "",
                                at: String = Workspace.timestamp()) throws {
        try store.write { tx in
            guard try tx.user(named: name) != nil else { throw RegistryError.unknownReference(table: "users", key: name) }
            try tx.setUserDisabled(name, disabled: disabled)
            if disabled { try tx.deleteSessions(ofUser: name) }
            try tx.appendAudit(AuditEntry(at: at, action: .user, detail: "\(disabled ? "disable" : "enable") \(name)",
                                          user: by))
        }
    }

    /// Every account, by name.
    public func users() throws -> [UserAccount] { try store.read { try $0.users() } }

    /// The account named `name`, or nil.
    public func user(named name: String) throws -> UserAccount? { try store.read { try $0.user(named: name) } }

    /// Records a new session of an enabled account (and forgets sessions expired by `session.createdAt`).
    /// - Throws: `RegistryError.notPermitted` when the account is missing or disabled.
    public func openSession(_ session: StoredSession, address: String) throws {
        try store.write { tx in
            guard let account = try tx.user(named: session.user), !account.disabled else {
                throw RegistryError.notPermitted(user: session.user, action: "log in", reason: "no enabled account")
            }
            try tx.deleteSessions(expiredAt: session.createdAt)
            try tx.insertSession(session)
            try tx.appendAudit(AuditEntry(at: session.createdAt, action: .session, detail: "login from \(address)",
                                          user: session.user))
        }
    }

    /// The session whose token digest is `digest` with its account, when the session has not expired at `now`
    /// (ISO 8601, UTC) and the account is enabled; nil otherwise.
    public func activeSession(digest: String, now: String) throws -> (session: StoredSession, user: UserAccount)? {
        try store.read { tx in
            guard let session = try tx.session(digest: digest), now < session.expiresAt,
                  let account = try tx.user(named: session.user), !account.disabled else { return nil }
            return (session, account)
        }
    }

    /// Closes a session (logout).
    public func closeSession(digest: String, user: String, at: String = Workspace.timestamp()) throws {
        try store.write { tx in
            try tx.deleteSession(digest: digest)
            try tx.appendAudit(AuditEntry(at: at, action: .session, detail: "logout", user: user))
        }
    }

    /// At most `limit` lines of the audit log before `seq` (nil: the newest), newest first.
    public func auditPage(before seq: Int64?, limit: Int = 100) throws -> [AuditEntry] {
        try store.read { try $0.auditPage(before: seq, limit: limit) }
    }
}

extension Workspace {
    /// Records a step of the console's plan workflow that writes files, not rows (a frame committed, a plan drawn
    /// or adjusted into a plan directory), in the audit log with the planner.
    public func recordPlanStep(_ detail: String, period: Period, user: String, at: String = Workspace.timestamp()) throws {
        _ = try store.write { tx in
            try tx.appendAudit(AuditEntry(at: at, action: .plan, period: period.description, detail: detail, user: user))
        }
    }
}
