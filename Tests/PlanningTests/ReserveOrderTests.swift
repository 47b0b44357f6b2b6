import Supervision
import Testing
import TestSupport
@testable import Planning

@Suite("Reserve order")
struct ReserveOrderTests {
    static let ids = (0..<30).map { EntityID("E\($0)") }
    static let pi = (0..<30).map { $0 == 29 ? 0 : 0.1 + 0.02 * Double($0 % 10) }

    @Test("the reserve excludes the sample and π = 0, follows p/π, and is used in order")
    func reserveList() {
        let positions = VerifiableRandom(seed: "reserve", purpose: "plan.prn").uniforms(for: Self.ids)
        var reserve = ReserveOrder(ids: Self.ids, probabilities: Self.pi, positions: positions, selected: [2, 5, 7])
        #expect(reserve.order.count == 26)
        #expect(Set(reserve.order).isDisjoint(with: [2, 5, 7, 29]))
        let keys = reserve.order.map { positions[$0] / Self.pi[$0] }
        #expect(zip(keys, keys.dropFirst()).allSatisfy { $0 <= $1 })
        let first = reserve.nextReplacement(), second = reserve.nextReplacement()
        #expect(first == reserve.order[0] && second == reserve.order[1] && reserve.used == 2)
    }

    @Test("the first k of a large candidate list are the prefix of the full order, ties by id", arguments: [1, 5, 20, 400])
    func firstKIsThePrefix(k: Int) {
        var generator = SeededGenerator(seed: UInt64(k))
        let count = 300
        let ids = (0..<count).map { EntityID("id-\(Int.random(in: 0..<1_000_000, using: &generator))-\($0)") }
        // Coarse positions and π make equal keys common, so the id tie-break is exercised.
        let positions = (0..<count).map { _ in Double(Int.random(in: 0..<8, using: &generator)) / 8 }
        let probabilities = (0..<count).map { _ in [0, 0.25, 0.5, 1][Int.random(in: 0..<4, using: &generator)] }
        let excluded = (0..<count).map { _ in Int.random(in: 0..<5, using: &generator) == 0 }
        let units = Array(stride(from: 0, to: count, by: 2))
        let first = ReserveOrder.first(k, ids: ids, units: units, probabilities: units.map { probabilities[$0] },
                                       positions: positions, excluded: excluded)
        let reference = units.filter { !excluded[$0] && probabilities[$0] > 0 }.sorted {
            let a = positions[$0] / probabilities[$0], b = positions[$1] / probabilities[$1]
            return a != b ? a < b : ids[$0].rawValue.utf8.lexicographicallyPrecedes(ids[$1].rawValue.utf8)
        }
        #expect(first == Array(reference.prefix(k)))
    }

    /// Among the units a coordinated draw left out (position p ≥ π), the first reserve minimises p/π; its law is
    /// `P(first = i) = ∫₁^{1/π_i} π_i ∏_{j≠i} (π_j + (1 − t π_j)⁺) dt` and `P(none) = ∏ π_j` (all selected).
    @Test("the first reserve follows its exact law (chi-square over seeded replicates)")
    func firstReserveLaw() {
        let pi = [0.1, 0.2, 0.3, 0.4]
        let ids: [EntityID] = ["a", "b", "c", "d"]
        var counts = [Int](repeating: 0, count: pi.count + 1)  // last: every unit selected
        let replicates = 20_000
        for replicate in 0..<replicates {
            let positions = VerifiableRandom(seed: "reserve-\(replicate)", purpose: "plan.prn").uniforms(for: ids)
            let selected = pi.indices.filter { positions[$0] < pi[$0] }
            let reserve = ReserveOrder(ids: ids, probabilities: pi, positions: positions, selected: selected)
            counts[reserve.order.first ?? pi.count] += 1
        }
        let expected = Self.firstReserveLaw(pi) + [pi.reduce(1, *)]
        #expect(abs(expected.reduce(0, +) - 1) < 1e-12)
        var pearson = 0.0
        for (count, p) in zip(counts, expected) {
            let e = Double(replicates) * p
            pearson += (Double(count) - e) * (Double(count) - e) / e
        }
        #expect(pearson < ChiSquaredDistribution(degreesOfFreedom: Double(pi.count)).quantile(0.999))
    }

    /// The integral above, exactly: between consecutive breakpoints `1/π_j` the integrand is a polynomial of
    /// degree ≤ 3, which Simpson's rule integrates without error.
    static func firstReserveLaw(_ pi: [Double]) -> [Double] {
        pi.indices.map { i in
            let breaks = ([1.0] + pi.map { 1 / $0 }).filter { $0 >= 1 && $0 <= 1 / pi[i] }.sorted()
            func integrand(_ t: Double) -> Double {
                pi[i] * pi.indices.filter { $0 != i }.reduce(1.0) { $0 * (pi[$1] + max(0, 1 - t * pi[$1])) }
            }
            return zip(breaks, breaks.dropFirst()).reduce(0.0) { sum, piece in
                let (a, b) = piece
                return sum + (b - a) / 6 * (integrand(a) + 4 * integrand((a + b) / 2) + integrand(b))
            }
        }
    }
}
