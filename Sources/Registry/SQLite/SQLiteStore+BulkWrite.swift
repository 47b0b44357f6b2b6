import GRDB

// A bulk write (`import city`): the whole load in one transaction, references checked once at the end, and — when
// nobody else has the workspace open — a rollback journal instead of the WAL for the load's duration.

extension SQLiteStore {
    /// ``RegistryStore/bulkWrite(_:)``: the transaction runs with the connection's foreign keys off, and
    /// ``checkReferences(_:)`` looks for a broken reference in the whole workspace before the commit — a merge of
    /// each referring table with the table it refers to, instead of a lookup per row written (SQLite can switch
    /// foreign keys only between transactions, hence here and not in `bulkLoad`). The connection's foreign keys
    /// are on again afterwards, whatever happened.
    ///
    /// When no other connection has the workspace open, the transaction runs with a rollback journal
    /// (``leaveWAL(_:)``) and the workspace is back in WAL mode afterwards (``returnToWAL(_:)``). Another process
    /// that opens the workspace meanwhile waits for the load as it waits for any writer (up to its `--wait`), where
    /// in WAL mode it could read the state before the load.
    /// - Throws: a broken reference as `RegistryError.storageFailure` naming the table and the table it refers
    ///   to; nothing is written then.
    public func bulkWrite<T>(_ body: (any RegistryWriter) throws -> T) throws -> T {
        try writing {
            // This pool's idle readers hold the WAL open too; closing them lets SQLite leave WAL mode.
            (database as? DatabasePool)?.releaseMemory()
            return try database.writeWithoutTransaction { db in
                let journaled = try Self.leaveWAL(db)
                defer { if journaled { Self.returnToWAL(db) } }
                try db.execute(sql: "PRAGMA foreign_keys = OFF")
                let outcome = Result<T, any Error> {
                    var result: T?
                    try db.inTransaction(.immediate) {
                        result = try body(SQLiteTransaction(db: db))
                        try Self.checkReferences(db)
                        return .commit
                    }
                    return result!
                }
                try db.execute(sql: "PRAGMA foreign_keys = ON")
                return try outcome.get()
            }
        }
    }

    /// Switches `db` from WAL mode to a rollback journal (`DELETE`) when no other connection has the file open,
    /// with `synchronous = FULL` (NORMAL is durable in WAL mode only).
    ///
    /// Why: in WAL mode every page a load writes goes to the `-wal` file and is copied into the file again at the
    /// checkpoint, and each page read is first looked up in the WAL's index. With a rollback journal, the pages a
    /// transaction adds beyond the file's old end are written once, into the file, and not journaled at all; a
    /// failed or interrupted load is still undone (the journal holds the pages it changed, and the file is cut
    /// back to its old length).
    ///
    /// SQLite leaves WAL mode only when no other connection has the WAL open. Any other connection — another
    /// process, the console — makes the switch fail at once (no busy wait), and the load runs in WAL mode.
    /// - Returns: whether `db` is now in rollback-journal mode (to be undone by ``returnToWAL(_:)``).
    static func leaveWAL(_ db: Database) throws -> Bool {
        let timeout = try Int.fetchOne(db, sql: "PRAGMA busy_timeout") ?? 0
        try db.execute(sql: "PRAGMA busy_timeout = 0")
        defer { try? db.execute(sql: "PRAGMA busy_timeout = \(timeout)") }
        do {
            guard try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE") == "delete" else { return false }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            return false
        }
        try db.execute(sql: "PRAGMA synchronous = FULL")
        return true
    }

    /// Switches `db` back to WAL mode, with `synchronous = NORMAL`, after ``leaveWAL(_:)``.
    ///
    /// Best effort, after the load has committed or rolled back: should SQLite refuse (another process reading
    /// past the store's wait), the workspace stays in rollback-journal mode — correct, only without concurrent
    /// reads during writes — until the next read-write open, which switches it to WAL mode as every open does.
    static func returnToWAL(_ db: Database) {
        try? db.execute(sql: "PRAGMA synchronous = NORMAL")
        guard (try? String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")) == "wal" else { return }
        // A pool's readers open the -wal file read-only and need it to hold a frame (GRDB issue 102, as GRDB's
        // own WAL set-up ensures): writing the schema version, unchanged, writes one.
        if let version = try? Int.fetchOne(db, sql: "PRAGMA user_version") {
            try? db.execute(sql: "PRAGMA user_version = \(version)")
        }
    }

    /// Throws SQLite's foreign-key error, naming the tables, when a row of the workspace refers to no row.
    ///
    /// One query per foreign key: the child's key values `EXCEPT` the parent's, ordered, which SQLite runs as a
    /// merge of the two in index order — a pass over each, where `PRAGMA foreign_key_check` looks every child row
    /// up in the parent (about 4× the time for 10.8M memberships). Rows with a NULL in the key refer to nothing,
    /// as SQLite's foreign keys have it. Values compare as stored, so a child's integer 5 would not match a
    /// parent's text '5' that a foreign key would match; the registry's keys are texts on both sides.
    static func checkReferences(_ db: Database) throws {
        let references = try Row.fetchAll(db, sql: """
            SELECT m.name AS child, f.id, f."table" AS parent, f."from", f."to"
            FROM sqlite_master AS m JOIN pragma_foreign_key_list(m.name) AS f
            WHERE m.type = 'table' ORDER BY m.name, f.id, f.seq
            """)
        for (_, columns) in Dictionary(grouping: references, by: { [$0["child"] as String, "\($0["id"] as Int)"] })
            .sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            let child: String = columns[0]["child"], parent: String = columns[0]["parent"]
            let from = columns.map { ($0["from"] as String).quotedDatabaseIdentifier }
            var to = columns.map { ($0["to"] as String?)?.quotedDatabaseIdentifier }
            if to.contains(nil) {  // `REFERENCES parent` alone: the parent's primary key
                to = try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk",
                                         arguments: [parent]).map(\.quotedDatabaseIdentifier)
            }
            let order = (1...from.count).map(String.init).joined(separator: ", ")
            // Not `EXISTS (…)`: SQLite drops the ORDER BY of a subquery there, and with it the merge.
            let broken = try Bool.fetchOne(db, sql: """
                SELECT 1 FROM (SELECT \(from.joined(separator: ", ")) FROM \(child.quotedDatabaseIdentifier)
                    WHERE \(from.map { "\($0) IS NOT NULL" }.joined(separator: " AND "))
                    EXCEPT SELECT \(to.map { $0! }.joined(separator: ", ")) FROM \(parent.quotedDatabaseIdentifier)
                    ORDER BY \(order)) LIMIT 1
                """) ?? false
            if broken {
                throw DatabaseError(resultCode: .SQLITE_CONSTRAINT_FOREIGNKEY, message:
                    "FOREIGN KEY constraint failed: a row of \(child) refers to no row of \(parent)")
            }
        }
    }
}
