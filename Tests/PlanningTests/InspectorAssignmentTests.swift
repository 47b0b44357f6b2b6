import Supervision
import Testing
@testable import Planning

@Suite("Inspector pairs")
struct InspectorAssignmentTests {
    static func roster(_ department: String, _ count: Int, items: Set<ItemCode>, cap: Int = 10) -> [Inspector] {
        (0..<count).map {
            Inspector(id: InspectorID("\(department)-\($0)"), department: DepartmentCode(department),
                      qualifiedItems: items.sorted(), capPerPeriod: cap)
        }
    }

    static let market = roster("market", 6, items: ["food-safety", "labels"])
    static let fire = roster("fire", 5, items: ["exits"])

    static let checks = [
        CheckRequest(checkID: "J1", entity: "E1", itemsByDepartment: ["market": ["labels"], "fire": ["exits"]]),
        CheckRequest(checkID: "S1", entity: "E2", itemsByDepartment: ["market": ["food-safety"]]),
        CheckRequest(checkID: "S2", entity: "E3", itemsByDepartment: ["fire": ["exits"]]),
    ]

    @Test("joint checks get one inspector per department, single checks two from theirs")
    func pairsFollowTheRules() throws {
        var roster = Self.market + Self.fire
        // market-0 has a conflict with E1 and market-1 checked E2 last time.
        roster[0] = Inspector(id: "market-0", department: "market", qualifiedItems: ["food-safety", "labels"],
                              capPerPeriod: 10, conflicts: ["E1"])
        roster[1] = Inspector(id: "market-1", department: "market", qualifiedItems: ["food-safety", "labels"],
                              capPerPeriod: 10, checkedLastPeriod: ["E2"])
        let random = VerifiableRandom(seed: "pairs", purpose: "inspectors")
        let (pairings, _) = try InspectorAssignment.assign(
            checks: Self.checks, roster: roster, random: random, maxPairingProbability: 0.5)
        #expect(pairings.map(\.checkID) == ["J1", "S1", "S2"])
        let joint = pairings[0].inspectors
        #expect(joint.count == 2 && joint[0].rawValue.hasPrefix("fire-") && joint[1].rawValue.hasPrefix("market-"))
        #expect(joint[1] != "market-0")
        let single = pairings[1].inspectors
        #expect(single.count == 2 && Set(single).count == 2 && single.allSatisfy { $0.rawValue.hasPrefix("market-") })
        #expect(!single.contains("market-1"))
        #expect(pairings[2].inspectors.allSatisfy { $0.rawValue.hasPrefix("fire-") } && Set(pairings[2].inspectors).count == 2)
        // Same seed, same pairs.
        let again = try InspectorAssignment.assign(checks: Self.checks, roster: roster, random: random, maxPairingProbability: 0.5)
        #expect(again.pairings == pairings)
    }

    /// The roster's lists are kept as read, repeats included: an inspector listing the entity twice as a conflict
    /// and again as last period's visit is one excluded inspector, in the pairing cap's count and in the funnel.
    @Test("an entity repeated in an inspector's lists excludes that inspector once")
    func repeatedExclusionsCountOnce() {
        var roster = Self.roster("fire", 3, items: ["exits"])
        roster[0] = Inspector(id: "fire-0", department: "fire", qualifiedItems: ["exits"], capPerPeriod: 10,
                              conflicts: ["E3", "E3"], checkedLastPeriod: ["E3"])
        // Two eligible of three for two slots: probability 1 > 0.7 (counted three times, the pool would look empty).
        #expect(throws: InspectorAssignmentError.pairingProbabilityCap(
            checkID: "S2", department: "fire", eligible: 2, needed: 2, cap: 0.7)) {
            try InspectorAssignment.assign(checks: [Self.checks[2]], roster: roster,
                                           random: VerifiableRandom(seed: "s", purpose: "p"), maxPairingProbability: 0.7)
        }
        // Two of three left and a cap of one check each: the funnel counts fire-0 out once.
        let capped = roster.map { Inspector(id: $0.id, department: "fire", qualifiedItems: ["exits"], capPerPeriod: 1,
                                            conflicts: $0.conflicts, checkedLastPeriod: $0.checkedLastPeriod) }
        let twoChecks = [CheckRequest(checkID: "S3", entity: "E4", itemsByDepartment: ["fire": ["exits"]]), Self.checks[2]]
        #expect(throws: InspectorAssignmentError.noEligibleInspector(
            checkID: "S2", department: "fire", needed: 2,
            funnel: EligibilityFunnel(inDepartment: 3, qualified: 3, withoutConflict: 2, notCheckedLastTime: 2, underCap: 0))) {
            try InspectorAssignment.assign(checks: twoChecks, roster: capped,
                                           random: VerifiableRandom(seed: "s", purpose: "p"), maxPairingProbability: 1)
        }
    }

    @Test("an unstaffable check names the check, the department and the constraint funnel")
    func infeasibleCheck() {
        let roster = Self.market.map {
            Inspector(id: $0.id, department: "market", qualifiedItems: ["labels"], capPerPeriod: 10,
                      conflicts: $0.id == "market-2" ? ["E2"] : [])
        } + Self.fire
        // Nobody in market is qualified for food-safety.
        #expect(throws: InspectorAssignmentError.noEligibleInspector(
            checkID: "S1", department: "market", needed: 2,
            funnel: EligibilityFunnel(inDepartment: 6, qualified: 0, withoutConflict: 0, notCheckedLastTime: 0, underCap: 0))) {
            try InspectorAssignment.assign(checks: [Self.checks[1]], roster: roster,
                                           random: VerifiableRandom(seed: "s", purpose: "p"), maxPairingProbability: 1)
        }
        // Three fire inspectors for two slots: each would go with probability 2/3 > 0.5.
        #expect(throws: InspectorAssignmentError.pairingProbabilityCap(
            checkID: "S2", department: "fire", eligible: 3, needed: 2, cap: 0.5)) {
            try InspectorAssignment.assign(checks: [Self.checks[2]], roster: Array(Self.fire.prefix(3)),
                                           random: VerifiableRandom(seed: "s", purpose: "p"), maxPairingProbability: 0.5)
        }
        // Caps used up: one check per inspector, two single checks need four.
        let capped = Self.roster("fire", 3, items: ["exits"], cap: 1)
        let twoChecks = [Self.checks[2], CheckRequest(checkID: "S3", entity: "E4", itemsByDepartment: ["fire": ["exits"]])]
        #expect(throws: InspectorAssignmentError.self) {
            try InspectorAssignment.assign(checks: twoChecks, roster: capped,
                                           random: VerifiableRandom(seed: "s", purpose: "p"), maxPairingProbability: 1)
        }
    }

    /// 90 slots for six inspectors with a cap of 15 each: the least-loaded rule must use every capacity.
    @Test("workloads stay within one check of each other when everyone is eligible")
    func evenWorkload() throws {
        let checks = (0..<45).map { CheckRequest(checkID: "C\($0)", entity: EntityID("E\($0)"), itemsByDepartment: ["market": ["labels"]]) }
        let (_, workload) = try InspectorAssignment.assign(
            checks: checks, roster: Self.roster("market", 6, items: ["labels"], cap: 15),
            random: VerifiableRandom(seed: "even", purpose: "p"), maxPairingProbability: 0.5)
        #expect(workload.count == 1)
        #expect(workload[0].checks == 90 && workload[0].maximum - workload[0].minimum <= 1)
    }

    @Test("over seeded replicates no inspector goes to an entity more often than the cap allows")
    func pairingFrequency() throws {
        let replicates = 600
        var sent: [InspectorID: Int] = [:]
        let checks = (0..<12).map { CheckRequest(checkID: "C\($0)", entity: EntityID("E\($0)"), itemsByDepartment: ["market": ["labels"]]) }
        for replicate in 0..<replicates {
            let (pairings, _) = try InspectorAssignment.assign(
                checks: checks, roster: Self.market, random: VerifiableRandom(seed: "freq-\(replicate)", purpose: "p"),
                maxPairingProbability: 0.34)
            for inspector in pairings[0].inspectors { sent[inspector, default: 0] += 1 }
        }
        // Two slots among six: 1/3 each.
        let cap = 0.34 * Double(replicates)
        let sd = (Double(replicates) * 0.34 * 0.66).squareRoot()
        #expect(sent.values.allSatisfy { Double($0) < cap + 4.5 * sd })
        #expect(sent.count == 6)
    }
}
