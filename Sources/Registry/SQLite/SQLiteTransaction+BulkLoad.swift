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
    /// dropped and FTS5's automatic merging turned off; the names ``announceEntities(_:)`` adds while `body` runs,
    /// or else every stored name at once after it, are indexed in memory and written as one segment (`optimize`
    /// merges any others into it), and the trigger is created again. Per-row trigger inserts cost several times
    /// the whole load of the entities (`Benchmarks/README.md`, registry at city scale). Crash safety is the
    /// transaction's: a kill before the commit leaves the file as before, indexes and trigger included. With
    /// entities already stored nothing is dropped (an upsert of an existing entity replaces its memberships
    /// through `directory_memberships_entity`, and its name through the triggers).
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
        let namesDeferred = deferred.contains { $0.type == "trigger" }
        for object in deferred {
            try db.execute(sql: "DROP \(object.type == "index" ? "INDEX" : "TRIGGER") \(object.name.quotedDatabaseIdentifier)")
        }
        if namesDeferred { try setNameIndexMerging(bulk: true) }
        let result: T
        do {
            result = try body()
        } catch {
            if namesDeferred { try? setNameIndexMerging(bulk: false) }
            for object in deferred { try? db.execute(sql: object.sql) }
            throw error
        }
        if namesDeferred { try indexEntityNames() }
        for object in deferred { try db.execute(sql: object.sql) }
        return result
    }

    /// ``RegistryWriter/announceEntities(_:)``: while ``bulkLoad(_:)`` has deferred the name index (its insert
    /// trigger is absent), adds each entity's name to `entity_names`; otherwise the trigger indexes names as
    /// entities are written, and this does nothing.
    func announceEntities(_ entities: [EntityUpsert]) throws {
        let deferred = try Bool.fetchOne(db, sql: """
            SELECT NOT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = ?)
            """, arguments: [Self.nameIndexTrigger]) ?? false
        guard deferred else { return }
        let insert = try SQLiteRowStatement(db, sql: "INSERT INTO entity_names(credit_code, name) VALUES (?, ?)")
        for upsert in entities {
            insert.bind(upsert.entity.creditCode.rawValue, at: 1)
            insert.bind(upsert.entity.name, at: 2)
            try insert.execute()
        }
    }

    /// FTS5's settings of `entity_names` for adding names: during a bulk load no merging, and an in-memory table of
    /// up to 256 MiB (FTS5's default is 1 MiB) before names are written out as a segment. A million names
    /// (between 64 and 128 MiB there) are then written once, as one segment that `optimize` leaves alone; from two
    /// segments on, `optimize` reads and writes the whole index again (about 1.5 s at 1M entities). The bound
    /// keeps the memory a larger city's names take. Afterwards FTS5's defaults.
    private func setNameIndexMerging(bulk: Bool) throws {
        try db.execute(sql: """
            INSERT INTO entity_names(entity_names, rank) VALUES ('automerge', \(bulk ? 0 : 4));
            INSERT INTO entity_names(entity_names, rank) VALUES ('crisismerge', \(bulk ? 2000 : 16));
            INSERT INTO entity_names(entity_names, rank) VALUES ('hashsize', \(bulk ? 256 << 20 : 1 << 20));
            """)
    }

    /// Completes the name index after a bulk load into an empty workspace: when the announced names are not one
    /// per stored entity (none were announced, or the caller broke the contract), every stored name is indexed
    /// instead; then the segments are merged and the merge settings are FTS5's defaults again.
    private func indexEntityNames() throws {
        let indexed = try Int.fetchOne(db, sql: "SELECT count(*) FROM entity_names") ?? 0
        let stored = try Int.fetchOne(db, sql: "SELECT count(*) FROM entities") ?? 0
        if indexed != stored {
            if indexed > 0 { try db.execute(sql: "DELETE FROM entity_names") }
            try db.execute(sql: "INSERT INTO entity_names(credit_code, name) SELECT credit_code, name FROM entities")
        }
        try db.execute(sql: "INSERT INTO entity_names(entity_names) VALUES ('optimize')")
        try setNameIndexMerging(bulk: false)
    }
}
