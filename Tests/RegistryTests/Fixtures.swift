import Foundation
import GRDB
import Registry
import TestSupport

enum Fixtures {
    /// A valid code: a random 17-character prefix of the alphabet and its check character.
    static func creditCode(_ rng: inout SeededGenerator) -> String {
        let alphabet = UnifiedSocialCreditCode.alphabet
        var prefix = "91"
        for _ in 0..<15 { prefix.unicodeScalars.append(Unicode.Scalar(alphabet[Int(rng.next() % 31)])) }
        return prefix + String(UnifiedSocialCreditCode.checkCharacter(forPrefix: prefix)!)
    }

    /// A CSV file from rows (fields quoted only when needed).
    static func write(_ rows: [[String]], to url: URL) throws {
        let text = rows.map { row in
            row.map { field in
                field.contains(",") || field.contains("\"") || field.contains("\n")
                    ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
            }.joined(separator: ",")
        }.joined(separator: "\n") + "\n"
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    /// A small city: two departments sharing one restaurant scenario, items of each element, and `count`
    /// entities (all in MKT's directory, every other one also in FIRE's).
    struct City {
        let directory: TemporaryDirectory
        let codes: [String]
        var workspacePath: String { directory.file("city.onecheck").path }

        init(entities count: Int = 40, seed: UInt64 = 7) throws {
            directory = try TemporaryDirectory("registry")
            var rng = SeededGenerator(seed: seed)
            var codes = Set<String>()
            while codes.count < count { codes.insert(Fixtures.creditCode(&rng)) }
            self.codes = codes.sorted()
            try Fixtures.write([["code", "name"], ["MKT", "Market regulation"], ["FIRE", "Fire safety"]],
                               to: directory.file("departments.csv"))
            try Fixtures.write([["code", "name", "lead_department"], ["REST", "Restaurants", "MKT"]],
                               to: directory.file("scenarios.csv"))
            try Fixtures.write([
                ["code", "department", "scenario", "name", "element", "measure", "legal_basis"],
                ["MKT-1", "MKT", "REST", "Food handler health certificates", "people", "on_site", "Food Safety Law art. 45"],
                ["MKT-2", "MKT", "REST", "Cold storage temperature", "equipment", "on_site", ""],
                ["MKT-3", "MKT", "REST", "Purchase records", "rules", "documents", ""],
                ["FIRE-1", "FIRE", "REST", "Extinguishers serviced", "equipment", "on_site", "Fire Protection Law art. 16"],
                ["FIRE-2", "FIRE", "REST", "Exits unobstructed", "environment", "on_site", ""],
            ], to: directory.file("items.csv"))
            var rows = [["credit_code", "name", "scenario", "district", "legal_representative", "credit_grade", "departments"]]
            for (i, code) in self.codes.enumerated() {
                rows.append([code, "Restaurant \(i), Ltd.", "REST", "D\(i % 3)", "Person \(i)",
                             ["A", "B", "C", "D"][i % 4], i % 2 == 0 ? "MKT;FIRE" : "MKT"])
            }
            try Fixtures.write(rows, to: directory.file("entities.csv"))
        }

        /// Creates the workspace and imports departments, scenarios, items and entities.
        func workspace() throws -> Workspace {
            let workspace = try Workspace.create(at: workspacePath)
            for kind in [ImportKind.departments, .scenarios, .items, .entities] {
                try workspace.importCSV(kind, from: directory.file("\(kind.rawValue).csv"),
                                        options: ImportOptions(auditTime: "2026-01-01T00:00:00Z"))
            }
            return workspace
        }
    }

    /// Every table's rows in key order, as text: equal snapshots mean equal registries.
    static func snapshot(_ workspace: Workspace) throws -> [String: [String]] {
        try workspace.database.read { db in
            var result: [String: [String]] = [:]
            for (table, order) in Workspace.exportedTables {
                result[table] = try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY \(order)").map(\.description)
            }
            return result
        }
    }
}
