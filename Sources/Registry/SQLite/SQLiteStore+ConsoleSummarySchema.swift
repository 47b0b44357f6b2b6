import GRDB
import Supervision

extension SQLiteStore {
    /// Version 7 (migration `v7-console-summaries`): the counts the console's model page reads, kept beside the
    /// department grades so that no page recounts millions of grades, and the index of entity names its search
    /// reads.
    ///
    /// - `grade_counts`: entities per period, department and grade (after sanctions);
    /// - `probability_bins`: stored probabilities per period, department and bin of ``summaryBins`` equal bins of
    ///   [0, 1] (bin `min(⌊p·bins⌋, bins − 1)`, the last bin holding 1), the bins the model page draws.
    ///
    /// Both are derived: the engine maintains them in the same transaction as every write of `department_grades`
    /// (`insertDepartmentGrades`, `deleteDepartmentGrades`), and the migration fills them from the grades stored.
    /// They are not exported (``RegistryTable/all``): an import rebuilds them from the grades.
    ///
    /// - `entity_names`: an FTS5 table with the trigram tokenizer (case-sensitive) over every entity's name, so that
    ///   "names containing this text" (three characters or more) is an index lookup on a million names. Triggers
    ///   keep it equal to `entities.name`: a new entity adds its row, a changed name replaces it (found through
    ///   the index by the old name, then by credit code), a removed entity removes it.
    static let schemaConsoleSummaries = """
    CREATE TABLE grade_counts (
        period TEXT NOT NULL,
        department TEXT NOT NULL,
        grade TEXT NOT NULL CHECK (grade IN ('A','B','C','D')),
        entities INTEGER NOT NULL CHECK (entities >= 0),
        PRIMARY KEY (period, department, grade)
    ) WITHOUT ROWID;
    CREATE TABLE probability_bins (
        period TEXT NOT NULL,
        department TEXT NOT NULL,
        bin INTEGER NOT NULL CHECK (bin >= 0),
        entities INTEGER NOT NULL CHECK (entities >= 0),
        PRIMARY KEY (period, department, bin)
    ) WITHOUT ROWID;
    INSERT INTO grade_counts(period, department, grade, entities)
    SELECT period, department, grade, COUNT(*) FROM department_grades GROUP BY period, department, grade;
    INSERT INTO probability_bins(period, department, bin, entities)
    SELECT period, department, MIN(CAST(probability * \(summaryBins) AS INTEGER), \(summaryBins - 1)) AS bin, COUNT(*)
    FROM department_grades WHERE probability IS NOT NULL GROUP BY period, department, bin;
    CREATE VIRTUAL TABLE entity_names USING fts5(credit_code UNINDEXED, name, tokenize = 'trigram case_sensitive 1');
    INSERT INTO entity_names(credit_code, name) SELECT credit_code, name FROM entities;
    CREATE TRIGGER entity_names_insert AFTER INSERT ON entities BEGIN
        INSERT INTO entity_names(credit_code, name) VALUES (new.credit_code, new.name);
    END;
    CREATE TRIGGER entity_names_update AFTER UPDATE OF name ON entities WHEN old.name IS NOT new.name BEGIN
        \(forgetName("old"))
        INSERT INTO entity_names(credit_code, name) VALUES (new.credit_code, new.name);
    END;
    CREATE TRIGGER entity_names_delete AFTER DELETE ON entities BEGIN
        \(forgetName("old"))
    END;
    """

    /// Removes the `entity_names` row of the entity `row` (`old` in a trigger): looked up through the index by its
    /// name when the name has a trigram (three characters or more), then by credit code.
    private static func forgetName(_ row: String) -> String {
        """
        DELETE FROM entity_names WHERE rowid IN (
            SELECT rowid FROM entity_names
            WHERE length(\(row).name) >= 3 AND entity_names MATCH '"' || replace(\(row).name, '"', '""') || '"'
              AND credit_code = \(row).credit_code
            UNION ALL
            SELECT rowid FROM entity_names WHERE length(\(row).name) < 3 AND credit_code = \(row).credit_code);
        """
    }

    /// The bins of `probability_bins`: the model page's histogram (``Workspace/modelFigures(period:bins:)``'s default).
    static let summaryBins = 20
}

extension SQLiteTransaction {
    /// Adds `grades` to the summaries (`grade_counts`, `probability_bins`): counted in memory, then one upsert per
    /// (period, department, grade) and per bin — a few dozen statements for millions of grades.
    func addToSummaries(_ grades: [DepartmentGrade]) throws {
        struct GradeKey: Hashable { let period: String, department: String, grade: String }
        struct BinKey: Hashable { let period: String, department: String, bin: Int }
        var counts: [GradeKey: Int] = [:], bins: [BinKey: Int] = [:]
        let n = SQLiteStore.summaryBins
        for g in grades {
            let period = g.period.description
            counts[GradeKey(period: period, department: g.department.rawValue, grade: g.grade.label), default: 0] += 1
            // SQLite stores NaN as NULL: no bin, as in the migration's `probability IS NOT NULL`.
            if let p = g.probability, !p.isNaN {
                // As CAST(p * n AS INTEGER) clamped to the bins: truncation toward zero, the last bin holding 1.
                let scaled = p * Double(n)
                let bin = scaled >= Double(n) ? n - 1 : scaled <= 0 ? 0 : Int(scaled)
                bins[BinKey(period: period, department: g.department.rawValue, bin: bin), default: 0] += 1
            }
        }
        let count = try db.cachedStatement(sql: """
            INSERT INTO grade_counts(period, department, grade, entities) VALUES (?, ?, ?, ?)
            ON CONFLICT(period, department, grade) DO UPDATE SET entities = entities + excluded.entities
            """)
        for (key, value) in counts {
            count.setUncheckedArguments([key.period, key.department, key.grade, value])
            try count.execute()
        }
        let bin = try db.cachedStatement(sql: """
            INSERT INTO probability_bins(period, department, bin, entities) VALUES (?, ?, ?, ?)
            ON CONFLICT(period, department, bin) DO UPDATE SET entities = entities + excluded.entities
            """)
        for (key, value) in bins {
            bin.setUncheckedArguments([key.period, key.department, key.bin, value])
            try bin.execute()
        }
    }

    /// Removes `period` from the summaries.
    func removeFromSummaries(period: Period) throws {
        try db.execute(sql: "DELETE FROM grade_counts WHERE period = ?", arguments: [period.description])
        try db.execute(sql: "DELETE FROM probability_bins WHERE period = ?", arguments: [period.description])
    }
}
