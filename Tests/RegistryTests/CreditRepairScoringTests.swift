import Foundation
import Registry
import Supervision
import Tables
import Testing
import TestSupport

/// Only records in force count: next period's features and joint sanctions judged on the days on both sides of each
/// window's end and of a repair, and on a period's first day.
@Suite("Credit repair in scoring")
struct CreditRepairScoringTests {
    typealias TinyCity = CityImportTests.TinyCity
    static let item: ItemCode = "market.restaurant.01"

    /// The tiny city imported, with market's check C1 of entity 1 on `checked` finding the people item serious with a
    /// 300 yuan fine, decided as `severity` on `decided` (none recorded when nil).
    static func city(checked: String, severity: PenaltySeverity?, decided: String? = nil, engine: Engine = .sqlite)
        throws -> (TinyCity, Workspace) {
        let city = try TinyCity(engine: engine)
        let workspace = try city.workspace()
        try workspace.importCity(from: city.directory.url, options: CityImportOptions(auditTime: "t"))
        try workspace.recordDraw(ScenarioPlan(id: "P", scenario: "restaurant", period: Period(containing: day(checked)), seed: "s"),
                                 checks: [Check(id: "C1", plan: "P", entity: city.code(1), department: "market",
                                                inclusionProbability: 0.5, checkedOn: day(checked))], at: "t")
        try workspace.recordFindings([Finding(checkId: "C1", item: item, outcome: .serious, penalty: 300)])
        if let severity {
            try workspace.recordPenaltyDecisions([PenaltyDecision(checkId: "C1", item: item, severity: severity,
                                                                  decidedOn: day(decided ?? checked))], at: "t")
        }
        return (city, workspace)
    }

    /// Entity 1's raw features on `asOf`: (serious findings, people findings, fines, grade after sanctions).
    static func features(_ workspace: Workspace, _ city: TinyCity, asOf text: String) throws -> (Int, Int, Double, Grade) {
        let f = try #require(try workspace.nextPeriodFeatures(asOf: day(text)).first { $0.creditCode == city.code(1) })
        return (f.seriousFindings, f.findingsByElement[.people] ?? 0, f.penalties, f.grade)
    }

    /// (severity, last day published) for a decision on 2026-02-02.
    static let lastDays: [(PenaltySeverity, String)] = [(.minor, "2026-05-02"), (.general, "2027-02-02"),
                                                        (.serious, "2029-02-02")]

    @Test(arguments: lastDays) func rawFeaturesCountARecordThroughItsLastDay(severity: PenaltySeverity, last: String) throws {
        let (city, workspace) = try Self.city(checked: "2026-02-02", severity: severity)
        defer { city.directory.remove() }
        let end = day(last)
        for asOf in [end.adding(days: -1), end] {
            let (serious, people, fines, _) = try Self.features(workspace, city, asOf: asOf.description)
            #expect(serious == 1 && people == 1 && fines == 300, "\(asOf)")
        }
        let (serious, people, fines, grade) = try Self.features(workspace, city, asOf: end.adding(days: 1).description)
        #expect(serious == 0 && people == 0 && fines == 0)
        #expect(grade == (try #require(try workspace.entity(city.code(1)))).creditGrade)
    }

    @Test func jointSanctionsLastWhileTheRecordIsInForce() throws {
        // Minor from 2026-02-02: published through 2026-05-02, within the 365-day look-back either way.
        let (city, workspace) = try Self.city(checked: "2026-02-02", severity: .minor)
        defer { city.directory.remove() }
        let base = try #require(try workspace.entity(city.code(1))).creditGrade
        #expect(try Self.features(workspace, city, asOf: "2026-05-02").3 == base.raised())
        #expect(try Self.features(workspace, city, asOf: "2026-05-03").3 == base)
        let classes = try workspace.nextPeriodClasses(asOf: day("2026-05-03")).filter { $0.entity == city.code(1) }
        #expect(classes.count == 2 && classes.allSatisfy { $0.grade == base })
    }

    @Test(arguments: ["2026-05-03", "2026-05-04"]) func aRepairStopsARecordFromItsDay(repaired: String) throws {
        // Serious, decided as general on 2026-02-02: repairable from 2026-05-03.
        let (city, workspace) = try Self.city(checked: "2026-02-02", severity: .general)
        defer { city.directory.remove() }
        try workspace.recordRepairs([CreditRepair(checkId: "C1", item: Self.item, repairedOn: day(repaired),
                                                  decidedBy: "Bureau", reason: "rectified")], at: "t")
        let repairDay = day(repaired)
        let base = try #require(try workspace.entity(city.code(1))).creditGrade
        let dayBefore = try Self.features(workspace, city, asOf: repairDay.adding(days: -1).description)
        #expect(dayBefore.0 == 1 && dayBefore.2 == 300 && dayBefore.3 == base.raised())
        for asOf in [repairDay, repairDay.adding(days: 1)] {
            let after = try Self.features(workspace, city, asOf: asOf.description)
            #expect(after.0 == 0 && after.1 == 0 && after.2 == 0 && after.3 == base, "\(asOf)")
        }
    }

    /// Next period's entities file and imported scores of 2026Q2 (first day 2026-04-01) for a serious finding of
    /// 2025-12-31 decided as minor on `decided` and repaired on `repaired`: whether its record counts on 2026-04-01.
    static let firstDayCases: [(decided: String, repaired: String?, counts: Bool)] = [
        ("2025-12-31", nil, false),         // published through 2026-03-31: expired on the period's first day
        ("2026-01-01", nil, true),          // published through 2026-04-01: the first day is its last
        ("2026-01-02", nil, true),          // through 2026-04-02
        ("2026-01-01", "2026-03-31", false),
        ("2026-01-01", "2026-04-01", false),  // repaired on the first day: it no longer counts that day
        ("2026-01-02", "2026-04-02", true),   // repaired the day after
    ]

    @Test(arguments: firstDayCases)
    func thePeriodsFirstDayDecides(decided: String, repaired: String?, counts: Bool) throws {
        let (city, workspace) = try Self.city(checked: "2025-12-31", severity: .minor, decided: decided)
        defer { city.directory.remove() }
        if let repaired {
            try workspace.recordRepairs([CreditRepair(checkId: "C1", item: Self.item, repairedOn: day(repaired),
                                                      decidedBy: "Bureau", reason: "rectified")], at: "t")
        }
        let url = city.directory.file("next.csv")
        try workspace.exportScoringEntities(period: quarter("2026Q2"), to: url)
        let row = try #require(try CSVTable.read(url).rows.first { $0[0] == city.codes[1] })
        // Entity 1's stored findings_people_3y is 1; the registry adds its record only while in force.
        #expect(row[4] == (counts ? "2" : "1"))
        #expect(row[5] == "91")  // days since the check count whatever the record's standing
        let summary = try workspace.importScores(from: ScoringLoopTests.scores(city, grade: "B"), period: quarter("2026Q2"))
        #expect(summary.sanctionedEntities == (counts ? 1 : 0) && summary.raisedGrades == (counts ? 2 : 0))
        #expect(try ScoringLoopTests.grades(workspace, "2026Q2", city.codes[1])
                == (counts ? ["fire:C", "market:C"] : ["fire:B", "market:B"]))
    }

    /// A workspace without decisions (as migrated from version 3) keeps every record it used: the presumed
    /// severities never end a record inside the windows features and sanctions look back over in the demo cycle.
    @Test func presumedSeveritiesKeepLastQuartersRecords() throws {
        let (city, workspace) = try Self.city(checked: "2026-01-01", severity: nil)
        defer { city.directory.remove() }
        let url = city.directory.file("next.csv")
        try workspace.exportScoringEntities(period: quarter("2026Q2"), to: url)
        #expect(try CSVTable.read(url).rows.first { $0[0] == city.codes[1] }?[4] == "2")
        #expect(try Self.features(workspace, city, asOf: "2026-04-01").0 == 1)
    }
}
