import Supervision

/// What a plan needs from the workspace for one period: the directory, each department's grades and
/// probabilities for the period (joint sanctions applied), quotas, caps, the roster, and the checks already
/// recorded in the period's year (for the yearly caps).
///
/// The directory is kept column by column — a city has millions of entities — in credit-code order (UTF-8
/// bytes), and an entity is referred to by its position there.
public struct PlanningInputs: Sendable {
    /// One department's grades for the period, aligned arrays over the entities it graded, in entity order.
    public struct DepartmentGrades: Sendable, Equatable {
        public var department: DepartmentCode
        /// Positions in ``PlanningInputs/entities``, ascending.
        public var entities: [Int]
        /// The grade after joint sanctions.
        public var grades: [Grade]
        /// The model's probability for the department's risk head; nil where the scores had none.
        public var probabilities: [Double?]

        public init(department: DepartmentCode, entities: [Int] = [], grades: [Grade] = [], probabilities: [Double?] = []) {
            self.department = department
            self.entities = entities
            self.grades = grades
            self.probabilities = probabilities
        }
    }

    public var period: Period
    public var departments: [Department]
    public var scenarios: [Scenario]
    public var items: [Item]
    /// Every entity of the directory, in credit-code order.
    public var entities: [EntityID]
    /// Each entity's scenario, aligned with ``entities``.
    public var entityScenarios: [ScenarioCode]
    /// Each entity's jurisdiction, aligned with ``entities`` (nil: the one implicit jurisdiction).
    public var entityJurisdictions: [JurisdictionCode?] = []
    /// Grades per department, by department code; a department without grades for the period is absent.
    public var grades: [DepartmentGrades]
    public var quotas: [Quota]
    public var caps: Caps
    public var roster: [Inspector]
    /// The checks of plans of the period's year (including the period itself, when already drawn), by id.
    public var checksInYear: [RecordedCheck]

    /// The position of `entity` in ``entities``, by binary search.
    /// - Complexity: O(log n).
    public func position(of entity: EntityID) -> Int? {
        var low = 0, high = entities.count
        while low < high {
            let mid = (low + high) / 2
            if entities[mid] < entity { low = mid + 1 } else { high = mid }
        }
        return low < entities.count && entities[low] == entity ? low : nil
    }
}

extension Workspace {
    /// What a plan for `period` needs from the workspace, read from one snapshot.
    ///
    /// Grades are the department grades stored for `period` by `importScores` (joint sanctions applied); a
    /// period without imported scores has none, and the planner should refuse it.
    ///
    /// With `.jurisdiction(J)` only J's part is read: its entities, their grades and the checks of them recorded
    /// in the year, the inspectors and quotas of J — what `plan --jurisdiction J` keeps of the whole directory,
    /// without reading the other jurisdictions' rows. Departments, scenarios, items and caps are the city's.
    public func planningInputs(for period: Period, of selection: EntitySelection = .all) throws -> PlanningInputs {
        try store.read { tx in
            var entities: [EntityID] = [], scenarios: [ScenarioCode] = [], jurisdictions: [JurisdictionCode?] = []
            try tx.forEachEntity(selection) { entity in
                entities.append(EntityID(entity.creditCode))
                scenarios.append(entity.scenario)
                jurisdictions.append(entity.jurisdiction)
            }
            var inputs = PlanningInputs(
                period: period, departments: try tx.departments(), scenarios: try tx.scenarios(), items: try tx.items(),
                entities: entities, entityScenarios: scenarios, grades: [], quotas: try tx.quotas(of: selection),
                caps: Caps(try tx.caps()), roster: try tx.inspectors(of: selection),
                checksInYear: try tx.checks(inPeriods: (1...Period.perYear).map { Period(year: period.year, quarter: $0)! },
                                            of: selection))
            inputs.entityJurisdictions = jurisdictions
            var current: PlanningInputs.DepartmentGrades?
            try tx.forEachDepartmentGrade(period: period, of: selection) { grade in
                if current?.department != grade.department {
                    if let done = current { inputs.grades.append(done) }
                    current = PlanningInputs.DepartmentGrades(department: grade.department)
                }
                guard let position = inputs.position(of: EntityID(grade.entity)) else { return }
                current!.entities.append(position)
                current!.grades.append(grade.grade)
                current!.probabilities.append(grade.probability)
            }
            if let done = current { inputs.grades.append(done) }
            return inputs
        }
    }
}
