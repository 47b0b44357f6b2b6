import GRDB

extension SQLiteStore {
    /// Registers version 6: the jurisdiction key (issue 18 §3) — a city's entities, roster and quotas, each row
    /// with the jurisdiction it belongs to (`Supervision.Jurisdiction`; `''` is the one implicit jurisdiction of a
    /// city file without the column, which every row written before version 6 belongs to).
    ///
    /// - `entities.jurisdiction`, `inspectors.jurisdiction`: added with default `''`, indexed for the per-jurisdiction
    ///   reads of `plan --workspace --jurisdiction`.
    /// - `stratum_quotas`: rebuilt with `jurisdiction` in its key, `(jurisdiction, department, grade)`, since each
    ///   jurisdiction agrees its own quotas (SQLite cannot change a primary key in place).
    ///
    /// Self-contained (one function, one migration name) so that it can be renumbered beside other version-6
    /// migrations without touching them.
    static func registerJurisdictionMigration(_ migrator: inout DatabaseMigrator, version: Int = 6) {
        migrator.registerMigration("v\(version)-jurisdictions") { db in
            try db.execute(sql: schemaJurisdictions)
            try db.execute(sql: "PRAGMA user_version = \(version)")
        }
    }

    static let schemaJurisdictions = jurisdictionsSQL(postgreSQL: false)

    /// The statements of version 6 in either engine's dialect (PostgreSQL's through
    /// `PostgresStore.dialect(_:)`): the same columns, keys and checks; SQLite's quotas table is `WITHOUT ROWID`,
    /// and PostgreSQL counts true conditions through `::int`.
    static func jurisdictionsSQL(postgreSQL: Bool) -> String {
        let count = { (condition: String) in postgreSQL ? "(\(condition))::int" : "(\(condition))" }
        return """
        ALTER TABLE entities ADD COLUMN jurisdiction TEXT NOT NULL DEFAULT '';
        CREATE INDEX entities_jurisdiction ON entities(jurisdiction, credit_code);
        ALTER TABLE inspectors ADD COLUMN jurisdiction TEXT NOT NULL DEFAULT '';
        CREATE INDEX inspectors_jurisdiction ON inspectors(jurisdiction, id);
        CREATE TABLE stratum_quotas_v6 (
            jurisdiction TEXT NOT NULL DEFAULT '',
            department TEXT NOT NULL REFERENCES departments(code),
            grade TEXT NOT NULL CHECK (grade IN ('A','B','C','D')),
            ratio REAL CHECK (ratio IS NULL OR (ratio >= 0 AND ratio <= 1)),
            count INTEGER CHECK (count IS NULL OR count >= 0),
            certain INTEGER NOT NULL DEFAULT 0 CHECK (certain IN (0, 1)),
            CHECK (\(count("ratio IS NOT NULL")) + \(count("count IS NOT NULL")) + certain = 1),
            PRIMARY KEY (jurisdiction, department, grade)
        )\(postgreSQL ? "" : " WITHOUT ROWID");
        INSERT INTO stratum_quotas_v6 (jurisdiction, department, grade, ratio, count, certain)
            SELECT '', department, grade, ratio, count, certain FROM stratum_quotas;
        DROP TABLE stratum_quotas;
        ALTER TABLE stratum_quotas_v6 RENAME TO stratum_quotas;
        """
    }
}
