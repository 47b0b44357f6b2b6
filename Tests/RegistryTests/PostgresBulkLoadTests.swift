import Foundation
import Registry
import Tables
import Testing
import TestSupport

/// The PostgreSQL bulk load (`PostgresTransaction.bulkLoad`) drops the foreign keys and secondary indexes of an
/// empty workspace's entity tables and makes them again from the catalogue's definitions: after an import and
/// after a refused one, the schema is the one `init` made.
extension CityImportTests {
    /// Every index and constraint of the workspace's tables, with its definition.
    static let postgresSchema = """
        SELECT 'index', indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'
        UNION ALL
        SELECT 'constraint', conrelid::regclass::text || '.' || conname, pg_get_constraintdef(oid) FROM pg_constraint
        WHERE connamespace = 'public'::regnamespace
        ORDER BY 1, 2
        """

    @Test(.enabled(if: TestPostgres.enabled)) func postgresBulkLoadLeavesTheSchemaAsInitMadeIt() throws {
        let city = try TinyCity(entities: 40, engine: .postgres)
        defer { city.directory.remove() }
        let workspace = try city.workspace()
        let initial = try Self.rows(workspace, .postgres, Self.postgresSchema)
        #expect(initial.contains { $0.hasPrefix("index|directory_memberships_entity|") })
        #expect(initial.contains { $0.hasPrefix("constraint|directory_memberships.directory_memberships_entity_fkey|") })
        try workspace.importCity(from: city.directory.url)
        #expect(try Self.rows(workspace, .postgres, Self.postgresSchema) == initial)
        #expect(try Engine.postgres.count(workspace, "directory_memberships") > 0)
        // The keys are enforced again: a membership of no entity is refused.
        #expect(throws: (any Error).self) {
            try Engine.postgres.rows(workspace, """
                INSERT INTO directory_memberships(department, entity) \
                SELECT department, 'no such entity' FROM directory_memberships LIMIT 1
                """)
        }

        let fresh = try Engine.postgres.createWorkspace(in: city.directory)
        var rows = [["entity_id", "district", "scenario", "people_staff_count"]]
        for code in city.codes { rows.append([code, "310101", "restaurant", "1"]) }
        rows[rows.count - 1][3] = "many"
        try city.write("entities.csv", rows)
        #expect(throws: TableError.self) { try fresh.importCity(from: city.directory.url) }
        #expect(try Self.rows(fresh, .postgres, Self.postgresSchema) == initial)
        #expect(try Engine.postgres.count(fresh, "entities") == 0)
    }
}

extension CityImportTests {
    /// The tables of a bulk load are analysed before it commits: the planner has statistics for every partitioned
    /// table (`inherited`) and its partitions the moment the first import is visible. Without them the first
    /// `import scores` read each entity's memberships through the wrong index (`Benchmarks/README.md`).
    @Test(.enabled(if: TestPostgres.enabled)) func postgresBulkLoadAnalysesItsTables() throws {
        let city = try TinyCity(entities: 40, engine: .postgres)
        defer { city.directory.remove() }
        let workspace = try city.workspace()
        let analysed = """
            SELECT DISTINCT tablename::text || CASE WHEN inherited THEN ' (all partitions)' ELSE '' END
            FROM pg_stats WHERE schemaname = 'public' ORDER BY 1
            """
        #expect(try Self.rows(workspace, .postgres, analysed).isEmpty)
        try workspace.importCity(from: city.directory.url)
        let after = Set(try Self.rows(workspace, .postgres, analysed))
        for table in ["entity_codes", "entities (all partitions)", "directory_memberships (all partitions)",
                      "entity_features (all partitions)"] {
            #expect(after.contains(table), "\(table) not analysed: \(after.sorted())")
        }
        // The partitions too (`<table>_j<n>`), where the rows are.
        for table in ["entities", "directory_memberships", "entity_features"] {
            #expect(after.contains { $0.hasPrefix("\(table)_j") && !$0.hasSuffix(")") }, "\(table)'s partitions")
        }
    }
}
