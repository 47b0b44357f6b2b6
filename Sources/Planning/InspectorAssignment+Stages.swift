import OneCheckUtilities
import Supervision

/// The staffing of some of the departments: their qualified pools and their inspectors' loads.
///
/// Departments do not meet inside the assignment — an inspector belongs to one department, a pool to one, and
/// a check's excluded inspectors matter only in their own department's pools — except through a check's random
/// stream, which draws for the check's departments one after the other in UTF-8 order. So the departments before
/// a split and those from it can be staffed by two stages on two threads, the first handing each check's stream
/// to the second, with the same draws as one stage staffing them all.
struct DepartmentStaffing: Sendable {
    let roster: [EligibleInspector]
    /// Each department's inspectors in id order (positions in `roster`).
    let byDepartment: [DepartmentCode: [Int]]
    let maxPairingProbability: Double
    /// The departments this stage staffs: from `from` (nil: the first) up to but not including `before`.
    var from: DepartmentCode? = nil
    var before: DepartmentCode? = nil
    private(set) var pools: InspectorPools
    // Qualification depends only on the department and the items, which repeat across thousands of checks:
    // each distinct (department, items) pool is built once, with a tree over its members' loads.
    private var poolNumbers: [DepartmentCode: [Set<ItemCode>: Int]] = [:]

    init(roster: [EligibleInspector], byDepartment: [DepartmentCode: [Int]], maxPairingProbability: Double) {
        self.roster = roster
        self.byDepartment = byDepartment
        self.maxPairingProbability = maxPairingProbability
        pools = InspectorPools(cap: roster.map(\.capPerPeriod))
    }

    func owns(_ department: DepartmentCode) -> Bool {
        (from.map { department >= $0 } ?? true) && (before.map { department < $0 } ?? true)
    }

    /// Draws this stage's inspectors for `check` (its departments that this stage owns, in UTF-8 order: two
    /// inspectors for a single-department check, one per department otherwise), appending their ids to `chosen`.
    /// - Parameter excluded: the check's entity's excluded inspectors (conflicts, last visits), roster positions.
    /// - Throws: ``InspectorAssignmentError`` for the first of this stage's departments that cannot be staffed.
    mutating func staff(_ check: CheckRequest, excluded: [Int], stream: inout VerifiableRandomStream,
                        chosen: inout [InspectorID]) throws(InspectorAssignmentError) {
        let all = check.departments
        let slots = all.count == 1 ? 2 : 1, departments = all.filter(owns)
        guard !departments.isEmpty else { return }
        // The check's pool of each department, made the first time its department and items meet.
        let checkPools = departments.map { department in
            let items = check.itemsByDepartment[department]!
            if let known = poolNumbers[department]?[items] { return known }
            let pool = pools.add(members: (byDepartment[department] ?? []).filter { items.isSubset(of: roster[$0].qualifiedItems) })
            poolNumbers[department, default: [:]][items] = pool
            return pool
        }
        pools.focus(on: checkPools)
        // Suspended for this check: the excluded, and each inspector once chosen.
        for inspector in excluded { pools.suspend(inspector) }
        for (department, pool) in zip(departments, checkPools) {
            // Eligible = qualified and not excluded; the excluded are few, so count those in the pool (the
            // pool is exactly the department's inspectors qualified for the items).
            var poolCount = pools.memberCount(of: pool)
            for inspector in excluded where pools.contains(inspector, in: pool) { poolCount -= 1 }
            if Double(slots) / Double(max(poolCount, 1)) > maxPairingProbability + 1e-12 && poolCount >= slots {
                throw InspectorAssignmentError.pairingProbabilityCap(
                    checkID: check.checkID, department: department, eligible: poolCount, needed: slots,
                    cap: maxPairingProbability)
            }
            // Least-loaded among the eligible, the stream choosing among ties in roster order.
            for slot in 0..<slots {
                let eligible = pools.eligibleCount(in: pool)
                guard slot > 0 || eligible >= slots else {
                    throw InspectorAssignmentError.noEligibleInspector(
                        checkID: check.checkID, department: department, needed: slots,
                        funnel: InspectorAssignment.funnel(check: check, department: department,
                                                           candidates: byDepartment[department] ?? [],
                                                           roster: roster, underCap: eligible))
                }
                let ties = pools.leastLoaded(in: pool).ties
                let inspector = pools.member(in: pool, rankAmongLeast: stream.nextInteger(below: ties))
                pools.addCheckAndSuspend(inspector)
                chosen.append(roster[inspector].id)
            }
        }
        pools.resume()
    }
}

extension InspectorAssignment {
    /// The department from which the second stage staffs: the first whose predecessors (in UTF-8 order) hold at
    /// least half of the department selections — nil when that leaves one stage empty. Any split gives the same
    /// pairings; this one balances the two threads' work.
    static func splitDepartment(_ checks: [CheckRequest]) -> DepartmentCode? {
        var selections: [DepartmentCode: Int] = [:]
        for check in checks { for department in check.itemsByDepartment.keys { selections[department, default: 0] += 1 } }
        let total = selections.values.reduce(0, +)
        var before = 0
        for department in selections.keys.sorted() {
            if before > 0 && 2 * before >= total { return department }
            before += selections[department]!
        }
        return nil
    }

    /// Staffs `checks` in `order` with `staffing` cut at `split`: the departments before it on another thread, the
    /// rest on this one, each check's stream handed from the first to the second (in chunks, so that the threads
    /// meet once per chunk rather than once per check). Without a split, one stage on this thread.
    ///
    /// Errors are those of one stage staffing every department: the check staffed first that fails, and within
    /// it the department first in UTF-8 order.
    /// - Returns: the pairings in the order of `checks`, and the stages (for their inspectors' loads).
    static func staffInStages(checks: [CheckRequest], order: [Int], excluded: [[Int]], random: VerifiableRandom,
                              staffing: DepartmentStaffing, split: DepartmentCode?) throws
        -> (pairings: [InspectorPairing], stages: [DepartmentStaffing]) {
        var pairings = [InspectorPairing?](repeating: nil, count: checks.count)
        guard let split else {
            var stage = staffing
            for index in order {
                let check = checks[index]
                var stream = random.stream(entity: check.checkID), chosen: [InspectorID] = []
                try stage.staff(check, excluded: excluded[index], stream: &stream, chosen: &chosen)
                pairings[index] = InspectorPairing(checkID: check.checkID, inspectors: chosen)
            }
            return (pairings.map { $0! }, [stage])
        }
        var firstStage = staffing, secondStage = staffing
        firstStage.before = split
        secondStage.from = split
        /// A check after the first stage: the stream where it left off and the inspectors it chose, or its error.
        typealias Handed = Result<(stream: VerifiableRandomStream, chosen: [InspectorID]), InspectorAssignmentError>
        let chunkSize = 1024
        let handoff = Handoff<[Handed]>(capacity: 4)
        let first = BackgroundWork { [firstStage] in
            var stage = firstStage
            defer { handoff.finish() }
            for start in stride(from: 0, to: order.count, by: chunkSize) where !handoff.isCancelled {
                var chunk: [Handed] = []
                chunk.reserveCapacity(chunkSize)
                for index in order[start..<min(start + chunkSize, order.count)] {
                    let check = checks[index]
                    var stream = random.stream(entity: check.checkID), chosen: [InspectorID] = []
                    do throws(InspectorAssignmentError) {
                        try stage.staff(check, excluded: excluded[index], stream: &stream, chosen: &chosen)
                        chunk.append(.success((stream, chosen)))
                    } catch {
                        chunk.append(.failure(error))
                        handoff.put(chunk)
                        return stage
                    }
                }
                handoff.put(chunk)
            }
            return stage
        }
        var position = 0
        do {
            while let chunk = handoff.take() {
                for handed in chunk {
                    let index = order[position]
                    position += 1
                    var (stream, chosen) = try handed.get()
                    let check = checks[index]
                    try secondStage.staff(check, excluded: excluded[index], stream: &stream, chosen: &chosen)
                    pairings[index] = InspectorPairing(checkID: check.checkID, inspectors: chosen)
                }
            }
        } catch {
            handoff.cancel()
            _ = try? first.value()
            throw error
        }
        return (pairings.map { $0! }, [try first.value(), secondStage])
    }
}
