import OneCheckUtilities
import Supervision

/// Builds the work plan of a period from the inputs and the public seed (issue 4, items 1, 3–7; issue 19).
///
/// 1. **Targets.** For each department and grade stratum of its in-scope entities, the target π is proportional
///    to the entity's risk probability for that department, with `Σ π` equal to the agreed quota (`ratio · N_h`, a
///    count, or `N_h`), capped at 1 (iterated), forced to 1 for a `certain` quota, and floored at
///    `floorFraction · n_h / N_h` (no blind spot).
/// 2. **Coordinated draw** on one permanent random number per entity, `u_i = uniform(entity: id)` under the purpose
///    `onecheck.plan.<year>.prn`, at its position `frac(u_i − k/4)` in quarter `k = 0…3`, so that the departments'
///    selections of one entity nest into one joint check. By the plan's ``PlanParameters/algorithm``:
///    - ``PlanAlgorithm/poissonV2``: department `d` selects the entity when its position is below the target
///      (``CoordinatedSelection``); the number of checks of a stratum is random.
///    - ``PlanAlgorithm/paretoV3``: each stratum draws exactly its size by Pareto πps order sampling on the
///      positions, a yearly cap being an eligibility bound on them, and records the design's exact π
///      (``paretoSelection(_:parameters:)``).
/// 3. **Inspectors** (``InspectorAssignment``, purpose `onecheck.plan.<period>.inspectors`) and
///    **days** (``CheckSchedule``, purpose `onecheck.plan.<period>.schedule`).
/// 4. **Reserves**: the in-scope entities without a check that came closest to being drawn, from the same numbers
///    (per department in sequential Poisson order for v2; per department and grade in Pareto order for v3).
///
/// - Throws: ``PlanError`` naming the stratum, cap, check or constraint; never returns a partial plan.
/// - Complexity: about O(N log N) to sort the ids, O(Σ_d N_d) for the targets, selection and reserves, for v3 the
///   exact π (``ParetoSampling/inclusionProbabilities(targets:bounds:size:)``, strata in parallel), and O(log pool)
///   per inspector chosen, times the pools the inspector belongs to (timings: `Benchmarks/README.md`, PlanBench).
public enum PlanBuilder {
    public static func build(_ inputs: PlanInputs, parameters: PlanParameters) throws -> Plan {
        try build(inputs, parameters: parameters, whileStaffing: nil as (@Sendable ([DepartmentInclusion]) -> Void)?).plan
    }

    /// ``build(_:parameters:)``, with `whileStaffing` run on another thread, given the design's π (the plan's
    /// ``Plan/inclusion``), while inspectors and days are assigned — which runs on one thread (one stream of
    /// random numbers per plan), so the other core would be idle: `plan` writes inclusion.csv there and `verify`
    /// compares it.
    ///
    /// - Returns: the plan and what `whileStaffing` returned (`nil` without it).
    /// - Throws: the error of the plan's own steps first (as if they all ran before `whileStaffing`), then
    ///   `whileStaffing`'s.
    static func build<Beside: Sendable>(_ inputs: PlanInputs, parameters: PlanParameters,
                                        whileStaffing: (@Sendable ([DepartmentInclusion]) throws -> Beside)?) throws
        -> (plan: Plan, beside: Beside?) {
        guard !parameters.seed.isEmpty else { throw PlanError.emptySeed }
        if let uncapped = inputs.roster.first(where: { $0.capPerPeriod == nil }) {
            throw PlanError.cannotStaff("inspector \(uncapped.id) has no cap_per_period on the roster")
        }
        // 1–2. π and the coordinated selection, by the plan's algorithm; reserves from the same numbers.
        let drawn: DrawnSelection
        switch parameters.algorithm {
        case .poissonV2: drawn = try poissonSelection(inputs, parameters: parameters)
        case .paretoV3: drawn = try paretoSelection(inputs, parameters: parameters)
        }
        guard let whileStaffing else { return (try staffed(drawn, inputs: inputs, parameters: parameters), nil) }
        return try concurrently({ try staffed(drawn, inputs: inputs, parameters: parameters) },
                                { try whileStaffing(drawn.inclusion) })
    }

    /// Step 3 of ``build(_:parameters:)`` on the drawn selection (reserves included): inspectors, days, the plan.
    private static func staffed(_ drawn: DrawnSelection, inputs: PlanInputs, parameters: PlanParameters) throws -> Plan {
        let period = parameters.period, seed = parameters.seed
        let ids = inputs.entityIDs
        var selectedDepartments = Set<DepartmentCode>()
        for check in drawn.checks { selectedDepartments.formUnion(check.departments) }

        // 3. Inspectors and days.
        let rosterDepartments = Set(inputs.roster.map(\.department))
        for department in inputs.departments where !rosterDepartments.contains(department) && selectedDepartments.contains(department) {
            throw PlanError.departmentWithoutInspectors(department)
        }
        // One set of items per scenario and department, shared by its checks: assignment looks pools up by the
        // set, and equal sets that share storage compare without visiting their elements.
        var itemSets: [ScenarioCode: [DepartmentCode: Set<ItemCode>]] = [:]
        let requests = drawn.checks.map { check -> CheckRequest in
            let scenario = inputs.scenario(ofEntity: check.entity)
            var items: [DepartmentCode: Set<ItemCode>] = [:]
            for d in check.departments {
                if let known = itemSets[scenario]?[d] {
                    items[d] = known
                } else {
                    let set = Set(inputs.items(department: d, scenario: scenario))
                    itemSets[scenario, default: [:]][d] = set
                    items[d] = set
                }
            }
            return CheckRequest(checkID: PlannedCheck.id(period: period, entity: ids[check.entity]), entity: ids[check.entity],
                                itemsByDepartment: items)
        }
        let pairings: [InspectorPairing]
        do {
            pairings = try InspectorAssignment.assign(
                checks: requests, staff: inputs.staff,
                random: VerifiableRandom(seed: seed, purpose: "onecheck.plan.\(period).inspectors"),
                maxPairingProbability: parameters.maxPairingProbability).pairings
        } catch let error as InspectorAssignmentError {
            throw PlanError.cannotStaff(error.description)
        }
        let scheduled: [ScheduledCheck]
        let capacity = Dictionary(inputs.staff.map { ($0.id, $0.capPerDay) }, uniquingKeysWith: { first, _ in first })
        do {
            scheduled = try CheckSchedule.schedule(
                pairings, workingDays: period.weekdays,
                dailyCapacity: { capacity[$0] ?? Inspector.defaultCapPerDay },
                random: VerifiableRandom(seed: seed, purpose: "onecheck.plan.\(period).schedule"))
        } catch let error as ScheduleError {
            throw PlanError.cannotSchedule(error.description)
        }
        let checks = drawn.checks.indices.map { index -> PlannedCheck in
            let entity = drawn.checks[index].entity
            let scenario = inputs.scenario(ofEntity: entity)
            let departments = drawn.checks[index].departments
            return PlannedCheck(
                checkID: requests[index].checkID, entity: ids[entity], scenario: scenario,
                departments: departments,
                items: departments.flatMap { inputs.items(department: $0, scenario: scenario) }.sorted(),
                inspectors: scheduled[index].inspectors, date: scheduled[index].day)
        }
        return Plan(parameters: parameters, checks: checks, inclusion: drawn.inclusion, quotaReport: drawn.quotaReport,
                    coordination: drawn.coordination, reserves: drawn.reserves, adjustments: [])
    }

    /// What the selection step of either algorithm hands to staffing and scheduling.
    struct DrawnSelection: Sendable {
        /// Joint checks by ascending entity index, departments in UTF-8 order.
        var checks: [CoordinatedSelection.JointCheck]
        var inclusion: [DepartmentInclusion]
        var quotaReport: [QuotaReportLine]
        var coordination: CoordinationReport
        var reserves: [DepartmentCode: [EntityID]]
    }

    /// ``PlanAlgorithm/poissonV2``: π per department and stratum, then coordinated Poisson selection
    /// (``CoordinatedSelection``) and the sequential Poisson reserve order (``ReserveOrder``).
    static func poissonSelection(_ inputs: PlanInputs, parameters: PlanParameters) throws -> DrawnSelection {
        let period = parameters.period, ids = inputs.entityIDs
        var designs: [CoordinatedSelection.DepartmentDesign] = []
        var inclusion: [DepartmentInclusion] = []
        var allocations: [StratumAllocation] = []
        /// Position in `allocations` of each (department, grade) stratum; -1 when empty.
        var allocationIndex = [[Int]](repeating: [Int](repeating: -1, count: Grade.allCases.count),
                                      count: inputs.departments.count)
        // Departments are independent: their strata are solved in parallel, then gathered in department order
        // (so the first error, and every output, is the same for any number of threads).
        let quotas = inputs.quotas, floorFraction = parameters.floorFraction
        let solved = inputs.scores.concurrentMap { scores in
            Result { try departmentProbabilities(scores, quotas: quotas, floorFraction: floorFraction) }
        }
        for (departmentIndex, result) in solved.enumerated() {
            let (pi, strata, _) = try result.get()
            let scores = inputs.scores[departmentIndex]
            for (grade, allocation) in strata {
                allocationIndex[departmentIndex][grade.rawValue] = allocations.count
                allocations.append(allocation)
            }
            designs.append(.init(department: scores.department, entities: scores.entities, probabilities: pi))
            inclusion.append(DepartmentInclusion(department: scores.department, ids: ids, entityIndices: scores.entities,
                                                 probabilities: pi))
        }

        let prn = VerifiableRandom(seed: parameters.seed, purpose: "onecheck.plan.\(period.year).prn")
        let start = Double(period.index) / Double(Period.perYear)
        let selection = try CoordinatedSelection(
            departments: designs, permanentRandomNumbers: prn.permanentRandomNumbers(for: ids),
            intervalStarts: Array(repeating: start, count: ids.count))
        // Visit probabilities are the selection's by-product (max π over departments), so caps are checked here,
        // before anything is assigned; the plan is refused as a whole.
        try checkCaps(inputs.caps, designs: designs, visit: selection.visitProbabilities, ids: ids)
        let departmentPosition = Dictionary(uniqueKeysWithValues: inputs.departments.enumerated().map { ($1, $0) })
        var realised = [Int](repeating: 0, count: allocations.count)
        for check in selection.checks {
            for department in check.departments {
                let d = departmentPosition[department]!
                let position = inputs.scores[d].position(of: check.entity)!
                realised[allocationIndex[d][inputs.scores[d].grades[position].rawValue]] += 1
            }
        }
        let quotaReport = allocations.indices.map { QuotaReportLine(allocation: allocations[$0], realised: realised[$0]) }

        var visited = [Bool](repeating: false, count: ids.count)
        for check in selection.checks { visited[check.entity] = true }
        let reserveSize = parameters.reserveSize, positions = selection.positions, excluded = visited
        let reserveLists = designs.concurrentMap { design in
            ReserveOrder.first(reserveSize, ids: ids, units: design.entities,
                               probabilities: design.probabilities, positions: positions, excluded: excluded)
                .map { ids[$0] }
        }
        return DrawnSelection(checks: selection.checks, inclusion: inclusion, quotaReport: quotaReport,
                              coordination: selection.report,
                              reserves: Dictionary(uniqueKeysWithValues: zip(designs.map(\.department), reserveLists)))
    }

    /// π of one department's entities in scope, stratum by stratum (grades in risk order), with the
    /// allocation of each non-empty stratum and its members (positions in `scores`, per grade).
    ///
    /// - Parameter clampCounts: a count above the stratum's entities takes them all (π = 1) instead of being
    ///   refused (``PlanAlgorithm/paretoV3`` reports the shortfall); the allocation keeps the agreed count.
    static func departmentProbabilities(_ scores: PlanInputs.DepartmentScores, quotas: [Stratum: SampleSize],
                                        floorFraction: Double, clampCounts: Bool = false)
        throws -> (pi: [Double], strata: [(grade: Grade, allocation: StratumAllocation)], members: [[Int]]) {
        // Positions in scope, per grade; counted first so that each array is allocated once at its size (appends
        // alone leave up to half of a large array's capacity unused, for the whole plan).
        var counts = [Int](repeating: 0, count: Grade.allCases.count)
        for grade in scores.grades { counts[grade.rawValue] += 1 }
        var members = counts.map { count -> [Int] in
            var list = [Int]()
            list.reserveCapacity(count)
            return list
        }
        for (position, grade) in scores.grades.enumerated() { members[grade.rawValue].append(position) }
        var pi = [Double](repeating: 0, count: scores.entities.count)
        var strata: [(grade: Grade, allocation: StratumAllocation)] = []
        for grade in Grade.allCases where !members[grade.rawValue].isEmpty {
            let positions = members[grade.rawValue]
            let stratum = Stratum(department: scores.department, grade: grade)
            guard let quota = quotas[stratum] else {
                throw PlanError.missingQuota(stratum, entities: positions.count)
            }
            var effective = quota
            if clampCounts, case let .count(count) = quota, count > positions.count { effective = .census }
            let values = try stratumProbabilities(
                positions.map { scores.probabilities[$0] }, quota: effective, stratum: stratum,
                floorFraction: floorFraction)
            for (k, position) in positions.enumerated() { pi[position] = values.values[k] }
            strata.append((grade, StratumAllocation(
                stratum: stratum, quota: quota, populationSize: positions.count, sampleSize: values.n,
                expectedSampleSize: values.values.reduce(0, +),
                certaintyCount: values.values.filter { $0 == 1 }.count,
                flooredCount: values.floored)))
        }
        return (pi, strata, members)
    }

    /// π of one stratum: sizes proportional to risk, floor `floorFraction · n_h / N_h`.
    ///
    /// The draw is Poisson (coordinated), so `n_h` need not be an integer: a ratio quota gives exactly
    /// `Σ π = ratio · N_h` (not rounded, so a small stratum with a positive ratio keeps a non-zero chance
    /// for every entity instead of rounding to 0 checks), a count quota `Σ π = count`, a census π = 1.
    static func stratumProbabilities(_ sizes: [Double], quota: SampleSize, stratum: Stratum, floorFraction: Double)
        throws -> (values: [Double], n: Int, floored: Int) {
        let target: Double
        switch quota {
        case let .ratio(ratio):
            guard ratio.isFinite, ratio >= 0, ratio <= 1 else {
                throw PlanError.quotaCannotBeMet(stratum, reason: QuotaError.invalidRatio(ratio).description)
            }
            target = ratio * Double(sizes.count)
        case let .count(count):
            guard count >= 0 else { throw PlanError.quotaCannotBeMet(stratum, reason: QuotaError.negativeCount(count).description) }
            guard count <= sizes.count else {
                throw PlanError.quotaCannotBeMet(stratum, reason: "\(count) checks agreed but only \(sizes.count) entities in scope")
            }
            target = Double(count)
        case .census:
            target = Double(sizes.count)
        }
        let floor = sizes.isEmpty ? 0 : floorFraction * target / Double(sizes.count)
        do {
            let result = try InclusionProbabilities.proportionalToSize(
                sizes, sampleSize: target, floor: floor,
                forcedCertainty: quota == .census ? Array(repeating: true, count: sizes.count) : nil)
            return (result.values, Int(target.rounded(.toNearestOrAwayFromZero)), result.flooredIndices.count)
        } catch let error as InclusionProbabilityError {
            throw PlanError.quotaCannotBeMet(stratum, reason: error.description)
        }
    }

    /// Caps must agree with each other and with π: with the quarter's interval `[k/4, k/4 + π)` of the
    /// permanent random number, an entity checked with probability π each quarter can be checked up to
    /// `⌈4π⌉` times a year, which must not exceed the department's yearly cap (nor the `all` cap for the
    /// visit probability `max_d π`). A department cap above the `all` cap can never bind and is refused
    /// as a contradiction.
    static func checkCaps(_ caps: Caps, designs: [CoordinatedSelection.DepartmentDesign], visit: [Double],
                          ids: [EntityID]) throws {
        let periods = Double(Period.perYear)
        if let all = caps.allDepartments {
            for (department, cap) in caps.byDepartment.sorted(by: { $0.key < $1.key })
            where cap > all {
                throw PlanError.contradictoryCaps(
                    "department \(department) allows \(cap) checks of an entity a year, above the cap of \(all) for all departments together")
            }
        }
        for design in designs {
            guard let cap = caps.byDepartment[design.department] else { continue }
            for (entity, pi) in zip(design.entities, design.probabilities) {
                if (periods * pi).rounded(.up) > Double(cap) {
                    throw PlanError.contradictoryCaps(
                        "entity \(ids[entity]) has π = \(pi) for department \(design.department); at that rate it may be "
                            + "checked \(Int((periods * pi).rounded(.up))) times a year, above the department's cap of \(cap)")
                }
            }
        }
        if let all = caps.allDepartments, let worst = visit.indices.max(by: { visit[$0] < visit[$1] }),
           (periods * visit[worst]).rounded(.up) > Double(all) {
            throw PlanError.contradictoryCaps(
                "entity \(ids[worst]) has visit probability \(visit[worst]); at that rate it may be visited "
                    + "\(Int((periods * visit[worst]).rounded(.up))) times a year, above the cap of \(all) for all departments")
        }
    }
}
