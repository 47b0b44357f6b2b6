import Supervision

/// The choices of a plan besides its inputs; all are recorded in the manifest.
public struct PlanParameters: Sendable, Equatable {
    /// The quarter planned.
    public var period: Period
    /// The public seed string, announced before the draw; never empty.
    public var seed: String
    /// Floor of π in a stratum as a fraction of its sampling ratio `n_h / N_h` (no blind spot), in `[0, 1]`.
    public var floorFraction: Double
    /// Largest probability that a given inspector is sent to a given entity, in `(0, 1]`.
    public var maxPairingProbability: Double
    /// Reserve entities kept per department for adjustments, ≥ 0.
    public var reserveSize: Int

    public init(period: Period, seed: String, floorFraction: Double = 0.1, maxPairingProbability: Double = 0.5,
                reserveSize: Int = 20) {
        self.period = period
        self.seed = seed
        self.floorFraction = floorFraction
        self.maxPairingProbability = maxPairingProbability
        self.reserveSize = reserveSize
    }
}

/// One check of the work plan: one visit to one entity by one or more departments.
public struct PlannedCheck: Sendable, Equatable {
    /// `<period>-<entity id>`: one check per entity and period, an id independent of row order.
    public var checkID: String
    public var entity: EntityID
    public var scenario: ScenarioCode
    /// Participating departments in UTF-8 order (two or more: a joint check).
    public var departments: [DepartmentCode]
    /// Items of all participating departments, in UTF-8 order.
    public var items: [ItemCode]
    /// Inspectors grouped by department in department order.
    public var inspectors: [InspectorID]
    public var date: CalendarDate

    public init(checkID: String, entity: EntityID, scenario: ScenarioCode, departments: [DepartmentCode],
                items: [ItemCode], inspectors: [InspectorID], date: CalendarDate) {
        self.checkID = checkID
        self.entity = entity
        self.scenario = scenario
        self.departments = departments
        self.items = items
        self.inspectors = inspectors
        self.date = date
    }

    /// The check id of `entity` in `period`: `<period>-<entity id>`.
    public static func id(period: Period, entity: EntityID) -> String { "\(period)-\(entity.rawValue)" }
}

/// π of one department over the entities in its scope.
public struct DepartmentInclusion: Sendable, Equatable {
    public let department: DepartmentCode
    /// All entity ids of the plan (shared by every department, not copied per department).
    let ids: [EntityID]
    /// Entities in scope, as indices into the plan's entity ids, ascending (so ids are in UTF-8 order).
    public let entityIndices: [Int]
    public let probabilities: [Double]

    /// Entity ids in scope, in UTF-8 order.
    public var entities: [EntityID] { entityIndices.map { ids[$0] } }

    public static func == (lhs: DepartmentInclusion, rhs: DepartmentInclusion) -> Bool {
        lhs.department == rhs.department && lhs.probabilities == rhs.probabilities
            && lhs.entityIndices.count == rhs.entityIndices.count
            && zip(lhs.entityIndices, rhs.entityIndices).allSatisfy { lhs.ids[$0] == rhs.ids[$1] }
    }
}

/// One line of the quota report: agreed versus realised for a department × grade.
public struct QuotaReportLine: Sendable, Equatable {
    public let allocation: StratumAllocation
    /// Entities of the stratum actually selected by the department.
    public let realised: Int
}

/// A complete work plan for one period.
public struct Plan: Sendable, Equatable {
    public let parameters: PlanParameters
    /// Checks by ascending check id.
    public internal(set) var checks: [PlannedCheck]
    /// π per department, departments in UTF-8 order.
    public let inclusion: [DepartmentInclusion]
    public let quotaReport: [QuotaReportLine]
    public let coordination: CoordinationReport
    /// Reserve entity ids per department, in reserve order (fixed at planning time).
    public let reserves: [DepartmentCode: [EntityID]]
    /// Adjustments applied since planning, in order.
    public internal(set) var adjustments: [PlanAdjustment]
}
