import Supervision
import Testing
import TestSupport
@testable import Planning

/// The fast paths a city-scale plan takes (blocked coordinated selection, partition iteration for π,
/// prefix-state hashing, pool trees), each checked against the plain computation it replaces.
@Suite("Planning fast paths agree with their plain versions")
struct ScaleFastPathTests {
    @Test("iterating the partition finds the breakpoint sweep's root", arguments: 0..<40)
    func partitionScaleAgreesWithSweep(seed: Int) throws {
        var generator = SeededGenerator(seed: UInt64(seed))
        let count = Int.random(in: 1..<3000, using: &generator)
        // Heavy-tailed sizes: some reach the cap, many small ones sit on the floor; a few zero sizes.
        let sizes = (0..<count).map { _ -> Double in
            Int.random(in: 0..<50, using: &generator) == 0 ? 0 : Double.random(in: 0..<1, using: &generator).squareRoot()
                * (Bool.random(using: &generator) ? 1 : Double.random(in: 1..<500, using: &generator))
        }
        let units = Array(0..<count)
        let positive = sizes.filter { $0 > 0 }.count
        let floor = [0, 0.001, 0.01, 0.05][seed % 4]
        let target = min(Double(positive), Double.random(in: 0.5..<0.9, using: &generator) * Double(count))
        guard floor * Double(count) < target else { return }
        let sweep = InclusionProbabilities.sweepScale(sizes: sizes, units: units, target: target, floor: floor)
        if let partition = InclusionProbabilities.partitionScale(sizes: sizes, units: units, target: target, floor: floor) {
            #expect(abs(partition - sweep) <= 1e-9 * sweep, "seed \(seed): \(partition) vs \(sweep)")
        }
        let result = try InclusionProbabilities.proportionalToSize(sizes, sampleSize: target, floor: floor)
        #expect(abs(result.values.reduce(0, +) - target) < 1e-9 * target)
        #expect(result.values.allSatisfy { $0 >= floor && $0 <= 1 })
    }

    @Test("blocked coordinated selection equals the per-entity rule, for designs in any order")
    func blockedSelection() throws {
        var generator = SeededGenerator(seed: 11)
        let count = 70_000  // several blocks of 16,384 entities
        let prn = (0..<count).map { _ in Double.random(in: 0..<1, using: &generator) }
        let starts = (0..<count).map { _ in Double(Int.random(in: 0..<4, using: &generator)) / 4 }
        var designs: [CoordinatedSelection.DepartmentDesign] = []
        for name in ["fire", "market", "environment", "health"] {
            var scope = (0..<count).filter { _ in Int.random(in: 0..<3, using: &generator) == 0 }
            if name == "health" { scope.shuffle(using: &generator) }  // out of order: sorted internally
            designs.append(.init(department: DepartmentCode(name), entities: scope,
                                 probabilities: scope.map { _ in Double.random(in: 0..<0.3, using: &generator) }))
        }
        let selection = try CoordinatedSelection(departments: designs, permanentRandomNumbers: prn, intervalStarts: starts)
        var expected: [Int: [DepartmentCode]] = [:]
        for design in designs.sorted(by: { $0.department < $1.department }) {
            for (entity, pi) in zip(design.entities, design.probabilities) {
                let shifted = prn[entity] - starts[entity]
                if shifted - shifted.rounded(.down) < pi { expected[entity, default: []].append(design.department) }
            }
        }
        #expect(selection.checks.map(\.entity) == expected.keys.sorted())
        #expect(selection.checks.allSatisfy { expected[$0.entity] == $0.departments })
        #expect(selection.report.selections == expected.values.reduce(0) { $0 + $1.count })

        var twice = designs[3]
        twice = .init(department: twice.department, entities: twice.entities + [twice.entities[5]],
                      probabilities: twice.probabilities + [0.1])
        #expect(throws: CoordinationError.duplicateEntity(department: "health", entity: designs[3].entities[5])) {
            try CoordinatedSelection(departments: [designs[0], twice], permanentRandomNumbers: prn)
        }
    }

    @Test("a number from the prefix state equals the one from the whole message", arguments: [
        "", "9131010599102931XX", String(repeating: "长", count: 40), String(repeating: "x", count: 200),
    ])
    func prefixStateHashing(entity: String) {
        for seed in ["", "2026-11-29 lottery 07 13 21 28 33", String(repeating: "s", count: 70)] {
            let random = VerifiableRandom(seed: seed, purpose: "onecheck.plan.2026.prn")
            for counter: UInt64 in [0, 1, 0xFFFF_FFFF_FFFF] {
                let digest = random.digest(entity: entity, counter: counter)
                #expect(random.word(entity: entity, counter: counter) == VerifiableRandom.bigEndianWord(digest, at: 0))
            }
        }
        let ids = (0..<10_000).map { "\(entity)-\($0)" }
        let random = VerifiableRandom(seed: "batch", purpose: "p")
        #expect(random.uniforms(for: ids) == ids.map { random.uniform(entity: $0) })
    }

    /// A check focuses on its pools: its suspensions are applied there only, and a chosen inspector's new load
    /// reaches the other pools when the check ends. So the focused pools are asked during a check, and every pool
    /// is compared with the scan between checks.
    @Test("pool trees answer least-loaded queries like a scan, through loads, caps and suspensions")
    func poolTrees() {
        var generator = SeededGenerator(seed: 5)
        let inspectors = 300
        let cap = (0..<inspectors).map { _ in Int.random(in: 1..<12, using: &generator) }
        var pools = InspectorPools(cap: cap)
        var members: [[Int]] = []
        var load = [Int](repeating: 0, count: inspectors), suspended = Set<Int>()
        var focus: [Int] = []
        func eligible(_ pool: Int) -> [Int] { members[pool].filter { load[$0] < cap[$0] && !suspended.contains($0) } }
        func agrees(_ pool: Int) -> Bool {
            let eligible = eligible(pool)
            guard let least = eligible.map({ load[$0] }).min() else {
                return pools.eligibleCount(in: pool) == 0 && pools.leastLoaded(in: pool).load == .max
            }
            return pools.eligibleCount(in: pool) == eligible.count
                && pools.leastLoaded(in: pool) == (least, eligible.filter { load[$0] == least }.count)
        }
        func endCheck() {
            pools.resume()
            suspended = []
            #expect(members.indices.allSatisfy(agrees), "every pool is exact between checks")
        }
        var checks = 0
        for _ in 0..<2_000 {
            if suspended.isEmpty {
                if members.count < 6 || Int.random(in: 0..<200, using: &generator) == 0 {
                    let pool = (0..<inspectors).filter { _ in Bool.random(using: &generator) }
                    #expect(pools.add(members: pool) == members.count)
                    members.append(pool)
                }
                focus = (0..<Int.random(in: 1...3, using: &generator)).map { _ in
                    Int.random(in: 0..<members.count, using: &generator)
                }
                pools.focus(on: focus)
                checks += 1
            }
            let pool = focus[Int.random(in: 0..<focus.count, using: &generator)]
            #expect(agrees(pool))
            let eligible = eligible(pool)
            guard let least = eligible.map({ load[$0] }).min() else { endCheck(); continue }
            let ties = eligible.filter { load[$0] == least }
            let rank = Int.random(in: 0..<ties.count, using: &generator)
            let inspector = pools.member(in: pool, rankAmongLeast: rank)
            #expect(inspector == ties[rank])
            pools.addCheckAndSuspend(inspector)
            load[inspector] += 1
            suspended.insert(inspector)
            switch Int.random(in: 0..<4, using: &generator) {
            case 0: endCheck()
            case 1: break
            default:
                let other = Int.random(in: 0..<inspectors, using: &generator)
                pools.suspend(other); suspended.insert(other)
            }
        }
        #expect(checks > 300 && members.count > 6)
    }
}
