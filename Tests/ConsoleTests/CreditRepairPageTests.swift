import Console
import Foundation
import Hummingbird
import HummingbirdTesting
import Registry
import Supervision
import Testing

/// The public pages apply the credit-repair rule the disclosure file applies (Sources/Registry/CREDIT_REPAIR.md):
/// on the console's day (2026-04-30) a repaired record and an expired one are not shown, a live one is.
@Suite("console credit repair on public pages", .serialized)
struct CreditRepairPageTests {
    let fixture: ConsoleFixture
    /// Market check 4 (2026-01-09): one minor record decided as `minor` on its day — its window of at most 3 months
    /// ended 2026-04-09, so it expired before 2026-04-30. Market check 5 (2026-01-10): one serious record decided as
    /// `general`, repaired on 2026-04-20 (after its 3-month minimum). Market check 6 (2026-01-11): a live minor
    /// record (presumed `general`, in force until 2027-01-11) fined 300, and an expired one fined 70.
    init() throws {
        fixture = try ConsoleFixture()
        let f = fixture
        let day = { (d: Int) in CalendarDate(year: 2026, month: 1, day: d)! }
        try f.workspace.recordFindings([
            Finding(checkId: f.marketCheck(4), item: "market.r.1", outcome: .minor, penalty: 100),
            Finding(checkId: f.marketCheck(5), item: "market.r.1", outcome: .serious, penalty: 2000),
            Finding(checkId: f.marketCheck(6), item: "market.r.1", outcome: .minor, penalty: 300),
            Finding(checkId: f.marketCheck(6), item: "market.r.2", outcome: .minor, penalty: 70),
        ])
        try f.workspace.recordPenaltyDecisions([
            PenaltyDecision(checkId: f.marketCheck(4), item: "market.r.1", severity: .minor, decidedOn: day(9)),
            PenaltyDecision(checkId: f.marketCheck(5), item: "market.r.1", severity: .general, decidedOn: day(10)),
            PenaltyDecision(checkId: f.marketCheck(6), item: "market.r.2", severity: .minor, decidedOn: day(11)),
        ])
        try f.workspace.recordRepairs([
            CreditRepair(checkId: f.marketCheck(5), item: "market.r.1", repairedOn: CalendarDate(year: 2026, month: 4, day: 20)!,
                         decidedBy: "市场监管局", reason: "整改完毕"),
        ])
        // Published on 2026-01-20 (market check 3 stays unpublished, as in the fixture).
        try f.workspace.store.write { tx in
            try tx.insertPublications((4...6).map {
                Publication(checkId: f.marketCheck($0), publishedOn: day(20), deadline: day(30))
            })
        }
    }

    func withClient(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = Application(router: try fixture.console().router().router)
        try await app.test(.router) { client in try await body(client) }
    }

    /// The table row of `html` that contains `key`, or nil.
    static func row(_ html: String, containing key: String) -> String? {
        html.components(separatedBy: "<tr>").first { $0.contains(key) }?.components(separatedBy: "</tr>").first
    }

    @Test func repairedAndExpiredRecordsAreNotShownALiveOneIs() async throws {
        let f = fixture
        try await withClient { client in
            var visitor = Visitor()
            let results = String(buffer: try await visitor.get(client, "/results?period=2026Q1").body)
            #expect(!results.contains(f.codes[4].rawValue), "the expired record's check is listed")
            #expect(!results.contains(f.codes[5].rawValue), "the repaired record's check is listed")
            let live = try #require(Self.row(results, containing: f.codes[6].rawValue), "the live record's check is missing")
            #expect(live.contains("<td>1 / 1</td>") && live.contains("<td>300</td>"),
                    "the expired record of check 6 is still counted: \(live)")
            // The records of the fixture's check 1 (a minor one, presumed general) are in force: shown as before.
            #expect(results.contains(f.codes[1].rawValue))

            for (i, shown) in [(4, false), (5, false), (6, true)] {
                let page = String(buffer: try await visitor.get(client, "/entity/\(f.codes[i].rawValue)").body)
                #expect(page.contains(f.marketCheck(i).rawValue) == shown, "entity \(i)")
            }
            let entity = String(buffer: try await visitor.get(client, "/entity/\(f.codes[6].rawValue)").body)
            let row = try #require(Self.row(entity, containing: f.marketCheck(6).rawValue))
            #expect(row.contains("<td>1 / 1</td>") && row.contains("<td>300</td>"), "\(row)")
        }
    }

    /// The planner's entity page lists each penalty record with where it stands on the console's day and the day it
    /// stops counting, as `repair records` gives them: the repaired record stops on its repair day.
    @Test func plannersEntityPageSaysWhenEachRecordStopsCounting() async throws {
        let f = fixture
        let today = CalendarDate(year: 2026, month: 4, day: 30)!
        try await withClient { client in
            var planner = try await Visitor.login(client, "pat").0
            let repaired = String(buffer: try await planner.get(client, "/planner/entity/\(f.codes[5].rawValue)?lang=en").body)
            let row = try #require(Self.row(repaired, containing: "\(f.marketCheck(5).rawValue) / market.r.1"), "\(repaired)")
            #expect(row.contains("<td>repaired</td>") && row.contains("<td>2026-04-20</td>") && row.contains("<td>general</td>"),
                    "\(row)")

            let page = String(buffer: try await planner.get(client, "/planner/entity/\(f.codes[6].rawValue)?lang=en").body)
            let standings = try f.workspace.penaltyRecords(of: f.codes[6], asOf: today)
            #expect(Set(standings.map(\.status)) == [.inForce, .expired], "the fixture's entity 6: one live, one expired")
            for standing in standings {
                let key = "\(standing.record.key.check) / \(standing.record.key.item)"
                let row = try #require(Self.row(page, containing: key), "no row for \(key)")
                #expect(row.contains("<td>\(standing.stopsCountingOn)</td>"), "\(row)")
                #expect(row.contains(standing.status == .inForce ? "<td>in force</td>" : "<td>expired</td>"), "\(row)")
            }
            // An entity with no penalty record says so (the fixture's entity 7 has no finding).
            let clean = String(buffer: try await planner.get(client, "/planner/entity/\(f.codes[7].rawValue)?lang=en").body)
            #expect(clean.contains("No penalty records."), "entity 7")
        }
    }

    @Test func theRuleIsTheDisclosureFilesRule() throws {
        let f = fixture
        let today = CalendarDate(year: 2026, month: 4, day: 30)!
        let page = try f.workspace.publishedCheckPage(CheckPageQuery(period: ConsoleFixture.period, limit: 500), asOf: today)
        let ids = Set(page.listings.map(\.check.id))
        #expect(!ids.contains(f.marketCheck(4)) && !ids.contains(f.marketCheck(5)) && ids.contains(f.marketCheck(6)))
        // Before the expiry and the repair, all three are shown with every record.
        let earlier = try f.workspace.publishedCheckPage(CheckPageQuery(period: ConsoleFixture.period, limit: 500),
                                                         asOf: CalendarDate(year: 2026, month: 4, day: 9)!)
        let six = try #require(earlier.listings.first { $0.check.id == f.marketCheck(6) })
        #expect(Set(earlier.listings.map(\.check.id)).isSuperset(of: [f.marketCheck(4), f.marketCheck(5)]))
        #expect(six.outcomes.penalties == 370 && six.outcomes.findings.minor == 2)
        // A page cut short by a withdrawn check still says where the next page starts.
        let first = try f.workspace.publishedCheckPage(CheckPageQuery(period: ConsoleFixture.period, after: f.marketCheck(3),
                                                                      limit: 1), asOf: today)
        #expect(first.listings.isEmpty && first.next == f.marketCheck(4))
    }
}
