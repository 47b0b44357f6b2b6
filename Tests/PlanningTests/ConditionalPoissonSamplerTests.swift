import Foundation
import Testing
@testable import Planning

@Suite("Conditional Poisson sampling")
struct ConditionalPoissonSamplerTests {
    /// All `k`-subsets of `0..<n`, in lexicographic order.
    static func subsets(of n: Int, size k: Int) -> [[Int]] {
        if k == 0 { return [[]] }
        if n < k { return [] }
        return subsets(of: n - 1, size: k) + subsets(of: n - 1, size: k - 1).map { $0 + [n - 1] }
    }

    static let smallTargets: [Double] = [0.9, 0.75, 0.6, 0.3, 0.2, 0.15, 0.06, 0.04]  // Σ = 3

    @Test("fitted odds reproduce π when the CPS design is enumerated set by set")
    func fitAgainstEnumeration() throws {
        let design = try FixedSizeDesign(probabilities: Self.smallTargets)
        let sampler = try ConditionalPoissonSampler(design: design)
        // P(s) ∝ ∏_{j∈s} w_j over all 3-subsets: a direct evaluation, independent of the recursions.
        let sets = Self.subsets(of: 8, size: 3)
        let weights = sets.map { $0.reduce(1.0) { $0 * sampler.odds[$1] } }
        let total = weights.reduce(0, +)
        var pi = [Double](repeating: 0, count: 8)
        for (set, weight) in zip(sets, weights) { for unit in set { pi[unit] += weight / total } }
        for (value, target) in zip(pi, Self.smallTargets) { #expect(abs(value - target) < 1e-11) }
        #expect(sampler.maximumError <= ConditionalPoissonSampler.tolerance)
    }

    /// The sequential draw must produce each set with probability ∏w / Σ∏w (maximum entropy), not
    /// just the right π: Pearson X² over the 56 sets against the χ²₅₅ 0.999 quantile.
    @Test("the sequential draw follows the conditional Poisson set distribution")
    func setDistribution() throws {
        let design = try FixedSizeDesign(probabilities: Self.smallTargets)
        let sampler = try ConditionalPoissonSampler(design: design)
        let sets = Self.subsets(of: 8, size: 3)
        let weights = sets.map { $0.reduce(1.0) { $0 * sampler.odds[$1] } }
        let total = weights.reduce(0, +)
        var frequency: [[Int]: Int] = [:]
        let random = VerifiableRandom(seed: "cps-set-distribution", purpose: "test")
        let replicates = 40_000
        for replicate in 0..<replicates {
            var stream = random.stream(entity: "replicate-\(replicate)")
            frequency[sampler.sample(using: &stream), default: 0] += 1
        }
        var pearson = 0.0
        var pooledObserved = 0, pooledExpected = 0.0
        var cells = 0
        for (set, weight) in zip(sets, weights) {
            let expected = Double(replicates) * weight / total
            let observed = frequency[set, default: 0]
            if expected < 5 { pooledObserved += observed; pooledExpected += expected; continue }
            pearson += (Double(observed) - expected) * (Double(observed) - expected) / expected
            cells += 1
        }
        if pooledExpected > 0 {
            pearson += (Double(pooledObserved) - pooledExpected) * (Double(pooledObserved) - pooledExpected) / pooledExpected
            cells += 1
        }
        #expect(frequency.keys.allSatisfy { $0.count == 3 })
        let bound = ChiSquaredDistribution(degreesOfFreedom: Double(cells - 1)).quantile(0.999)
        #expect(pearson < bound, "X² = \(pearson) over \(cells) cells, bound \(bound)")
    }

    @Test("π within 1e-6 of 1 and π of 1e-6 fit without blow-up")
    func extremeProbabilities() throws {
        var pi = [Double](repeating: 0, count: 50)
        pi[0] = 1 - 1e-6
        pi[1] = 1e-6
        pi[2] = 0.999
        for unit in 3..<50 { pi[unit] = (5 - pi[0] - pi[1] - pi[2]) / 47 }
        let design = try FixedSizeDesign(probabilities: pi)
        let sampler = try ConditionalPoissonSampler(design: design)
        #expect(sampler.maximumError <= ConditionalPoissonSampler.tolerance)
        #expect(sampler.odds.allSatisfy { $0.isFinite && $0 > 0 })
    }

    @Test("a large skewed stratum converges (N = 3,000, n = 300)")
    func largeDesign() throws {
        let random = VerifiableRandom(seed: "cps-large", purpose: "sizes")
        let sizes = (0..<3_000).map { exp(3 * random.uniform(entity: "unit-\($0)")) }
        let inclusion = try InclusionProbabilities.proportionalToSize(sizes, sampleSize: 300, floor: 0.01)
        let sampler = try ConditionalPoissonSampler(design: try FixedSizeDesign(inclusion))
        #expect(sampler.maximumError <= ConditionalPoissonSampler.tolerance)
        var stream = random.with(purpose: "draw").stream(entity: "0")
        #expect(sampler.sample(using: &stream).count == 300)
    }

    @Test("certainty-only and empty designs are drawn without fitting")
    func degenerateDesigns() throws {
        var stream = VerifiableRandom(seed: "s", purpose: "p").stream(entity: "e")
        let all = try ConditionalPoissonSampler(design: FixedSizeDesign(probabilities: [1, 1, 0]))
        #expect(all.sample(using: &stream) == [0, 1])
        let none = try ConditionalPoissonSampler(design: FixedSizeDesign(probabilities: [0, 0]))
        #expect(none.sample(using: &stream) == [])
        let forced = try ConditionalPoissonSampler(design: FixedSizeDesign(probabilities: [0.5, 0.5, 1]))
        #expect(forced.sample(using: &stream).count == 2)
    }

    @Test("linear-scale and log-space recursions agree")
    func logSpaceAgreesWithLinear() {
        let random = VerifiableRandom(seed: "cps-log", purpose: "odds")
        let logOdds = ConditionalPoissonSampler.centred((0..<60).map { 4 * random.uniform(entity: "\($0)") - 2 })
        let linear = ConditionalPoissonSampler.inclusionLogits(odds: logOdds.map { Foundation.exp($0) }, draws: 17)
        let logarithmic = ConditionalPoissonSampler.inclusionLogitsInLogSpace(logOdds: logOdds, draws: 17)
        for (a, b) in zip(linear, logarithmic) { #expect(abs(a - b) < 1e-11) }
    }

    @Test("the log-space fit reproduces π by enumeration and matches the linear fit")
    func logSpaceFit() throws {
        let design = try FixedSizeDesign(probabilities: Self.smallTargets)
        let sampler = try ConditionalPoissonSampler(design: design, forceLogSpace: true)
        let inLogSpace = sampler.fittedInLogSpace
        #expect(inLogSpace)
        let sets = Self.subsets(of: 8, size: 3)
        let weights = sets.map { $0.reduce(1.0) { $0 * sampler.odds[$1] } }
        let total = weights.reduce(0, +)
        var pi = [Double](repeating: 0, count: 8)
        for (set, weight) in zip(sets, weights) { for unit in set { pi[unit] += weight / total } }
        for (value, target) in zip(pi, Self.smallTargets) { #expect(abs(value - target) < 1e-11) }

        let skewed = try FixedSizeDesign(probabilities: SamplingExactnessTests.skewedProbabilities)
        let linear = try ConditionalPoissonSampler(design: skewed).odds
        let logarithmic = try ConditionalPoissonSampler(design: skewed, forceLogSpace: true).odds
        for (a, b) in zip(linear, logarithmic) { #expect(abs(a / b - 1) < 1e-9) }
    }
}
