extension PostgresStore {
    /// One version of the schema: the statements that take a database from `version - 1` to `version`.
    struct Migration {
        var version: Int
        var name: String
        var sql: String
    }

    /// The schema, one migration per version, the same versions as ``SQLiteStore/migrator`` (a new version is
    /// one more element here and one there). A migration is never edited once released. Each runs in the
    /// transaction that records its version in `onecheck_schema`, so a database is always at a whole version.
    ///
    /// The dialect differs from SQLite's only where it must: every text column is `COLLATE "C"` (keys compare by
    /// their UTF-8 bytes, as SQLite's `BINARY`), integers are `bigint`, reals `double precision`, dates are
    /// checked text, and the audit log's append-only rule is a trigger function. Column order matches SQLite's,
    /// so `SELECT *` exports the same columns.
    static let migrations: [Migration] = [
        Migration(version: 1, name: "v1", sql: dialect(SQLiteStore.schemaV1PostgreSQL)),
        Migration(version: 2, name: "v2", sql: dialect(schemaV2)),
        Migration(version: 3, name: "v3", sql: dialect(schemaV3)),
        Migration(version: 4, name: "v4-credit-repair", sql: dialect(schemaCreditRepair)),
        Migration(version: 5, name: "v5-console", sql: dialect(schemaConsole)),
        // Version 6 (the jurisdiction key) in SQLite's text, with PostgreSQL's counting of true conditions; the
        // quotas table is rebuilt as SQLite's is, so its columns keep the same order.
        Migration(version: 6, name: "v6-jurisdictions", sql: dialect(SQLiteStore.jurisdictionsSQL(postgreSQL: true))),
        // SQLite's version 7 adds the console's derived summaries (grade counts, probability bins, the name
        // trigram index), internal to that engine; PostgreSQL counts from its own indexes, so the version is empty.
        Migration(version: 7, name: "v7-console-summaries", sql: ""),
        // Version 8 partitions the entity tables by jurisdiction (``schemaPartitions``); SQLite's file is one
        // workspace with nothing to partition, so its version 8 is empty.
        Migration(version: 8, name: "v8-jurisdiction-partitions", sql: dialect(schemaPartitions)),
        // Version 9 partitions the grades by their entity's jurisdiction (``schemaGradePartitions``); empty in SQLite.
        Migration(version: 9, name: "v9-grade-partitions", sql: dialect(schemaGradePartitions)),
        // Version 10 partitions the roster and the quotas (``schemaRosterPartitions``); empty in SQLite.
        Migration(version: 10, name: "v10-roster-partitions", sql: dialect(schemaRosterPartitions)),
        // Version 11: a plan belongs to a jurisdiction (``schemaPlanJurisdictions``).
        Migration(version: 11, name: "v11-plan-jurisdictions", sql: dialect(schemaPlanJurisdictions)),
        // Version 12 partitions the cycle's tables by jurisdiction (``schemaCyclePartitions``); empty in SQLite.
        Migration(version: 12, name: "v12-cycle-partitions", sql: dialect(schemaCyclePartitions)),
    ]

    /// The table that marks a OneCheck database and records its schema version (SQLite's `application_id` and
    /// `user_version`).
    static let markerTable = "onecheck_schema"
    static let markerDDL = """
        CREATE TABLE onecheck_schema (
            application TEXT COLLATE "C" NOT NULL CHECK (application = 'onecheck'),
            version BIGINT NOT NULL CHECK (version >= 0)
        );
        INSERT INTO onecheck_schema(application, version) VALUES ('onecheck', 0);
        """

    /// The engine's types and checks written in the short forms below: `TEXT` (byte-ordered text), `INTEGER`,
    /// `REAL`, `DATE(x)` (a `YYYY-MM-DD` day).
    static func dialect(_ sql: String) -> String {
        var sql = sql.replacingOccurrences(of: " TEXT", with: " TEXT COLLATE \"C\"")
        sql = sql.replacingOccurrences(of: " INTEGER", with: " BIGINT")
        sql = sql.replacingOccurrences(of: " REAL", with: " DOUBLE PRECISION")
        // DATE(x): the text of a real calendar day.
        var result = ""
        var rest = Substring(sql)
        while let start = rest.range(of: "DATE(") {
            result += rest[..<start.lowerBound]
            let end = rest[start.upperBound...].firstIndex(of: ")")!
            let column = rest[start.upperBound..<end]
            result += "(\(column) ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' AND to_char(\(column)::date, 'YYYY-MM-DD') = \(column))"
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }

    static let schemaV2 = """
    ALTER TABLE departments ADD COLUMN risk_head TEXT NOT NULL DEFAULT '';
    CREATE TABLE workspace_settings (
        key TEXT PRIMARY KEY NOT NULL,
        value TEXT NOT NULL
    );
    CREATE TABLE feature_columns (
        position INTEGER PRIMARY KEY NOT NULL CHECK (position >= 0),
        name TEXT NOT NULL UNIQUE
    );
    CREATE TABLE entity_features (
        entity TEXT PRIMARY KEY NOT NULL REFERENCES entities(credit_code) ON DELETE CASCADE,
        feature_values TEXT NOT NULL
    );
    CREATE TABLE department_grades (
        period TEXT NOT NULL,
        department TEXT NOT NULL REFERENCES departments(code),
        entity TEXT NOT NULL REFERENCES entities(credit_code) ON DELETE CASCADE,
        probability REAL,
        scored_grade TEXT NOT NULL CHECK (scored_grade IN ('A','B','C','D')),
        grade TEXT NOT NULL CHECK (grade IN ('A','B','C','D')),
        PRIMARY KEY (period, department, entity)
    );
    """

    /// Version 3 rebuilds `plans` (keyed by period and id) and `checks` (with their period) as SQLite's does; the
    /// references to `checks` are dropped with it and made again.
    static let schemaV3 = """
    CREATE TABLE stratum_quotas (
        department TEXT NOT NULL REFERENCES departments(code),
        grade TEXT NOT NULL CHECK (grade IN ('A','B','C','D')),
        ratio REAL CHECK (ratio IS NULL OR (ratio >= 0 AND ratio <= 1)),
        count INTEGER CHECK (count IS NULL OR count >= 0),
        certain INTEGER NOT NULL DEFAULT 0 CHECK (certain IN (0, 1)),
        CHECK ((ratio IS NOT NULL)::int + (count IS NOT NULL)::int + certain = 1),
        PRIMARY KEY (department, grade)
    );
    CREATE TABLE caps (
        scope TEXT PRIMARY KEY NOT NULL,
        max_checks_per_year INTEGER NOT NULL CHECK (max_checks_per_year >= 0)
    );
    CREATE TABLE scenario_partners (
        scenario TEXT NOT NULL REFERENCES scenarios(code) ON DELETE CASCADE,
        position INTEGER NOT NULL CHECK (position >= 0),
        department TEXT NOT NULL REFERENCES departments(code),
        PRIMARY KEY (scenario, position),
        UNIQUE (scenario, department)
    );
    ALTER TABLE inspectors ADD COLUMN district TEXT NOT NULL DEFAULT '';
    ALTER TABLE inspectors ADD COLUMN qualified_items TEXT NOT NULL DEFAULT '';
    ALTER TABLE inspectors ADD COLUMN cap_per_period INTEGER CHECK (cap_per_period IS NULL OR cap_per_period >= 0);
    ALTER TABLE inspectors ADD COLUMN cap_per_day INTEGER NOT NULL DEFAULT 2 CHECK (cap_per_day >= 1);
    ALTER TABLE inspectors ADD COLUMN last_checked TEXT NOT NULL DEFAULT '';
    CREATE TABLE plans_v3 (
        id TEXT NOT NULL,
        scenario TEXT NOT NULL REFERENCES scenarios(code),
        period TEXT NOT NULL,
        seed TEXT NOT NULL,
        PRIMARY KEY (period, id),
        UNIQUE (scenario, period)
    );
    INSERT INTO plans_v3(id, scenario, period, seed) SELECT id, scenario, period, seed FROM plans;
    CREATE TABLE checks_v3 (
        id TEXT PRIMARY KEY NOT NULL,
        plan TEXT NOT NULL,
        period TEXT NOT NULL,
        entity TEXT NOT NULL REFERENCES entities(credit_code),
        department TEXT NOT NULL REFERENCES departments(code),
        inclusion_probability REAL NOT NULL CHECK (inclusion_probability > 0 AND inclusion_probability <= 1),
        checked_on TEXT NOT NULL CHECK (DATE(checked_on)),
        inspectors TEXT NOT NULL DEFAULT '',
        UNIQUE (period, plan, entity, department)
    );
    INSERT INTO checks_v3(id, plan, period, entity, department, inclusion_probability, checked_on, inspectors)
    SELECT c.id, c.plan, p.period, c.entity, c.department, c.inclusion_probability, c.checked_on, c.inspectors
    FROM checks c JOIN plans p ON p.id = c.plan;
    DROP TABLE checks CASCADE;
    DROP TABLE plans CASCADE;
    ALTER TABLE plans_v3 RENAME TO plans;
    ALTER TABLE checks_v3 RENAME TO checks;
    ALTER TABLE checks ADD FOREIGN KEY (period, plan) REFERENCES plans(period, id);
    ALTER TABLE findings ADD FOREIGN KEY (check_id) REFERENCES checks(id);
    ALTER TABLE publications ADD FOREIGN KEY (check_id) REFERENCES checks(id);
    CREATE INDEX checks_entity ON checks(entity, checked_on);
    """

    static let schemaCreditRepair = """
    CREATE TABLE penalty_decisions (
        check_id TEXT NOT NULL,
        item TEXT NOT NULL,
        severity TEXT NOT NULL CHECK (severity IN ('minor','general','serious')),
        decided_on TEXT NOT NULL CHECK (DATE(decided_on)),
        PRIMARY KEY (check_id, item),
        FOREIGN KEY (check_id, item) REFERENCES findings(check_id, item)
    );
    CREATE TABLE credit_repairs (
        check_id TEXT NOT NULL,
        item TEXT NOT NULL,
        repaired_on TEXT NOT NULL CHECK (DATE(repaired_on)),
        decided_by TEXT NOT NULL CHECK (decided_by <> ''),
        reason TEXT NOT NULL CHECK (reason <> ''),
        PRIMARY KEY (check_id, item),
        FOREIGN KEY (check_id, item) REFERENCES findings(check_id, item)
    );
    """

    /// `user` is a reserved word in PostgreSQL: the column keeps SQLite's name, quoted.
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
        "user" TEXT NOT NULL REFERENCES users(name),
        csrf_token TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
    );
    CREATE INDEX sessions_user ON sessions("user");
    CREATE INDEX sessions_expiry ON sessions(expires_at);
    ALTER TABLE audit_log ADD COLUMN "user" TEXT NOT NULL DEFAULT '';
    CREATE INDEX checks_period_department ON checks(period, department, id);
    CREATE INDEX checks_period_id ON checks(period, id);
    CREATE INDEX department_grades_entity ON department_grades(entity, period);
    CREATE INDEX entities_name ON entities(name);
    """
}

extension PostgresStore {
    /// Version 11 on PostgreSQL (see ``SQLiteStore/registerPlanJurisdictionMigration(_:)``): the same column, last,
    /// and the same unique key, changed in place. The old key's name is the one version 3 gave it (the table was
    /// made as `plans_v3` and renamed).
    static let schemaPlanJurisdictions = """
    ALTER TABLE plans ADD COLUMN jurisdiction TEXT NOT NULL DEFAULT '';
    ALTER TABLE plans DROP CONSTRAINT plans_v3_scenario_period_key;
    ALTER TABLE plans ADD CONSTRAINT plans_jurisdiction_scenario_period_key UNIQUE (jurisdiction, scenario, period);
    """
}

extension SQLiteStore {
    /// Version 1 in PostgreSQL's dialect (see ``PostgresStore/dialect(_:)``).
    static let schemaV1PostgreSQL = """
    CREATE TABLE departments (
        code TEXT PRIMARY KEY NOT NULL,
        name TEXT NOT NULL
    );
    CREATE TABLE scenarios (
        code TEXT PRIMARY KEY NOT NULL,
        name TEXT NOT NULL,
        lead_department TEXT NOT NULL REFERENCES departments(code)
    );
    CREATE TABLE items (
        code TEXT PRIMARY KEY NOT NULL,
        department TEXT NOT NULL REFERENCES departments(code),
        scenario TEXT NOT NULL REFERENCES scenarios(code),
        name TEXT NOT NULL,
        element TEXT NOT NULL CHECK (element IN ('people','equipment','environment','rules','product')),
        measure TEXT NOT NULL CHECK (measure IN ('on_site','off_site','documents')),
        legal_basis TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX items_department ON items(department, scenario);
    CREATE TABLE entities (
        credit_code TEXT PRIMARY KEY NOT NULL CHECK (length(credit_code) = 18),
        name TEXT NOT NULL,
        scenario TEXT NOT NULL REFERENCES scenarios(code),
        district TEXT NOT NULL DEFAULT '',
        legal_representative TEXT NOT NULL DEFAULT '',
        credit_grade TEXT NOT NULL CHECK (credit_grade IN ('A','B','C','D'))
    );
    CREATE INDEX entities_scenario ON entities(scenario);
    CREATE TABLE directory_memberships (
        department TEXT NOT NULL REFERENCES departments(code),
        entity TEXT NOT NULL REFERENCES entities(credit_code) ON DELETE CASCADE,
        PRIMARY KEY (department, entity)
    );
    CREATE INDEX directory_memberships_entity ON directory_memberships(entity);
    CREATE TABLE inspectors (
        id TEXT PRIMARY KEY NOT NULL,
        name TEXT NOT NULL,
        department TEXT NOT NULL REFERENCES departments(code),
        conflicts TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE quotas (
        department TEXT NOT NULL REFERENCES departments(code),
        scenario TEXT NOT NULL REFERENCES scenarios(code),
        credit_grade TEXT NOT NULL CHECK (credit_grade IN ('A','B','C','D')),
        sampling_ratio REAL NOT NULL CHECK (sampling_ratio >= 0 AND sampling_ratio <= 1),
        max_checks_per_year INTEGER NOT NULL CHECK (max_checks_per_year >= 0),
        PRIMARY KEY (department, scenario, credit_grade)
    );
    CREATE TABLE plans (
        id TEXT PRIMARY KEY NOT NULL,
        scenario TEXT NOT NULL REFERENCES scenarios(code),
        period TEXT NOT NULL,
        seed TEXT NOT NULL,
        UNIQUE (scenario, period)
    );
    CREATE TABLE checks (
        id TEXT PRIMARY KEY NOT NULL,
        plan TEXT NOT NULL REFERENCES plans(id),
        entity TEXT NOT NULL REFERENCES entities(credit_code),
        department TEXT NOT NULL REFERENCES departments(code),
        inclusion_probability REAL NOT NULL CHECK (inclusion_probability > 0 AND inclusion_probability <= 1),
        checked_on TEXT NOT NULL CHECK (DATE(checked_on)),
        inspectors TEXT NOT NULL DEFAULT '',
        UNIQUE (plan, entity, department)
    );
    CREATE INDEX checks_entity ON checks(entity, checked_on);
    CREATE TABLE findings (
        check_id TEXT NOT NULL REFERENCES checks(id),
        item TEXT NOT NULL REFERENCES items(code),
        outcome TEXT NOT NULL CHECK (outcome IN ('compliant','minor','serious')),
        penalty REAL NOT NULL DEFAULT 0 CHECK (penalty >= 0),
        note TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (check_id, item)
    );
    CREATE TABLE disposals (
        check_id TEXT NOT NULL,
        item TEXT NOT NULL,
        action TEXT NOT NULL,
        opened_on TEXT NOT NULL CHECK (DATE(opened_on)),
        closed_on TEXT CHECK (closed_on IS NULL OR (DATE(closed_on) AND closed_on >= opened_on)),
        PRIMARY KEY (check_id, item),
        FOREIGN KEY (check_id, item) REFERENCES findings(check_id, item)
    );
    CREATE TABLE publications (
        check_id TEXT PRIMARY KEY NOT NULL REFERENCES checks(id),
        published_on TEXT NOT NULL CHECK (DATE(published_on)),
        deadline TEXT NOT NULL CHECK (DATE(deadline))
    );
    CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY NOT NULL CHECK (seq > 0),
        at TEXT NOT NULL,
        action TEXT NOT NULL,
        scenario TEXT NOT NULL DEFAULT '',
        period TEXT NOT NULL DEFAULT '',
        detail TEXT NOT NULL DEFAULT ''
    );
    CREATE FUNCTION onecheck_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
    CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION onecheck_audit_log_append_only();
    CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION onecheck_audit_log_append_only();
    """
}
