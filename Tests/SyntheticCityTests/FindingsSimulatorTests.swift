import Testing
@testable import SyntheticCity

@Suite("Simulated findings")
struct FindingsSimulatorTests {
    static let items = ["m.r.01", "m.r.02", "m.r.03"]

    @Test func isDeterministicPerCheckAndDepartment() {
        let a = FindingsSimulator(seed: 7), b = FindingsSimulator(seed: 7), c = FindingsSimulator(seed: 8)
        var differs = false
        for i in 0..<200 {
            let x = a.simulate(checkID: "2026Q1-\(i)", department: "market", probability: 0.5, items: Self.items)
            #expect(x == b.simulate(checkID: "2026Q1-\(i)", department: "market", probability: 0.5, items: Self.items))
            if x != c.simulate(checkID: "2026Q1-\(i)", department: "market", probability: 0.5, items: Self.items) { differs = true }
        }
        #expect(differs, "another seed gives other results")
    }

    /// Found share ≈ p and serious share ≈ seriousShare, within 4 binomial standard deviations.
    @Test(arguments: [0.05, 0.3, 0.8]) func foundSharesFollowTheProbability(p: Double) {
        let simulator = FindingsSimulator(seed: 1, seriousShare: 0.3)
        let n = 20_000
        var found = 0, serious = 0
        for i in 0..<n {
            let results = simulator.simulate(checkID: "c\(i)", department: "fire", probability: p, items: Self.items)
            let bad = results.filter { $0.outcome != .compliant }
            #expect(bad.count <= 1 && results.count == Self.items.count)
            if let problem = bad.first {
                found += 1
                if problem.outcome == .serious { serious += 1; #expect(problem.penalty > 0 && problem.disposal?.action == "fine") }
                else { #expect(problem.disposal?.closedAfterDays != nil) }
            }
        }
        let sd = (p * (1 - p) / Double(n)).squareRoot()
        #expect(abs(Double(found) / Double(n) - p) < 4 * sd)
        let sdSerious = (0.3 * 0.7 / Double(found)).squareRoot()
        #expect(abs(Double(serious) / Double(found) - 0.3) < 4 * sdSerious)
    }

    @Test func certaintyAndNoItems() {
        let simulator = FindingsSimulator(seed: 3)
        #expect(simulator.simulate(checkID: "c", department: "d", probability: 0, items: Self.items).allSatisfy { $0.outcome == .compliant })
        #expect(simulator.simulate(checkID: "c", department: "d", probability: 1, items: Self.items).contains { $0.outcome != .compliant })
        #expect(simulator.simulate(checkID: "c", department: "d", probability: 1, items: []).isEmpty)
    }
}
