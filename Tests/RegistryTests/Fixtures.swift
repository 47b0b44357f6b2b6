import Foundation
import Registry
import Supervision
import TestSupport

enum Fixtures {
    /// A valid code: a random 17-character prefix of the alphabet and its check character.
    static func creditCode(_ rng: inout SeededGenerator) -> String {
        let alphabet = CreditCode.alphabet
        var prefix = "91"
        for _ in 0..<15 { prefix.unicodeScalars.append(Unicode.Scalar(alphabet[Int(rng.next() % 31)])) }
        return prefix + String(CreditCode.checkCharacter(forPrefix: prefix)!)
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
        let engine: Engine
        let codes: [String]

        init(entities count: Int = 40, seed: UInt64 = 7, engine: Engine = .sqlite) throws {
            directory = try TemporaryDirectory("registry")
            self.engine = engine
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

        /// The `i`-th entity's code.
        func code(_ i: Int) -> CreditCode { try! CreditCode(validating: codes[i]) }

        /// Where an SQLite workspace of the city lives.
        var workspacePath: String { directory.file("city.onecheck").path }

        /// Creates the workspace and imports departments, scenarios, items and entities.
        func workspace() throws -> Workspace {
            let workspace = try engine.createWorkspace(in: directory)
            for kind in [ImportKind.departments, .scenarios, .items, .entities] {
                try workspace.importCSV(kind, from: directory.file("\(kind.rawValue).csv"),
                                        options: ImportOptions(auditTime: "2026-01-01T00:00:00Z"))
            }
            return workspace
        }
    }

    /// Every table's rows in key order, as text: equal snapshots mean equal registries. Read through the store's
    /// export API, so it works on every engine.
    static func snapshot(_ workspace: Workspace) throws -> [String: [String]] {
        try workspace.store.read { tx in
            var result: [String: [String]] = [:]
            for table in Workspace.exportedTables {
                var rows: [String] = []
                try tx.forEachRow(of: table, header: { _ in }) { rows.append("\($0)") }
                result[table.name] = rows
            }
            return result
        }
    }
}

/// The day `text` (`YYYY-MM-DD`).
func day(_ text: String) -> CalendarDate { CalendarDate(text)! }

/// The quarter `text` (`2026Q1`).
func quarter(_ text: String) -> Period { Period(text)! }
