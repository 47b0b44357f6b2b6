import Foundation
import Registry
import Supervision
import Testing
import TestSupport

/// A period of the cycle on the fixture city: plan P1 (REST, 2026Q1) with checks of entities 0–3 by MKT and
/// joint checks of entities 0 and 2 by FIRE on the same day; findings and disposals as documented inline.
struct CyclePeriod {
    let city: Fixtures.City
    let workspace: Workspace
    let pi: [String: Double]

    init(engine: Engine = .sqlite) throws {
        city = try Fixtures.City(entities: 8, engine: engine)
        workspace = try city.workspace()
        var checks: [Check] = []
        var pi: [String: Double] = [:]
        for i in 0..<4 {
            let p = [0.8, 0.25, 0.5, 0.1][i]
            checks.append(Check(id: CheckID("MKT-\(i)"), plan: "P1", entity: city.code(i), department: "MKT",
                                inclusionProbability: p, checkedOn: day("2026-02-02"), inspectors: ["m1", "m2"]))
            pi["MKT-\(i)"] = p
        }
        for i in [0, 2] {
            let p = i == 0 ? 0.4 : 0.2
            checks.append(Check(id: CheckID("FIRE-\(i)"), plan: "P1", entity: city.code(i), department: "FIRE",
                                inclusionProbability: p, checkedOn: day("2026-02-02"), inspectors: ["f1", "f2"]))
            pi["FIRE-\(i)"] = p
        }
        self.pi = pi
        try workspace.recordDraw(ScenarioPlan(id: "P1", scenario: "REST", period: quarter("2026Q1"), seed: "20260101"),
                                 checks: checks, at: "2026-01-20T08:00:00Z")
        try workspace.recordFindings([
            Finding(checkId: "MKT-0", item: "MKT-1", outcome: .serious, penalty: 5_000, note: "inspector Li saw…"),
            Finding(checkId: "MKT-0", item: "MKT-2", outcome: .compliant),
            Finding(checkId: "FIRE-0", item: "FIRE-1", outcome: .compliant),
            Finding(checkId: "MKT-1", item: "MKT-3", outcome: .minor),
            Finding(checkId: "MKT-2", item: "MKT-1", outcome: .compliant),
            Finding(checkId: "FIRE-2", item: "FIRE-2", outcome: .minor, penalty: 200),
        ])  // MKT-3 is drawn but not (yet) performed.
        try workspace.recordDisposals([
            Disposal(checkId: "MKT-0", item: "MKT-1", action: "fine", openedOn: day("2026-02-10"), closedOn: day("2026-03-01")),
            Disposal(checkId: "MKT-1", item: "MKT-3", action: "rectify", openedOn: day("2026-02-10")),
            Disposal(checkId: "FIRE-2", item: "FIRE-2", action: "rectify", openedOn: day("2026-02-05"), closedOn: day("2026-02-20")),
        ])
    }
}

@Suite("Closed loop: findings, disposals, next period's features, joint sanctions")
struct ClosedLoopTests {
    @Test(arguments: Engine.allCases) func featuresSummariseThePast(engine: Engine) throws {
        let period = try CyclePeriod(engine: engine)
        defer { period.city.directory.remove() }
        let asOf = try #require(CalendarDate("2026-04-01"))
        let features = try period.workspace.nextPeriodFeatures(asOf: asOf)
        #expect(features.map(\.creditCode.rawValue) == period.city.codes)
        let byCode = Dictionary(uniqueKeysWithValues: features.map { ($0.creditCode.rawValue, $0) })
        let codes = period.city.codes
        let e0 = try #require(byCode[codes[0]])
        #expect(e0.checks == 2 && e0.seriousFindings == 1 && e0.penalties == 5_000 && e0.openDisposals == 0)
        #expect(e0.findingsByElement == [.people: 1])
        #expect(e0.daysSinceLastCheck == asOf.dayNumber - CalendarDate("2026-02-02")!.dayNumber)
        let e1 = try #require(byCode[codes[1]])
        #expect(e1.findingsByElement == [.rules: 1] && e1.openDisposals == 1 && e1.seriousFindings == 0)
        let e2 = try #require(byCode[codes[2]])
        #expect(e2.findingsByElement == [.environment: 1] && e2.penalties == 200 && e2.openDisposals == 0)
        let e3 = try #require(byCode[codes[3]])
        #expect(e3.checks == 1 && e3.findingsByElement.isEmpty)
        #expect(byCode[codes[5]]?.daysSinceLastCheck == nil && byCode[codes[5]]?.checks == 0)
        // The past only: on the day of the checks nothing has happened yet.
        let onTheDay = try period.workspace.nextPeriodFeatures(asOf: CalendarDate("2026-02-02")!)
        #expect(onTheDay.allSatisfy { $0.checks == 0 && $0.grade == $0.baseGrade && $0.openDisposals == 0 })
        // An open disposal closed before the period start no longer counts.
        let later = try period.workspace.nextPeriodFeatures(asOf: CalendarDate("2026-02-15")!)
        #expect(later.first { $0.creditCode.rawValue == codes[0] }?.openDisposals == 1)
    }

    /// Joint sanctions: MKT's serious finding against entity 0 raises its class one step for MKT *and* FIRE;
    /// FIRE's and MKT's minor findings raise nothing; the rule lapses after the window.
    @Test(arguments: Engine.allCases) func seriousFindingRaisesTheClassForEveryDepartment(engine: Engine) throws {
        let period = try CyclePeriod(engine: engine)
        defer { period.city.directory.remove() }
        let codes = period.city.codes
        let classes = try period.workspace.nextPeriodClasses(asOf: CalendarDate("2026-04-01")!)
        let e0 = classes.filter { $0.entity.rawValue == codes[0] }
        #expect(Set(e0.map(\.department)) == ["MKT", "FIRE"])
        #expect(e0.allSatisfy { $0.grade == .b })  // base grade A
        for i in [1, 2, 3] {
            let base = Grade.allCases[i % 4]
            #expect(classes.filter { $0.entity.rawValue == codes[i] }.allSatisfy { $0.grade == base })
        }
        #expect(classes.count == 12)  // 8 in MKT's directory, 4 in FIRE's
        let lapsed = try period.workspace.nextPeriodClasses(asOf: CalendarDate("2027-02-03")!)
        #expect(lapsed.filter { $0.entity.rawValue == codes[0] }.allSatisfy { $0.grade == .a })
        #expect(JointSanctions.sanctionedGrade(scored: .c, previous: nil) == .d
                && JointSanctions.sanctionedGrade(scored: .d, previous: nil) == .d)
        // One class above both the scored grade and the department's previous grade.
        #expect(JointSanctions.sanctionedGrade(scored: .a, previous: .b) == .c
                && JointSanctions.sanctionedGrade(scored: .c, previous: .a) == .d)
    }

    @Test(arguments: Engine.allCases) func findingsMustBelongToTheChecksDepartment(engine: Engine) throws {
        let period = try CyclePeriod(engine: engine)
        defer { period.city.directory.remove() }
        #expect(throws: RegistryError.invalidArgument(name: "item", value: "FIRE-1", expected: "an item of department MKT")) {
            try period.workspace.recordFindings([Finding(checkId: "MKT-1", item: "FIRE-1", outcome: .minor)])
        }
        #expect(throws: RegistryError.unknownReference(table: "checks", key: "nope")) {
            try period.workspace.recordFindings([Finding(checkId: "nope", item: "MKT-1", outcome: .minor)])
        }
        #expect(throws: RegistryError.unknownReference(table: "non-compliant findings", key: "MKT-2/MKT-1")) {
            try period.workspace.recordDisposals([Disposal(checkId: "MKT-2", item: "MKT-1", action: "x", openedOn: day("2026-02-03"))])
        }
    }

    @Test(arguments: Engine.allCases) func featuresExportAsCSV(engine: Engine) throws {
        let period = try CyclePeriod(engine: engine)
        defer { period.city.directory.remove() }
        let url = period.city.directory.file("features.csv")
        try period.workspace.exportFeatures(asOf: CalendarDate("2026-04-01")!, to: url)
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 9)
        #expect(lines[0] == "credit_code,scenario,base_grade,grade,checks,findings_people,findings_equipment,findings_environment,findings_rules,findings_product,serious_findings,days_since_last_check,open_disposals,penalties")
        #expect(lines[1] == "\(period.city.codes[0]),REST,A,B,2,1,0,0,0,0,1,58,0,5000.0")
    }
}
