import OneCheckUtilities

/// A planning period: a quarter such as `2026Q1`, the unit in which plans are drawn, scores and grades are kept,
/// and indicators are reported.
///
/// `Codable` as its `YYYYQn` text; ordered by time.
public struct Period: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    public let year: Int
    /// 1 … 4.
    public let quarter: Int

    /// Periods in a year: the yearly caps and the permanent-random-number intervals are split four ways.
    public static let perYear = 4

    /// The quarter `quarter` (1…4) of `year` (1900…9999), or nil.
    public init?(year: Int, quarter: Int) {
        guard (1900...9999).contains(year), (1...4).contains(quarter) else { return nil }
        self.year = year
        self.quarter = quarter
    }

    /// Parses exactly `YYYYQn`, e.g. `2026Q1`.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "Q", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[0].allSatisfy(\.isASCII), let year = Int(parts[0]),
              parts[1].count == 1, let quarter = Int(parts[1]) else { return nil }
        self.init(year: year, quarter: quarter)
    }

    /// The expected form, phrased to follow "expected" in error messages.
    public static let expectedForm = "a quarter like 2026Q2"

    /// The period that contains `date`.
    public init(containing date: CalendarDate) {
        let (year, month, _) = date.components
        self.init(year: year, quarter: (month - 1) / 3 + 1)!
    }

    public var description: String { "\(year)Q\(quarter)" }

    /// The 0-based index of the period within its year.
    public var index: Int { quarter - 1 }

    /// The first day of the period (`2026Q2` → 2026-04-01).
    public var firstDay: CalendarDate { CalendarDate(year: year, month: 3 * quarter - 2, day: 1)! }

    /// The last day of the period (`2026Q2` → 2026-06-30).
    public var lastDay: CalendarDate { next.firstDay.adding(days: -1) }

    /// Every day of the period, ascending.
    public var days: [CalendarDate] { (firstDay.dayNumber...lastDay.dayNumber).map(CalendarDate.init(dayNumber:)) }

    /// Whether `date` falls in the period.
    public func contains(_ date: CalendarDate) -> Bool { date >= firstDay && date <= lastDay }

    /// The following quarter.
    public var next: Period {
        quarter == 4 ? Period(uncheckedYear: year + 1, quarter: 1) : Period(uncheckedYear: year, quarter: quarter + 1)
    }

    /// The preceding quarter.
    public var previous: Period {
        quarter == 1 ? Period(uncheckedYear: year - 1, quarter: 4) : Period(uncheckedYear: year, quarter: quarter - 1)
    }

    /// The quarters of the same year before this one, oldest first.
    public var earlierInYear: [Period] { (1..<quarter).map { Period(uncheckedYear: year, quarter: $0) } }

    /// Monday to Friday of the period, ascending (the planner's check days; public holidays are not modelled
    /// there — see ``WorkingDayCalendar``).
    public var weekdays: [CalendarDate] { days.filter { !$0.isWeekend } }

    private init(uncheckedYear year: Int, quarter: Int) {
        self.year = year
        self.quarter = quarter
    }

    public static func < (a: Period, b: Period) -> Bool { (a.year, a.quarter) < (b.year, b.quarter) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let period = Period(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription:
                "\(QuotedText.quoted(text, limit: 40)) is not \(Self.expectedForm)")
        }
        self = period
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
