/// Calendar dates as day numbers, without Foundation (so results cannot depend on time zones or locales).
public enum CivilDate {
    /// Days since 1970-01-01 of the proleptic Gregorian date `year-month-day`.
    ///
    /// Howard Hinnant's `days_from_civil` algorithm: shift the year to start in March so the leap day is last,
    /// then count whole 400-year eras, years of the era and days of the year.
    public static func dayNumber(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Parses `YYYY-MM-DD` (optionally followed by a time, which is ignored) into a day number.
    /// - Throws: ``BacktestError/invalidDate(row:value:)`` naming `row` when the text is not such a date.
    public static func dayNumber(_ text: Substring, row: Int = -1) throws -> Int {
        let parts = text.prefix(10).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), (1...daysInMonth(year: y, month: m)).contains(d) else {
            throw BacktestError.invalidDate(row: row, value: String(text))
        }
        return dayNumber(year: y, month: m, day: d)
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
