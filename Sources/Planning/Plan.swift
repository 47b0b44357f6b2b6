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
    /// Reserve entities kept for adjustments, ≥ 0: per department (``PlanAlgorithm/poissonV2``), per department
    /// and grade (``PlanAlgorithm/paretoV3``, whose replacements keep each grade's size).
    public var reserveSize: Int
    /// The sampling algorithm (recorded in the manifest as its `algorithm_version`).
    public var algorithm: PlanAlgorithm
    /// For a plan of one jurisdiction (`plan --jurisdiction`): the code and public seed ``seed`` is derived from
    /// (``JurisdictionSeed``), recorded in the manifest; nil for a plan of the whole input.
    public var jurisdiction: JurisdictionSeed?

    public init(period: Period, seed: String, floorFraction: Double = 0.1, maxPairingProbability: Double = 0.5,
                reserveSize: Int = 20, algorithm: PlanAlgorithm = .current, jurisdiction: JurisdictionSeed? = nil) {
        self.period = period
        self.seed = seed
        self.floorFraction = floorFraction
        self.maxPairingProbability = maxPairingProbability
        self.reserveSize = reserveSize
        self.algorithm = algorithm
        self.jurisdiction = jurisdiction
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
    /// Entities of the stratum actually selected by the department (the planned checks).
    public let realised: Int
    /// How the fixed-size design met the stratum (``PlanAlgorithm/paretoV3``); nil for a Poisson plan.
    public let exactness: StratumExactness?

    public init(allocation: StratumAllocation, realised: Int, exactness: StratumExactness? = nil) {
        self.allocation = allocation
        self.realised = realised
        self.exactness = exactness
    }
}

/// How a fixed-size stratum draw met its quota: the size drawn, the exact π against the targets, and why fewer
/// checks were planned than agreed (if so).
public struct StratumExactness: Sendable, Equatable {
    /// The size the stratum was to draw (a ratio's randomised rounding, a count, or the census).
    public let size: Int
    /// The largest `|π − target|` over the stratum's entities.
    public let largestDeviation: Double
    /// Entities with a positive target that a yearly cap kept out of this quarter's draw.
    public let capped: Int
    /// Why fewer checks are planned than agreed; nil when the agreed size is met.
    public let shortfall: Shortfall?

    public init(size: Int, largestDeviation: Double, capped: Int, shortfall: Shortfall?) {
        self.size = size
        self.largestDeviation = largestDeviation
        self.capped = capped
        self.shortfall = shortfall
    }
}

/// Why a stratum's agreed size could not be met; the plan then holds every entity that could be drawn.
public enum Shortfall: Sendable, Equatable, CustomStringConvertible {
    /// A count above the entities in scope: every entity is planned.
    case fewerEntities(agreed: Int, entities: Int)
    /// Fewer entities may be checked this quarter under the yearly caps than the size drawn: all of them are planned.
    case cappedEntities(size: Int, eligible: Int, capped: Int)

    public var description: String {
        switch self {
        case let .fewerEntities(agreed, entities):
            return "\(agreed) checks agreed but only \(entities) entities in scope; all \(entities) planned"
        case let .cappedEntities(size, eligible, capped):
            return "size \(size) drawn but only \(eligible) entities may be checked this quarter "
                + "(\(capped) kept out by the yearly caps); all \(eligible) planned"
        }
    }
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
