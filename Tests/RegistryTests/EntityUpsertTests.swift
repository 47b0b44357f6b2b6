import Foundation
@testable import Registry
import Supervision
import Testing
import TestSupport

/// `RegistryWriter.upsertEntities` on each engine: the memberships and features a call leaves, whatever order its
/// rows come in — SQLite writes the memberships after the entities, one statement per department.
@Suite("Entity upserts")
struct EntityUpsertTests {
    @Test(arguments: Engine.allCases)
    func membershipsAreWhatTheRowsSay(engine: Engine) throws {
        let dir = try TemporaryDirectory("upserts")
        defer { dir.remove() }
        let workspace = try engine.createWorkspace(in: dir)
        var rng = SeededGenerator(seed: 18)
        // Codes in no particular order; a department code that is not ASCII (a server collation may order it
        // before "ZZ", SQLite after).
        let codes = try (0..<5).map { _ in try CreditCode(validating: Fixtures.creditCode(&rng)) }
        let departments: [DepartmentCode] = ["MKT", "Zé", "FIRE", "ZZ"]
        func upsert(_ code: CreditCode, _ members: [DepartmentCode]?, features: String? = nil) -> EntityUpsert {
            EntityUpsert(entity: Entity(creditCode: code, name: "Shop \(code.rawValue.suffix(6))", scenario: "REST",
                                        creditGrade: .b),
                         writesLegalRepresentative: false, departments: members, featureValues: features)
        }
        try workspace.store.write { tx in
            for d in departments { try tx.upsertDepartment(code: d, name: d.rawValue, riskHead: nil) }
            try tx.upsertScenario(code: "REST", name: "Restaurants", lead: "MKT", partners: [])
            try tx.upsertEntities([
                upsert(codes[3], ["Zé", "MKT", "Zé"]),  // a department twice is one membership
                upsert(codes[0], ["FIRE"]),
                upsert(codes[1], ["MKT"]),
                upsert(codes[1], ["ZZ", "Zé"]),  // the last row of a repeated code decides
                upsert(codes[2], nil),  // no memberships given: none
                upsert(codes[4], ["MKT", "FIRE", "ZZ"], features: "1,2"),
            ])
        }
        // Sorted here, not by the server, whose collation may order "Zé" and "ZZ" either way.
        func memberships() throws -> [[String]] {
            try engine.rows(workspace, "SELECT entity, department FROM directory_memberships")
                .sorted { ($0[0], $0[1]) < ($1[0], $1[1]) }
        }
        func expected(_ pairs: [(Int, DepartmentCode)]) -> [[String]] {
            pairs.map { [codes[$0.0].rawValue, $0.1.rawValue] }.sorted { ($0[0], $0[1]) < ($1[0], $1[1]) }
        }
        #expect(try memberships() == expected([(3, "Zé"), (3, "MKT"), (0, "FIRE"), (1, "ZZ"),
                                                               (1, "Zé"), (4, "MKT"), (4, "FIRE"), (4, "ZZ")]))
        // A stored entity given departments has them replaced; one given none keeps its own.
        try workspace.store.write { tx in
            try tx.upsertEntities([upsert(codes[4], ["Zé"]), upsert(codes[3], nil), upsert(codes[2], ["FIRE"])])
        }
        #expect(try memberships() == expected([(3, "Zé"), (3, "MKT"), (0, "FIRE"), (1, "ZZ"),
                                                               (1, "Zé"), (4, "Zé"), (2, "FIRE")]))
        #expect(try engine.rows(workspace, "SELECT entity, feature_values FROM entity_features")
                    == [[codes[4].rawValue, "1,2"]])
        #expect(try engine.rows(workspace, "SELECT COUNT(*) FROM entities") == [["5"]])
    }

    /// The order both engines write a call's rows in: by credit code (bytes), a repeated code's rows in their
    /// order, and for PostgreSQL the last row of each code.
    @Test func rowsAreWrittenInKeyOrderKeepingEachCodesLastRow() throws {
        var rng = SeededGenerator(seed: 180)
        let codes = try (0..<4).map { _ in try CreditCode(validating: Fixtures.creditCode(&rng)) }
        let rows = [3, 1, 3, 0, 1, 2, 3].map { index in
            EntityUpsert(entity: Entity(creditCode: codes[index], name: "", scenario: "REST", creditGrade: .b),
                         writesLegalRepresentative: false, departments: nil, featureValues: nil)
        }
        let byCode = codes.indices.sorted { codes[$0] < codes[$1] }
        let expected = byCode.flatMap { code in rows.indices.filter { rows[$0].entity.creditCode == codes[code] } }
        #expect(EntityUpsert.keyOrder(rows) == expected)
        #expect(EntityUpsert.lastOfEachKeyInKeyOrder(rows)
                    == byCode.map { code in rows.indices.last { rows[$0].entity.creditCode == codes[code] }! })
        #expect(EntityUpsert.lastOfEachKeyInKeyOrder([]) == [])
    }
}
