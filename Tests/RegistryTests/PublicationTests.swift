import Foundation
import Registry
import Supervision
import Tables
import Testing
import TestSupport

@Suite("Publication and deadlines")
struct PublicationTests {
    @Test(arguments: Engine.allCases) func publishesWithoutPersonalDataAndTracksDeadlines(engine: Engine) throws {
        let period = try CyclePeriod(engine: engine)
        defer { period.city.directory.remove() }
        let workspace = period.workspace
        let url = period.city.directory.file("disclosure.csv")
        let published = try workspace.publish(on: CalendarDate("2026-02-20")!, scenario: "REST", to: url,
                                              at: "2026-02-20T10:00:00Z")
        #expect(published == 5)  // MKT-3 has no result yet
        let table = try CSVTable.read(url)
        #expect(table.header == Workspace.disclosureColumns)
        #expect(table.rows.map { $0[0] } == ["FIRE-0", "FIRE-2", "MKT-0", "MKT-1", "MKT-2"])
        let text = try String(contentsOf: url, encoding: .utf8)
        for personal in ["Person", "m1", "f1", "inspector Li"] { #expect(!text.contains(personal), "\(personal)") }
        let mkt0 = try #require(table.rows.first { $0[0] == "MKT-0" })
        let column = { (name: String) in Workspace.disclosureColumns.firstIndex(of: name)! }
        #expect(mkt0[column("serious_findings")] == "1" && mkt0[column("items_checked")] == "2")
        #expect(mkt0[column("disposal")] == "closed" && table.rows.first { $0[0] == "MKT-1" }![column("disposal")] == "open")
        #expect(mkt0[column("deadline")] == "2026-03-02" && mkt0[column("published_on")] == "2026-02-20")

        // Before MKT-3's result exists and after its deadline, it is overdue and unpublished.
        let overdue = try workspace.overdueResults(asOf: CalendarDate("2026-03-05")!)
        #expect(overdue == [OverdueResult(checkId: "MKT-3", department: "MKT", entity: period.city.code(3),
                                          checkedOn: day("2026-02-02"), deadline: day("2026-03-02"), publishedOn: nil,
                                          status: .unpublished)])
        #expect(try workspace.overdueResults(asOf: CalendarDate("2026-03-02")!).isEmpty)  // the deadline day is in time
        // Published late, it stays on the list as late.
        try workspace.recordFindings([Finding(checkId: "MKT-3", item: "MKT-2", outcome: .compliant)])
        #expect(try workspace.publish(on: CalendarDate("2026-03-10")!, to: url) == 1)
        let late = try workspace.overdueResults(asOf: CalendarDate("2026-03-12")!)
        #expect(late.map(\.status) == [.late] && late.first?.publishedOn == day("2026-03-10"))
        // Publishing again adds nothing, and the file still lists every published result.
        #expect(try workspace.publish(on: CalendarDate("2026-03-11")!, to: url) == 0)
        #expect(try CSVTable.read(url).rowCount == 6)
    }

    @Test func deadlineHonoursSuppliedHolidays() throws {
        let calendar = DisclosureCalendar(holidays: [CalendarDate("2026-02-17")!, CalendarDate("2026-02-18")!])
        #expect(calendar.deadline(checkedOn: CalendarDate("2026-02-02")!).description == "2026-03-04")
        #expect(DisclosureCalendar().deadline(checkedOn: CalendarDate("2026-02-02")!).description == "2026-03-02")
    }
}

@Suite("Indicators")
struct IndicatorsTests {
    @Test(arguments: Engine.allCases) func indicatorsFollowTheirDefinitions(engine: Engine) throws {
        let period = try CyclePeriod(engine: engine)
        defer { period.city.directory.remove() }
        try period.workspace.publish(on: CalendarDate("2026-02-20")!, to: period.city.directory.file("d.csv"))
        let list = try period.workspace.indicators()
        #expect(list.map(\.department) == ["FIRE", "MKT"])
        let fire = list[0], mkt = list[1]
        #expect(mkt.directorySize == 8 && mkt.plannedChecks == 4 && mkt.performedChecks == 3)
        #expect(mkt.coverage == 3.0 / 8 && mkt.problemChecks == 2 && mkt.discoveryRate == 2.0 / 3)
        let ht = 1 / period.pi["MKT-0"]! + 1 / period.pi["MKT-1"]!
        #expect(abs(mkt.estimatedProblemEntities - ht) <= 1e-12 * ht)
        #expect(abs(mkt.estimatedProblemRate! - ht / 8) <= 1e-12)
        #expect(mkt.nonCompliantFindings == 2 && mkt.closedDisposals == 1 && mkt.disposalRate == 0.5)
        #expect(mkt.jointChecks == 2 && mkt.dataSharingRate == 2.0 / 3)
        #expect(mkt.publishedResults == 3 && mkt.disclosureRate == 1 && mkt.timelyDisclosureRate == 1)
        #expect(fire.directorySize == 4 && fire.performedChecks == 2 && fire.coverage == 0.5)
        #expect(fire.problemChecks == 1 && fire.estimatedProblemEntities == 1 / period.pi["FIRE-2"]!)
        #expect(fire.disposalRate == 1 && fire.dataSharingRate == 1)
        let rows = Workspace.indicatorRows(list)
        #expect(rows[0] == Workspace.indicatorColumns && rows.count == 3 && rows.allSatisfy { $0.count == rows[0].count })
    }

    /// Horvitz–Thompson is unbiased: over many Poisson draws with unequal π, the mean estimate of the number of
    /// problem entities approaches the true number, while the raw discovery rate stays biased.
    @Test(arguments: Engine.allCases) func horvitzThompsonIsUnbiasedUnderTheDraw(engine: Engine) throws {
        let city = try Fixtures.City(entities: 60, seed: 3, engine: engine)
        defer { city.directory.remove() }
        let workspace = try city.workspace()
        var rng = SeededGenerator(seed: 31)
        // Entity i has a problem when i % 3 == 0 (20 of 60); problem entities are drawn with higher π.
        let pi = (0..<60).map { $0 % 3 == 0 ? 0.6 : 0.15 }
        let runs = 200
        var estimates: [Double] = []
        var raw: [Double] = []
        for run in 0..<runs {
            var checks: [Check] = []
            var findings: [Finding] = []
            // One quarter per run: a scenario has one draw per period.
            let quarter = Period(year: 2000 + run / 4, quarter: run % 4 + 1)!
            for i in 0..<60 where Double(rng.next() >> 11) / Double(1 << 53) < pi[i] {
                let id = CheckID("r\(run)-\(i)")
                checks.append(Check(id: id, plan: PlanID("R\(run)"), entity: city.code(i), department: "MKT",
                                    inclusionProbability: pi[i], checkedOn: quarter.firstDay))
                findings.append(Finding(checkId: id, item: "MKT-1", outcome: i % 3 == 0 ? .minor : .compliant))
            }
            try workspace.recordDraw(ScenarioPlan(id: PlanID("R\(run)"), scenario: "REST", period: quarter, seed: "\(run)"),
                                     checks: checks)
            try workspace.recordFindings(findings)
        }
        for indicator in try workspace.indicators() where indicator.department == "MKT" {
            estimates.append(indicator.estimatedProblemEntities)
            raw.append(indicator.discoveryRate ?? 0)
        }
        #expect(estimates.count == runs)
        let mean = estimates.reduce(0, +) / Double(runs)
        let variance = estimates.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(runs - 1)
        let standardError = (variance / Double(runs)).squareRoot()
        #expect(abs(mean - 20) < 4 * standardError, "mean \(mean) ± \(standardError)")
        let rawMean = raw.reduce(0, +) / Double(runs)
        #expect(rawMean > 0.5)  // vs the population rate 1/3: targeting over-represents problems
    }
}
