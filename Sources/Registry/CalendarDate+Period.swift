import Supervision

extension CalendarDate {
    /// The first day of a planning period (`2026Q2` → 2026-04-01), or nil when `period` is not a quarter.
    ///
    /// Why the registry speaks in periods: plans, scores and grades are per quarter (`onecheck plan --period`),
    /// and the closed loop's "history before the period" means before this day.
    public init?(periodStart period: String) {
        guard let quarter = Period(period) else { return nil }
        self.init(year: quarter.year, month: 3 * quarter.quarter - 2, day: 1)
    }

    /// The expected form of a period.
    public static let expectedPeriod = "a quarter like 2026Q2"
}
