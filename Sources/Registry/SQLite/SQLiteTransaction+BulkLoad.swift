import GRDB
import Supervision

// Bulk loads of entities: deferred secondary indexes, a larger page cache, and rows written in key order.

extension SQLiteTransaction {
    /// The tables a bulk load of entities writes, whose secondary indexes it may defer.
    static let bulkLoadTables = ["entities", "entity_features", "directory_memberships"]

    /// Page cache during a bulk load, in KiB (256 MiB): the B-trees a city's entities fill then mostly stay in
    /// memory until commit instead of spilling pages to the WAL file and reading them back.
    static let bulkLoadCacheKiB = 256 << 10

    /// The trigger that adds a new entity's name to the trigram index `entity_names` (schema v7), deferred by a
    /// bulk load like the secondary indexes.
    static let nameIndexTrigger = "entity_names_insert"

    /// ``RegistryWriter/bulkLoad(_:)``: when the workspace holds no entity yet, the secondary indexes of
    /// `bulkLoadTables` are dropped and built again (with the same SQL) after `body`, inside this transaction —
    /// one sort instead of a random B-tree insert per row — and so is the name index: its insert trigger is
    /// dropped, and after `body` every name is indexed by one `INSERT … SELECT` with FTS5's automatic merging off,
    /// then merged into one segment (`optimize`), and the trigger is created again. Per-row trigger inserts cost
    /// several times the whole load of the entities (`Benchmarks/README.md`, registry at city scale). Crash
    /// safety is the transaction's: a kill before the commit leaves the file as before, indexes and trigger
    /// included. With entities already stored nothing is dropped (an upsert of an existing entity replaces its
    /// memberships through `directory_memberships_entity`, and its name through the triggers).
    func bulkLoad<T>(_ body: () throws -> T) throws -> T {
        let cache = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
        if cache > -Self.bulkLoadCacheKiB { try db.execute(sql: "PRAGMA cache_size = -\(Self.bulkLoadCacheKiB)") }
        defer { try? db.execute(sql: "PRAGMA cache_size = \(cache)") }
        let empty = try Bool.fetchOne(db, sql: "SELECT NOT EXISTS (SELECT 1 FROM entities)") ?? false
        let deferred = empty ? try Row.fetchAll(db, sql: """
            SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND (
                (type = 'index' AND tbl_name IN \(Self.placeholders(Self.bulkLoadTables.count)))
                OR (type = 'trigger' AND name = ?)) ORDER BY type, name
            """, arguments: StatementArguments(Self.bulkLoadTables + [Self.nameIndexTrigger]))
            .map { (type: $0[0] as String, name: $0[1] as String, sql: $0[2] as String) } : []
        for object in deferred {
            try db.execute(sql: "DROP \(object.type == "index" ? "INDEX" : "TRIGGER") \(object.name.quotedDatabaseIdentifier)")
        }
        let result: T
        do {
            result = try body()
        } catch {
            for object in deferred { try? db.execute(sql: object.sql) }
            throw error
        }
        if deferred.contains(where: { $0.type == "trigger" }) { try indexEntityNames() }
        for object in deferred { try db.execute(sql: object.sql) }
        return result
    }

    /// Indexes every stored entity's name in `entity_names` at once (the table is empty: its trigger was deferred
    /// while the entities were empty). FTS5's merge settings are FTS5's defaults again afterwards.
    private func indexEntityNames() throws {
        try db.execute(sql: """
            INSERT INTO entity_names(entity_names, rank) VALUES ('automerge', 0);
            INSERT INTO entity_names(entity_names, rank) VALUES ('crisismerge', 2000);
            INSERT INTO entity_names(credit_code, name) SELECT credit_code, name FROM entities;
            INSERT INTO entity_names(entity_names) VALUES ('optimize');
            INSERT INTO entity_names(entity_names, rank) VALUES ('automerge', 4);
            INSERT INTO entity_names(entity_names, rank) VALUES ('crisismerge', 16);
            """)
    }
}
