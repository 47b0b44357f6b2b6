import Foundation
import GRDB
import Tables

extension Workspace {
    /// The tables `exportAll` writes, in dependency order, with the columns that order their rows.
    public static let exportedTables: [(table: String, orderBy: String)] = [
        ("departments", "code"), ("scenarios", "code"), ("items", "code"), ("entities", "credit_code"),
        ("directory_memberships", "department, entity"), ("inspectors", "id"),
        ("quotas", "department, scenario, credit_grade"), ("plans", "id"), ("checks", "id"),
        ("findings", "check_id, item"), ("disposals", "check_id, item"), ("publications", "check_id"),
        ("workspace_settings", "key"), ("feature_columns", "position"), ("entity_features", "entity"),
        ("department_grades", "period, department, entity"), ("audit_log", "seq"),
    ]

    /// Writes every table to `directory/<table>.csv` (header = SQL column names, rows in key order, NULL as an
    /// empty field, reals in shortest round-trip form). Each file is written to a temporary file and renamed,
    /// so an interrupted export never leaves a half-written file. All files come from one read transaction,
    /// so they are mutually consistent even while another process writes.
    /// - Returns: the files written.
    @discardableResult
    public func exportAll(to directory: URL) throws -> [URL] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return try database.read { db in
            try Self.exportedTables.map { table, order in
                let url = directory.appendingPathComponent("\(table).csv")
                try Self.export(sql: "SELECT * FROM \(table) ORDER BY \(order)", db: db, to: url)
                return url
            }
        }
    }

    /// Writes the result of `sql` as CSV to `url`, atomically.
    static func export(sql: String, arguments: StatementArguments = StatementArguments(), db: Database,
                       to url: URL) throws {
        let writer = try CSVWriter(url: url)
        do {
            let statement = try db.makeStatement(sql: sql)
            try writer.appendRow(statement.columnNames)
            let rows = try Row.fetchCursor(statement, arguments: arguments)
            while let row = try rows.next() {
                for index in 0..<row.count {
                    let value: DatabaseValue = row[index]
                    switch value.storage {
                    case .null: writer.appendMissingField()
                    case .int64(let v): writer.appendField(Int(v))
                    case .double(let v): writer.appendField(shortest: v)
                    case .string(let s): writer.appendField(s)
                    case .blob(let data): writer.appendField(data.base64EncodedString())
                    }
                }
                try writer.endRow()
            }
            try writer.commit()
        } catch {
            writer.abandon()
            throw error
        }
    }
}
