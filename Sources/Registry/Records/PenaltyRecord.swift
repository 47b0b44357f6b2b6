import Supervision

// The credit side of a finding: its penalty decision (severity, date) and its credit repair. The rules that read
// them — publication windows, when a record is in force, when it may be repaired — are in
// `UseCases/CreditRepairRules.swift`; their reading of the national rules is CREDIT_REPAIR.md.

/// The severity class of an administrative penalty under the national credit-repair rules (in force from
/// 2026-04-01), which fixes how long the penalty is published and used (``CreditRepairRules``).
public enum PenaltySeverity: String, Codable, CaseIterable, Sendable {
    /// 轻微: normally not published; at most 3 months when publication is required.
    case minor
    /// 一般: published for 3 months to 1 year.
    case general
    /// 严重: published for 1 to 3 years.
    case serious

    /// The severity a penalty record has when none was recorded (findings recorded before schema version 4, or
    /// whose decision was never imported): `serious` for a serious finding, `general` otherwise.
    ///
    /// Why: the inspector's outcome is the only classification such a record has; a serious finding is what the
    /// joint-sanctions rule already treats as serious, and `general` — never `minor` — for the rest keeps every
    /// record the registry already used in force for at least a year, so a workspace's grades and features do not
    /// drop records merely because the new column is empty (CREDIT_REPAIR.md).
    public static func presumed(for outcome: Outcome) -> PenaltySeverity {
        outcome == .serious ? .serious : .general
    }
}

/// The penalty decision on a finding (行政处罚决定): its severity class and the day it was decided, from which its
/// publication window runs.
public struct PenaltyDecision: Hashable, Sendable, Codable {
    public var checkId: CheckID
    public var item: ItemCode
    public var severity: PenaltySeverity
    /// The day the penalty was decided: the first day of its publication window; on or after the check.
    public var decidedOn: CalendarDate

    public init(checkId: CheckID, item: ItemCode, severity: PenaltySeverity, decidedOn: CalendarDate) {
        self.checkId = checkId
        self.item = item
        self.severity = severity
        self.decidedOn = decidedOn
    }

    public var key: FindingKey { FindingKey(check: checkId, item: item) }
}

/// A credit-repair decision (信用修复) on a penalty record: from `repairedOn` on, the record is no longer published,
/// shared or used. Allowed only after the record's minimum publication window (``CreditRepairRules``).
public struct CreditRepair: Hashable, Sendable, Codable {
    public var checkId: CheckID
    public var item: ItemCode
    /// The day of the repair decision: the first day the record no longer counts.
    public var repairedOn: CalendarDate
    /// Who decided (the authority or officer, as the decision names it); not empty.
    public var decidedBy: String
    /// Why (e.g. "rectified, fine paid, commitment signed"); not empty.
    public var reason: String

    public init(checkId: CheckID, item: ItemCode, repairedOn: CalendarDate, decidedBy: String, reason: String) {
        self.checkId = checkId
        self.item = item
        self.repairedOn = repairedOn
        self.decidedBy = decidedBy
        self.reason = reason
    }

    public var key: FindingKey { FindingKey(check: checkId, item: item) }
}

/// A penalty record as stored: a finding that is minor or serious, or that carries a fine, with the check it was
/// made on, and its penalty decision and credit repair when recorded. Plain facts: what they mean is
/// ``CreditRepairRules``'.
public struct PenaltyRecord: Hashable, Sendable {
    /// The state of the finding's disposal, as the disclosure file shows it.
    public enum DisposalState: String, Hashable, Sendable { case none, open, closed }

    public var key: FindingKey
    public var entity: CreditCode
    public var department: DepartmentCode
    public var element: Element
    public var outcome: Outcome
    /// The fine, in yuan (0 when none).
    public var penalty: Double
    public var checkedOn: CalendarDate
    public var disposal: DisposalState
    /// The recorded decision; nil: none recorded (``severity`` and ``decidedOn`` are then presumed).
    public var decision: PenaltyDecision?
    public var repair: CreditRepair?

    public init(key: FindingKey, entity: CreditCode, department: DepartmentCode, element: Element, outcome: Outcome,
                penalty: Double, checkedOn: CalendarDate, disposal: DisposalState = .none,
                decision: PenaltyDecision? = nil, repair: CreditRepair? = nil) {
        self.key = key
        self.entity = entity
        self.department = department
        self.element = element
        self.outcome = outcome
        self.penalty = penalty
        self.checkedOn = checkedOn
        self.disposal = disposal
        self.decision = decision
        self.repair = repair
    }

    /// The recorded severity, else ``PenaltySeverity/presumed(for:)`` of the outcome.
    public var severity: PenaltySeverity { decision?.severity ?? .presumed(for: outcome) }
    /// The recorded decision day, else the day of the check (the earliest the penalty can have been decided).
    public var decidedOn: CalendarDate { decision?.decidedOn ?? checkedOn }

    /// Whether a finding is a penalty record: minor or serious, or fined.
    public static func isRecord(outcome: Outcome, penalty: Double) -> Bool { outcome.isProblem || penalty > 0 }
}

/// Which penalty records a query covers.
public struct PenaltyRecordSelection: Hashable, Sendable {
    /// Only the records of this entity.
    public var entity: CreditCode?
    /// Only records on checks made within these days.
    public var checkedIn: DayRange?

    public init(entity: CreditCode? = nil, checkedIn: DayRange? = nil) {
        self.entity = entity
        self.checkedIn = checkedIn
    }

    public static let all = PenaltyRecordSelection()
}
