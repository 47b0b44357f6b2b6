/// A planning period: a quarter such as `2026Q1`.
///
/// Its working days are Monday to Friday of the quarter (public holidays are not modelled; remove them
/// by planning with fewer days is left to a future holidays file). Dates are computed with the proleptic
/// Gregorian calendar by integer arithmetic, not with a locale-dependent calendar, so they are the same
/// on every machine.
public struct PlanPeriod: Sendable, Equatable, CustomStringConvertible {
    public let year: Int
    /// 1 … 4.
    public let quarter: Int

    /// Parses `YYYYQn`.
    public init?(_ text: String) {
        let parts = text.split(separator: "Q", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, let year = Int(parts[0]), year >= 1900,
              parts[1].count == 1, let quarter = Int(parts[1]), (1...4).contains(quarter) else { return nil }
        self.year = year
        self.quarter = quarter
    }

    public var description: String { "\(year)Q\(quarter)" }

    /// Periods in a year, for the caps and the permanent-random-number intervals.
    public static let periodsPerYear = 4

    /// The 0-based index of the period within its year.
    public var index: Int { quarter - 1 }

    /// ISO dates (`YYYY-MM-DD`) of the Mondays to Fridays of the quarter, ascending.
    public var workingDays: [String] {
        var days: [String] = []
        for month in (3 * quarter - 2)...(3 * quarter) {
            for day in 1...Self.daysIn(month: month, year: year) {
                // 1970-01-01 was a Thursday: weekday 0 = Monday … 6 = Sunday.
                let weekday = ((Self.daysFromEpoch(year: year, month: month, day: day) % 7) + 7 + 3) % 7
                if weekday < 5 { days.append(Self.iso(year: year, month: month, day: day)) }
            }
        }
        return days
    }

    static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days from 1970-01-01 (Howard Hinnant's days-from-civil algorithm).
    static func daysFromEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func iso(year: Int, month: Int, day: Int) -> String {
        let m = month < 10 ? "0\(month)" : "\(month)"
        let d = day < 10 ? "0\(day)" : "\(day)"
        return "\(year)-\(m)-\(d)"
    }
}
