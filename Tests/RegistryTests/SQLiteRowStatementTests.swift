import GRDB
@testable import Registry
import Testing

/// `SQLiteRowStatement`, the C-API binding the bulk writes use: what it stores must be what GRDB's own binding
/// stores, and a refused row must surface as GRDB's error with the statement still usable.
@Suite("SQLite row statements")
struct SQLiteRowStatementTests {
    static func table(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE t (k TEXT PRIMARY KEY NOT NULL CHECK (length(k) > 0), s TEXT NOT NULL, i INTEGER, d REAL)
            """)
    }

    /// Texts (empty, non-ASCII, a NUL inside, a long one), integers, doubles and NULLs are stored as GRDB stores
    /// them: the same rows through both bindings.
    @Test func storesWhatGRDBStores() throws {
        let rows: [(String, String, Int?, Double?)] = [
            ("a", "", nil, nil), ("b", "é composé e\u{301}", 0, 0.5), ("c", "nul\u{0}inside", -7, -0.0),
            ("d", String(repeating: "长", count: 5000), Int.max, .greatestFiniteMagnitude), ("e", "nan", Int.min, .nan),
        ]
        let queue = try DatabaseQueue()
        let (ours, theirs) = try queue.write { db -> ([Row], [Row]) in
            try Self.table(db)
            try db.execute(sql: "CREATE TABLE u AS SELECT * FROM t WHERE 0")
            let insert = try SQLiteRowStatement(db, sql: "INSERT INTO t(k, s, i, d) VALUES (?, ?, ?, ?)")
            for (k, s, i, d) in rows {
                insert.bind(k, at: 1); insert.bind(s, at: 2); insert.bind(i, at: 3); insert.bind(d, at: 4)
                #expect(try insert.execute() == 1)
            }
            for (k, s, i, d) in rows {
                try db.execute(sql: "INSERT INTO u(k, s, i, d) VALUES (?, ?, ?, ?)", arguments: [k, s, i, d])
            }
            let select = "SELECT k, s, typeof(s), length(CAST(s AS BLOB)), i, typeof(i), d, typeof(d) FROM %@ ORDER BY k"
            return (try Row.fetchAll(db, sql: select.replacingOccurrences(of: "%@", with: "t")),
                    try Row.fetchAll(db, sql: select.replacingOccurrences(of: "%@", with: "u")))
        }
        #expect(ours.count == rows.count)
        #expect(ours == theirs)
        // The empty text is not NULL; the decomposed é is stored as given; a text ends at a NUL, as with GRDB.
        #expect(ours[0]["s"] as String? == "" && ours[0][2] as String == "text")
        #expect(ours[2][3] as Int == 3)
        #expect(ours[1]["s"] as String? == "é composé e\u{301}")
        #expect(ours[4][7] as String == "null")  // NaN is stored as NULL, as GRDB's binding stores it
    }

    /// A row the table refuses throws GRDB's `DatabaseError` (constraint, SQLite's message, the SQL) and changes
    /// nothing; the same statement then writes the next row.
    @Test func aRefusedRowThrowsAndTheStatementGoesOn() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try Self.table(db)
            let insert = try SQLiteRowStatement(db, sql: "INSERT INTO t(k, s) VALUES (?, ?)")
            insert.bind("x", at: 1); insert.bind("first", at: 2)
            try insert.execute()
            for (k, expected) in [("x", "UNIQUE"), ("", "CHECK")] {
                insert.bind(k, at: 1); insert.bind("again", at: 2)
                do {
                    try insert.execute()
                    Issue.record("the row \(k) was written")
                } catch let error as DatabaseError {
                    #expect(error.resultCode == .SQLITE_CONSTRAINT)
                    #expect(error.message?.contains(expected) == true, "\(error)")
                    #expect(error.sql?.hasPrefix("INSERT INTO t") == true)
                }
            }
            insert.bind("y", at: 1); insert.bind("second", at: 2)
            #expect(try insert.execute() == 1)
            #expect(try String.fetchAll(db, sql: "SELECT k || '=' || s FROM t ORDER BY k") == ["x=first", "y=second"])
            // An insert that changes no row reports 0 (how `upsertEntities` tells a stored entity).
            let ifNew = try SQLiteRowStatement(db, sql: "INSERT INTO t(k, s) VALUES (?, ?) ON CONFLICT(k) DO NOTHING")
            ifNew.bind("y", at: 1); ifNew.bind("third", at: 2)
            #expect(try ifNew.execute() == 0)
        }
    }
}
