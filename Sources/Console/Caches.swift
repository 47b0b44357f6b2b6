import Registry
import Synchronization
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

    /// The model page's figures of `period`: the grade counts and histogram from the registry's summaries, and
    /// the calibration by decile (a join of the period's checks, findings and grades) kept across writes that
    /// cannot change it — an account, a session, a publication, a repair, a disposal — and read again only after
    /// one that can (``changesCalibration``).
    func modelFigures(_ workspace: Workspace, period: Period) throws -> ModelFigures {
        let seq = try workspace.latestAuditSeq()
        if let cached = model[period], cached.seq == seq { return cached.value }
        var calibration: [CalibrationDecile]?
        if let cached = model[period] {
            let since = try workspace.auditLog().filter { ($0.seq ?? 0) > cached.seq }
            if !since.contains(where: { Self.changesCalibration($0.action) }) { calibration = cached.value.calibration }
        }
        let value = try workspace.modelFigures(period: period, calibration: calibration)
        model[period] = (seq, value)
        return value
    }

    /// Whether a write recorded with `action` can change a period's calibration: it may add or change checks
    /// (draws, imports, plans locked from the console), findings or department grades.
    static func changesCalibration(_ action: AuditEntry.Action) -> Bool {
        switch action {
        case .draw, .import, .findings, .plan: return true
        case .redrawRefused, .publish, .creditRepair, .disposals, .user, .session: return false
        }
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

/// The public pages as a visitor without an account sees them, kept until the workspace or the day changes.
///
/// Every change of what these pages show goes through a use case that appends to the audit log (a draw, a lock,
/// a finding, a publication, a repair), and the credit-repair rule moves with the day; so a page rendered at the
/// latest audit sequence number, on the same day, in the same language, for the same path and query, is the page
/// that would be rendered now. A hit costs one indexed read of that number instead of the page's queries and
/// its template. Searches are not kept (each is served by its index); pages of logged-in users are not kept
/// (their layout carries the user's name and CSRF token). At most ``capacity`` pages: when full, it starts over.
final class PublicPageCache: Sendable {
    struct Key: Hashable {
        let target: String
        let language: Language
    }

    private struct Entry {
        let seq: Int64
        let day: CalendarDate
        let page: RenderedPage
    }

    private let entries = Mutex<[Key: Entry]>([:])
    let capacity: Int

    init(capacity: Int = 2048) { self.capacity = capacity }

    /// The page for `key` at `seq` on `day`, rendered by `render` when none is kept.
    func page(_ key: Key, seq: Int64, day: CalendarDate, render: () throws -> RenderedPage) rethrows -> RenderedPage {
        if let hit = entries.withLock({ $0[key] }), hit.seq == seq, hit.day == day { return hit.page }
        let page = try render()
        // Only complete answers are kept: an error page may come from a passing fault.
        guard page.status == .ok else { return page }
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = Entry(seq: seq, day: day, page: page)
        }
        return page
    }
}
