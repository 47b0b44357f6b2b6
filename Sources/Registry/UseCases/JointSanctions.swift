import Supervision

/// The joint-sanctions rule (联合惩戒): a serious finding recorded by **any** department against an entity
/// raises the entity's credit class one step (A→B→C→D; D stays D) **for every department** that supervises
/// it, for the next period, as long as the finding lies within the look-back window before the period starts.
///
/// One step per entity, however many serious findings or departments: the rule signals "found seriously
/// non-compliant recently", and repeated findings already weigh through the features. The raised class
/// drives each department's sampling ratio, so the entity is checked more often by all of them.
public enum JointSanctions {
    /// Default look-back window, in days.
    public static let defaultWindowDays = 365

    /// The check days whose serious findings put an entity under sanctions for a period starting on `start`:
    /// `[start − windowDays, start)`.
    public static func window(before start: CalendarDate, days windowDays: Int) -> DayRange {
        DayRange(from: start.adding(days: -windowDays), before: start)
    }

    /// The grade a department uses for a sanctioned entity: one class above both what the model now says and
    /// what the department used before (`previous`, when graded then). D stays D.
    public static func sanctionedGrade(scored: Grade, previous: Grade?) -> Grade {
        max(scored, previous ?? scored).raised()
    }
}
