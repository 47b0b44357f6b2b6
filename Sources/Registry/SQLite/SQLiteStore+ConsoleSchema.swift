extension SQLiteStore {
    /// Version 5: the console's accounts and sessions, the user of each audit line, and the indexes its pages
    /// read by.
    ///
    /// - `users`: one role each (`planner`, `admin`, `department:<code>`), the bcrypt hash, never the password.
    /// - `sessions`: the SHA-256 digest of each session token (a copy of the file opens no session), its CSRF token
    ///   and expiry (ISO 8601 UTC text, which sorts as time does).
    /// - `audit_log.user`: who wrote ("" for the command line and for lines written before version 5).
    /// - `checks_period_department`, `checks_period_id`, `entities_name`, `department_grades_entity`: the keyed
    ///   pages of the console (a department's checks of a period, an entity's grades) without a table scan.
    /// Neither table is exported: `export` writes the supervision record, not credentials.
    static let schemaConsole = """
    CREATE TABLE users (
        name TEXT PRIMARY KEY NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('planner', 'admin') OR role LIKE 'department:_%'),
        password_hash TEXT NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
        created_at TEXT NOT NULL
    );
    CREATE TABLE sessions (
        token_digest TEXT PRIMARY KEY NOT NULL,
        user TEXT NOT NULL REFERENCES users(name),
        csrf_token TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX sessions_user ON sessions(user);
    CREATE INDEX sessions_expiry ON sessions(expires_at);
    ALTER TABLE audit_log ADD COLUMN user TEXT NOT NULL DEFAULT '';
    CREATE INDEX checks_period_department ON checks(period, department, id);
    CREATE INDEX checks_period_id ON checks(period, id);
    CREATE INDEX department_grades_entity ON department_grades(entity, period);
    CREATE INDEX entities_name ON entities(name);
    """
}
