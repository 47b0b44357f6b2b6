/// Working days: Monday to Friday, minus announced public holidays, plus announced make-up working weekends.
///
/// Public holidays and the make-up working weekends of the Chinese calendar (调休) are announced each year by the
/// State Council; they are *not* built in. Without them only weekends are skipped, which makes every deadline
/// counted in working days no later than the legal one.
public struct WorkingDayCalendar: Sendable, Equatable {
    /// Days off that would otherwise be working days.
    public var holidays: Set<CalendarDate>
    /// Saturdays and Sundays that are working days.
    public var workingWeekends: Set<CalendarDate>

    public init(holidays: Set<CalendarDate> = [], workingWeekends: Set<CalendarDate> = []) {
        self.holidays = holidays
        self.workingWeekends = workingWeekends
    }

    /// Whether `day` is a working day.
    public func isWorkingDay(_ day: CalendarDate) -> Bool {
        (!day.isWeekend || workingWeekends.contains(day)) && !holidays.contains(day)
    }

    /// The `n`-th working day after `day` (the day itself is not counted, whatever it is).
    /// - Precondition: `n >= 0`.
    /// - Complexity: O(n + holidays in the span).
    public func adding(workingDays n: Int, to day: CalendarDate) -> CalendarDate {
        precondition(n >= 0, "working days must be non-negative")
        var current = day
        var remaining = n
        while remaining > 0 {
            current = current.adding(days: 1)
            if isWorkingDay(current) { remaining -= 1 }
        }
        return current
    }

    /// The working days of `period`, ascending.
    public func workingDays(of period: Period) -> [CalendarDate] {
        period.days.filter(isWorkingDay)
    }
}

extension CalendarDate {
    /// The date `n` working days after this one under `calendar` (weekends only by default); see
    /// ``WorkingDayCalendar/adding(workingDays:to:)``.
    public func addingWorkingDays(_ n: Int, holidays: Set<CalendarDate> = [],
                                  workingWeekends: Set<CalendarDate> = []) -> CalendarDate {
        WorkingDayCalendar(holidays: holidays, workingWeekends: workingWeekends).adding(workingDays: n, to: self)
    }
}
