import Supervision
import Tables

/// A plan drawn by `onecheck plan`, as the registry records it: the period, the published seed, the visits and the
/// inclusion probabilities of the drawn (department, entity) pairs.
///
/// The value says where each visit came from (``file``, each visit's ``Visit/line`` and the ``columns`` of its
/// fields), so that every refusal of ``Workspace/recordDraw(_:auditTime:)`` names file, line and column. Whoever
/// reads a plan directory builds it — after checking the directory's files against its manifest.
public struct DrawnPlan: Sendable {
    /// One visit: a joint check of one entity by one or more departments.
    public struct Visit: Sendable, Equatable {
        /// The planner's check id (`<period>-<entity_id>`).
        public var checkID: String
        /// The entity as the file names it; the registry requires a credit code.
        public var entity: EntityID
        public var scenario: ScenarioCode
        public var departments: [DepartmentCode]
        public var inspectors: [InspectorID]
        public var date: CalendarDate
        /// The line of the visit in ``DrawnPlan/file``.
        public var line: Int

        public init(checkID: String, entity: EntityID, scenario: ScenarioCode, departments: [DepartmentCode],
                    inspectors: [InspectorID], date: CalendarDate, line: Int) {
            self.checkID = checkID
            self.entity = entity
            self.scenario = scenario
            self.departments = departments
            self.inspectors = inspectors
            self.date = date
            self.line = line
        }
    }

    /// The fields of a visit, named as plan.csv names its columns.
    public enum Field: String, CaseIterable, Sendable {
        case checkID = "check_id", entity = "entity_id", scenario, departments, inspectors, date
    }

    public var period: Period
    public var seed: String
    /// The jurisdiction whose draw this is (its manifest's): every visit's entity must be of it, and its plans are
    /// its own (``Workspace/planID(period:scenario:jurisdiction:)``). Nil for a draw over the whole workspace.
    public var jurisdiction: JurisdictionCode?
    public var visits: [Visit]
    /// π of each drawn (department, entity) pair, in (0, 1].
    public var inclusion: [DirectoryMembership: Double]
    /// Where the draw comes from, for the audit log (the plan directory's name).
    public var source: String
    /// The file of the visits, as errors name it (`plan.csv`).
    public var file: String
    /// The 0-based column of each field in ``file``.
    public var columns: [Field: Int]
    /// Where π comes from, as errors name it (`manifest.json`).
    public var inclusionSource: String

    public init(period: Period, seed: String, jurisdiction: JurisdictionCode? = nil, visits: [Visit],
                inclusion: [DirectoryMembership: Double], source: String, file: String, columns: [Field: Int],
                inclusionSource: String) {
        self.period = period
        self.seed = seed
        self.jurisdiction = jurisdiction
        self.visits = visits
        self.inclusion = inclusion
        self.source = source
        self.file = file
        self.columns = columns
        self.inclusionSource = inclusionSource
    }

    /// The error about `field` of `visit`, with `value` quoted.
    func error(_ kind: TableError.Kind, _ visit: Visit, _ field: Field, value: String?, expected: String) -> TableError {
        TableError(kind, file: file, line: visit.line, columnIndex: columns[field], columnName: field.rawValue,
                   value: value.flatMap { $0.isEmpty ? nil : $0 }, expected: expected)
    }
}

/// What `recordDraw(_:auditTime:)` recorded.
public struct DrawImportSummary: Equatable, Sendable {
    public var period: Period
    /// The draw's jurisdiction (nil: a draw of the whole workspace).
    public var jurisdiction: JurisdictionCode?
    /// Registry plans written: one per scenario with checks.
    public var plans: Int
    /// Visits of the draw.
    public var visits: Int
    /// Registry checks written: one per department of each visit.
    public var checks: Int
}

extension Workspace {
    /// Records a drawn plan as the period's draw, in one transaction.
    ///
    /// Each visit becomes one registry check per department, id `<check_id>-<department>` (``checkID(planCheck:department:)``),
    /// with the π of that (department, entity) and that department's inspectors; the checks of each scenario form
    /// one registry plan `<period>-<scenario>` (`…@<jurisdiction>` for a jurisdiction's draw) with the draw's seed.
    /// A draw is never repeated silently: if any scenario already has a plan for the period that the draw would
    /// repeat — the draw's jurisdiction's, or one without a jurisdiction (``repeatedPlan(scenario:period:jurisdiction:tx:)``)
    /// —, nothing is written, a `redraw_refused` line goes to the audit log and `RegistryError.planAlreadyDrawn` is
    /// thrown. Other jurisdictions' plans of the period do not count.
    /// - Throws: `TableError` (the visit's file, line and column) for a repeated check id or one already recorded, an
    ///   entity that is not a credit code, not in a department's directory or of another jurisdiction than the
    ///   draw's, an unknown scenario or inspector, a day outside the period, a visit without departments, a pair
    ///   without 0 < π ≤ 1; `RegistryError.planAlreadyDrawn`.
    @discardableResult
    public func recordDraw(_ draw: DrawnPlan, auditTime: String? = nil, user: String = "") throws -> DrawImportSummary {
        let at = auditTime ?? Workspace.timestamp()
        do {
            return try store.write { tx in
                let plans = try Self.checkedPlans(draw, tx: tx)
                var total = 0
                for (plan, checks) in plans {
                    try Self.insertDraw(plan, checks: checks, tx: tx, at: at)
                    total += checks.count
                }
                try tx.appendAudit(AuditEntry(at: at, action: .import, period: draw.period.description, detail:
                    "draw \(draw.source) plans=\(plans.count) visits=\(draw.visits.count) checks=\(total)", user: user))
                return DrawImportSummary(period: draw.period, jurisdiction: draw.jurisdiction, plans: plans.count,
                                         visits: draw.visits.count, checks: total)
            }
        } catch let RegistryError.planAlreadyDrawn(scenario, period, existing) {
            // The import rolled back; the refused attempt itself must still be on record.
            _ = try store.write { tx in
                try tx.appendAudit(AuditEntry(at: at, action: .redrawRefused, scenario: scenario.rawValue,
                                              period: period.description,
                                              detail: "draw \(draw.source) seed \(draw.seed)"
                                                  + (draw.jurisdiction.map { " jurisdiction \($0)" } ?? "")
                                                  + "; existing plan \(existing)",
                                              user: user))
            }
            throw RegistryError.planAlreadyDrawn(scenario: scenario, period: period, existingPlan: existing)
        }
    }

    /// The draw's visits checked one by one and turned into one plan per scenario, in order of first visit.
    private static func checkedPlans(_ draw: DrawnPlan, tx: any RegistryWriter) throws -> [(ScenarioPlan, [Check])] {
        let scenarios = Set(try tx.scenarios().map(\.code))
        let inspectorDepartment = try tx.inspectorDepartments()
        let codes = draw.visits.compactMap { try? CreditCode(validating: $0.entity.rawValue) }
        let entries = try tx.directoryEntries(of: codes)
        let recorded = try tx.checks(draw.visits.flatMap { visit in
            visit.departments.map { checkID(planCheck: visit.checkID, department: $0) }
        })
        // A repeated draw is refused as such before its visits are looked at (they would all be "already recorded").
        var drawn: Set<ScenarioCode> = []
        for visit in draw.visits where scenarios.contains(visit.scenario) && drawn.insert(visit.scenario).inserted {
            if let existing = try repeatedPlan(scenario: visit.scenario, period: draw.period, jurisdiction: draw.jurisdiction,
                                               tx: tx) {
                throw RegistryError.planAlreadyDrawn(scenario: visit.scenario, period: draw.period, existingPlan: existing.id)
            }
        }
        var firstLine: [String: Int] = [:]
        var order: [ScenarioCode] = []
        var checks: [ScenarioCode: [Check]] = [:]
        for visit in draw.visits {
            if let first = firstLine.updateValue(visit.line, forKey: visit.checkID) {
                throw draw.error(.duplicateKey(firstLine: first), visit, .checkID, value: visit.checkID,
                                 expected: "each key once per file")
            }
            let entity: CreditCode
            do { entity = try CreditCode(validating: visit.entity.rawValue) } catch let problem as CreditCode.Problem {
                throw draw.error(.invalidValue, visit, .entity, value: visit.entity.rawValue,
                                 expected: CreditCode.expectedForm + " (\(problem))")
            }
            guard scenarios.contains(visit.scenario) else {
                throw draw.error(.unknownCategory, visit, .scenario, value: visit.scenario.rawValue,
                                 expected: "a key of scenarios")
            }
            guard draw.period.contains(visit.date) else {
                throw draw.error(.invalidValue, visit, .date, value: visit.date.description, expected: dayOf(draw.period))
            }
            if let unknown = visit.inspectors.first(where: { inspectorDepartment[$0] == nil }) {
                throw draw.error(.unknownCategory, visit, .inspectors, value: KeyList.text(visit.inspectors),
                                 expected: "inspector ids of the registry (unknown: \(unknown))")
            }
            if visit.departments.isEmpty {
                throw draw.error(.missingValue, visit, .departments, value: nil, expected: "department codes separated by ';'")
            }
            if let entry = entries[entity], !draws(draw.jurisdiction, entityOf: entry.jurisdiction) {
                throw draw.error(.invalidValue, visit, .entity, value: visit.entity.rawValue,
                                 expected: "an entity of \(jurisdictionName(draw.jurisdiction)), the draw's "
                                     + "(it is of \(jurisdictionName(entry.jurisdiction)))")
            }
            for department in visit.departments {
                guard entries[entity]?.departments.contains(department) == true else {
                    throw draw.error(.unknownCategory, visit, .departments, value: KeyList.text(visit.departments),
                                     expected: "departments whose directory holds \(entity) (not \(department))")
                }
                let key = DirectoryMembership(department: department, entity: visit.entity)
                guard let pi = draw.inclusion[key], pi > 0, pi <= 1 else {
                    throw draw.error(.unknownCategory, visit, .entity, value: visit.entity.rawValue,
                                     expected: "an entity with 0 < π ≤ 1 for \(department) in \(draw.inclusionSource)")
                }
                let id = checkID(planCheck: visit.checkID, department: department)
                if let existing = recorded[id] {
                    throw draw.error(.invalidValue, visit, .checkID, value: visit.checkID, expected:
                        "a check not yet recorded (\(id) is recorded in plan \(existing.check.plan) of \(existing.period))")
                }
                if checks[visit.scenario] == nil { order.append(visit.scenario) }
                checks[visit.scenario, default: []].append(Check(
                    id: id, plan: planID(period: draw.period, scenario: visit.scenario, jurisdiction: draw.jurisdiction),
                    entity: entity, department: department, inclusionProbability: pi, checkedOn: visit.date,
                    inspectors: visit.inspectors.filter { inspectorDepartment[$0] == department }))
            }
        }
        return order.map { scenario in
            (ScenarioPlan(id: planID(period: draw.period, scenario: scenario, jurisdiction: draw.jurisdiction),
                          scenario: scenario, period: draw.period, seed: draw.seed, jurisdiction: draw.jurisdiction),
             checks[scenario]!)
        }
    }
}
