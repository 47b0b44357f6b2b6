import Foundation
import Registry
import Supervision
import Tables
import Testing
import TestSupport

/// Draws recorded from a `DrawnPlan` value, and what a plan reads back from the workspace.
@Suite("Draws and planning inputs")
struct DrawTests {
    typealias TinyCity = CityImportTests.TinyCity

    /// The tiny city imported with scores for 2026Q1.
    static func city(_ engine: Engine) throws -> (TinyCity, Workspace) {
        let city = try TinyCity(engine: engine)
        let workspace = try city.workspace()
        try workspace.importCity(from: city.directory.url)
        try workspace.importScores(from: ScoringLoopTests.scores(city, grade: "C"), period: quarter("2026Q1"))
        return (city, workspace)
    }

    /// A draw of visits to entities 0 and 1 by market and fire, on line 2 and 3 of plan.csv.
    static func draw(_ city: TinyCity, date: String = "2026-02-02", period: String = "2026Q1") -> DrawnPlan {
        let visits = (0..<2).map { i in
            DrawnPlan.Visit(checkID: "\(period)-\(city.codes[i])", entity: EntityID(city.codes[i]), scenario: "restaurant",
                            departments: ["market", "fire"], inspectors: ["market-1", "fire-1"], date: day(date), line: i + 2)
        }
        var inclusion: [DirectoryMembership: Double] = [:]
        for visit in visits {
            for department in visit.departments {
                inclusion[DirectoryMembership(department: department, entity: visit.entity)] = 0.25
            }
        }
        return DrawnPlan(period: quarter(period), seed: "public seed", visits: visits, inclusion: inclusion,
                         source: "plan-\(period)", file: "plan.csv",
                         columns: [.checkID: 0, .entity: 1, .scenario: 2, .departments: 3, .inspectors: 5, .date: 6],
                         inclusionSource: "manifest.json")
    }

    @Test(arguments: Engine.allCases) func aDrawnPlanIsRecordedOncePerPeriod(engine: Engine) throws {
        let (city, workspace) = try Self.city(engine)
        defer { city.directory.remove() }
        let summary = try workspace.recordDraw(Self.draw(city), auditTime: "t")
        #expect(summary.period == quarter("2026Q1") && summary.plans == 1 && summary.visits == 2 && summary.checks == 4)
        let checks = try workspace.store.read { try $0.checks(inPeriods: [quarter("2026Q1")]) }
        #expect(checks.map(\.check.id.rawValue) == ["2026Q1-\(city.codes[0])-fire", "2026Q1-\(city.codes[0])-market",
                                                    "2026Q1-\(city.codes[1])-fire", "2026Q1-\(city.codes[1])-market"])
        #expect(checks.allSatisfy { $0.check.plan == "2026Q1-restaurant" && $0.check.inclusionProbability == 0.25 })
        #expect(checks.first?.check.inspectors == ["fire-1"])
        #expect(throws: RegistryError.planAlreadyDrawn(scenario: "restaurant", period: quarter("2026Q1"),
                                                       existingPlan: "2026Q1-restaurant")) {
            try workspace.recordDraw(Self.draw(city), auditTime: "t")
        }
        #expect(try workspace.auditLog().map(\.action).suffix(3) == [.draw, .import, .redrawRefused])
        // The next quarter is a draw of its own.
        #expect(try workspace.recordDraw(Self.draw(city, date: "2026-05-04", period: "2026Q2")).checks == 4)
    }

    /// Recorded checks are found among the ids asked, alike for a few ids (one query each on SQLite) and for many
    /// (one scan of the range they span), whatever else the range or the other periods hold.
    @Test(arguments: Engine.allCases) func recordedChecksAreFoundAmongFewOrManyIds(engine: Engine) throws {
        let (city, workspace) = try Self.city(engine)
        defer { city.directory.remove() }
        try workspace.recordDraw(Self.draw(city))
        try workspace.recordDraw(Self.draw(city, date: "2026-05-04", period: "2026Q2"))
        let all = try workspace.store.read { try $0.checks(inPeriods: [quarter("2026Q1"), quarter("2026Q2")]) }
        #expect(all.count == 8)
        let first = all.filter { $0.period == quarter("2026Q1") }
        // Many ids: three of the first quarter's four checks among unrecorded ids before, between and after them
        // (the fourth lies in their range and is not asked for).
        let unrecorded = (0..<90).map { CheckID("2026Q1-\(city.codes[$0 % 2])-\(["a", "g", "n", "z"][$0 % 4])\($0)") }
        let asked = first.dropFirst()
        let many = try workspace.store.read { try $0.checks(asked.map(\.check.id) + unrecorded) }
        #expect(many == Dictionary(uniqueKeysWithValues: asked.map { ($0.check.id, $0) }))
        // Many ids across both quarters and beyond them.
        let wide = unrecorded + all.map(\.check.id) + [CheckID("2025Q4-x"), CheckID("2026Q3-y")]
        #expect(try workspace.store.read { try $0.checks(wide) } == Dictionary(uniqueKeysWithValues: all.map { ($0.check.id, $0) }))
        // A few ids, repeated.
        let few = [all[0].check.id, all[5].check.id, all[0].check.id, CheckID("2026Q1-none")]
        #expect(try workspace.store.read { try $0.checks(few) } == [all[0].check.id: all[0], all[5].check.id: all[5]])
    }

    /// A jurisdiction's draw (schema version 11) draws its own entities only, and a draw without a jurisdiction
    /// covers the whole workspace: a jurisdiction's draw of a scenario and period it already covers is a repeat.
    @Test(arguments: Engine.allCases) func aJurisdictionsDrawKeepsToItsEntities(engine: Engine) throws {
        let (city, workspace) = try Self.city(engine)
        defer { city.directory.remove() }
        var j01 = Self.draw(city)
        j01.jurisdiction = "J01"
        // The tiny city's entities have no jurisdiction: J01's draw of them is refused at the first visit's entity.
        do {
            try workspace.recordDraw(j01)
            Issue.record("a draw of another jurisdiction's entities was recorded")
        } catch let error as TableError {
            #expect(error.line == 2 && error.columnName == "entity_id" && error.value == city.codes[0]
                    && error.expected == "an entity of jurisdiction J01, the draw's (it is of no jurisdiction)")
        }
        #expect(try engine.count(workspace, "plans") == 0)
        #expect(try workspace.recordDraw(Self.draw(city)).jurisdiction == nil)
        #expect(throws: RegistryError.planAlreadyDrawn(scenario: "restaurant", period: quarter("2026Q1"),
                                                       existingPlan: "2026Q1-restaurant")) {
            try workspace.recordDraw(j01)
        }
        #expect(Workspace.planID(period: quarter("2026Q1"), scenario: "restaurant", jurisdiction: "J01")
                    == "2026Q1-restaurant@J01")
    }

    /// Every refusal names the visit's file, line and column, and nothing is written.
    @Test(arguments: Engine.allCases) func aDrawnPlansRefusalsAreLocated(engine: Engine) throws {
        let (city, workspace) = try Self.city(engine)
        defer { city.directory.remove() }
        let before = try Fixtures.snapshot(workspace)
        func refusal(_ draw: DrawnPlan) -> TableError? {
            do { try workspace.recordDraw(draw) } catch let error as TableError { return error } catch {
                Issue.record("\(error)")
            }
            return nil
        }
        let late = refusal(Self.draw(city, date: "2026-04-01"))
        #expect(late?.line == 2 && late?.column == 7 && late?.value == "2026-04-01"
                && late?.expected == "a day of 2026Q1 (2026-01-01 to 2026-03-31)")
        var unknown = Self.draw(city)
        unknown.visits[1].inspectors = ["market-9"]
        let inspector = refusal(unknown)
        #expect(inspector?.line == 3 && inspector?.columnName == "inspectors")
        var noPi = Self.draw(city)
        noPi.inclusion[DirectoryMembership(department: "fire", entity: EntityID(city.codes[1]))] = nil
        let pi = refusal(noPi)
        #expect(pi?.line == 3 && pi?.column == 2 && pi?.expected?.contains("for fire in manifest.json") == true)
        var twice = Self.draw(city)
        twice.visits[1].checkID = twice.visits[0].checkID
        #expect(refusal(twice)?.kind == .duplicateKey(firstLine: 2))
        var notACode = Self.draw(city)
        notACode.visits[0].entity = "E1"
        #expect(refusal(notACode)?.columnName == "entity_id")
        var after = try Fixtures.snapshot(workspace)
        after["audit_log"] = before["audit_log"]
        #expect(after == before)
    }

    /// What a plan needs, read back: the directory in code order, each department's grades for the period with
    /// joint sanctions applied, the quotas as given, caps, the roster and the year's checks.
    @Test(arguments: Engine.allCases) func planningInputsComeBackFromTheWorkspace(engine: Engine) throws {
        let (city, workspace) = try Self.city(engine)
        defer { city.directory.remove() }
        try workspace.recordDraw(Self.draw(city))
        try workspace.recordFindings([Finding(checkId: CheckID("2026Q1-\(city.codes[1])-market"),
                                              item: "market.restaurant.01", outcome: .serious)])
        try workspace.importScores(from: ScoringLoopTests.scores(city, grade: "B", name: "q2.csv"), period: quarter("2026Q2"))
        let inputs = try workspace.planningInputs(for: quarter("2026Q2"))
        #expect(inputs.entities.map(\.rawValue) == city.codes && inputs.entityScenarios.allSatisfy { $0 == "restaurant" })
        #expect(inputs.grades.map(\.department) == ["fire", "market"])
        for grades in inputs.grades {
            #expect(grades.entities == Array(0..<6) && grades.probabilities.allSatisfy { $0 != nil })
            // Entity 1 is under joint sanctions: one class above C, its 2026Q1 grade, for both departments.
            #expect(grades.grades == [.b, .d, .b, .b, .b, .b])
        }
        #expect(inputs.quotas.contains(Quota(department: "fire", grade: .a, size: .count(3))))
        #expect(inputs.caps == Caps(allDepartments: 6, byDepartment: ["market": 3]))
        #expect(inputs.roster.map(\.id) == ["fire-1", "market-1"] && inputs.roster[1].capPerPeriod == 40)
        #expect(inputs.checksInYear.count == 4 && inputs.checksInYear.allSatisfy { $0.period == quarter("2026Q1") })
        #expect(inputs.scenarios.first?.departments == ["market", "fire"])
        #expect(inputs.position(of: EntityID(city.codes[3])) == 3 && inputs.position(of: "X") == nil)
    }
}
