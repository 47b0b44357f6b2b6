import GRDB

// The cycle side of the registry: plans, checks, findings, disposals, publications and the audit log.

/// A work plan (工作计划): one draw for a scenario and period, reproducible from its seed.
public struct Plan: RegistryRecord, Equatable {
    public static let databaseTableName = "plans"
    public var id: String
    public var scenario: String
    public var period: String
    /// The published seed from which anyone can re-derive the draw.
    public var seed: String
    public init(id: String, scenario: String, period: String, seed: String) {
        self.id = id; self.scenario = scenario; self.period = period; self.seed = seed
    }
}

/// One department's part of a (possibly joint) check of an entity under a plan.
public struct Check: RegistryRecord, Equatable {
    public static let databaseTableName = "checks"
    public var id: String
    public var plan: String
    public var entity: String
    public var department: String
    /// The probability π with which the draw selected this entity for this department, in (0, 1]; the
    /// Horvitz–Thompson weight of the check is 1/π.
    public var inclusionProbability: Double
    /// The day of the visit, `YYYY-MM-DD`.
    public var checkedOn: String
    /// Inspector ids, `;`-separated (personal data: never published).
    public var inspectors: String
    public init(id: String, plan: String, entity: String, department: String, inclusionProbability: Double,
                checkedOn: String, inspectors: String = "") {
        self.id = id; self.plan = plan; self.entity = entity; self.department = department
        self.inclusionProbability = inclusionProbability; self.checkedOn = checkedOn; self.inspectors = inspectors
    }
}

/// The outcome of checking one item.
public enum Outcome: String, Codable, CaseIterable, Sendable, DatabaseValueConvertible {
    case compliant, minor, serious
}

/// The result of checking one item during a check (检查结果).
public struct Finding: RegistryRecord, Equatable {
    public static let databaseTableName = "findings"
    public var checkId: String
    public var item: String
    public var outcome: Outcome
    /// Fine imposed, in yuan (0 when none).
    public var penalty: Double
    public var note: String
    public init(checkId: String, item: String, outcome: Outcome, penalty: Double = 0, note: String = "") {
        self.checkId = checkId; self.item = item; self.outcome = outcome; self.penalty = penalty; self.note = note
    }
}

/// The follow-up of a non-compliant finding (处置): open until `closedOn` is set.
public struct Disposal: RegistryRecord, Equatable {
    public static let databaseTableName = "disposals"
    public var checkId: String
    public var item: String
    /// e.g. `rectify`, `fine`, `suspend`.
    public var action: String
    public var openedOn: String
    public var closedOn: String?
    public init(checkId: String, item: String, action: String, openedOn: String, closedOn: String? = nil) {
        self.checkId = checkId; self.item = item; self.action = action; self.openedOn = openedOn
        self.closedOn = closedOn
    }
}

/// The public disclosure of a check's result (公示), with its legal deadline.
public struct Publication: RegistryRecord, Equatable {
    public static let databaseTableName = "publications"
    public var checkId: String
    public var publishedOn: String
    /// 20 working days after the check.
    public var deadline: String
    public init(checkId: String, publishedOn: String, deadline: String) {
        self.checkId = checkId; self.publishedOn = publishedOn; self.deadline = deadline
    }
}

/// One line of the append-only audit log. SQLite triggers refuse every UPDATE and DELETE of this table.
public struct AuditEntry: RegistryRecord, Equatable {
    public static let databaseTableName = "audit_log"
    /// Assigned by SQLite, increasing.
    public var seq: Int64?
    /// When the action happened, ISO 8601 (UTC), as supplied by the caller.
    public var at: String
    /// What happened: `draw`, `redraw_refused`, `import`, `publish`.
    public var action: String
    public var scenario: String
    public var period: String
    public var detail: String
    public init(seq: Int64? = nil, at: String, action: String, scenario: String = "", period: String = "",
                detail: String = "") {
        self.seq = seq; self.at = at; self.action = action; self.scenario = scenario; self.period = period
        self.detail = detail
    }
}
