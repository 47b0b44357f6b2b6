import Foundation
import Registry
import Supervision
import Tables
import Testing
import TestSupport

/// `Workspace.importCity`: the synthetic city's own files, in one transaction.
@Suite("City import")
struct CityImportTests {
    /// A tiny city in the generator's formats: two departments, one scenario (market leads, fire partners),
    /// items with the city's `on-site` spelling, entities with three feature columns, inspectors, caps, quotas.
    struct TinyCity {
        let directory: TemporaryDirectory
        let engine: Engine
        let codes: [String]

        init(entities count: Int = 6, engine: Engine = .sqlite) throws {
            directory = try TemporaryDirectory("city-import")
            self.engine = engine
            var rng = SeededGenerator(seed: 11)
            var set = Set<String>()
            while set.count < count { set.insert(Fixtures.creditCode(&rng)) }
            codes = set.sorted()
            try write("departments.csv", [["department", "name", "risk_head"], ["market", "Market", "risk_market"],
                                          ["fire", "Fire", "risk_fire"]])
            try write("scenarios.csv", [["scenario", "name", "lead", "partners", "entity_share"],
                                        ["restaurant", "Restaurant", "market", "fire", "1.000"]])
            try write("items.csv", [["item", "department", "scenario", "element", "measure", "key_item", "name"],
                                    ["market.restaurant.01", "market", "restaurant", "people", "on-site", "0", "Health, certificates"],
                                    ["fire.restaurant.01", "fire", "restaurant", "equipment", "documents", "1", "Extinguishers"]])
            var rows = [["entity_id", "district", "scenario", "people_staff_count", "findings_people_3y",
                         "history_days_since_last_check"]]
            for (i, code) in codes.enumerated() { rows.append([code, "310101", "restaurant", "\(i + 3)", "\(i % 2)", i == 0 ? "" : "\(100 + i)"]) }
            try write("entities.csv", rows)
            try write("inspectors.csv", [["inspector_id", "department", "district", "qualified_items", "cap_per_period",
                                          "cap_per_day", "conflicts", "last_checked"],
                                         ["market-1", "market", "310101", "market.restaurant.01", "40", "2", codes[0], ""],
                                         ["fire-1", "fire", "310101", "fire.restaurant.01", "40", "2", "", ""]])
            try write("caps.csv", [["scope", "max_checks_per_year"], ["all", "6"], ["market", "3"]])
            try write("quotas.csv", [["department", "grade", "ratio", "count", "certain"],
                                     ["market", "A", "0.010", "", "0"], ["market", "D", "", "", "1"],
                                     ["fire", "A", "", "3", "0"]])
        }

        func write(_ name: String, _ rows: [[String]]) throws { try Fixtures.write(rows, to: directory.file(name)) }
        func workspace() throws -> Workspace { try engine.createWorkspace(in: directory, name: "ws.onecheck") }
        func code(_ i: Int) -> CreditCode { try! CreditCode(validating: codes[i]) }
    }

    /// Each row of a query as its values joined by `|`.
    static func rows(_ workspace: Workspace, _ engine: Engine, _ sql: String) throws -> [String] {
        try engine.rows(workspace, sql).map { $0.joined(separator: "|") }
    }

    @Test(arguments: Engine.allCases) func importsTheCityFilesIdempotently(engine: Engine) throws {
        let city = try TinyCity(engine: engine)
        defer { city.directory.remove() }
        let workspace = try city.workspace()
        let summary = try workspace.importCity(from: city.directory.url, options: CityImportOptions(auditTime: "t"))
        #expect(summary.rows.map(\.file) == ["departments.csv", "scenarios.csv", "items.csv", "entities.csv",
                                             "inspectors.csv", "caps.csv", "quotas.csv"])
        #expect(summary.rows.map(\.rows) == [2, 1, 2, 6, 2, 2, 3])
        #expect(summary.memberships == 12 && summary.quotas == 3)
        #expect(try Self.rows(workspace, engine, "SELECT code, risk_head FROM departments ORDER BY code") == ["fire|risk_fire", "market|risk_market"])
        #expect(try Self.rows(workspace, engine, "SELECT code, measure, name FROM items ORDER BY code")
                == ["fire.restaurant.01|documents|Extinguishers", "market.restaurant.01|on_site|Health, certificates"])
        #expect(try Self.rows(workspace, engine, "SELECT DISTINCT credit_grade FROM entities") == ["B"])
        #expect(try Self.rows(workspace, engine, "SELECT name FROM entities ORDER BY credit_code LIMIT 1") == ["Restaurant \(city.codes[0].suffix(6))"])
        // count 3 of fire's 6 entities → ratio 0.5; market's cap 3, fire falls back on `all` = 6.
        #expect(try Self.rows(workspace, engine, "SELECT department, credit_grade, sampling_ratio, max_checks_per_year FROM quotas ORDER BY 1, 2")
                == ["fire|A|0.5|6", "market|A|0.01|3", "market|D|1.0|3"])
        #expect(try Self.rows(workspace, engine, "SELECT name FROM feature_columns ORDER BY position")
                == ["people_staff_count", "findings_people_3y", "history_days_since_last_check"])
        #expect(try Self.rows(workspace, engine, "SELECT feature_values FROM entity_features WHERE entity = '\(city.codes[0])'") == ["3,0,"])
        // The quotas as given (schema version 3): no count turned into a ratio, caps by scope, the whole roster.
        #expect(try workspace.store.read { try $0.quotas() } == [
            Quota(department: "fire", grade: .a, size: .count(3)), Quota(department: "market", grade: .a, size: .ratio(0.01)),
            Quota(department: "market", grade: .d, size: .census)])
        #expect(try Caps(workspace.store.read { try $0.caps() }) == Caps(allDepartments: 6, byDepartment: ["market": 3]))
        #expect(try workspace.store.read { try $0.inspectors() }.first { $0.id == "market-1" } == Inspector(
            id: "market-1", department: "market", district: "310101", qualifiedItems: ["market.restaurant.01"],
            capPerPeriod: 40, capPerDay: 2, conflicts: [EntityID(city.codes[0])]))
        #expect(try workspace.store.read { try $0.scenarios() } == [
            Scenario(code: "restaurant", name: "Restaurant", lead: "market", partners: ["fire"])])
        var first = try Fixtures.snapshot(workspace)
        try workspace.importCity(from: city.directory.url, options: CityImportOptions(auditTime: "t"))
        var second = try Fixtures.snapshot(workspace)
        #expect(second["audit_log"]!.count == first["audit_log"]!.count + 1)
        first["audit_log"] = nil
        second["audit_log"] = nil
        #expect(first == second)
    }

    /// A re-import replaces the memberships of entities already stored (the update path of the bulk load):
    /// with fire no longer a partner of the scenario, its directory is emptied.
    @Test(arguments: Engine.allCases) func reimportReplacesTheMembershipsOfStoredEntities(engine: Engine) throws {
        let city = try TinyCity(engine: engine)
        defer { city.directory.remove() }
        let workspace = try city.workspace()
        try workspace.importCity(from: city.directory.url)
        #expect(try engine.count(workspace, "directory_memberships") == 12)
        try city.write("scenarios.csv", [["scenario", "name", "lead", "partners", "entity_share"],
                                         ["restaurant", "Restaurant", "market", "", "1.000"]])
        try city.write("items.csv", [["item", "department", "scenario", "element", "measure", "key_item", "name"],
                                     ["market.restaurant.01", "market", "restaurant", "people", "on-site", "0", "Health, certificates"]])
        try workspace.importCity(from: city.directory.url)
        #expect(try Self.rows(workspace, engine, "SELECT DISTINCT department FROM directory_memberships") == ["market"])
        #expect(try engine.count(workspace, "directory_memberships") == 6)
        #expect(try engine.count(workspace, "entities") == 6)
    }

    /// The SQLite bulk load drops the secondary indexes of an empty workspace's entity tables and builds them
    /// again: after an import and after a refused one, the schema is the one `init` made.
    @Test func bulkLoadLeavesTheSchemaAsInitMadeIt() throws {
        let city = try TinyCity(entities: 40)
        defer { city.directory.remove() }
        let workspace = try city.workspace()
        let schema = "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name"
        let initial = try Self.rows(workspace, .sqlite, schema)
        #expect(initial.contains { $0.hasPrefix("directory_memberships_entity|") })
        try workspace.importCity(from: city.directory.url)
        #expect(try Self.rows(workspace, .sqlite, schema) == initial)
        #expect(try Engine.sqlite.value(workspace, "PRAGMA integrity_check") == "ok")
        // The name index, filled at once after the load, holds every name and finds each by a part of it.
        let names = "SELECT credit_code || '|' || name FROM entity_names ORDER BY credit_code"
        #expect(try Self.rows(workspace, .sqlite, names)
                == Self.rows(workspace, .sqlite, "SELECT credit_code || '|' || name FROM entities ORDER BY credit_code"))
        #expect(try Self.rows(workspace, .sqlite, names).count == 40)
        for code in city.codes.prefix(3) {
            #expect(try Self.rows(workspace, .sqlite,
                                  "SELECT credit_code FROM entity_names WHERE entity_names MATCH '\"\(code.suffix(6))\"'") == [code])
        }
        try Engine.sqlite.execute(workspace, "INSERT INTO entity_names(entity_names, rank) VALUES ('integrity-check', 1)")

        let fresh = try Engine.sqlite.createWorkspace(in: city.directory, name: "fresh.onecheck")
        var rows = [["entity_id", "district", "scenario", "people_staff_count"]]
        for code in city.codes { rows.append([code, "310101", "restaurant", "1"]) }
        rows[rows.count - 1][3] = "many"
        try city.write("entities.csv", rows)
        #expect(throws: TableError.self) { try fresh.importCity(from: city.directory.url) }
        #expect(try Self.rows(fresh, .sqlite, schema) == initial)
        #expect(try Engine.sqlite.count(fresh, "entities") == 0)
        #expect(try Engine.sqlite.count(fresh, "entity_names") == 0)
    }

    /// The name index after a SQLite bulk load holds every stored name, whatever was announced: the names
    /// announced while it ran when they are one per written entity (the city import announces each block it
    /// reads); else — none announced, or only some, a broken contract — every stored name, indexed after it.
    @Test(arguments: [0, 15, 40]) func bulkLoadIndexesEveryName(announced: Int) throws {
        let city = try TinyCity(entities: 40)
        defer { city.directory.remove() }
        try city.write("entities.csv", [["entity_id", "district", "scenario"]])
        let workspace = try city.workspace()
        try workspace.importCity(from: city.directory.url)  // departments and scenarios; no entity yet
        let upserts = try city.codes.map { code in
            EntityUpsert(entity: Entity(creditCode: try CreditCode(validating: code), name: "Shop \(code.suffix(6))",
                                        scenario: ScenarioCode("restaurant"), creditGrade: .b),
                         writesLegalRepresentative: false, departments: [DepartmentCode("market")], featureValues: nil)
        }
        try workspace.store.write { tx in
            try tx.bulkLoad {
                try tx.announceEntities(Array(upserts.prefix(announced)))
                try tx.upsertEntities(upserts)
            }
        }
        let names = "SELECT credit_code || '|' || name FROM entity_names ORDER BY credit_code"
        #expect(try Self.rows(workspace, .sqlite, names).count == 40)
        #expect(try Self.rows(workspace, .sqlite, names)
                == Self.rows(workspace, .sqlite, "SELECT credit_code || '|' || name FROM entities ORDER BY credit_code"))
        let code = city.codes[30]
        #expect(try Self.rows(workspace, .sqlite,
                              "SELECT credit_code FROM entity_names WHERE entity_names MATCH '\"\(code.suffix(6))\"'") == [code])
        #expect(try Self.rows(workspace, .sqlite, "SELECT k || '=' || v FROM entity_names_config ORDER BY k")
                == ["automerge=4", "crisismerge=16", "hashsize=1048576", "version=4"])
        try Engine.sqlite.execute(workspace, "INSERT INTO entity_names(entity_names, rank) VALUES ('integrity-check', 1)")
        // Announced outside a bulk load, names are left to the triggers: nothing is indexed twice.
        try workspace.store.write { tx in try tx.announceEntities(upserts) }
        #expect(try Self.rows(workspace, .sqlite, names).count == 40)
    }

    @Test(arguments: Engine.allCases) func takesGradesFromAScoresFile(engine: Engine) throws {
        let city = try TinyCity(engine: engine)
        defer { city.directory.remove() }
        var rows = [["entity_id", "credit_grade", "supervision_class"]]
        for (i, code) in city.codes.enumerated() { rows.append([code, ["A", "B", "C", "D"][i % 4], "D"]) }
        try city.write("scores.csv", rows)
        let workspace = try city.workspace()
        try workspace.importCity(from: city.directory.url, options: CityImportOptions(scores: city.directory.file("scores.csv")))
        #expect(try Self.rows(workspace, engine, "SELECT credit_grade FROM entities ORDER BY credit_code") == ["A", "B", "C", "D", "A", "B"])
    }

    struct BadInput: CustomTestStringConvertible, Sendable {
        let file: String
        let rows: [[String]]
        let line: Int
        let column: String
        let expected: String
        var testDescription: String { "\(file): \(expected)" }
    }

    static let badInputs: [BadInput] = [
        BadInput(file: "scenarios.csv", rows: [["scenario", "name", "lead", "partners"], ["restaurant", "R", "market", "fire;police"]],
                 line: 2, column: "partners", expected: "unknown: police"),
        BadInput(file: "items.csv", rows: [["item", "department", "scenario", "element", "measure", "name"],
                                           ["x.1", "market", "restaurant", "people", "by phone", "X"]],
                 line: 2, column: "measure", expected: "on-site"),
        BadInput(file: "items.csv", rows: [["item", "department", "scenario", "element", "measure", "name"],
                                           ["x.1", "market", "hotel", "people", "on-site", "X"]],
                 line: 2, column: "scenario", expected: "scenarios.csv"),
        BadInput(file: "quotas.csv", rows: [["department", "grade", "ratio", "count", "certain"], ["market", "A", "0.1", "", "0"],
                                            ["market", "B", "0.1", "4", "0"]],
                 line: 3, column: "ratio", expected: "exactly one of ratio"),
        BadInput(file: "caps.csv", rows: [["scope", "max_checks_per_year"], ["police", "2"]],
                 line: 2, column: "scope", expected: "departments (or all)"),
        BadInput(file: "inspectors.csv", rows: [["inspector_id", "department"], ["a", "market"], ["a", "fire"]],
                 line: 3, column: "inspector_id", expected: "each key once"),
    ]

    /// Each bad file is reported with file, line and column, and nothing of the city is written.
    @Test(arguments: Engine.allCases, badInputs) func refusesBadFiles(engine: Engine, _ bad: BadInput) throws {
        let city = try TinyCity(engine: engine)
        defer { city.directory.remove() }
        try city.write(bad.file, bad.rows)
        let workspace = try city.workspace()
        let before = try Fixtures.snapshot(workspace)
        do {
            try workspace.importCity(from: city.directory.url)
            Issue.record("accepted \(bad.file)")
        } catch let error as TableError {
            #expect(error.file == bad.file && error.line == bad.line && error.columnName == bad.column, "\(error)")
            #expect(error.description.contains(bad.expected), "\(error)")
        }
        #expect(try Fixtures.snapshot(workspace) == before)
    }

    @Test(arguments: Engine.allCases) func refusesANonNumericFeature(engine: Engine) throws {
        let city = try TinyCity(engine: engine)
        defer { city.directory.remove() }
        try city.write("entities.csv", [["entity_id", "district", "scenario", "people_staff_count"],
                                        [city.codes[0], "310101", "restaurant", "many"]])
        do {
            try city.workspace().importCity(from: city.directory.url)
            Issue.record("accepted a non-numeric feature")
        } catch let error as TableError {
            #expect(error.file == "entities.csv" && error.line == 2 && error.column == 4 && error.value == "many")
        }
    }

    /// The roster is read while the entities are stored; with both files bad, the error is still the one a
    /// pass in file order meets first: the entities'.
    @Test(arguments: Engine.allCases) func reportsTheEntitiesErrorBeforeTheRosters(engine: Engine) throws {
        let city = try TinyCity(engine: engine)
        defer { city.directory.remove() }
        try city.write("entities.csv", [["entity_id", "district", "scenario", "people_staff_count"],
                                        [city.codes[0], "310101", "restaurant", "many"]])
        try city.write("inspectors.csv", [["inspector_id", "department"], ["a", "market"], ["a", "fire"]])
        let workspace = try city.workspace()
        let before = try Fixtures.snapshot(workspace)
        do {
            try workspace.importCity(from: city.directory.url)
            Issue.record("accepted a non-numeric feature and a repeated inspector")
        } catch let error as TableError {
            #expect(error.file == "entities.csv" && error.line == 2 && error.column == 4, "\(error)")
        }
        #expect(try Fixtures.snapshot(workspace) == before)
    }

    @Test(arguments: Engine.allCases) func refusesAnEntityMissingFromTheScores(engine: Engine) throws {
        let city = try TinyCity(engine: engine)
        defer { city.directory.remove() }
        try city.write("scores.csv", [["entity_id", "credit_grade"], [city.codes[0], "A"]])
        do {
            try city.workspace().importCity(from: city.directory.url, options: CityImportOptions(scores: city.directory.file("scores.csv")))
            Issue.record("accepted an entity without a score")
        } catch let error as TableError {
            #expect(error.file == "entities.csv" && error.line == 3 && error.columnName == "entity_id")
            #expect(error.description.contains("scores file"))
        }
    }

    @Test(arguments: Engine.allCases) func refusesAMissingFileAndChangedFeatureColumns(engine: Engine) throws {
        let city = try TinyCity(engine: engine)
        defer { city.directory.remove() }
        let workspace = try city.workspace()
        try workspace.importCity(from: city.directory.url)
        try city.write("entities.csv", [["entity_id", "district", "scenario", "findings_people_3y", "people_staff_count"],
                                        [city.codes[0], "310101", "restaurant", "1", "2"]])
        #expect(throws: RegistryError.featureColumnsChanged(
            file: "entities.csv", stored: ["people_staff_count", "findings_people_3y", "history_days_since_last_check"],
            found: ["findings_people_3y", "people_staff_count"])) {
            try workspace.importCity(from: city.directory.url)
        }
        try FileManager.default.removeItem(at: city.directory.file("items.csv"))
        do {
            try workspace.importCity(from: city.directory.url)
            Issue.record("accepted a city without items.csv")
        } catch RegistryError.missingFile(let path, _) {
            #expect(path.hasSuffix("items.csv"))
        }
    }
}
