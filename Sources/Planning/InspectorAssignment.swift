import OneCheckUtilities
import Supervision

/// A check to staff: an entity and, per participating department, the items it checks.
public struct CheckRequest: Sendable, Equatable, Codable {
    public let checkID: String
    public let entity: EntityID
    /// Items per participating department (one department: a single-department check).
    public let itemsByDepartment: [DepartmentCode: Set<ItemCode>]

    public init(checkID: String, entity: EntityID, itemsByDepartment: [DepartmentCode: Set<ItemCode>]) {
        self.checkID = checkID
        self.entity = entity
        self.itemsByDepartment = itemsByDepartment
    }

    /// Departments in UTF-8 byte order.
    public var departments: [DepartmentCode] { itemsByDepartment.keys.sorted() }
}

/// How many inspectors of a department survive each constraint, in order — the feasibility report.
public struct EligibilityFunnel: Sendable, Equatable, Codable, CustomStringConvertible {
    public var inDepartment = 0
    public var qualified = 0
    public var withoutConflict = 0
    public var notCheckedLastTime = 0
    public var underCap = 0

    public var description: String {
        "\(inDepartment) in department → \(qualified) qualified → \(withoutConflict) without conflict → "
            + "\(notCheckedLastTime) not there last time → \(underCap) under their cap"
    }
}

/// The inspectors sent on one check.
public struct InspectorPairing: Sendable, Equatable, Codable {
    public let checkID: String
    /// Inspector ids, grouped by department in UTF-8 order of department, two for a single department.
    public let inspectors: [InspectorID]
}

/// Workload evenness per department.
public struct WorkloadSummary: Sendable, Equatable, Codable {
    public let department: DepartmentCode
    public let inspectors: Int
    public let checks: Int
    public let minimum: Int
    public let maximum: Int
    /// Coefficient of variation of checks per inspector.
    public let coefficientOfVariation: Double
}

/// Why checks cannot be staffed; each case names the check and the binding constraint.
public enum InspectorAssignmentError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Fewer eligible inspectors than slots, after the constraints in ``EligibilityFunnel``.
    case noEligibleInspector(checkID: String, department: DepartmentCode, needed: Int, funnel: EligibilityFunnel)
    /// Enough inspectors exist, but so few that one of them would be sent with probability above the cap.
    case pairingProbabilityCap(checkID: String, department: DepartmentCode, eligible: Int, needed: Int, cap: Double)

    public var description: String {
        switch self {
        case let .noEligibleInspector(check, department, needed, funnel):
            return "check \(check): needs \(needed) inspector(s) of \(department); \(funnel)"
        case let .pairingProbabilityCap(check, department, eligible, needed, cap):
            return "check \(check): only \(eligible) eligible inspector(s) of \(department) for \(needed) slot(s); "
                + "each would be sent with probability \(Double(needed) / Double(eligible)) > cap \(cap)"
        }
    }
}

/// Draws inspectors for checks (issue 4, item 4).
///
/// Every check gets at least two inspectors: one per participating department for a joint check, two
/// from the department for a single-department check. Candidates must be of the department, qualified
/// for all its items in the check, free of conflict with the entity, not the inspector who checked it
/// last time, and under their cap for the period.
///
/// **Pairing-probability cap.** The static pool of a (check, department) — before capacities are used —
/// must hold at least `slots / maxPairingProbability` inspectors, so that a uniform draw from it gives
/// no inspector a chance above the cap of being sent to that entity; a smaller pool is refused
/// (``InspectorAssignmentError/pairingProbabilityCap(checkID:department:eligible:needed:cap:)``).
/// The least-loaded rule below and exhausted capacities narrow the draw, so the realised pairing
/// probability is only approximately `slots / pool`; the tests measure it over seeded replicates.
///
/// **Randomness.** Checks are staffed in the order of their ``VerifiableRandom`` numbers
/// `uniform(entity: checkID)` (ascending, ties by check id), so no check is privileged by its row;
/// each slot draws uniformly among the candidates with the *fewest checks so far* (which keeps
/// workloads even), using `stream(entity: checkID)` and `nextInteger(below:)` over candidates sorted by id.
///
/// **Two threads.** Departments meet only in a check's stream, so the departments before a cut (in UTF-8 order)
/// are staffed on another thread, which hands each check's stream on to this one for the rest
/// (``DepartmentStaffing``): the same pairings and errors as staffing every department in turn.
///
/// This greedy draw can, in rare tight cases, exhaust capacities that another order would have
/// spared; it then reports the check and the funnel rather than returning a partial plan.
///
/// - Complexity: O(checks · roster of the department).
public enum InspectorAssignment {
    /// Staffs `checks` from `roster` (an inspector without a recorded cap per period takes no check).
    /// - Returns: one pairing per check, in the order of `checks`, and the workload per department.
    /// - Throws: ``InspectorAssignmentError`` naming the first check that cannot be staffed.
    public static func assign(
        checks: [CheckRequest], roster: [Inspector], random: VerifiableRandom, maxPairingProbability: Double
    ) throws -> (pairings: [InspectorPairing], workload: [WorkloadSummary]) {
        try assign(checks: checks, staff: EligibleInspector.staff(of: roster), random: random,
                   maxPairingProbability: maxPairingProbability)
    }

    static func assign(
        checks: [CheckRequest], staff roster: [EligibleInspector], random: VerifiableRandom, maxPairingProbability: Double
    ) throws -> (pairings: [InspectorPairing], workload: [WorkloadSummary]) {
        precondition(maxPairingProbability > 0 && maxPairingProbability <= 1, "cap must be in (0, 1]")
        var byDepartment: [DepartmentCode: [Int]] = [:]
        let sortedRoster = roster.indices.sorted { roster[$0].id < roster[$1].id }
        for index in sortedRoster { byDepartment[roster[index].department, default: []].append(index) }
        // The staffing order (a hash per check, then a sort) on another thread while the exclusions are inverted.
        let ordering = BackgroundWork {
            checks.indices.map { (key: random.uniform(entity: checks[$0].checkID), index: $0) }
                .sorted { $0.key != $1.key ? $0.key < $1.key : checks[$0.index].checkID.utf8.lexicographicallyPrecedes(checks[$1.index].checkID.utf8) }
                .map(\.index)
        }
        // Conflicts and last visits are per entity and sparse: inverted once, so a check finds its entity's
        // excluded inspectors instead of asking every inspector of the department. Only the checked entities are
        // kept (a city's roster names millions of last visits, most of entities not drawn this time), each by a
        // number, so the checks below look up no key.
        var entityNumber: [EntityID: Int] = [:]
        entityNumber.reserveCapacity(checks.count)
        let checkEntity = checks.map { check in
            if let known = entityNumber[check.entity] { return known }
            entityNumber[check.entity] = entityNumber.count
            return entityNumber.count - 1
        }
        // Each list holds an inspector once, in roster order: an inspector's entries are appended together, so a
        // repeat (an entity both a conflict and last visited, or listed twice) is the previous element.
        var excludedFor = [[Int]](repeating: [], count: entityNumber.count)
        for (index, inspector) in roster.enumerated() {
            for entity in [inspector.conflicts, inspector.checkedLastPeriod].joined() {
                if let number = entityNumber[entity], excludedFor[number].last != index { excludedFor[number].append(index) }
            }
        }

        let order = try ordering.value()
        let staffing = DepartmentStaffing(roster: roster, byDepartment: byDepartment,
                                          maxPairingProbability: maxPairingProbability)
        let excluded = checkEntity.map { excludedFor[$0] }
        let (pairings, stages) = try staffInStages(checks: checks, order: order, excluded: excluded, random: random,
                                                   staffing: staffing, split: splitDepartment(checks))
        let workload = byDepartment.keys.sorted().map { department in
            let stage = stages.last { $0.owns(department) }!
            let loads = byDepartment[department]!.map { stage.pools.load(of: $0) }
            let total = loads.reduce(0, +)
            let mean = Double(total) / Double(loads.count)
            let variance = loads.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(loads.count)
            return WorkloadSummary(
                department: department, inspectors: loads.count, checks: total, minimum: loads.min()!,
                maximum: loads.max()!, coefficientOfVariation: mean > 0 ? variance.squareRoot() / mean : 0)
        }
        return (pairings, workload)
    }

    /// How the department's roster narrows for a check that cannot be staffed: only on the error path, so
    /// it may ask every inspector.
    static func funnel(check: CheckRequest, department: DepartmentCode, candidates: [Int], roster: [EligibleInspector],
                       underCap: Int) -> EligibilityFunnel {
        let items = check.itemsByDepartment[department]!
        var funnel = EligibilityFunnel()
        for candidate in candidates {
            let inspector = roster[candidate]
            funnel.inDepartment += 1
            guard items.isSubset(of: inspector.qualifiedItems) else { continue }
            funnel.qualified += 1
            guard !inspector.hasConflict(with: check.entity) else { continue }
            funnel.withoutConflict += 1
            guard !inspector.checkedLastPeriod(check.entity) else { continue }
            funnel.notCheckedLastTime += 1
        }
        funnel.underCap = underCap
        return funnel
    }
}
