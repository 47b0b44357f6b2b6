import Registry
import Supervision

/// The indicators and overdue results, recomputed only when the workspace changed: every write through the use
/// cases appends to the audit log, so the latest audit sequence number keys the cache. At city scale the
/// indicators read every check of every period (one grouped query); pages then serve from memory.
actor IndicatorCache {
    private var indicators: (seq: Int64, value: [Indicators])?
    private var overdue: (seq: Int64, day: CalendarDate, value: [OverdueResult])?
    private var model: [Period: (seq: Int64, value: ModelFigures)] = [:]

    private var graded: (seq: Int64, value: [Period])?

    /// The periods with department grades (a pass over every grade: millions of rows at city scale).
    func gradedPeriods(_ workspace: Workspace) throws -> [Period] {
        let seq = try workspace.latestAuditSeq()
        if let cached = graded, cached.seq == seq { return cached.value }
        let value = try workspace.gradedPeriods()
        graded = (seq, value)
        return value
    }

    /// The model page's figures of `period` (grouped passes over the period's department grades).
    func modelFigures(_ workspace: Workspace, period: Period) throws -> ModelFigures {
        let seq = try workspace.latestAuditSeq()
        if let cached = model[period], cached.seq == seq { return cached.value }
        let value = try workspace.modelFigures(period: period)
        model[period] = (seq, value)
        return value
    }

    func indicators(_ workspace: Workspace) throws -> [Indicators] {
        let seq = try workspace.latestAuditSeq()
        if let cached = indicators, cached.seq == seq { return cached.value }
        let value = try workspace.indicators()
        indicators = (seq, value)
        return value
    }

    func overdue(_ workspace: Workspace, asOf day: CalendarDate) throws -> [OverdueResult] {
        let seq = try workspace.latestAuditSeq()
        if let cached = overdue, cached.seq == seq, cached.day == day { return cached.value }
        let value = try workspace.overdueResults(asOf: day)
        overdue = (seq, day, value)
        return value
    }
}
