import Supervision

// The cycle side of the registry: plans, checks, findings, disposals, publications and the audit log.

/// A work plan (工作计划): the draw of one scenario in one period in one jurisdiction, reproducible from its
/// published seed. A scenario has at most one plan per period and jurisdiction (schema version 11): each
/// jurisdiction draws its own (`plan --jurisdiction J`), and records it in a shared workspace beside the others.
public struct ScenarioPlan: Hashable, Sendable, Codable {
    /// Names the plan within its period (``PlanID``).
    public var id: PlanID
    public var scenario: ScenarioCode
    public var period: Period
    /// The seed the draw used, from which anyone can re-derive it (a jurisdiction's seed is derived from the
    /// public seed and its code).
    public var seed: String
    /// The jurisdiction whose draw this is; nil for the one implicit jurisdiction of a city without the column.
    public var jurisdiction: JurisdictionCode?

    public init(id: PlanID, scenario: ScenarioCode, period: Period, seed: String, jurisdiction: JurisdictionCode? = nil) {
        self.id = id
        self.scenario = scenario
        self.period = period
        self.seed = seed
        self.jurisdiction = jurisdiction
    }
}

/// One department's part of a (possibly joint) check of an entity under a plan.
public struct Check: Hashable, Sendable, Codable {
    public var id: CheckID
    /// The plan, within the plan's period.
    public var plan: PlanID
    public var entity: CreditCode
    public var department: DepartmentCode
    /// The probability π with which the draw selected this entity for this department, in (0, 1]; the
    /// Horvitz–Thompson weight of the check is 1/π.
    public var inclusionProbability: Double
    /// The day of the visit; within the plan's period.
    public var checkedOn: CalendarDate
    /// The department's inspectors on the visit (personal data: never published).
    public var inspectors: [InspectorID]

    public init(id: CheckID, plan: PlanID, entity: CreditCode, department: DepartmentCode,
                inclusionProbability: Double, checkedOn: CalendarDate, inspectors: [InspectorID] = []) {
        self.id = id
        self.plan = plan
        self.entity = entity
        self.department = department
        self.inclusionProbability = inclusionProbability
        self.checkedOn = checkedOn
        self.inspectors = inspectors
    }
}

/// The outcome of checking one item.
public enum Outcome: String, Codable, CaseIterable, Sendable {
    case compliant, minor, serious

    /// Minor and serious findings: the problems that need a disposal.
    public var isProblem: Bool { self != .compliant }
}

/// The result of checking one item during a check (检查结果).
public struct Finding: Hashable, Sendable, Codable {
    public var checkId: CheckID
    public var item: ItemCode
    public var outcome: Outcome
    /// Fine imposed, in yuan (0 when none).
    public var penalty: Double
    /// Free text; may name people, so it is never published.
    public var note: String

    public init(checkId: CheckID, item: ItemCode, outcome: Outcome, penalty: Double = 0, note: String = "") {
        self.checkId = checkId
        self.item = item
        self.outcome = outcome
        self.penalty = penalty
        self.note = note
    }
}

/// The follow-up of a non-compliant finding (处置): open until `closedOn` is set.
public struct Disposal: Hashable, Sendable, Codable {
    public var checkId: CheckID
    public var item: ItemCode
    /// e.g. `rectify`, `fine`, `suspend`.
    public var action: String
    public var openedOn: CalendarDate
    /// On or after `openedOn`; nil while open.
    public var closedOn: CalendarDate?

    public init(checkId: CheckID, item: ItemCode, action: String, openedOn: CalendarDate, closedOn: CalendarDate? = nil) {
        self.checkId = checkId
        self.item = item
        self.action = action
        self.openedOn = openedOn
        self.closedOn = closedOn
    }
}

/// The public disclosure of a check's result (公示), with its legal deadline.
public struct Publication: Hashable, Sendable, Codable {
    public var checkId: CheckID
    public var publishedOn: CalendarDate
    /// ``DisclosureCalendar/workingDaysAllowed`` working days after the check.
    public var deadline: CalendarDate

    public init(checkId: CheckID, publishedOn: CalendarDate, deadline: CalendarDate) {
        self.checkId = checkId
        self.publishedOn = publishedOn
        self.deadline = deadline
    }
}

/// One line of the append-only audit log. Every store refuses to change or remove a line.
public struct AuditEntry: Hashable, Sendable, Codable {
    /// What happened.
    public enum Action: String, Codable, Sendable {
        /// A plan was recorded as a scenario's draw for a period.
        case draw
        /// A second draw for a scenario and period was refused (nothing of it was written).
        case redrawRefused = "redraw_refused"
        /// A file or directory was imported.
        case `import`
        /// Results were published.
        case publish
        /// Penalty decisions or credit repairs were recorded (`Workspace.recordPenaltyDecisions`, `recordRepairs`).
        case creditRepair = "credit_repair"
        /// Findings were recorded (console form or upload, or `Workspace.recordFindings` with no account).
        case findings
        /// Disposals were recorded (console form or upload, or `Workspace.recordDisposals` with no account).
        case disposals
        /// A console account was added, disabled or enabled.
        case user
        /// A console session was opened or closed.
        case session
        /// A plan was drawn, adjusted or locked from the console.
        case plan
    }

    /// Assigned by the store, increasing; nil before the entry is appended.
    public var seq: Int64?
    /// When the action happened, ISO 8601 (UTC), as supplied by the caller.
    public var at: String
    public var action: Action
    /// The scenario and period concerned, as text ("" when the action concerns none): the log keeps what was
    /// written, and workspaces of schema version 1 and 2 hold free-text periods.
    public var scenario: String
    public var period: String
    public var detail: String
    /// The console account that wrote; "" for the command line (and for lines of schema versions before 4).
    public var user: String

    public init(seq: Int64? = nil, at: String, action: Action, scenario: String = "", period: String = "",
                detail: String = "", user: String = "") {
        self.seq = seq
        self.user = user
        self.at = at
        self.action = action
        self.scenario = scenario
        self.period = period
        self.detail = detail
    }
}
