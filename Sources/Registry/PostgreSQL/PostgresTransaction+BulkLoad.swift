import PostgresNIO
import Supervision

// Bulk loads through `COPY … FROM STDIN`: the rows of a city import and a period's grades streamed in PostgreSQL's
// text format, a chunk at a time, instead of statements. COPY only inserts, so it serves where every row is new: a
// period's grades (their precondition says none is stored) and the entities of an import into an empty directory
// (the first `import city`). Other writes — upserts, and a draw's checks — take the batched statements.

extension PostgresTransaction {
    /// The tables a bulk load of entities writes, whose secondary indexes and foreign keys it may defer.
    static let bulkLoadTables = ["entity_codes", "entities", "entity_features", "directory_memberships"]

    /// ``RegistryWriter/bulkLoad(_:)``: when the workspace holds no entity yet, the foreign keys and the secondary
    /// indexes (those no constraint owns) of `bulkLoadTables` are dropped and made again, from their definitions
    /// in the catalogue, after `body`, inside this transaction — one sort per index and one anti-join per foreign
    /// key instead of a B-tree insert and a trigger query per row. A violation is then reported when the key is
    /// added again, with PostgreSQL's message for the row (SQLSTATE 23503, as during the COPY). DDL is
    /// transactional: a rollback restores them. With entities already stored nothing is dropped.
    ///
    /// The tables are then analysed (`analyse`, in this transaction, which sees its own rows), as PostgreSQL's
    /// guide to populating a database asks after a bulk load. Without statistics the planner takes the partitions
    /// for nearly empty: an `import scores` right after `import city` looked up each entity's memberships through
    /// the primary key `(jurisdiction, department, entity)`, a scan of the whole partition per entity (minutes per
    /// block of a 1M city, `Benchmarks/README.md`). Autovacuum analyses the partitions only some time after the
    /// commit, and never a partitioned table itself.
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
        try analyse()
        return result
    }

    /// Statistics for `bulkLoadTables` (each partitioned table and its partitions) from a small sample
    /// (`default_statistics_target` 10: 3,000 rows a table where the default takes 30,000): enough for the planner
    /// to choose the right index and join, at a fifth of the time. The commit counts the loaded rows as changes,
    /// so autovacuum analyses the partitions again soon with the default target; a partitioned table itself had no
    /// statistics at all before.
    private func analyse() throws {
        try query("SET LOCAL default_statistics_target = 10")
        try query("ANALYZE \(Self.bulkLoadTables.joined(separator: ", "))")
        try query("RESET default_statistics_target")
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
    func copy<Row>(_ rows: some Sequence<Row>, into table: String, columns: [String],
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

    /// Loads `entities[keyed]` (`keyed`: one position per code, in key order) with COPY when the directory is
    /// empty; returns false, loading nothing, otherwise. The rows are reached through their positions, never
    /// copied or sorted as values (an upsert holds a dozen strings).
    func bulkLoadEntities(_ entities: [EntityUpsert], keyed: [Int]) throws -> Bool {
        guard !keyed.isEmpty, try query("SELECT NOT EXISTS (SELECT 1 FROM entities)")[0].bool(0) else { return false }
        // Ascending keys: each index then takes its entries in order. The partitions are made (by the caller,
        // `upsertEntities`) before any row is copied.
        // The closures read each field in place (`entities[index].entity.…`): a copy of an upsert or an entity
        // would retain and release every string it holds, once per row.
        try copy(keyed, into: "entity_codes", columns: ["credit_code", "jurisdiction"]) { text, index in
            text.field(entities[index].entity.creditCode.rawValue)
            text.field(entities[index].entity.jurisdiction.storedText, last: true)
        }
        try copy(keyed, into: "entities", columns: ["credit_code", "name", "scenario", "district",
                                                    "legal_representative", "credit_grade", "jurisdiction"]) { text, index in
            text.field(entities[index].entity.creditCode.rawValue)
            text.field(entities[index].entity.name)
            text.field(entities[index].entity.scenario.rawValue)
            text.field(entities[index].entity.district?.rawValue ?? "")
            // A new entity without a written representative has the column's default, "".
            text.field(entities[index].writesLegalRepresentative ? entities[index].entity.legalRepresentative : "")
            text.field(entities[index].entity.creditGrade.label)
            text.field(entities[index].entity.jurisdiction.storedText, last: true)
        }
        // In the order of the key (department, entity): each department's members collected in entity order (a
        // department named twice by an entity is one membership), the departments in byte order.
        var members: [DepartmentCode: [Int]] = [:]
        for index in keyed {
            for department in entities[index].departments ?? [] where members[department]?.last != index {
                members[department, default: []].append(index)
            }
        }
        let memberships = members.keys.sorted().lazy.flatMap { department in
            members[department]!.lazy.map { (department: department.rawValue, entity: $0) }
        }
        try copy(memberships, into: "directory_memberships",
                 columns: ["department", "entity", "jurisdiction"]) { text, membership in
            text.field(membership.department)
            text.field(entities[membership.entity].entity.creditCode.rawValue)
            text.field(entities[membership.entity].entity.jurisdiction.storedText, last: true)
        }
        try copy(keyed.lazy.filter { entities[$0].featureValues != nil }, into: "entity_features",
                 columns: ["entity", "feature_values", "jurisdiction"]) { text, index in
            text.field(entities[index].entity.creditCode.rawValue)
            text.field(entities[index].featureValues!)
            text.field(entities[index].entity.jurisdiction.storedText, last: true)
        }
        return true
    }

    /// Loads a period's grades with COPY (none of their keys is stored: the writer's precondition): into a
    /// temporary table of the grades' shape, then into `department_grades` with each entity's jurisdiction (the
    /// partition key) from `entity_codes` — an unknown entity's grade is refused by the foreign key.
    func bulkLoadGrades(_ grades: [DepartmentGrade]) throws -> Bool {
        guard grades.count > 1 else { return false }
        try query("CREATE TEMPORARY TABLE onecheck_grades_in (LIKE department_grades INCLUDING DEFAULTS) ON COMMIT DROP")
        defer { _ = try? query("DROP TABLE IF EXISTS onecheck_grades_in") }
        let columns = ["period", "department", "entity", "probability", "scored_grade", "grade"]
        try copy(grades, into: "onecheck_grades_in", columns: columns) { text, g in
            text.field(g.period.description)
            text.field(g.department.rawValue)
            text.field(g.entity.rawValue)
            // Swift's shortest exact text of the double, which float8 reads back to the same value.
            text.field(g.probability.map { "\($0)" })
            text.field(g.scoredGrade.label)
            text.field(g.grade.label, last: true)
        }
        try query("""
            INSERT INTO department_grades(\(columns.joined(separator: ", ")), jurisdiction)
            SELECT \(columns.map { "g." + $0 }.joined(separator: ", ")), COALESCE(c.jurisdiction, '')
            FROM onecheck_grades_in g LEFT JOIN entity_codes c ON c.credit_code = g.entity
            """)
        return true
    }
}
