import OneCheckUtilities
import Supervision

/// The inputs of a plan, parsed and cross-checked (file formats: `PLAN_FORMATS.md`; reading: ``read(_:)``).
///
/// Entities are kept sorted by id (UTF-8 bytes) and referred to by their position in ``entityIDs``; every
/// random number is keyed by entity id, so the order of the rows of any input file cannot change a plan.
public struct PlanInputs: Sendable {
    /// One supervised entity: its id, scenario and, per department in scope, risk probability and grade.
    public struct Entity: Sendable, Equatable {
        public let id: EntityID
        public let scenario: ScenarioCode
        /// Risk probability per department (from `<head>_probability` in the scores).
        public var probability: [DepartmentCode: Double]
        /// Credit grade per department (from `<head>_grade` in the scores).
        public var grade: [DepartmentCode: Grade]

        public init(id: EntityID, scenario: ScenarioCode, probability: [DepartmentCode: Double],
                    grade: [DepartmentCode: Grade]) {
            self.id = id
            self.scenario = scenario
            self.probability = probability
            self.grade = grade
        }
    }

    /// One department's scores over the entities it supervises, stored column by column: a plan for
    /// millions of entities touches these arrays, never a dictionary per entity.
    public struct DepartmentScores: Sendable, Equatable {
        public let department: DepartmentCode
        /// Indices into ``PlanInputs/entityIDs`` of the entities in scope, ascending.
        public internal(set) var entities: [Int]
        /// Risk probability of each entity in scope (same positions as `entities`).
        public internal(set) var probabilities: [Double]
        /// Grade of each entity in scope (same positions as `entities`).
        public internal(set) var grades: [Grade]

        public init(department: DepartmentCode, entities: [Int] = [], probabilities: [Double] = [], grades: [Grade] = []) {
            precondition(entities.count == probabilities.count && entities.count == grades.count, "one value per entity")
            self.department = department
            self.entities = entities
            self.probabilities = probabilities
            self.grades = grades
        }

        /// The position of entity index `entity` in ``entities``, by binary search.
        /// - Complexity: O(log n).
        public func position(of entity: Int) -> Int? {
            let k = entities.partitionPoint { $0 < entity }
            return k < entities.count && entities[k] == entity ? k : nil
        }
    }

    /// Entity ids in UTF-8 byte order; an entity is referred to by its position here.
    public let entityIDs: [EntityID]
    /// Each entity's scenario, as an index into ``scenarios``.
    public let entityScenarios: [Int32]
    /// The scenarios named by entities, in UTF-8 order.
    public let scenarios: [ScenarioCode]
    /// Departments with a quota, in UTF-8 byte order.
    public let departments: [DepartmentCode]
    /// Scores per department, aligned with ``departments``.
    public let scores: [DepartmentScores]
    /// Departments supervising each scenario (lead and partners); `nil` means every department supervises
    /// every scenario (no scenario list was given).
    public let scenarioDepartments: [ScenarioCode: Set<DepartmentCode>]?
    /// The agreed sample size of each stratum.
    public let quotas: [Stratum: SampleSize]
    public let caps: Caps
    /// The roster, in file order.
    public let roster: [Inspector]
    /// Checks already recorded in the plan's year (counted against the caps by ``PlanAlgorithm/paretoV3``).
    public internal(set) var checksDone = ChecksDone()
    /// Items per scenario and department, each list in UTF-8 order.
    let itemLists: [ScenarioCode: [DepartmentCode: [ItemCode]]]
    /// The roster with the sets the assignment asks about (same positions as ``roster``).
    let staff: [EligibleInspector]

    /// Inputs from columns already sorted and checked by a reader (see ``read(_:)``).
    ///
    /// - Precondition: `entityIDs` strictly ascending in UTF-8 order; `scores` aligned with `departments`
    ///   (sorted); every index in range.
    init(entityIDs: [EntityID], entityScenarios: [Int32], scenarios: [ScenarioCode], departments: [DepartmentCode],
         scores: [DepartmentScores], scenarioDepartments: [ScenarioCode: Set<DepartmentCode>]?, items: [Item],
         quotas: [Stratum: SampleSize], caps: Caps, roster: [Inspector]) {
        self.entityIDs = entityIDs
        self.entityScenarios = entityScenarios
        self.scenarios = scenarios
        self.departments = departments
        self.scores = scores
        self.scenarioDepartments = scenarioDepartments
        var lists: [ScenarioCode: [DepartmentCode: [ItemCode]]] = [:]
        for item in items { lists[item.scenario, default: [:]][item.department, default: []].append(item.code) }
        itemLists = lists.mapValues { $0.mapValues { $0.sorted() } }
        self.quotas = quotas
        self.caps = caps
        self.roster = roster
        staff = EligibleInspector.staff(of: roster)
    }

    /// Inputs from entity records in any order (convenient for small inputs, tests and benchmarks).
    ///
    /// A department's scores are kept for an entity only when the department has a quota, supervises the
    /// entity's scenario and the entity has both a probability and a grade for it.
    ///
    /// - Parameters:
    ///   - scenarios: who supervises each scenario; `nil` when every department supervises every scenario.
    ///   - quotas: one per stratum (a later quota for the same stratum replaces an earlier one).
    public init(entities: [Entity], departments: [DepartmentCode], scenarios: [Scenario]?, items: [Item],
                quotas: [Quota], caps: Caps, roster: [Inspector]) {
        let sorted = entities.sorted { $0.id < $1.id }
        let departmentList = departments.sorted()
        let scenarioList = Set(sorted.map(\.scenario)).sorted()
        let scenarioIndex = Dictionary(uniqueKeysWithValues: scenarioList.enumerated().map { ($1, Int32($0)) })
        let scopes = scenarios.map(Self.scopes)
        var scores = departmentList.map { DepartmentScores(department: $0) }
        for (index, entity) in sorted.enumerated() {
            for position in departmentList.indices {
                let department = departmentList[position]
                guard let grade = entity.grade[department], let probability = entity.probability[department],
                      Self.supervises(department, scenario: entity.scenario, scopes: scopes)
                else { continue }
                scores[position].entities.append(index)
                scores[position].probabilities.append(probability)
                scores[position].grades.append(grade)
            }
        }
        var sizes: [Stratum: SampleSize] = [:]
        for quota in quotas { sizes[quota.stratum] = quota.size }
        self.init(entityIDs: sorted.map(\.id), entityScenarios: sorted.map { scenarioIndex[$0.scenario]! },
                  scenarios: scenarioList, departments: departmentList, scores: scores, scenarioDepartments: scopes,
                  items: items, quotas: sizes, caps: caps, roster: roster)
    }

    /// Lead and partners of each scenario.
    static func scopes(_ scenarios: [Scenario]) -> [ScenarioCode: Set<DepartmentCode>] {
        Dictionary(scenarios.map { ($0.code, Set($0.departments)) }, uniquingKeysWith: { first, _ in first })
    }

    /// The entities as records, sorted by id. Builds a dictionary per entity: for small inputs and tests.
    public var entities: [Entity] {
        var records = entityIDs.indices.map {
            Entity(id: entityIDs[$0], scenario: scenarios[Int(entityScenarios[$0])], probability: [:], grade: [:])
        }
        for department in scores {
            for (position, entity) in department.entities.enumerated() {
                records[entity].probability[department.department] = department.probabilities[position]
                records[entity].grade[department.department] = department.grades[position]
            }
        }
        return records
    }

    /// The grades that occur in the scores, in risk order.
    public var grades: [Grade] {
        var present = Set<Grade>()
        for department in scores { present.formUnion(department.grades) }
        return present.sorted()
    }

    /// The position of `id` in ``entityIDs``, by binary search.
    /// - Complexity: O(log n) comparisons.
    public func entityIndex(of id: EntityID) -> Int? {
        let k = entityIDs.partitionPoint { $0 < id }
        return k < entityIDs.count && entityIDs[k] == id ? k : nil
    }

    /// The grade of entity `id` for `department`, or nil when it is not in the department's scope.
    /// - Complexity: O(log n).
    public func grade(of id: EntityID, department: DepartmentCode) -> Grade? {
        let d = departments.partitionPoint { $0 < department }
        guard d < departments.count, departments[d] == department, let entity = entityIndex(of: id),
              let position = scores[d].position(of: entity) else { return nil }
        return scores[d].grades[position]
    }

    /// The scenario of the entity at `index`.
    public func scenario(ofEntity index: Int) -> ScenarioCode { scenarios[Int(entityScenarios[index])] }

    /// Does `department` supervise entities of `scenario`?
    public func supervises(_ department: DepartmentCode, scenario: ScenarioCode) -> Bool {
        Self.supervises(department, scenario: scenario, scopes: scenarioDepartments)
    }

    /// The scope rule: with no scenario table every department supervises every scenario; with one, only a
    /// scenario's lead and partners do (an unlisted scenario has none).
    static func supervises(_ department: DepartmentCode, scenario: ScenarioCode,
                           scopes: [ScenarioCode: Set<DepartmentCode>]?) -> Bool {
        guard let scopes else { return true }
        return scopes[scenario]?.contains(department) ?? false
    }

    /// The items a department checks on an entity of `scenario`, in UTF-8 order.
    public func items(department: DepartmentCode, scenario: ScenarioCode) -> [ItemCode] {
        itemLists[scenario]?[department] ?? []
    }
}

/// An inspector of the roster with what eligibility asks about for every check: qualification, conflicts of
/// interest and last period's visits.
///
/// Memory is the constraint at city scale (tens of thousands of inspectors, millions of listed visits): the
/// conflicts and last visits are the roster's own arrays (shared, not copied; assignment inverts them once per
/// plan, and only the error path and adjustment scan them), and inspectors with the same qualification list share
/// one set (``staff(of:)``).
struct EligibleInspector: Sendable {
    let id: InspectorID
    let department: DepartmentCode
    let qualifiedItems: Set<ItemCode>
    /// As in the roster: in roster order, possibly repeating an entity.
    let conflicts: [EntityID]
    /// As in the roster: in roster order, possibly repeating an entity.
    let checkedLastPeriod: [EntityID]
    /// Checks in the period; 0 when the roster records no cap (the planner refuses such a roster first).
    let capPerPeriod: Int
    let capPerDay: Int

    init(_ inspector: Inspector, qualifiedItems: Set<ItemCode>? = nil) {
        id = inspector.id
        department = inspector.department
        self.qualifiedItems = qualifiedItems ?? Set(inspector.qualifiedItems)
        conflicts = inspector.conflicts
        checkedLastPeriod = inspector.checkedLastPeriod
        capPerPeriod = inspector.capPerPeriod ?? 0
        capPerDay = inspector.capPerDay
    }

    /// The roster's inspectors, in roster order, one set of items per distinct qualification list.
    /// - Complexity: O(total length of the qualification lists), hashing each list once.
    static func staff(of roster: [Inspector]) -> [EligibleInspector] {
        var sets: [[ItemCode]: Set<ItemCode>] = [:]
        return roster.map { inspector in
            let items = sets[inspector.qualifiedItems] ?? {
                let set = Set(inspector.qualifiedItems)
                sets[inspector.qualifiedItems] = set
                return set
            }()
            return EligibleInspector(inspector, qualifiedItems: items)
        }
    }

    /// Whether the inspector has a conflict of interest with `entity`.
    /// - Complexity: O(conflicts listed).
    func hasConflict(with entity: EntityID) -> Bool { conflicts.contains(entity) }

    /// Whether the inspector checked `entity` last period.
    /// - Complexity: O(visits listed).
    func checkedLastPeriod(_ entity: EntityID) -> Bool { checkedLastPeriod.contains(entity) }
}
