import GRDB
import GRDBSQLite

/// A cached statement that writes rows, run many times in a row with its arguments bound straight through SQLite's
/// C API — for bulk loads, where GRDB's bookkeeping per execution (an array of boxed arguments, resets and cleared
/// bindings twice, observation and region tracking) costs more than SQLite's own work for a narrow row.
///
/// Contract: only for statements that change rows inside the write transaction already open (`INSERT`, `UPDATE`,
/// `DELETE`), never for one that begins or ends a transaction or savepoint, and only where no transaction observer
/// needs to see the change (the registry registers none). Each execution binds every parameter (``bind(_:at:)``,
/// 1-based, as SQLite counts) and then calls ``execute()``; texts are copied by SQLite when bound, so the caller's
/// strings need not outlive the call. A failure throws GRDB's `DatabaseError` (result code, SQLite's message, the
/// SQL) like a GRDB execution, so `SQLiteErrors.mapped` reads it the same way; the statement is reset either way.
struct SQLiteRowStatement {
    private let statement: Statement
    private let db: Database

    init(_ db: Database, sql: String) throws {
        self.statement = try db.cachedStatement(sql: sql)
        self.db = db
    }

    /// Binds `text` as GRDB binds a `String`: as a C string, so the text ends at a NUL byte if it holds one.
    func bind(_ text: String, at index: Int32) {
        let code = text.withCString { sqlite3_bind_text(statement.sqliteStatement, index, $0, -1, Self.transient) }
        precondition(code == SQLITE_OK, "binding parameter \(index) of \(statement.sql)")
    }

    /// Binds `value`, or NULL.
    func bind(_ value: Int?, at index: Int32) {
        let code = value.map { sqlite3_bind_int64(statement.sqliteStatement, index, Int64($0)) }
            ?? sqlite3_bind_null(statement.sqliteStatement, index)
        precondition(code == SQLITE_OK, "binding parameter \(index) of \(statement.sql)")
    }

    /// Binds `value` (SQLite stores NaN as NULL), or NULL.
    func bind(_ value: Double?, at index: Int32) {
        let code = value.map { sqlite3_bind_double(statement.sqliteStatement, index, $0) }
            ?? sqlite3_bind_null(statement.sqliteStatement, index)
        precondition(code == SQLITE_OK, "binding parameter \(index) of \(statement.sql)")
    }

    /// Runs the statement with the arguments bound, then resets it.
    /// - Returns: the rows it changed (`sqlite3_changes`).
    @discardableResult
    func execute() throws -> Int {
        let handle = statement.sqliteStatement
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else {
            let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
            sqlite3_reset(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
        }
        sqlite3_reset(handle)
        return Int(sqlite3_changes(db.sqliteConnection))
    }

    /// `SQLITE_TRANSIENT`: SQLite copies the bytes before `sqlite3_bind_text` returns (the C macro is not imported).
    private static var transient: sqlite3_destructor_type { unsafeBitCast(-1, to: sqlite3_destructor_type.self) }
}
