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
