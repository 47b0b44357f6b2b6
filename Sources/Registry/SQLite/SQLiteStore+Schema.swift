import GRDB

extension SQLiteStore {
    /// The schema, one registered migration per version. A migration is never edited once released: new
    /// versions add migrations, and each sets `user_version` so older builds can refuse the file.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: schemaV1)
            try db.execute(sql: "PRAGMA user_version = 1")
        }
        migrator.registerMigration("v2") { db in
            try db.execute(sql: schemaV2)
            try db.execute(sql: "PRAGMA user_version = 2")
        }
        // Foreign keys are off while it rebuilds `plans` and `checks`, and checked before it commits.
        migrator.registerMigration("v3", foreignKeyChecks: .deferred) { db in
            try db.execute(sql: schemaV3)
            try db.execute(sql: "PRAGMA user_version = 3")
        }
        migrator.registerMigration("v4-credit-repair") { db in
            try db.execute(sql: schemaCreditRepair)
            try db.execute(sql: "PRAGMA user_version = 4")
        }
        migrator.registerMigration("v5-console") { db in
            try db.execute(sql: schemaConsole)
            try db.execute(sql: "PRAGMA user_version = 5")
        }
        registerJurisdictionMigration(&migrator)
        migrator.registerMigration("v7-console-summaries") { db in
            try db.execute(sql: schemaConsoleSummaries)
            try db.execute(sql: "PRAGMA user_version = 7")
        }
        // PostgreSQL's version 8 partitions its entity tables by jurisdiction (`PostgresStore.schemaPartitions`);
        // a SQLite file holds one workspace and has nothing to partition: the version only keeps the engines' numbers equal.
        migrator.registerMigration("v8-jurisdiction-partitions") { db in
            try db.execute(sql: "PRAGMA user_version = 8")
        }
        // PostgreSQL's version 9 partitions the grades by jurisdiction (`PostgresStore.schemaGradePartitions`).
        migrator.registerMigration("v9-grade-partitions") { db in
            try db.execute(sql: "PRAGMA user_version = 9")
        }
        // PostgreSQL's version 10 partitions the roster and quotas (`PostgresStore.schemaRosterPartitions`).
        migrator.registerMigration("v10-roster-partitions") { db in
            try db.execute(sql: "PRAGMA user_version = 10")
        }
        registerPlanJurisdictionMigration(&migrator)
        // PostgreSQL's version 12 partitions the cycle's tables (`PostgresStore.schemaCyclePartitions`).
        migrator.registerMigration("v12-cycle-partitions") { db in
            try db.execute(sql: "PRAGMA user_version = 12")
        }
        return migrator
    }

    /// Version 1. Dates are `YYYY-MM-DD` text (checked by `date(x) IS x`), money is REAL yuan, grades A–D.
    static let schemaV1 = """
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
    ) WITHOUT ROWID;
    CREATE INDEX entities_scenario ON entities(scenario);
    CREATE TABLE directory_memberships (
        department TEXT NOT NULL REFERENCES departments(code),
        entity TEXT NOT NULL REFERENCES entities(credit_code) ON DELETE CASCADE,
        PRIMARY KEY (department, entity)
    ) WITHOUT ROWID;
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
        checked_on TEXT NOT NULL CHECK (date(checked_on) IS checked_on),
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
        opened_on TEXT NOT NULL CHECK (date(opened_on) IS opened_on),
        closed_on TEXT CHECK (closed_on IS NULL OR (date(closed_on) IS closed_on AND closed_on >= opened_on)),
        PRIMARY KEY (check_id, item),
        FOREIGN KEY (check_id, item) REFERENCES findings(check_id, item)
    );
    CREATE TABLE publications (
        check_id TEXT PRIMARY KEY NOT NULL REFERENCES checks(id),
        published_on TEXT NOT NULL CHECK (date(published_on) IS published_on),
        deadline TEXT NOT NULL CHECK (date(deadline) IS deadline)
    );
    CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        action TEXT NOT NULL,
        scenario TEXT NOT NULL DEFAULT '',
        period TEXT NOT NULL DEFAULT '',
        detail TEXT NOT NULL DEFAULT ''
    );
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    -- INSERT OR REPLACE deletes the old row without firing DELETE triggers (unless recursive_triggers is on).
    CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log
    WHEN EXISTS (SELECT 1 FROM audit_log WHERE seq = NEW.seq)
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    """

    /// Version 2: what the closed loop needs to score from the registry.
    ///
    /// - `departments.risk_head`: the model head whose grade is the department's (`risk_<code>` when empty).
    /// - `feature_columns` + `entity_features`: the static feature values of the imported entities file, kept as
    ///   the exact text of each field (joined by commas, in `feature_columns` order). Why text and not one REAL
    ///   column per feature: the feature set is the model's, not the registry's, and keeping the text keeps the
    ///   exported entities file byte-identical to the imported one for every column history does not change.
    /// - `workspace_settings`: e.g. `features_as_of`, the day the static features describe.
    /// - `department_grades`: each department's score and grade per entity and period, as scored (`scored_grade`)
    ///   and after joint sanctions (`grade`).
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
    ) WITHOUT ROWID;
    CREATE TABLE department_grades (
        period TEXT NOT NULL,
        department TEXT NOT NULL REFERENCES departments(code),
        entity TEXT NOT NULL REFERENCES entities(credit_code) ON DELETE CASCADE,
        probability REAL,
        scored_grade TEXT NOT NULL CHECK (scored_grade IN ('A','B','C','D')),
        grade TEXT NOT NULL CHECK (grade IN ('A','B','C','D')),
        PRIMARY KEY (period, department, entity)
    ) WITHOUT ROWID;
    """
}

extension SQLiteStore {
    /// Version 3: the city as the planner needs it, without loss, and plan ids per period.
    ///
    /// - `stratum_quotas`: quotas.csv as given — per department and grade exactly one of a ratio, a count or a
    ///   census (`certain`). Version 1's `quotas` (a ratio per department, scenario and grade, a count divided by
    ///   the directory size) stays filled as before for the export.
    /// - `caps`: caps.csv (scope `all` or a department → yearly cap).
    /// - `scenario_partners`: a scenario's partner departments, in file order (the lead is `scenarios.lead_department`).
    /// - `inspectors`: the roster — district (empty: none), qualified items and last period's entities
    ///   (`;`-separated, like `conflicts`), cap per period (NULL: none recorded), cap per day.
    /// - `plans` keyed by (period, id), one per (scenario, period): a plan id names a plan within its period, so
    ///   the same id may come back in another period. `checks.period` names the period of the check's plan.
    static let schemaV3 = """
    CREATE TABLE stratum_quotas (
        department TEXT NOT NULL REFERENCES departments(code),
        grade TEXT NOT NULL CHECK (grade IN ('A','B','C','D')),
        ratio REAL CHECK (ratio IS NULL OR (ratio >= 0 AND ratio <= 1)),
        count INTEGER CHECK (count IS NULL OR count >= 0),
        certain INTEGER NOT NULL DEFAULT 0 CHECK (certain IN (0, 1)),
        CHECK ((ratio IS NOT NULL) + (count IS NOT NULL) + certain = 1),
        PRIMARY KEY (department, grade)
    ) WITHOUT ROWID;
    CREATE TABLE caps (
        scope TEXT PRIMARY KEY NOT NULL,
        max_checks_per_year INTEGER NOT NULL CHECK (max_checks_per_year >= 0)
    ) WITHOUT ROWID;
    CREATE TABLE scenario_partners (
        scenario TEXT NOT NULL REFERENCES scenarios(code) ON DELETE CASCADE,
        position INTEGER NOT NULL CHECK (position >= 0),
        department TEXT NOT NULL REFERENCES departments(code),
        PRIMARY KEY (scenario, position),
        UNIQUE (scenario, department)
    ) WITHOUT ROWID;
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
        checked_on TEXT NOT NULL CHECK (date(checked_on) IS checked_on),
        inspectors TEXT NOT NULL DEFAULT '',
        FOREIGN KEY (period, plan) REFERENCES plans(period, id),
        UNIQUE (period, plan, entity, department)
    );
    INSERT INTO checks_v3(id, plan, period, entity, department, inclusion_probability, checked_on, inspectors)
    SELECT c.id, c.plan, p.period, c.entity, c.department, c.inclusion_probability, c.checked_on, c.inspectors
    FROM checks c JOIN plans p ON p.id = c.plan;
    DROP TABLE checks;
    DROP TABLE plans;
    ALTER TABLE plans_v3 RENAME TO plans;
    ALTER TABLE checks_v3 RENAME TO checks;
    CREATE INDEX checks_entity ON checks(entity, checked_on);
    """
}
