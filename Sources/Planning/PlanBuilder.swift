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
    /// Entity ids in scope, in UTF-8 order.
    public let entities: [String]
    public let probabilities: [Double]
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
/// 4. **Reserves**: per department, the in-scope entities without a check, in the Efraimidis–Spirakis
///    order of ``ReserveOrder`` (purpose `onecheck.plan.<period>.reserve.<department>`), first `reserveSize`.
///
/// - Throws: ``PlanError`` naming the stratum, cap, check or constraint; never returns a partial plan.
/// - Complexity: O(Σ_d N_d log N_d + checks · roster of a department · …); see `PlanBench`.
public enum PlanBuilder {
    public static func build(_ inputs: PlanInputs, parameters: PlanParameters) throws -> Plan {
        guard let period = PlanPeriod(parameters.period) else { throw PlanError.invalidPeriod(parameters.period) }
        guard !parameters.seed.isEmpty else { throw PlanError.emptySeed }
        let seed = parameters.seed
        let ids = inputs.entities.map(\.id)

        // 1. π per department and stratum.
        var designs: [CoordinatedSelection.DepartmentDesign] = []
        var inclusion: [DepartmentInclusion] = []
        var allocations: [(StratumAllocation, members: [Int])] = []
        for department in inputs.departments {
            var byGrade: [String: [Int]] = [:]
            var scope: [Int] = []
            for (index, entity) in inputs.entities.enumerated() {
                guard let grade = entity.grade[department], inputs.supervises(department, scenario: entity.scenario)
                else { continue }
                byGrade[grade, default: []].append(index)
                scope.append(index)
            }
            var pi: [Int: Double] = [:]
            for grade in byGrade.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                let members = byGrade[grade]!
                let stratum = Stratum(department: department, grade: grade)
                guard let quota = inputs.quotas[stratum] else {
                    throw PlanError.missingQuota(stratum, entities: members.count)
                }
                let values = try stratumProbabilities(
                    members.map { inputs.entities[$0].probability[department]! }, quota: quota, stratum: stratum,
                    floorFraction: parameters.floorFraction)
                for (position, member) in members.enumerated() { pi[member] = values.values[position] }
                allocations.append((StratumAllocation(
                    stratum: stratum, quota: quota, populationSize: members.count, sampleSize: values.n,
                    expectedSampleSize: values.values.reduce(0, +),
                    certaintyCount: values.values.filter { $0 == 1 }.count,
                    flooredCount: values.floored), members))
            }
            let probabilities = scope.map { pi[$0]! }
            designs.append(.init(department: department, entities: scope, probabilities: probabilities))
            inclusion.append(DepartmentInclusion(department: department, entities: scope.map { ids[$0] },
                                                 probabilities: probabilities))
        }
        try checkCaps(inputs.caps, designs: designs, ids: ids)

        // 2. Coordinated selection with permanent random numbers.
        let prn = VerifiableRandom(seed: seed, purpose: "onecheck.plan.\(period.year).prn")
        let start = Double(period.index) / Double(PlanPeriod.periodsPerYear)
        let selection = try CoordinatedSelection(
            departments: designs, permanentRandomNumbers: prn.permanentRandomNumbers(for: ids),
            intervalStarts: Array(repeating: start, count: ids.count))
        var selectedBy: [String: Set<Int>] = [:]
        for check in selection.checks { for d in check.departments { selectedBy[d, default: []].insert(check.entity) } }
        let quotaReport = allocations.map { allocation, members in
            QuotaReportLine(allocation: allocation,
                            realised: members.filter { selectedBy[allocation.stratum.department]?.contains($0) ?? false }.count)
        }

        // 3. Inspectors and days.
        let rosterDepartments = Set(inputs.roster.map(\.department))
        for department in inputs.departments where !rosterDepartments.contains(department) && selectedBy[department] != nil {
            throw PlanError.departmentWithoutInspectors(department)
        }
        let requests = selection.checks.map { check -> CheckRequest in
            let entity = inputs.entities[check.entity]
            var items: [String: Set<String>] = [:]
            for d in check.departments { items[d] = Set(inputs.items(department: d, scenario: entity.scenario)) }
            return CheckRequest(checkID: "\(period)-\(entity.id)", entity: entity.id, itemsByDepartment: items)
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
            let entity = inputs.entities[selection.checks[index].entity]
            let departments = selection.checks[index].departments
            return PlannedCheck(
                checkID: requests[index].checkID, entity: entity.id, scenario: entity.scenario,
                departments: departments,
                items: departments.flatMap { inputs.items(department: $0, scenario: entity.scenario) }
                    .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) },
                inspectors: scheduled[index].inspectors, date: scheduled[index].day)
        }

        // 4. Reserves for adjustments.
        let visited = Set(selection.checks.map(\.entity))
        var reserves: [String: [String]] = [:]
        for design in designs {
            let scopeIDs = design.entities.map { ids[$0] }
            let taken = design.entities.indices.filter { visited.contains(design.entities[$0]) }
            let order = ReserveOrder(
                ids: scopeIDs, probabilities: design.probabilities, selected: taken,
                random: VerifiableRandom(seed: seed, purpose: "onecheck.plan.\(period).reserve.\(design.department)"))
            reserves[design.department] = order.order.prefix(parameters.reserveSize).map { scopeIDs[$0] }
        }
        return Plan(parameters: parameters, checks: checks, inclusion: inclusion, quotaReport: quotaReport,
                    coordination: selection.report, reserves: reserves, adjustments: [])
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
    static func checkCaps(_ caps: PlanInputs.Caps, designs: [CoordinatedSelection.DepartmentDesign], ids: [String]) throws {
        let periods = Double(PlanPeriod.periodsPerYear)
        if let all = caps.all {
            for (department, cap) in caps.byDepartment.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) })
            where cap > all {
                throw PlanError.contradictoryCaps(
                    "department \(department) allows \(cap) checks of an entity a year, above the cap of \(all) for all departments together")
            }
        }
        var visit = [Double](repeating: 0, count: ids.count)
        for design in designs {
            let cap = caps.byDepartment[design.department]
            for (entity, pi) in zip(design.entities, design.probabilities) {
                visit[entity] = max(visit[entity], pi)
                if let cap, (periods * pi).rounded(.up) > Double(cap) {
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
