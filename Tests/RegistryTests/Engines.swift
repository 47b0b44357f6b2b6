import Foundation
import GRDB
import Registry
import Testing
import TestSupport

/// The storage engines the registry suite runs on. Every engine-neutral test takes an `Engine` argument
/// (`@Test(arguments: Engine.allCases)`), so a second engine (PostgreSQL) is one more case here: how to make a
/// workspace, and how to run the few raw queries tests use to look inside.
enum Engine: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite

    var testDescription: String { rawValue }

    /// A new, empty workspace of this engine, kept in `directory`.
    func createWorkspace(in directory: TemporaryDirectory, name: String = "city.onecheck") throws -> Workspace {
        switch self {
        case .sqlite: return try Workspace.create(at: directory.file(name).path)
        }
    }

    /// The rows of a query in the engine's SQL, each value as text (NULL as "", reals in Swift's `description`).
    func rows(_ workspace: Workspace, _ sql: String, _ arguments: [String] = []) throws -> [[String]] {
        switch self {
        case .sqlite:
            return try Self.sqlite(workspace).read { db in
                try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map { row in
                    row.databaseValues.map { value -> String in
                        switch value.storage {
                        case .string(let s): return s
                        case .int64(let i): return String(i)
                        case .double(let x): return String(x)
                        case .blob, .null: return ""
                        }
                    }
                }
            }
        }
    }

    /// The one value of a query, as text.
    func value(_ workspace: Workspace, _ sql: String, _ arguments: [String] = []) throws -> String? {
        try rows(workspace, sql, arguments).first?.first
    }

    /// The first column of each row of a query, as text.
    func column(_ workspace: Workspace, _ sql: String, _ arguments: [String] = []) throws -> [String] {
        try rows(workspace, sql, arguments).map { $0[0] }
    }

    /// The number of rows of `table`.
    func count(_ workspace: Workspace, _ table: String) throws -> Int {
        Int(try value(workspace, "SELECT COUNT(*) FROM \(table)") ?? "") ?? -1
    }

    /// Runs a statement in the engine's SQL outside the registry's API (to show what the store itself refuses).
    func execute(_ workspace: Workspace, _ sql: String) throws {
        switch self {
        case .sqlite: try Self.sqlite(workspace).write { db in try db.execute(sql: sql) }
        }
    }

    static func sqlite(_ workspace: Workspace) throws -> any DatabaseWriter {
        try #require(workspace.store as? SQLiteStore).database
    }
}
