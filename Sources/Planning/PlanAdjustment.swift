import OneCheckUtilities
import Supervision

/// A change to a work plan after the draw (issue 4, item 11): an entity has closed, an inspector is ill.
///
/// Replacements never draw anew. A closed entity's check is replaced, for each of its departments, by
/// the first entity of that department's reserve order (fixed at planning time and recorded in the
/// manifest) that is neither closed nor already checked — in a fixed-size plan (``PlanAlgorithm/paretoV3``), of
/// the closed entity's grade for that department, so every grade keeps its size; an unavailable inspector is replaced on each of
/// their checks by an eligible colleague. The random numbers used to break ties come from the purpose
/// `onecheck.plan.<period>.adjust`, keyed by check id (and inspector), so the same adjustments applied to
/// the same plan always give the same result, and checks an adjustment does not touch keep their entity,
/// inspectors and date. Applying an adjustment that is already recorded changes nothing.
public enum PlanAdjustment: Sendable, Equatable, Codable, CustomStringConvertible {
    case closed(entity: EntityID)
    case unavailable(inspector: InspectorID)

    public var description: String {
        switch self {
        case let .closed(entity): return "closed entity \(entity)"
        case let .unavailable(inspector): return "unavailable inspector \(inspector)"
        }
    }
}

extension Plan {
    /// Applies `adjustment` and records it in ``adjustments``.
    ///
    /// - Throws: ``PlanError/invalidAdjustment(_:)`` for an unknown entity or inspector or an exhausted
    ///   reserve, ``PlanError/cannotStaff(_:)`` or ``PlanError/cannotSchedule(_:)`` when no replacement
    ///   fits; the plan is then unchanged.
    public mutating func apply(_ adjustment: PlanAdjustment, inputs: PlanInputs) throws {
        guard !adjustments.contains(adjustment) else { return }
        var copy = self
        var state = AdjustmentState(plan: copy, inputs: inputs)
        copy.adjustments.append(adjustment)
        switch adjustment {
        case let .closed(entity):
            guard inputs.entityIndex(of: entity) != nil else {
                throw PlanError.invalidAdjustment("entity \(entity) is not in the entity list")
            }
            try state.close(entity, in: &copy)
        case let .unavailable(inspector):
            guard inputs.staff.contains(where: { $0.id == inspector }) else {
                throw PlanError.invalidAdjustment("inspector \(inspector) is not on the roster")
            }
            try state.replace(inspector, in: &copy)
        }
        copy.checks.sort { $0.checkID.utf8Precedes($1.checkID) }
        self = copy
    }
}

/// Loads and exclusions while adjusting.
struct AdjustmentState {
    let inputs: PlanInputs
    let period: Period
    let random: VerifiableRandom
    let maxPairing: Double
    var load: [InspectorID: Int] = [:]
    var dayLoad: [InspectorID: [CalendarDate: Int]] = [:]
    var closed: Set<EntityID> = []
    var unavailable: Set<InspectorID> = []
    let inspectorByID: [InspectorID: EligibleInspector]

    init(plan: Plan, inputs: PlanInputs) {
        self.inputs = inputs
        period = plan.parameters.period
        random = VerifiableRandom(seed: plan.parameters.seed, purpose: "onecheck.plan.\(plan.parameters.period).adjust")
        maxPairing = plan.parameters.maxPairingProbability
        for check in plan.checks {
            for inspector in check.inspectors {
                load[inspector, default: 0] += 1
                dayLoad[inspector, default: [:]][check.date, default: 0] += 1
            }
        }
        for adjustment in plan.adjustments {
            switch adjustment {
            case let .closed(entity): closed.insert(entity)
            case let .unavailable(inspector): unavailable.insert(inspector)
            }
        }
        var byID: [InspectorID: EligibleInspector] = [:]
        for inspector in inputs.staff { byID[inspector.id] = inspector }
        inspectorByID = byID
    }

    func daily(_ inspector: InspectorID) -> Int { inspectorByID[inspector]?.capPerDay ?? Inspector.defaultCapPerDay }

    /// Removes the entity's check and replaces each of its departments' selections from the reserve.
    mutating func close(_ entity: EntityID, in plan: inout Plan) throws {
        closed.insert(entity)
        guard let index = plan.checks.firstIndex(where: { $0.entity == entity }) else { return }
        let removed = plan.checks.remove(at: index)
        for inspector in removed.inspectors {
            load[inspector, default: 0] -= 1
            dayLoad[inspector, default: [:]][removed.date, default: 0] -= 1
        }
        for department in removed.departments {
            let checked = Set(plan.checks.map(\.entity))
            // A fixed-size plan keeps each grade's size: the replacement comes from the closed entity's own grade.
            let grade = plan.parameters.algorithm.drawsFixedSizes ? inputs.grade(of: entity, department: department) : nil
            guard let replacement = plan.reserves[department]?.first(where: {
                !closed.contains($0) && !checked.contains($0) && (grade == nil || inputs.grade(of: $0, department: department) == grade)
            })
            else {
                let pool = grade.map { "reserve of department \(department), grade \($0)" } ?? "reserve of department \(department)"
                throw PlanError.invalidAdjustment(
                    "the \(pool) is exhausted (\(plan.reserves[department]?.count ?? 0) entities in the department's reserve); "
                        + "plan again with a larger --reserve")
            }
            let scenario = inputs.scenario(ofEntity: inputs.entityIndex(of: replacement)!)
            let items = inputs.items(department: department, scenario: scenario)
            let checkID = PlannedCheck.id(period: period, entity: replacement)
            var stream = random.stream(entity: checkID)
            let inspectors = try staff(checkID: checkID, entity: replacement, department: department, items: Set(items),
                                       slots: 2, exclude: [], day: nil, stream: &stream)
            let day = try pickDay(checkID: checkID, inspectors: inspectors, stream: &stream)
            for inspector in inspectors {
                load[inspector, default: 0] += 1
                dayLoad[inspector, default: [:]][day, default: 0] += 1
            }
            plan.checks.append(PlannedCheck(checkID: checkID, entity: replacement, scenario: scenario,
                                            departments: [department], items: items, inspectors: inspectors, date: day))
        }
    }

    /// Replaces `inspector` on each of their checks, keeping the check's date.
    mutating func replace(_ inspector: InspectorID, in plan: inout Plan) throws {
        unavailable.insert(inspector)
        let department = inspectorByID[inspector]!.department
        for index in plan.checks.indices where plan.checks[index].inspectors.contains(inspector) {
            let check = plan.checks[index]
            var stream = random.stream(entity: check.checkID + "/" + inspector.rawValue)
            let items = Set(inputs.items(department: department, scenario: check.scenario))
            let chosen = try staff(checkID: check.checkID, entity: check.entity, department: department, items: items,
                                   slots: 1, exclude: Set(check.inspectors), day: check.date, stream: &stream)[0]
            load[inspector, default: 0] -= 1
            dayLoad[inspector, default: [:]][check.date, default: 0] -= 1
            load[chosen, default: 0] += 1
            dayLoad[chosen, default: [:]][check.date, default: 0] += 1
            plan.checks[index].inspectors[plan.checks[index].inspectors.firstIndex(of: inspector)!] = chosen
        }
    }

    /// Draws `slots` inspectors of `department` among the least loaded eligible ones (ids in UTF-8 order).
    func staff(checkID: String, entity: EntityID, department: DepartmentCode, items: Set<ItemCode>, slots: Int,
               exclude: Set<InspectorID>, day: CalendarDate?, stream: inout VerifiableRandomStream) throws -> [InspectorID] {
        var funnel = EligibilityFunnel()
        var pool: [InspectorID] = []
        let members = inputs.staff.filter { $0.department == department }.sorted { $0.id < $1.id }
        for candidate in members {
            funnel.inDepartment += 1
            guard items.isSubset(of: candidate.qualifiedItems) else { continue }
            funnel.qualified += 1
            guard !candidate.hasConflict(with: entity) else { continue }
            funnel.withoutConflict += 1
            guard !candidate.checkedLastPeriod(entity) else { continue }
            funnel.notCheckedLastTime += 1
            guard !unavailable.contains(candidate.id), !exclude.contains(candidate.id) else { continue }
            pool.append(candidate.id)
        }
        if pool.count >= slots, Double(slots) / Double(pool.count) > maxPairing + 1e-12 {
            throw PlanError.cannotStaff(InspectorAssignmentError.pairingProbabilityCap(
                checkID: checkID, department: department, eligible: pool.count, needed: slots, cap: maxPairing).description)
        }
        var available = pool.filter { id in
            (load[id] ?? 0) < inspectorByID[id]!.capPerPeriod && (day.map { (dayLoad[id]?[$0] ?? 0) < daily(id) } ?? true)
        }
        funnel.underCap = available.count
        guard available.count >= slots else {
            throw PlanError.cannotStaff(InspectorAssignmentError.noEligibleInspector(
                checkID: checkID, department: department, needed: slots, funnel: funnel).description)
        }
        var chosen: [InspectorID] = []
        for _ in 0..<slots {
            let least = available.map { load[$0] ?? 0 }.min()!
            let candidates = available.filter { (load[$0] ?? 0) == least }
            let pick = candidates[stream.nextInteger(below: candidates.count)]
            chosen.append(pick)
            available.removeAll { $0 == pick }
        }
        return chosen
    }

    /// The working day where the busiest chosen inspector has the fewest checks (ties drawn).
    func pickDay(checkID: String, inspectors: [InspectorID], stream: inout VerifiableRandomStream) throws -> CalendarDate {
        var best: [CalendarDate] = []
        var bestLoad = Int.max
        for day in period.weekdays {
            var busiest = 0, free = true
            for inspector in inspectors {
                let used = dayLoad[inspector]?[day] ?? 0
                if used >= daily(inspector) { free = false; break }
                busiest = max(busiest, used)
            }
            guard free else { continue }
            if busiest < bestLoad { bestLoad = busiest; best = [day] } else if busiest == bestLoad { best.append(day) }
        }
        guard !best.isEmpty else {
            throw PlanError.cannotSchedule(
                "check \(checkID): no working day on which \(inspectors.map(\.rawValue).joined(separator: ", ")) are all free")
        }
        return best.count == 1 ? best[0] : best[stream.nextInteger(below: best.count)]
    }
}
