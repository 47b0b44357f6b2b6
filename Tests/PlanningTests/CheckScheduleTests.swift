import Supervision
import Testing
@testable import Planning

@Suite("Schedule")
struct CheckScheduleTests {
    static let days = ["2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08", "2026-01-09"].map { CalendarDate($0)! }

    @Test("checks spread evenly and no inspector exceeds the daily capacity")
    func evenSpread() throws {
        // 20 checks, inspectors a…e in rotating pairs; capacity 2 a day.
        let names = ["a", "b", "c", "d", "e"]
        let pairings = (0..<20).map {
            InspectorPairing(checkID: "C\($0)", inspectors: [InspectorID(names[$0 % 5]), InspectorID(names[($0 + 1) % 5])])
        }
        let schedule = try CheckSchedule.schedule(
            pairings, workingDays: Self.days, dailyCapacity: { _ in 2 },
            random: VerifiableRandom(seed: "schedule", purpose: "days"))
        #expect(schedule.map(\.checkID) == pairings.map(\.checkID))
        var perDay: [CalendarDate: Int] = [:]
        var perInspectorDay: [String: Int] = [:]
        for check in schedule {
            perDay[check.day, default: 0] += 1
            for inspector in check.inspectors { perInspectorDay["\(inspector)@\(check.day)", default: 0] += 1 }
        }
        #expect(perInspectorDay.values.allSatisfy { $0 <= 2 })
        #expect(perDay.values.max()! - perDay.values.min()! <= 1)
        let again = try CheckSchedule.schedule(
            pairings, workingDays: Self.days, dailyCapacity: { _ in 2 },
            random: VerifiableRandom(seed: "schedule", purpose: "days"))
        #expect(again == schedule)
    }

    @Test("an inspector booked out on every day blocks the check, and is named")
    func overbooked() {
        let pairings = (0..<3).map { InspectorPairing(checkID: "C\($0)", inspectors: ["a", InspectorID("x\($0)")]) }
        // Three checks need inspector a, who has one slot on each of two days: the third one placed fails.
        let error = #expect(throws: ScheduleError.self) {
            try CheckSchedule.schedule(
                pairings, workingDays: Array(Self.days.prefix(2)), dailyCapacity: { _ in 1 },
                random: VerifiableRandom(seed: "s", purpose: "p"))
        }
        guard case let .noFreeDay(checkID, fullyBooked)? = error else {
            Issue.record("expected noFreeDay, got \(String(describing: error))")
            return
        }
        #expect(pairings.map(\.checkID).contains(checkID))
        #expect(fullyBooked == ["a"])
    }
}
