import Supervision

// The plain facts a store answers with. They carry no rules: which findings count as problems, what makes a check
// joint, when a result is late — the use cases decide that from these facts.

/// One entity's place in the directory.
public struct DirectoryEntry: Hashable, Sendable {
    public var scenario: ScenarioCode
    /// The departments whose directory holds the entity, by code.
    public var departments: [DepartmentCode]
    /// The entity's jurisdiction (nil: the implicit one).
    public var jurisdiction: JurisdictionCode?

    public init(scenario: ScenarioCode, departments: [DepartmentCode], jurisdiction: JurisdictionCode? = nil) {
        self.scenario = scenario
        self.departments = departments
        self.jurisdiction = jurisdiction
    }
}

/// A department's directory within one scenario: the denominator N of the indicators.
public struct DirectoryScope: Hashable, Sendable {
    public var department: DepartmentCode
    public var scenario: ScenarioCode

    public init(department: DepartmentCode, scenario: ScenarioCode) {
        self.department = department
        self.scenario = scenario
    }
}

/// A recorded check with its plan's scenario and period.
public struct RecordedCheck: Hashable, Sendable {
    public var check: Check
    public var scenario: ScenarioCode
    public var period: Period

    public init(check: Check, scenario: ScenarioCode, period: Period) {
        self.check = check
        self.scenario = scenario
        self.period = period
    }
}

/// Findings counted by outcome.
public struct OutcomeCounts: Hashable, Sendable {
    public var compliant: Int
    public var minor: Int
    public var serious: Int

    public init(compliant: Int = 0, minor: Int = 0, serious: Int = 0) {
        self.compliant = compliant
        self.minor = minor
        self.serious = serious
    }

    public subscript(outcome: Outcome) -> Int {
        switch outcome {
        case .compliant: return compliant
        case .minor: return minor
        case .serious: return serious
        }
    }

    /// Every finding.
    public var total: Int { compliant + minor + serious }
}

/// What a check found: its findings counted by outcome, their penalties, its disposals.
public struct CheckOutcomes: Hashable, Sendable {
    public var findings: OutcomeCounts
    /// The sum of the findings' penalties, in yuan.
    public var penalties: Double
    public var openDisposals: Int
    public var closedDisposals: Int

    public init(findings: OutcomeCounts, penalties: Double, openDisposals: Int, closedDisposals: Int) {
        self.findings = findings
        self.penalties = penalties
        self.openDisposals = openDisposals
        self.closedDisposals = closedDisposals
    }
}

/// Everything recorded about one check: where it stands in its plan, what it found, its publication.
public struct CheckFacts: Sendable {
    public var id: CheckID
    public var plan: PlanID
    public var period: Period
    public var scenario: ScenarioCode
    public var department: DepartmentCode
    public var entity: CreditCode
    public var inclusionProbability: Double
    public var checkedOn: CalendarDate
    /// The checked entity's name in the directory, when the selection asks for names.
    public var entityName: String?
    /// What the check found, when the selection asks for outcomes.
    public var outcomes: CheckOutcomes?
    public var publication: Publication?

    public init(id: CheckID, plan: PlanID, period: Period, scenario: ScenarioCode, department: DepartmentCode,
                entity: CreditCode, inclusionProbability: Double, checkedOn: CalendarDate, entityName: String?,
                outcomes: CheckOutcomes?, publication: Publication?) {
        self.id = id
        self.plan = plan
        self.period = period
        self.scenario = scenario
        self.department = department
        self.entity = entity
        self.inclusionProbability = inclusionProbability
        self.checkedOn = checkedOn
        self.entityName = entityName
        self.outcomes = outcomes
        self.publication = publication
    }
}

/// Which checks a query covers.
public struct CheckSelection: Sendable, Equatable {
    public var scenario: ScenarioCode?
    public var period: Period?
    /// Only checks made on or before this day.
    public var checkedOnOrBefore: CalendarDate?
    /// Whether the facts carry what each check found.
    public var outcomes: Bool
    /// Whether the facts carry the entities' names.
    public var entityNames: Bool

    public init(scenario: ScenarioCode? = nil, period: Period? = nil, checkedOnOrBefore: CalendarDate? = nil,
                outcomes: Bool = true, entityNames: Bool = false) {
        self.scenario = scenario
        self.period = period
        self.checkedOnOrBefore = checkedOnOrBefore
        self.outcomes = outcomes
        self.entityNames = entityNames
    }

    public static let all = CheckSelection()
}

/// Which part of the workspace a read covers: all of it, or one jurisdiction's — its entities (with their grades
/// and checks), its roster and its quotas.
///
/// `plan --workspace W --jurisdiction J` reads with `.jurisdiction(J)`, so a jurisdiction's plan reads its own rows
/// and not the rest of the province's: on PostgreSQL the entity tables (schema version 8), the grades (version 9),
/// the roster and the quotas (version 10) are partitioned by jurisdiction, and such a read names one partition of
/// each.
public enum EntitySelection: Sendable, Hashable {
    case all
    case jurisdiction(JurisdictionCode)

    /// The stored text of the jurisdiction selected, or nil for every entity.
    var storedJurisdiction: String? {
        if case let .jurisdiction(code) = self { return code.rawValue }
        return nil
    }
}

/// The days `[from, before)`; `from` nil means since the beginning.
public struct DayRange: Hashable, Sendable {
    public var from: CalendarDate?
    public var before: CalendarDate

    public init(from: CalendarDate? = nil, before: CalendarDate) {
        self.from = from
        self.before = before
    }
}

/// An entity's checks before a day: how many, and the last day.
public struct CheckHistory: Hashable, Sendable {
    public var checks: Int
    public var lastCheckedOn: CalendarDate

    public init(checks: Int, lastCheckedOn: CalendarDate) {
        self.checks = checks
        self.lastCheckedOn = lastCheckedOn
    }
}

/// One entity with its stored feature fields, as `Workspace.exportScoringEntities` reads them.
public struct StoredFeatures: Sendable {
    public var entity: CreditCode
    public var district: DistrictCode?
    public var scenario: ScenarioCode
    /// The imported text of each feature field, joined by commas, in feature-column order.
    public var values: String

    public init(entity: CreditCode, district: DistrictCode?, scenario: ScenarioCode, values: String) {
        self.entity = entity
        self.district = district
        self.scenario = scenario
        self.values = values
    }
}

/// A value of a stored table, for the export: what the engine holds, by kind.
public enum StoredValue: Hashable, Sendable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
}

/// The workspace's tables as `export` writes them: the name, and the columns that order the rows.
public struct RegistryTable: Hashable, Sendable {
    public let name: String
    public let orderBy: [String]

    /// Every table, in dependency order. Schema version 3 added `scenario_partners`, `stratum_quotas` and `caps`;
    /// version 4 `penalty_decisions` and `credit_repairs`.
    public static let all: [RegistryTable] = [
        .init("departments", ["code"]), .init("scenarios", ["code"]), .init("scenario_partners", ["scenario", "position"]),
        .init("items", ["code"]), .init("entities", ["credit_code"]),
        .init("directory_memberships", ["department", "entity"]), .init("inspectors", ["id"]),
        .init("quotas", ["department", "scenario", "credit_grade"]), .init("stratum_quotas", ["jurisdiction", "department", "grade"]),
        .init("caps", ["scope"]), .init("plans", ["id", "period"]), .init("checks", ["id"]),
        .init("findings", ["check_id", "item"]), .init("disposals", ["check_id", "item"]),
        .init("publications", ["check_id"]), .init("penalty_decisions", ["check_id", "item"]),
        .init("credit_repairs", ["check_id", "item"]), .init("workspace_settings", ["key"]),
        .init("feature_columns", ["position"]), .init("entity_features", ["entity"]),
        .init("department_grades", ["period", "department", "entity"]), .init("audit_log", ["seq"]),
    ]

    init(_ name: String, _ orderBy: [String]) {
        self.name = name
        self.orderBy = orderBy
    }
}
