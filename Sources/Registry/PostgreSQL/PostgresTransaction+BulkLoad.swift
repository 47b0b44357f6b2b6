import PostgresNIO
import Supervision

// Bulk loads through `COPY … FROM STDIN`: the rows of a city import, a draw and a period's grades streamed in
// PostgreSQL's text format, a chunk at a time, instead of statements. COPY only inserts, so it serves where every
// row is new: a draw's checks and a period's grades always (their preconditions say none is stored), and the
// entities of an import into an empty directory (the first `import city`); other upserts take the batched
// statements.

extension PostgresTransaction {
    /// Rows per COPY (bounds the memory of one chunk's text).
    static let copyChunk = 100_000

    /// Streams `rows` into `table` with COPY, `chunk` rows at a time; `fields` writes one row's fields.
    func copy<Row>(_ rows: some Collection<Row>, into table: String, columns: [String],
                   _ fields: (inout PostgresCopyText, Row) -> Void) throws {
        var text = PostgresCopyText()
        for row in rows {
            fields(&text, row)
            if text.rows == Self.copyChunk {
                try session.copy(into: table, columns: columns, data: text.buffer)
                text = PostgresCopyText()
            }
        }
        if text.rows > 0 { try session.copy(into: table, columns: columns, data: text.buffer) }
    }

    /// Loads `rows` (one per key) with COPY when the directory is empty; returns false, loading nothing, otherwise.
    func bulkLoadEntities(_ rows: [EntityUpsert]) throws -> Bool {
        guard !rows.isEmpty, try query("SELECT NOT EXISTS (SELECT 1 FROM entities)")[0].bool(0) else { return false }
        // Ascending keys: each index then takes its entries in order.
        let sorted = rows.sorted { $0.entity.creditCode < $1.entity.creditCode }
        try copy(sorted, into: "entities", columns: ["credit_code", "name", "scenario", "district",
                                                     "legal_representative", "credit_grade", "jurisdiction"]) { text, upsert in
            let e = upsert.entity
            text.field(e.creditCode.rawValue)
            text.field(e.name)
            text.field(e.scenario.rawValue)
            text.field(e.district?.rawValue ?? "")
            // A new entity without a written representative has the column's default, "".
            text.field(upsert.writesLegalRepresentative ? e.legalRepresentative : "")
            text.field(e.creditGrade.label)
            text.field(e.jurisdiction?.rawValue ?? "", last: true)
        }
        let memberships = sorted.lazy.flatMap { upsert in
            Set(upsert.departments ?? []).sorted().map { ($0.rawValue, upsert.entity.creditCode.rawValue) }
        }
        try copy(memberships, into: "directory_memberships", columns: ["department", "entity"]) { text, pair in
            text.field(pair.0)
            text.field(pair.1, last: true)
        }
        try copy(sorted.lazy.filter { $0.featureValues != nil }, into: "entity_features",
                 columns: ["entity", "feature_values"]) { text, upsert in
            text.field(upsert.entity.creditCode.rawValue)
            text.field(upsert.featureValues!, last: true)
        }
        return true
    }

    /// Loads a period's grades with COPY (none of their keys is stored: the writer's precondition).
    func bulkLoadGrades(_ grades: [DepartmentGrade]) throws -> Bool {
        guard grades.count > 1 else { return false }
        try copy(grades, into: "department_grades",
                 columns: ["period", "department", "entity", "probability", "scored_grade", "grade"]) { text, g in
            text.field(g.period.description)
            text.field(g.department.rawValue)
            text.field(g.entity.rawValue)
            // Swift's shortest exact text of the double, which float8 reads back to the same value.
            text.field(g.probability.map { "\($0)" })
            text.field(g.scoredGrade.label)
            text.field(g.grade.label, last: true)
        }
        return true
    }
}
