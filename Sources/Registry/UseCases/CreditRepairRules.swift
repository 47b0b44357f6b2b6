import Supervision

/// The publication window of one penalty record, from its decision day.
///
/// Periods of months and years are counted as the Civil Code counts them (arts. 201–202): the decision day itself
/// is not counted, and a period of *n* months ends on the day of the *n*-th following month that has the decision
/// day's number — or on that month's last day when it has no such day (2026-01-31 + 1 month ends 2026-02-28;
/// 2028-02-29 + 1 year ends 2029-02-28). So:
///
/// - the record is published and used from ``decidedOn`` through ``maximumEnd`` (inclusive), and stops
///   automatically the day after (``expiresOn``);
/// - the minimum window ends on ``minimumEnd`` (inclusive); a repair may be decided from the day after
///   (``repairableFrom``) through ``maximumEnd``.
public struct PublicationWindow: Hashable, Sendable {
    public var decidedOn: CalendarDate
    /// The last day of the minimum window.
    public var minimumEnd: CalendarDate
    /// The last day of the maximum window: the last day the record is in force, unless repaired.
    public var maximumEnd: CalendarDate

    /// The first day a repair may be decided.
    public var repairableFrom: CalendarDate { minimumEnd.adding(days: 1) }
    /// The first day the record no longer counts when it is not repaired.
    public var expiresOn: CalendarDate { maximumEnd.adding(days: 1) }

    /// The window of a penalty of `severity` decided on `decidedOn`.
    public init(severity: PenaltySeverity, decidedOn: CalendarDate) {
        let months = CreditRepairRules.months(severity)
        self.decidedOn = decidedOn
        minimumEnd = Self.adding(months: months.minimum, to: decidedOn)
        maximumEnd = Self.adding(months: months.maximum, to: decidedOn)
    }

    /// `day` plus `months` calendar months, on the same day number or the month's last day when it is shorter.
    /// - Precondition: `months` ≥ 0.
    static func adding(months: Int, to day: CalendarDate) -> CalendarDate {
        precondition(months >= 0, "a window has a non-negative length")
        let (year, month, dayNumber) = day.components
        let index = year * 12 + (month - 1) + months
        let (y, m) = (index / 12, index % 12 + 1)
        return CalendarDate(year: y, month: m, day: min(dayNumber, CalendarDate.daysIn(month: m, year: y)))!
    }
}

/// The national credit-repair rules in force from 2026-04-01, as `../shared/DOMAIN.md` renders them (reading and
/// choices: CREDIT_REPAIR.md): windows by severity, when a record is in force, when it may be repaired.
///
/// | severity | minimum | maximum |
/// |---|---|---|
/// | minor | 0 (normally not published) | 3 months (when publication is required) |
/// | general | 3 months | 1 year |
/// | serious | 1 year | 3 years |
public enum CreditRepairRules {
    /// The minimum and maximum publication windows of `severity`, in months.
    public static func months(_ severity: PenaltySeverity) -> (minimum: Int, maximum: Int) {
        switch severity {
        case .minor: return (0, 3)
        case .general: return (3, 12)
        case .serious: return (12, 36)
        }
    }

    /// Why a record does not count on a day, or that it does.
    public enum Status: String, Hashable, Sendable {
        /// Not repaired by the day, and the day is not after its maximum window. (A finding whose penalty is
        /// decided after the day counts as before: its window has not even begun.)
        case inForce = "in_force"
        /// A repair was decided on or before the day.
        case repaired
        /// The day is after the maximum window.
        case expired
    }
}

extension PenaltyRecord {
    /// The record's publication window.
    public var window: PublicationWindow { PublicationWindow(severity: severity, decidedOn: decidedOn) }

    /// Where the record stands on `day`: a repair on or before `day` wins over expiry (it came first, since a
    /// repair is refused after the maximum window).
    public func status(on day: CalendarDate) -> CreditRepairRules.Status {
        if let repair, repair.repairedOn <= day { return .repaired }
        return day <= window.maximumEnd ? .inForce : .expired
    }

    /// Whether the record is published, shared and used on `day`: neither repaired by then nor past its maximum
    /// window.
    public func isInForce(on day: CalendarDate) -> Bool { status(on: day) == .inForce }

    /// The first day the record no longer counts: the repair day, else the day after its maximum window.
    public var stopsCountingOn: CalendarDate { repair?.repairedOn ?? window.expiresOn }

    /// The days a repair may be decided on, phrased to follow "expected" in an error, when `day` is not one of
    /// them; nil when it is. A repair is allowed only after the minimum window, and only while the record is still
    /// published (an expired record needs none).
    public func repairRefusal(on day: CalendarDate) -> String? {
        let window = self.window
        guard day < window.repairableFrom || day > window.maximumEnd else { return nil }
        let months = CreditRepairRules.months(severity).minimum
        let why = day < window.repairableFrom
            ? "before the end of its minimum publication window of \(months) month\(months == 1 ? "" : "s") "
                + "(through \(window.minimumEnd))"
            : "after its maximum publication window ended on \(window.maximumEnd): it stopped counting on "
                + "\(window.expiresOn) and needs no repair"
        return "a day from \(window.repairableFrom) through \(window.maximumEnd) for the \(severity.rawValue) penalty "
            + "record \(key.check)/\(key.item) decided on \(decidedOn); \(day) is \(why)"
    }
}
