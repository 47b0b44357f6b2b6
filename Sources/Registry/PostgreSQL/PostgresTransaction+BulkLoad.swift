import PostgresNIO
import Supervision

// Bulk loads through `COPY … FROM STDIN`: the rows of a city import, a draw and a period's grades streamed in
// PostgreSQL's text format, a chunk at a time, instead of statements. COPY only inserts, so it serves where every
// row is new: a draw's checks and a period's grades always (their preconditions say none is stored), and the
// entities of an import into an empty directory (the first `import city`); other upserts take the batched
// statements.

extension PostgresTransaction {
    /// The tables a bulk load of entities writes, whose secondary indexes and foreign keys it may defer.
    static let bulkLoadTables = ["entity_codes", "entities", "entity_features", "directory_memberships"]

    /// ``RegistryWriter/bulkLoad(_:)``: when the workspace holds no entity yet, the foreign keys and the secondary
    /// indexes (those no constraint owns) of `bulkLoadTables` are dropped and made again, from their definitions
    /// in the catalogue, after `body`, inside this transaction — one sort per index and one anti-join per foreign
    /// key instead of a B-tree insert and a trigger query per row. A violation is then reported when the key is
    /// added again, with PostgreSQL's message for the row (SQLSTATE 23503, as during the COPY). DDL is
    /// transactional: a rollback restores them. With entities already stored nothing is dropped.
    func bulkLoad<T>(_ body: () throws -> T) throws -> T {
        guard try query("SELECT NOT EXISTS (SELECT 1 FROM entities)")[0].bool(0) else { return try body() }
        let tables = PostgresBind.texts(Self.bulkLoadTables)
        let keys = try query("""
            SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid) FROM pg_constraint
            WHERE contype = 'f' AND conrelid = ANY($1::text[]::regclass[]) ORDER BY 1, 2
            """, [tables]).map { (table: try $0.string(0), name: try $0.string(1), definition: try $0.string(2)) }
        let indexes = try query("""
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
            WHERE i.indrelid = ANY($1::text[]::regclass[])
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            ORDER BY 1
            """, [tables]).map { (name: try $0.string(0), definition: Self.recursive(try $0.string(1))) }
        for key in keys { try query("ALTER TABLE \(key.table) DROP CONSTRAINT \(key.name)") }
        for index in indexes { try query("DROP INDEX \(index.name)") }
        func restore() throws {
            for index in indexes { try query(index.definition) }
            for key in keys { try query("ALTER TABLE \(key.table) ADD CONSTRAINT \(key.name) \(key.definition)") }
        }
        let result: T
        do {
            result = try body()
        } catch {
            // Left as before the call when the transaction can still run statements; a failed one rolls back.
            try? restore()
            throw error
        }
        try restore()
        return result
    }

    /// An index definition as `pg_get_indexdef` gives it, made to build the index on every partition: for a
    /// partitioned table's index the catalogue says `ON ONLY` (the parent alone, attached to later), which would
    /// leave the partitions without it.
    static func recursive(_ definition: String) -> String {
        guard let only = definition.range(of: " ON ONLY ") else { return definition }
        return definition.replacingCharacters(in: only, with: " ON ")
    }

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
        // Ascending keys: each index then takes its entries in order. The partitions are made (by the caller,
        // `upsertEntities`) before any row is copied.
        let sorted = rows.sorted { $0.entity.creditCode < $1.entity.creditCode }
        try copy(sorted, into: "entity_codes", columns: ["credit_code", "jurisdiction"]) { text, upsert in
            text.field(upsert.entity.creditCode.rawValue)
            text.field(upsert.entity.jurisdiction?.rawValue ?? "", last: true)
        }
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
        // In the order of the key (department, entity), as the entities are in theirs.
        let memberships = sorted.indices.flatMap { index in
            Set(sorted[index].departments ?? []).map { (department: $0.rawValue, entity: index) }
        }.sorted { ($0.department, $0.entity) < ($1.department, $1.entity) }
        try copy(memberships, into: "directory_memberships",
                 columns: ["department", "entity", "jurisdiction"]) { text, membership in
            let entity = sorted[membership.entity].entity
            text.field(membership.department)
            text.field(entity.creditCode.rawValue)
            text.field(entity.jurisdiction?.rawValue ?? "", last: true)
        }
        try copy(sorted.lazy.filter { $0.featureValues != nil }, into: "entity_features",
                 columns: ["entity", "feature_values", "jurisdiction"]) { text, upsert in
            text.field(upsert.entity.creditCode.rawValue)
            text.field(upsert.featureValues!)
            text.field(upsert.entity.jurisdiction?.rawValue ?? "", last: true)
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
