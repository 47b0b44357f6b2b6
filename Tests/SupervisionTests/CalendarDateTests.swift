import Foundation
import Supervision
import Testing
import TestSupport

@Suite("Calendar dates and working days")
struct CalendarDateTests {
    /// Agrees with Foundation's Gregorian calendar on day numbers, components and weekdays over ±200 years.
    @Test func agreesWithFoundation() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var rng = SeededGenerator(seed: 1970)
        for _ in 0..<2_000 {
            let dayNumber = Int(rng.next() % 146_097) - 73_000
            let date = Date(timeIntervalSince1970: Double(dayNumber) * 86_400)
            let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: date)
            let day = CalendarDate(dayNumber: dayNumber)
            #expect(day.components == (parts.year!, parts.month!, parts.day!))
            #expect(CalendarDate(year: parts.year!, month: parts.month!, day: parts.day!) == day)
            #expect(day.weekday == (parts.weekday! + 5) % 7 + 1)  // Foundation: 1 = Sunday
            #expect(CalendarDate(day.description) == day)
        }
    }

    @Test(arguments: ["2026-02-29", "2026-13-01", "2026-04-31", "26-01-01", "2026-1-01", "2026/01/01", ""])
    func rejectsImpossibleOrMalformedDates(text: String) {
        #expect(CalendarDate(text) == nil)
    }

    @Test func leapDays() {
        #expect(CalendarDate("2024-02-29") != nil)
        #expect(CalendarDate("2000-02-29") != nil)
        #expect(CalendarDate("1900-02-29") == nil)
    }

    /// 2026-03-02 is a Monday: 20 working days later is four whole weeks later, a Monday.
    @Test func twentyWorkingDaysSkipWeekends() throws {
        let monday = try #require(CalendarDate("2026-03-02"))
        #expect(monday.weekday == 1)
        #expect(monday.addingWorkingDays(20).description == "2026-03-30")
        // From a Saturday the first working day is Monday: 20 working days end on the Friday four weeks on.
        let saturday = try #require(CalendarDate("2026-03-07"))
        #expect(saturday.addingWorkingDays(20).description == "2026-04-03")
        // A holiday inside the span pushes the deadline one working day further; a make-up Saturday pulls it in.
        let holiday = try #require(CalendarDate("2026-03-10"))
        #expect(monday.addingWorkingDays(20, holidays: [holiday]).description == "2026-03-31")
        let makeUp = try #require(CalendarDate("2026-03-14"))
        #expect(monday.addingWorkingDays(20, workingWeekends: [makeUp]).description == "2026-03-27")
    }

    /// Brute force: the n-th working day after d has exactly n working days in (d, result] and is one.
    @Test func workingDaysMatchCounting() {
        var rng = SeededGenerator(seed: 20)
        for _ in 0..<300 {
            let start = CalendarDate(dayNumber: 20_000 + Int(rng.next() % 2_000))
            let n = Int(rng.next() % 40)
            let end = start.addingWorkingDays(n)
            let working = (start.dayNumber + 1...max(start.dayNumber + 1, end.dayNumber))
                .filter { !CalendarDate(dayNumber: $0).isWeekend && $0 <= end.dayNumber }.count
            #expect(working == n)
            #expect(n == 0 ? end == start : !end.isWeekend)
        }
    }
}
