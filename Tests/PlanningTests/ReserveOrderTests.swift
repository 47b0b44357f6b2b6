import Testing
@testable import Planning

@Suite("Reserve order")
struct ReserveOrderTests {
    static let ids = (0..<30).map { "E\($0)" }
    static let pi = (0..<30).map { $0 == 29 ? 0 : 0.1 + 0.02 * Double($0 % 10) }

    @Test("the reserve excludes the sample and π = 0, is fixed by the seed and used in order")
    func reserveList() {
        let random = VerifiableRandom(seed: "reserve", purpose: "plan.reserve")
        var reserve = ReserveOrder(ids: Self.ids, probabilities: Self.pi, selected: [2, 5, 7], random: random)
        #expect(reserve.order.count == 26)
        #expect(Set(reserve.order).isDisjoint(with: [2, 5, 7, 29]))
        #expect(reserve == ReserveOrder(ids: Self.ids, probabilities: Self.pi, selected: [2, 5, 7], random: random))
        let first = reserve.nextReplacement(), second = reserve.nextReplacement()
        #expect(first == reserve.order[0] && second == reserve.order[1] && reserve.used == 2)
    }

    /// The key log(u)/π puts the unit first with probability π_i / Σπ (a size-proportional first draw).
    @Test("the first reserve is drawn proportionally to π")
    func firstReserveIsProportional() {
        let pi = [0.1, 0.2, 0.3, 0.4]
        var counts = [0, 0, 0, 0]
        let replicates = 20_000
        for replicate in 0..<replicates {
            let random = VerifiableRandom(seed: "reserve-\(replicate)", purpose: "plan.reserve")
            let reserve = ReserveOrder(ids: ["a", "b", "c", "d"], probabilities: pi, selected: [], random: random)
            counts[reserve.order[0]] += 1
        }
        var pearson = 0.0
        for (count, p) in zip(counts, pi) {
            let expected = Double(replicates) * p
            pearson += (Double(count) - expected) * (Double(count) - expected) / expected
        }
        #expect(pearson < ChiSquaredDistribution(degreesOfFreedom: 3).quantile(0.999))
    }
}
