import Foundation
import GRDB
@testable import Registry
import Supervision
import Testing
import TestSupport

/// Schema version 6 (`v6-jurisdictions`): the jurisdiction of entities, roster and quotas, stored by the city
/// import and given back to the planner.
@Suite("Jurisdiction storage")
struct JurisdictionStorageTests {
    /// The tiny city of `CityImportTests` with a jurisdiction column: entities alternate J01/J02, one inspector
    /// and one set of quotas per jurisdiction (the same stratum in both).
    static func city(engine: Engine) throws -> CityImportTests.TinyCity {
        let city = try CityImportTests.TinyCity(engine: engine)
        var rows = [["entity_id", "district", "scenario", "jurisdiction", "people_staff_count", "findings_people_3y",
                     "history_days_since_last_check"]]
        for (i, code) in city.codes.enumerated() {
            rows.append([code, "310101", "restaurant", i % 2 == 0 ? "J01" : "J02", "\(i + 3)", "\(i % 2)", "\(100 + i)"])
        }
        try city.write("entities.csv", rows)
        try city.write("inspectors.csv", [["inspector_id", "department", "district", "qualified_items", "cap_per_period",
                                           "cap_per_day", "conflicts", "last_checked", "jurisdiction"],
                                          ["J01-market-1", "market", "310101", "market.restaurant.01", "40", "2", "", "", "J01"],
                                          ["J02-fire-1", "fire", "310101", "fire.restaurant.01", "40", "2", "", "", "J02"]])
        try city.write("quotas.csv", [["department", "grade", "ratio", "count", "certain", "jurisdiction"],
                                      ["market", "A", "0.010", "", "0", "J01"], ["market", "A", "0.020", "", "0", "J02"],
                                      ["fire", "A", "", "3", "0", "J02"]])
        return city
    }

    @Test(arguments: Engine.allCases) func theCityImportStoresEachRowsJurisdiction(engine: Engine) throws {
        let city = try Self.city(engine: engine)
        defer { city.directory.remove() }
        let workspace = try city.workspace()
        _ = try workspace.importCity(from: city.directory.url, options: CityImportOptions(auditTime: "t"))
        let inputs = try workspace.planningInputs(for: Period(year: 2026, quarter: 1)!)
        let expected: [JurisdictionCode?] = city.codes.indices.map { $0 % 2 == 0 ? "J01" : "J02" }
        // Entities come back in credit-code order, which is the order the codes were written in.
        #expect(inputs.entities.map(\.rawValue) == city.codes)
        #expect(inputs.entityJurisdictions == expected)
        #expect(inputs.roster.map(\.jurisdiction) == ["J01", "J02"])
        #expect(inputs.quotas.map { "\($0.jurisdiction!)/\($0.department)/\($0.grade.label)/\($0.size)" }
            == ["J01/market/A/\(SampleSize.ratio(0.01))", "J02/fire/A/\(SampleSize.count(3))", "J02/market/A/\(SampleSize.ratio(0.02))"])
    }

    /// `plan --workspace W --jurisdiction J` reads J's part alone; it must be exactly what the whole workspace's
    /// inputs hold of J: its entities with their grades (positions renumbered), the checks of them recorded in the
    /// year, its inspectors and quotas.
    @Test(arguments: Engine.allCases) func oneJurisdictionsInputsAreThoseOfTheWholeWorkspaceKeptToIt(engine: Engine) throws {
        let city = try Self.city(engine: engine)
        defer { city.directory.remove() }
        let workspace = try city.workspace()
        _ = try workspace.importCity(from: city.directory.url, options: CityImportOptions(auditTime: "t"))
        let (q1, q2) = (Period(year: 2026, quarter: 1)!, Period(year: 2026, quarter: 2)!)
        let codes = try city.codes.map { try CreditCode(validating: $0) }
        try workspace.store.write { tx in
            // Grades of Q2 for every entity in both departments (fire skips the first); checks of Q1 on three.
            try tx.insertDepartmentGrades(codes.enumerated().flatMap { i, code in
                [DepartmentGrade(period: q2, department: "market", entity: code, probability: 0.1 * Double(i + 1),
                                 scoredGrade: .a, grade: i % 3 == 0 ? .b : .a)]
                    + (i == 0 ? [] : [DepartmentGrade(period: q2, department: "fire", entity: code, probability: 0.05,
                                                      scoredGrade: .c, grade: .c)])
            })
            try tx.insertDraw(ScenarioPlan(id: "p1", scenario: "restaurant", period: q1, seed: "s"), checks: (0..<3).map { i in
                Check(id: CheckID("2026Q1-\(i)"), plan: "p1", entity: codes[i], department: "market",
                      inclusionProbability: 0.5, checkedOn: CalendarDate("2026-02-0\(i + 1)")!)
            })
        }
        let whole = try workspace.planningInputs(for: q2)
        for jurisdiction: JurisdictionCode in ["J01", "J02"] {
            let part = try workspace.planningInputs(for: q2, of: .jurisdiction(jurisdiction))
            let kept = whole.entities.indices.filter { whole.entityJurisdictions[$0] == jurisdiction }
            #expect(!kept.isEmpty)
            #expect(part.entities == kept.map { whole.entities[$0] })
            #expect(part.entityScenarios == kept.map { whole.entityScenarios[$0] })
            #expect(part.entityJurisdictions == kept.map { _ in jurisdiction })
            #expect(part.grades == whole.grades.map { graded in
                var mine = PlanningInputs.DepartmentGrades(department: graded.department)
                for (k, position) in graded.entities.enumerated() {
                    guard let new = kept.firstIndex(of: position) else { continue }
                    mine.entities.append(new)
                    mine.grades.append(graded.grades[k])
                    mine.probabilities.append(graded.probabilities[k])
                }
                return mine
            })
            let ids = Set(kept.map { whole.entities[$0].rawValue })
            #expect(part.checksInYear == whole.checksInYear.filter { ids.contains($0.check.entity.rawValue) })
            #expect(part.roster == whole.roster.filter { $0.jurisdiction == jurisdiction })
            #expect(part.quotas == whole.quotas.filter { $0.jurisdiction == jurisdiction })
            #expect(part.departments == whole.departments && part.items == whole.items && part.caps == whole.caps)
        }
        // The checks of J01's entities (0 and 2) and of J02's (1) are each kept by one side only.
        #expect(try workspace.planningInputs(for: q2, of: .jurisdiction("J01")).checksInYear.count == 2)
        #expect(try workspace.planningInputs(for: q2, of: .jurisdiction("J03")).entities.isEmpty)
    }

    @Test func versionFiveQuotasMoveIntoTheImplicitJurisdiction() throws {
        let dir = try TemporaryDirectory("migration-v6")
        defer { dir.remove() }
        let path = dir.file("v5.onecheck").path
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA application_id = \(SQLiteStore.applicationID)") }
        var migrator = DatabaseMigrator()
        for (name, sql, version) in [("v1", SQLiteStore.schemaV1, 1), ("v2", SQLiteStore.schemaV2, 2),
                                     ("v3", SQLiteStore.schemaV3, 3), ("v4-credit-repair", SQLiteStore.schemaCreditRepair, 4),
                                     ("v5-console", SQLiteStore.schemaConsole, 5)] {
            migrator.registerMigration(name) { db in
                try db.execute(sql: sql)
                try db.execute(sql: "PRAGMA user_version = \(version)")
            }
        }
        try migrator.migrate(queue)
        var rng = SeededGenerator(seed: 6)
        let code = Fixtures.creditCode(&rng)
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO departments(code, name) VALUES ('market', 'Market');
                INSERT INTO scenarios(code, name, lead_department) VALUES ('restaurant', 'Restaurants', 'market');
                INSERT INTO entities(credit_code, name, scenario, credit_grade) VALUES ('\(code)', 'Shop', 'restaurant', 'B');
                INSERT INTO inspectors(id, name, department) VALUES ('m1', 'm1', 'market');
                INSERT INTO stratum_quotas(department, grade, ratio, count, certain) VALUES ('market', 'A', 0.01, NULL, 0);
                INSERT INTO stratum_quotas(department, grade, ratio, count, certain) VALUES ('market', 'D', NULL, NULL, 1);
                """)
        }
        try queue.writeWithoutTransaction { db in _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") }
        try queue.close()

        let workspace = try Workspace.open(at: path)
        #expect(try workspace.storedSchemaVersion() == Workspace.schemaVersion)
        let inputs = try workspace.planningInputs(for: Period(year: 2026, quarter: 1)!)
        #expect(inputs.entityJurisdictions == [nil])
        #expect(inputs.roster.map(\.jurisdiction) == [nil])
        #expect(inputs.quotas.map(\.size) == [.ratio(0.01), .census] && inputs.quotas.allSatisfy { $0.jurisdiction == nil })
        // The same stratum may now be agreed once per jurisdiction, and only once in each.
        try Engine.sqlite.execute(workspace, """
            INSERT INTO stratum_quotas(jurisdiction, department, grade, ratio, count, certain) VALUES ('J01', 'market', 'A', 0.02, NULL, 0)
            """)
        #expect(throws: (any Error).self) {
            try Engine.sqlite.execute(workspace, """
                INSERT INTO stratum_quotas(jurisdiction, department, grade, ratio, count, certain) VALUES ('J01', 'market', 'A', 0.03, NULL, 0)
                """)
        }
    }
}
