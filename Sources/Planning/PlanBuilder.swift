/// The choices of a plan besides its inputs; all are recorded in the manifest.
public struct PlanParameters: Sendable, Equatable, Codable {
    /// The period, e.g. `2026Q1`.
    public var period: String
    /// The public seed string.
    public var seed: String
    /// Floor of π in a stratum as a fraction of its sampling ratio `n_h / N_h` (no blind spot).
    public var floorFraction: Double
    /// Largest probability that a given inspector is sent to a given entity.
    public var maxPairingProbability: Double
    /// Reserve entities kept per department for adjustments.
    public var reserveSize: Int

    public init(period: String, seed: String, floorFraction: Double = 0.1, maxPairingProbability: Double = 0.5,
                reserveSize: Int = 20) {
        self.period = period
        self.seed = seed
        self.floorFraction = floorFraction
        self.maxPairingProbability = maxPairingProbability
        self.reserveSize = reserveSize
    }
}

/// One check of the work plan.
public struct PlannedCheck: Sendable, Equatable {
    /// `<period>-<entity id>`: one check per entity and period, an id independent of row order.
    public var checkID: String
    public var entity: String
    public var scenario: String
    /// Participating departments in UTF-8 order (two or more: a joint check).
    public var departments: [String]
    /// Items of all participating departments, sorted.
    public var items: [String]
    /// Inspectors grouped by department in department order.
    public var inspectors: [String]
    /// ISO date.
    public var date: String
}

/// π of one department over the entities in its scope.
public struct DepartmentInclusion: Sendable, Equatable {
    public let department: String
    /// All entity ids of the plan (shared by every department, not copied per department).
    let ids: [String]
    /// Entities in scope, as indices into the plan's entity ids, ascending (so ids are in UTF-8 order).
    public let entityIndices: [Int]
    public let probabilities: [Double]

    /// Entity ids in scope, in UTF-8 order.
    public var entities: [String] { entityIndices.map { ids[$0] } }

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
    public let inclusion: [DepartmentInclusion]
    public let quotaReport: [QuotaReportLine]
    public let coordination: CoordinationReport
    /// Reserve entity ids per department, in reserve order (fixed at planning time).
    public let reserves: [String: [String]]
    /// Adjustments applied since planning, in order.
    public internal(set) var adjustments: [PlanAdjustment]
}

/// Builds the work plan of a period from the inputs and the public seed (issue 4, items 1, 3–7).
///
/// 1. **π.** For each department and grade stratum of its in-scope entities, π is proportional to the
///    entity's risk probability for that department, with `Σ π` equal to the agreed quota (`ratio · N_h`, a count, or `N_h`), capped at 1
///    (iterated), forced to 1 for a `certain` quota, and floored at `floorFraction · n_h / N_h`.
/// 2. **Coordinated draw.** Entity `i` has the permanent random number `u_i = uniform(entity: id)` under the
///    purpose `onecheck.plan.<year>.prn`; department `d` selects it when `frac(u_i − k/4) < π_id` in
///    quarter `k = 0…3` (``CoordinatedSelection``). π stays exact, selections of one entity nest into one
///    joint check, and an entity whose visit probability stays ≤ 1/4 is visited at most once a year.
/// 3. **Inspectors** (``InspectorAssignment``, purpose `onecheck.plan.<period>.inspectors`) and
///    **days** (``CheckSchedule``, purpose `onecheck.plan.<period>.schedule`).
/// 4. **Reserves**: per department, the in-scope entities without a check, in the sequential Poisson order
///    of ``ReserveOrder`` (`p_i / π_i` ascending, from the same permanent random numbers), first `reserveSize`.
///
/// - Throws: ``PlanError`` naming the stratum, cap, check or constraint; never returns a partial plan.
/// - Complexity: about O(N log N) to sort the ids, O(Σ_d N_d) for π, selection and reserves, and O(log pool) per
///   inspector chosen, times the pools the inspector belongs to; see `PlanBench` (3M entities in about 3.5 s).
public enum PlanBuilder {
    public static func build(_ inputs: PlanInputs, parameters: PlanParameters) throws -> Plan {
        guard let period = PlanPeriod(parameters.period) else { throw PlanError.invalidPeriod(parameters.period) }
        guard !parameters.seed.isEmpty else { throw PlanError.emptySeed }
        let seed = parameters.seed
        let ids = inputs.entityIDs

        // 1. π per department and stratum.
        var designs: [CoordinatedSelection.DepartmentDesign] = []
        var inclusion: [DepartmentInclusion] = []
        var allocations: [StratumAllocation] = []
        /// Position in `allocations` of each (department, grade) stratum; -1 when empty.
        var allocationIndex = [[Int]](repeating: [Int](repeating: -1, count: inputs.grades.count),
                                      count: inputs.departments.count)
        // Departments are independent: their strata are solved in parallel, then gathered in department order
        // (so the first error, and every output, is the same for any number of threads).
        let solved = inputs.scores.concurrentMap { scores in
            Result { try departmentProbabilities(scores, inputs: inputs, floorFraction: parameters.floorFraction) }
        }
        for (departmentIndex, result) in solved.enumerated() {
            let (pi, strata) = try result.get()
            let scores = inputs.scores[departmentIndex]
            for (grade, allocation) in strata {
                allocationIndex[departmentIndex][grade] = allocations.count
                allocations.append(allocation)
            }
            designs.append(.init(department: scores.department, entities: scores.entities, probabilities: pi))
            inclusion.append(DepartmentInclusion(department: scores.department, ids: ids, entityIndices: scores.entities,
                                                 probabilities: pi))
        }

        // 2. Coordinated selection with permanent random numbers.
        let prn = VerifiableRandom(seed: seed, purpose: "onecheck.plan.\(period.year).prn")
        let start = Double(period.index) / Double(PlanPeriod.periodsPerYear)
        let selection = try CoordinatedSelection(
            departments: designs, permanentRandomNumbers: prn.permanentRandomNumbers(for: ids),
            intervalStarts: Array(repeating: start, count: ids.count))
        // Visit probabilities are the selection's by-product (max π over departments), so caps are checked here,
        // before anything is assigned; the plan is refused as a whole.
        try checkCaps(inputs.caps, designs: designs, visit: selection.visitProbabilities, ids: ids)
        let departmentPosition = Dictionary(uniqueKeysWithValues: inputs.departments.enumerated().map { ($1, $0) })
        var realised = [Int](repeating: 0, count: allocations.count)
        var selectedDepartments = Set<String>()
        for check in selection.checks {
            for department in check.departments {
                selectedDepartments.insert(department)
                let d = departmentPosition[department]!
                let position = inputs.scores[d].position(of: check.entity)!
                realised[allocationIndex[d][Int(inputs.scores[d].grades[position])]] += 1
            }
        }
        let quotaReport = allocations.indices.map { QuotaReportLine(allocation: allocations[$0], realised: realised[$0]) }

        // 3. Inspectors and days.
        let rosterDepartments = Set(inputs.roster.map(\.department))
        for department in inputs.departments where !rosterDepartments.contains(department) && selectedDepartments.contains(department) {
            throw PlanError.departmentWithoutInspectors(department)
        }
        let requests = selection.checks.map { check -> CheckRequest in
            let scenario = inputs.scenario(ofEntity: check.entity)
            var items: [String: Set<String>] = [:]
            for d in check.departments { items[d] = Set(inputs.items(department: d, scenario: scenario)) }
            return CheckRequest(checkID: "\(period)-\(ids[check.entity])", entity: ids[check.entity], itemsByDepartment: items)
        }
        let pairings: [InspectorPairing]
        do {
            pairings = try InspectorAssignment.assign(
                checks: requests, roster: inputs.roster,
                random: VerifiableRandom(seed: seed, purpose: "onecheck.plan.\(period).inspectors"),
                maxPairingProbability: parameters.maxPairingProbability).pairings
        } catch let error as InspectorAssignmentError {
            throw PlanError.cannotStaff(error.description)
        }
        let scheduled: [ScheduledCheck]
        do {
            scheduled = try CheckSchedule.schedule(
                pairings, workingDays: period.workingDays, dailyCapacity: { inputs.dailyCapacity[$0] ?? 2 },
                random: VerifiableRandom(seed: seed, purpose: "onecheck.plan.\(period).schedule"))
        } catch let error as ScheduleError {
            throw PlanError.cannotSchedule(error.description)
        }
        let checks = selection.checks.indices.map { index -> PlannedCheck in
            let entity = selection.checks[index].entity
            let scenario = inputs.scenario(ofEntity: entity)
            let departments = selection.checks[index].departments
            return PlannedCheck(
                checkID: requests[index].checkID, entity: ids[entity], scenario: scenario,
                departments: departments,
                items: departments.flatMap { inputs.items(department: $0, scenario: scenario) }
                    .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) },
                inspectors: scheduled[index].inspectors, date: scheduled[index].day)
        }

        // 4. Reserves for adjustments, from the same permanent random numbers.
        var visited = [Bool](repeating: false, count: ids.count)
        for check in selection.checks { visited[check.entity] = true }
        let reserveLists = designs.concurrentMap { design in
            ReserveOrder.first(parameters.reserveSize, ids: ids, units: design.entities,
                               probabilities: design.probabilities, positions: selection.positions, excluded: visited)
                .map { ids[$0] }
        }
        let reserves = Dictionary(uniqueKeysWithValues: zip(designs.map(\.department), reserveLists))
        return Plan(parameters: parameters, checks: checks, inclusion: inclusion, quotaReport: quotaReport,
                    coordination: selection.report, reserves: reserves, adjustments: [])
    }

    /// π of one department's entities in scope, stratum by stratum (grades in UTF-8 order), with the
    /// allocation of each non-empty stratum keyed by grade index.
    static func departmentProbabilities(_ scores: PlanInputs.DepartmentScores, inputs: PlanInputs, floorFraction: Double)
        throws -> (pi: [Double], strata: [(grade: Int, allocation: StratumAllocation)]) {
        var members = [[Int]](repeating: [], count: inputs.grades.count)  // positions in scope, per grade
        for (position, grade) in scores.grades.enumerated() { members[Int(grade)].append(position) }
        var pi = [Double](repeating: 0, count: scores.entities.count)
        var strata: [(grade: Int, allocation: StratumAllocation)] = []
        for grade in inputs.grades.indices where !members[grade].isEmpty {
            let stratum = Stratum(department: scores.department, grade: inputs.grades[grade])
            guard let quota = inputs.quotas[stratum] else {
                throw PlanError.missingQuota(stratum, entities: members[grade].count)
            }
            let values = try stratumProbabilities(
                members[grade].map { scores.probabilities[$0] }, quota: quota, stratum: stratum,
                floorFraction: floorFraction)
            for (k, position) in members[grade].enumerated() { pi[position] = values.values[k] }
            strata.append((grade, StratumAllocation(
                stratum: stratum, quota: quota, populationSize: members[grade].count, sampleSize: values.n,
                expectedSampleSize: values.values.reduce(0, +),
                certaintyCount: values.values.filter { $0 == 1 }.count,
                flooredCount: values.floored)))
        }
        return (pi, strata)
    }

    /// π of one stratum: sizes proportional to risk, floor `floorFraction · n_h / N_h`.
    ///
    /// The draw is Poisson (coordinated), so `n_h` need not be an integer: a ratio quota gives exactly
    /// `Σ π = ratio · N_h` (not rounded, so a small stratum with a positive ratio keeps a non-zero chance
    /// for every entity instead of rounding to 0 checks), a count quota `Σ π = count`, a census π = 1.
    static func stratumProbabilities(_ sizes: [Double], quota: Quota, stratum: Stratum, floorFraction: Double)
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
    static func checkCaps(_ caps: PlanInputs.Caps, designs: [CoordinatedSelection.DepartmentDesign], visit: [Double],
                          ids: [String]) throws {
        let periods = Double(PlanPeriod.periodsPerYear)
        if let all = caps.all {
            for (department, cap) in caps.byDepartment.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) })
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
        if let all = caps.all, let worst = visit.indices.max(by: { visit[$0] < visit[$1] }),
           (periods * visit[worst]).rounded(.up) > Double(all) {
            throw PlanError.contradictoryCaps(
                "entity \(ids[worst]) has visit probability \(visit[worst]); at that rate it may be visited "
                    + "\(Int((periods * visit[worst]).rounded(.up))) times a year, above the cap of \(all) for all departments")
        }
    }
}
