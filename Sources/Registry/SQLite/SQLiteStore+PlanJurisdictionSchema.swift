import GRDB

extension SQLiteStore {
    /// Registers version 11 (`v11-plan-jurisdictions`): a plan belongs to a jurisdiction. Each jurisdiction draws
    /// its own plan of a scenario for a period (`plan --workspace W --jurisdiction J`), so a shared workspace records
    /// one plan per scenario, period **and jurisdiction**; before, the second jurisdiction's draw of a period was
    /// refused as a repeated draw.
    ///
    /// - `plans.jurisdiction`, last, default `''` (the implicit jurisdiction, which every plan recorded before
    ///   belongs to); the unique key `(scenario, period)` becomes `(jurisdiction, scenario, period)`. SQLite cannot
    ///   change a unique key in place, so the table is rebuilt, with the foreign keys of `checks` checked before the
    ///   migration commits.
    /// - The key `(period, id)` is unchanged: a jurisdiction's plan ids carry its code
    ///   (``Workspace/planID(period:scenario:jurisdiction:)``).
    static func registerPlanJurisdictionMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v11-plan-jurisdictions", foreignKeyChecks: .deferred) { db in
            try db.execute(sql: schemaPlanJurisdictions)
            try db.execute(sql: "PRAGMA user_version = 11")
        }
    }

    static let schemaPlanJurisdictions = """
    CREATE TABLE plans_v11 (
        id TEXT NOT NULL,
        scenario TEXT NOT NULL REFERENCES scenarios(code),
        period TEXT NOT NULL,
        seed TEXT NOT NULL,
        jurisdiction TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (period, id),
        UNIQUE (jurisdiction, scenario, period)
    );
    INSERT INTO plans_v11(id, scenario, period, seed, jurisdiction) SELECT id, scenario, period, seed, '' FROM plans;
    DROP TABLE plans;
    ALTER TABLE plans_v11 RENAME TO plans;
    """
}
