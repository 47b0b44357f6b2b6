/// A day of the proleptic Gregorian calendar, written `YYYY-MM-DD`, with the working-day arithmetic the
/// disclosure deadlines need.
///
/// Dates are kept as a day count from 1970-01-01, so differences and weekdays are exact integer arithmetic with
/// no time zone involved (a check happens on a civil day, wherever the machine is).
public struct CalendarDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01 (negative before).
    public let dayNumber: Int

    public init(dayNumber: Int) { self.dayNumber = dayNumber }

    /// The date `year-month-day`, or nil when that day does not exist (e.g. 2026-02-29).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= Self.daysIn(month: month, year: year) else { return nil }
        // Days from civil (H. Hinnant's algorithm): count from 0000-03-01 so the leap day ends the year.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        dayNumber = era * 146_097 + doe - 719_468
    }

    /// Parses exactly `YYYY-MM-DD` (four-digit year, two-digit month and day) naming a real day.
    public init?(_ text: String) {
        let b = Array(text.utf8)
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var n = 0
            for i in range {
                guard b[i] >= 48, b[i] <= 57 else { return nil }
                n = n * 10 + Int(b[i] - 48)
            }
            return n
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// The expected form, for error messages.
    public static let expectedForm = "a date YYYY-MM-DD like 2026-03-31"

    /// (year, month, day).
    public var components: (year: Int, month: Int, day: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// ISO weekday: 1 = Monday … 7 = Sunday. (1970-01-01 was a Thursday.)
    public var weekday: Int { ((dayNumber % 7 + 7 + 3) % 7) + 1 }

    /// Whether the day is Saturday or Sunday.
    public var isWeekend: Bool { weekday >= 6 }

    public func adding(days: Int) -> CalendarDate { CalendarDate(dayNumber: dayNumber + days) }

    /// The date `n` working days after this one: the n-th day after `self` that is neither a Saturday, a
    /// Sunday nor in `holidays`. The check day itself is not counted, whatever day it is.
    ///
    /// Public holidays and the make-up working weekends of the Chinese calendar (调休) are announced each year
    /// by the State Council; they are *not* built in. Pass them as `holidays` (days off) and `workingWeekends`
    /// (weekend days that are working days) when known; by default only weekends are skipped, which gives
    /// a deadline that is never later than the legal one.
    /// - Precondition: `n >= 0`.
    /// - Complexity: O(n + holidays in the span) — at most a few weeks of days.
    public func addingWorkingDays(_ n: Int, holidays: Set<CalendarDate> = [],
                                  workingWeekends: Set<CalendarDate> = []) -> CalendarDate {
        precondition(n >= 0, "working days must be non-negative")
        var day = self
        var remaining = n
        while remaining > 0 {
            day = day.adding(days: 1)
            let isWorking = (!day.isWeekend || workingWeekends.contains(day)) && !holidays.contains(day)
            if isWorking { remaining -= 1 }
        }
        return day
    }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool { a.dayNumber < b.dayNumber }

    public var description: String {
        let (y, m, d) = components
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
