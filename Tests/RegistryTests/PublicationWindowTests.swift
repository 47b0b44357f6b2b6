import Registry
import Supervision
import Testing

/// The credit-repair rules alone (CREDIT_REPAIR.md): windows by severity, month ends, and the status of a record on
/// the days on both sides of each boundary.
@Suite("Publication windows")
struct PublicationWindowTests {
    /// A penalty record on a check of 2026-02-02 with `severity` decided on `decided` (nil: none recorded).
    static func record(_ outcome: Outcome = .minor, penalty: Double = 0, severity: PenaltySeverity? = nil,
                       decided: String = "2026-02-02", repaired: String? = nil) -> PenaltyRecord {
        let key = FindingKey(check: "C1", item: "I1")
        return PenaltyRecord(
            key: key, entity: try! CreditCode(validating: "91310000MA1FL8AN39"), department: "MKT", element: .people,
            outcome: outcome, penalty: penalty, checkedOn: day("2026-02-02"),
            decision: severity.map { PenaltyDecision(checkId: key.check, item: key.item, severity: $0, decidedOn: day(decided)) },
            repair: repaired.map { CreditRepair(checkId: key.check, item: key.item, repairedOn: day($0), decidedBy: "x",
                                                reason: "y") })
    }

    /// (severity, last day of the minimum window, last day published) for a decision on 2026-02-02.
    static let windows: [(PenaltySeverity, String, String)] = [
        (.minor, "2026-02-02", "2026-05-02"),
        (.general, "2026-05-02", "2027-02-02"),
        (.serious, "2027-02-02", "2029-02-02"),
    ]

    @Test(arguments: windows) func windowsBySeverity(severity: PenaltySeverity, minimumEnd: String, maximumEnd: String) {
        let window = PublicationWindow(severity: severity, decidedOn: day("2026-02-02"))
        #expect(window.minimumEnd == day(minimumEnd) && window.maximumEnd == day(maximumEnd))
        #expect(window.repairableFrom == day(minimumEnd).adding(days: 1))
        #expect(window.expiresOn == day(maximumEnd).adding(days: 1))
    }

    @Test(arguments: windows) func inForceThroughTheLastDayOfTheMaximum(severity: PenaltySeverity, minimumEnd: String,
                                                                      maximumEnd: String) {
        let record = Self.record(severity: severity)
        let last = day(maximumEnd)
        #expect(record.status(on: last.adding(days: -1)) == .inForce)
        #expect(record.status(on: last) == .inForce)
        #expect(record.status(on: last.adding(days: 1)) == .expired)
        #expect(!record.isInForce(on: last.adding(days: 1)))
        #expect(record.stopsCountingOn == last.adding(days: 1))
        // The decision day itself is in the window; a day before it the finding counts as it always did.
        #expect(record.isInForce(on: day("2026-02-02")) && record.isInForce(on: day("2026-02-01")))
    }

    @Test(arguments: windows) func repairOnlyAfterTheMinimumAndWithinTheMaximum(severity: PenaltySeverity,
                                                                               minimumEnd: String, maximumEnd: String) {
        let record = Self.record(severity: severity)
        let minimum = day(minimumEnd), maximum = day(maximumEnd)
        let refusal = record.repairRefusal(on: minimum.adding(days: -1))
        #expect(refusal?.contains("a day from \(minimum.adding(days: 1)) through \(maximum)") == true, "\(refusal ?? "")")
        #expect(refusal?.contains("before the end of its minimum publication window") == true)
        #expect(record.repairRefusal(on: minimum) != nil)  // the minimum's own last day is still within it
        #expect(record.repairRefusal(on: minimum.adding(days: 1)) == nil)
        #expect(record.repairRefusal(on: maximum) == nil)
        let late = record.repairRefusal(on: maximum.adding(days: 1))
        #expect(late?.contains("stopped counting on \(maximum.adding(days: 1)) and needs no repair") == true, "\(late ?? "")")
    }

    @Test func aRepairCountsFromItsOwnDay() {
        let record = Self.record(severity: .general, repaired: "2026-06-10")
        #expect(record.status(on: day("2026-06-09")) == .inForce)
        #expect(record.status(on: day("2026-06-10")) == .repaired)
        #expect(record.status(on: day("2028-01-01")) == .repaired)  // the repair came first, not the expiry
        #expect(record.stopsCountingOn == day("2026-06-10"))
    }

    @Test func monthsEndOnTheSameDayOrTheMonthsLastDay() {
        let january = PublicationWindow(severity: .general, decidedOn: day("2026-01-31"))
        #expect(january.minimumEnd == day("2026-04-30") && january.maximumEnd == day("2027-01-31"))
        let leap = PublicationWindow(severity: .serious, decidedOn: day("2028-02-29"))
        #expect(leap.minimumEnd == day("2029-02-28") && leap.maximumEnd == day("2031-02-28"))
        let november = PublicationWindow(severity: .minor, decidedOn: day("2025-11-30"))
        #expect(november.minimumEnd == day("2025-11-30") && november.maximumEnd == day("2026-02-28"))
        let december = PublicationWindow(severity: .minor, decidedOn: day("2025-12-31"))
        #expect(december.maximumEnd == day("2026-03-31"))
    }

    @Test func withoutADecisionTheOutcomeGivesTheSeverityAndTheCheckTheDay() {
        #expect(Self.record(.serious).severity == .serious)
        #expect(Self.record(.minor).severity == .general)
        #expect(Self.record(.compliant, penalty: 200).severity == .general)
        #expect(Self.record(.serious).decidedOn == day("2026-02-02"))
        // A recorded decision wins over the presumption.
        let recorded = Self.record(.serious, severity: .minor, decided: "2026-02-10")
        #expect(recorded.severity == .minor && recorded.window.maximumEnd == day("2026-05-10"))
        #expect(PenaltyRecord.isRecord(outcome: .compliant, penalty: 0) == false)
        #expect(PenaltyRecord.isRecord(outcome: .compliant, penalty: 1) && PenaltyRecord.isRecord(outcome: .minor, penalty: 0))
    }

    @Test func windowLengthsInMonths() {
        #expect(CreditRepairRules.months(.minor) == (0, 3) && CreditRepairRules.months(.general) == (3, 12)
                && CreditRepairRules.months(.serious) == (12, 36))
    }
}
