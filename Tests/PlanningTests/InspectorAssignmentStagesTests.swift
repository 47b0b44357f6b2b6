import Supervision
import Testing
@testable import Planning

/// The assignment's two stages (``DepartmentStaffing``, ``InspectorAssignment/staffInStages``) against one stage
/// staffing every department: the same pairings, loads and errors wherever the departments are cut.
@Suite("Inspector assignment in two stages")
struct InspectorAssignmentStagesTests {
    static let departments: [DepartmentCode] = ["construction", "fire", "health", "market"]

    /// `perDepartment` inspectors per department, half qualified for item "b" too, some with conflicts or last
    /// visits among the entities E0…E299.
    static func roster(perDepartment: Int, cap: Int) -> [EligibleInspector] {
        EligibleInspector.staff(of: departments.flatMap { department in
            (0..<perDepartment).map { k in
                Inspector(id: InspectorID("\(department)-\(k)"), department: department,
                          qualifiedItems: k % 2 == 0 ? ["a", "b"] : ["a"], capPerPeriod: cap,
                          conflicts: k % 3 == 0 ? [EntityID("E\(k * 7 % 300)")] : [],
                          checkedLastPeriod: k % 4 == 1 ? [EntityID("E\(k * 11 % 300)"), EntityID("E\(k % 300)")] : [])
            }
        })
    }

    /// `count` checks of one to four departments (single checks among them), items "a" or "a" and "b".
    static func checks(_ count: Int) -> [CheckRequest] {
        (0..<count).map { i in
            let mask = (i * 7 + i / 5) % 15 + 1
            let items: Set<ItemCode> = i % 3 == 0 ? ["a", "b"] : ["a"]
            var byDepartment: [DepartmentCode: Set<ItemCode>] = [:]
            for (bit, department) in departments.enumerated() where mask & (1 << bit) != 0 { byDepartment[department] = items }
            return CheckRequest(checkID: "C\(i)", entity: EntityID("E\(i % 300)"), itemsByDepartment: byDepartment)
        }
    }

    struct Outcome: Equatable {
        var pairings: [InspectorPairing]
        var loads: [Int]
    }

    /// Staffs `checks` cut at `split`, as ``InspectorAssignment/assign`` does (its order and exclusions).
    static func staff(_ checks: [CheckRequest], roster: [EligibleInspector], seed: String, cap: Double = 0.6,
                      split: DepartmentCode?) -> Result<Outcome, InspectorAssignmentError> {
        let random = VerifiableRandom(seed: seed, purpose: "inspectors")
        let order = checks.indices.sorted {
            let (a, b) = (random.uniform(entity: checks[$0].checkID), random.uniform(entity: checks[$1].checkID))
            return a != b ? a < b : checks[$0].checkID.utf8.lexicographicallyPrecedes(checks[$1].checkID.utf8)
        }
        let excluded = checks.map { check in
            roster.indices.filter { roster[$0].conflicts.contains(check.entity) || roster[$0].checkedLastPeriod.contains(check.entity) }
        }
        var byDepartment: [DepartmentCode: [Int]] = [:]
        for index in roster.indices.sorted(by: { roster[$0].id < roster[$1].id }) {
            byDepartment[roster[index].department, default: []].append(index)
        }
        let staffing = DepartmentStaffing(roster: roster, byDepartment: byDepartment, maxPairingProbability: cap)
        do {
            let (pairings, stages) = try InspectorAssignment.staffInStages(
                checks: checks, order: order, excluded: excluded, random: random, staffing: staffing, split: split)
            let loads = roster.indices.map { i in stages.last { $0.owns(roster[i].department) }!.pools.load(of: i) }
            return .success(Outcome(pairings: pairings, loads: loads))
        } catch let error as InspectorAssignmentError {
            return .failure(error)
        } catch {
            Issue.record("unexpected error \(error)")
            return .failure(.pairingProbabilityCap(checkID: "", department: "", eligible: 0, needed: 0, cap: 0))
        }
    }

    /// 3,000 checks: three chunks handed from the first stage to the second.
    @Test("every cut gives the pairings and loads of one stage", arguments: ["one", "two"])
    func sameAsOneStage(seed: String) throws {
        let roster = Self.roster(perDepartment: 40, cap: 1_000), checks = Self.checks(3_000)
        let one = Self.staff(checks, roster: roster, seed: seed, split: nil)
        let outcome = try one.get()
        #expect(outcome.loads.reduce(0, +) == checks.reduce(0) { $0 + max($1.itemsByDepartment.count, 2) })
        for split in Self.departments.dropFirst() {
            // Compared first, so that a failure names the cut rather than printing every pairing.
            let same = Self.staff(checks, roster: roster, seed: seed, split: split) == one
            #expect(same, "cut at \(split)")
        }
        // The cut assign chooses, through assign itself.
        #expect(InspectorAssignment.splitDepartment(checks) != nil)
        let assigned = try InspectorAssignment.assign(checks: checks, staff: roster,
                                                      random: VerifiableRandom(seed: seed, purpose: "inspectors"),
                                                      maxPairingProbability: 0.6)
        #expect(assigned.pairings == outcome.pairings)
    }

    /// Caps that run out: the first check (in staffing order) that cannot be staffed fails, whichever stage
    /// holds its department — and over these seeds that is sometimes the first stage and sometimes the second.
    @Test("the error is the one a single stage meets first")
    func sameErrorAsOneStage() {
        let roster = Self.roster(perDepartment: 6, cap: 25), checks = Self.checks(1_500)
        var failingDepartments = Set<DepartmentCode>()
        for seed in (0..<12).map({ "seed-\($0)" }) {
            let one = Self.staff(checks, roster: roster, seed: seed, cap: 1, split: nil)
            guard case let .failure(error) = one else {
                Issue.record("seed \(seed): the caps should run out")
                continue
            }
            if case let .noEligibleInspector(_, department, _, _) = error { failingDepartments.insert(department) }
            for split in Self.departments.dropFirst() {
                let cut = Self.staff(checks, roster: roster, seed: seed, cap: 1, split: split)
                let same = cut == one
                #expect(same, "seed \(seed), cut at \(split): \(cut.failureText) against \(one.failureText)")
            }
        }
        // Failures on both sides of the middle cut.
        #expect(failingDepartments.contains { $0 < "health" } && failingDepartments.contains { $0 >= "health" },
                "departments that failed: \(failingDepartments.sorted())")
    }
}

extension Result<InspectorAssignmentStagesTests.Outcome, InspectorAssignmentError> {
    /// The error's text, or "success".
    var failureText: String {
        if case let .failure(error) = self { return error.description }
        return "success"
    }
}
