import Foundation
import Planning
import Registry
import Supervision
import Tables
import Testing
import TestSupport

/// Scoring from the registry: next period's entities file, scores imported back with joint sanctions, and the
/// draw import's refusals.
@Suite("Scoring from the registry")
struct ScoringLoopTests {
    typealias TinyCity = CityImportTests.TinyCity

    /// The tiny city imported, with a drawn check of entity 1 by market on 2026-02-02 and `outcome` found on
    /// the market people item.
    static func cityWithFinding(_ outcome: Outcome, engine: Engine = .sqlite) throws -> (TinyCity, Workspace) {
        let city = try TinyCity(engine: engine)
        let workspace = try city.workspace()
        try workspace.importCity(from: city.directory.url)
        try workspace.recordDraw(ScenarioPlan(id: "P1", scenario: "restaurant", period: quarter("2026Q1"), seed: "s"), checks: [
            Check(id: "C1", plan: "P1", entity: city.code(1), department: "market", inclusionProbability: 0.5,
                  checkedOn: day("2026-02-02")),
        ], at: "t")
        try workspace.recordFindings([Finding(checkId: "C1", item: "market.restaurant.01", outcome: outcome,
                                              penalty: outcome == .serious ? 500 : 0)])
        return (city, workspace)
    }

    @Test(arguments: Engine.allCases) func nextPeriodEntitiesCarryTheRegistryHistory(engine: Engine) throws {
        let (city, workspace) = try Self.cityWithFinding(.minor, engine: engine)
        defer { city.directory.remove() }
        let url = city.directory.file("next.csv")
        let summary = try workspace.exportScoringEntities(period: quarter("2026Q2"), to: url)
        #expect(summary.entities == 6 && summary.entitiesWithRegistryHistory == 1)
        let table = try CSVTable.read(url)
        #expect(table.header == ["entity_id", "district", "scenario", "people_staff_count", "findings_people_3y",
                                 "history_days_since_last_check"])
        let byID = Dictionary(uniqueKeysWithValues: table.rows.map { ($0[0], $0) })
        // Checked entity: stored 1 finding + the minor one; 2026-04-01 − 2026-02-02 = 58 days.
        #expect(byID[city.codes[1]]! == [city.codes[1], "310101", "restaurant", "4", "2", "58"])
        // Never checked stays empty; otherwise the snapshot's days age by 2026-04-01 − 2025-01-01 = 455.
        #expect(byID[city.codes[0]]![5] == "")
        #expect(byID[city.codes[2]]![5] == String(102 + 455))
    }

    static func scores(_ city: TinyCity, grade: String, name: String = "scores.csv") throws -> URL {
        var rows = [["entity_id", "risk_market_probability", "risk_market_grade", "risk_fire_probability", "risk_fire_grade"]]
        for code in city.codes { rows.append([code, "0.1", grade, "0.2", grade]) }
        let url = city.directory.file(name)
        try Fixtures.write(rows, to: url)
        return url
    }

    static func grades(_ workspace: Workspace, _ period: String, _ entity: String) throws -> [String] {
        try workspace.store.read { try $0.departmentGrades(period: quarter(period), of: [CreditCode(validating: entity)]) }
            .sorted { $0.department < $1.department }.map { "\($0.department):\($0.grade)" }
    }

    @Test(arguments: Engine.allCases) func aSeriousFindingRaisesEveryDepartmentsGrade(engine: Engine) throws {
        let (city, workspace) = try Self.cityWithFinding(.serious, engine: engine)
        defer { city.directory.remove() }
        let first = try workspace.importScores(from: Self.scores(city, grade: "B"), period: quarter("2026Q1"))
        #expect(first.grades == 12 && first.sanctionedEntities == 0)
        let second = try workspace.importScores(from: Self.scores(city, grade: "B"), period: quarter("2026Q2"))
        #expect(second.sanctionedEntities == 1 && second.raisedGrades == 2)
        #expect(try Self.grades(workspace, "2026Q2", city.codes[1]) == ["fire:C", "market:C"])
        #expect(try Self.grades(workspace, "2026Q2", city.codes[0]) == ["fire:B", "market:B"])
        // Re-importing the period replaces it with the same result.
        try workspace.importScores(from: Self.scores(city, grade: "B"), period: quarter("2026Q2"))
        #expect(try Self.grades(workspace, "2026Q2", city.codes[1]) == ["fire:C", "market:C"])
        let moves = try workspace.gradeMoves(from: quarter("2026Q1"), to: quarter("2026Q2"))
        #expect(moves.map(\.department) == ["fire", "market"])
        #expect(moves.allSatisfy { $0.entities == 6 && $0.up == 1 && $0.same == 5 && $0.sanctioned == 1 && $0.sanctionedRaised == 1 })
    }

    @Test(arguments: Engine.allCases) func badScoresAreLocated(engine: Engine) throws {
        let (city, workspace) = try Self.cityWithFinding(.minor, engine: engine)
        defer { city.directory.remove() }
        try Fixtures.write([["entity_id", "risk_market_grade", "risk_fire_grade"], [city.codes[0], "A", "A"],
                            ["911111111111111111", "A", "A"]], to: city.directory.file("unknown.csv"))
        do {
            try workspace.importScores(from: city.directory.file("unknown.csv"), period: quarter("2026Q1"))
            Issue.record("accepted an unknown entity")
        } catch let error as TableError {
            #expect(error.file == "unknown.csv" && error.line == 3 && error.columnName == "entity_id")
        }
        try Fixtures.write([["entity_id", "risk_market_grade"], [city.codes[0], "A"]], to: city.directory.file("nofire.csv"))
        do {
            try workspace.importScores(from: city.directory.file("nofire.csv"), period: quarter("2026Q1"))
            Issue.record("accepted scores without fire's grade")
        } catch let error as TableError {
            #expect(error.description.contains("risk_fire_grade"))
        }
        try Fixtures.write([["entity_id", "risk_market_grade", "risk_fire_grade"], [city.codes[0], "E", "A"]],
                           to: city.directory.file("grade.csv"))
        do {
            try workspace.importScores(from: city.directory.file("grade.csv"), period: quarter("2026Q1"))
            Issue.record("accepted grade E")
        } catch let error as TableError {
            #expect(error.line == 2 && error.columnName == "risk_market_grade")
        }
        #expect(try engine.count(workspace, "department_grades") == 0)
    }

    @Test(arguments: Engine.allCases) func drawImportNeedsAPlanDirectory(engine: Engine) throws {
        let (city, workspace) = try Self.cityWithFinding(.minor, engine: engine)
        defer { city.directory.remove() }
        let plan = city.directory.file("plan")
        try FileManager.default.createDirectory(at: plan, withIntermediateDirectories: true)
        try "check_id,entity_id,scenario,departments,date\n".write(to: plan.appendingPathComponent("plan.csv"),
                                                                    atomically: true, encoding: .utf8)
        do {
            try workspace.importDraw(planDirectory: plan)
            Issue.record("accepted a plan without a manifest")
        } catch PlanDirectoryError.missingFile(let path) {
            #expect(path.hasSuffix("manifest.json"))
        }
        try #"{"period": "2026-Q2", "seed": "s", "inclusion": {}}"#.write(
            to: plan.appendingPathComponent("manifest.json"), atomically: true, encoding: .utf8)
        do {
            try workspace.importDraw(planDirectory: plan)
            Issue.record("accepted a manifest that `plan` did not write")
        } catch let error as PlanDirectoryError {
            // No format key: not a manifest of `onecheck plan` (the producer's reader says which line).
            #expect("\(error)".contains("manifest.json"), "\(error)")
        }
    }
}
