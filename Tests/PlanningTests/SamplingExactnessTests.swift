import Foundation
import Testing
@testable import Planning

/// The exactness requirement: 10,000 seeded replications of a skewed design
/// (N = 200, n = 20, two certainty units, one unit at π = 0.985) reproduce every π.
///
/// Statistic: Pearson `X² = Σ (O_i − Rπ_i)² / (Rπ_i)` over the 198 uncertain units, compared with the
/// 0.999 quantile of χ² with 197 degrees of freedom (counts sum to the fixed `R·m`), computed by
/// inverting the regularised incomplete gamma function (``ChiSquaredDistribution``), not by
/// Wilson–Hilferty. Under an exact design `E[X²] = Σ(1 − π_i) ≈ 180 < 197`, so the bound is not
/// tight by construction; a biased sampler fails it by orders of magnitude (see the control test).
/// Also every standardised count `z_i = (O_i − Rπ_i) / √(Rπ_i(1 − π_i))` must satisfy |z_i| < 4.5.
@Suite("Sampling exactness")
struct SamplingExactnessTests {
    static let replicates = 10_000

    /// The skewed design: certainty units at 57 and 143, π = 0.985 at 100, and 197 units sharing
    /// 17.015 in proportion to e^{4t} for t spread over [0, 1] in a scrambled order (π from 0.0064 to 0.35).
    static let skewedProbabilities: [Double] = {
        var pi = [Double](repeating: 0, count: 200)
        let others = (0..<200).filter { $0 != 57 && $0 != 143 && $0 != 100 }
        let sizes = others.enumerated().map { position, _ in exp(4 * Double((position * 73) % 197) / 196) }
        let total = sizes.reduce(0, +)
        for (position, unit) in others.enumerated() { pi[unit] = 17.015 * sizes[position] / total }
        pi[57] = 1
        pi[143] = 1
        pi[100] = 0.985
        return pi
    }()

    static func sampler(_ method: SamplingMethod, _ design: FixedSizeDesign) throws -> any FixedSizeSampler {
        try method.makeSampler(design: design)
    }

    struct Fit {
        var pearson = 0.0
        var maxAbsZ = 0.0
        var degreesOfFreedom = 0
    }

    static func goodnessOfFit(counts: [Int], probabilities: [Double], replicates: Int) -> Fit {
        var fit = Fit()
        let r = Double(replicates)
        for (count, pi) in zip(counts, probabilities) where pi > 0 && pi < 1 {
            let expected = r * pi
            let deviation = Double(count) - expected
            fit.pearson += deviation * deviation / expected
            fit.maxAbsZ = max(fit.maxAbsZ, abs(deviation) / (expected * (1 - pi)).squareRoot())
            fit.degreesOfFreedom += 1
        }
        fit.degreesOfFreedom -= 1
        return fit
    }

    /// Draws `replicates` samples and checks size, certainty units and distinctness on every draw.
    static func selectionCounts(_ sampler: some FixedSizeSampler, purpose: String) -> [Int] {
        let design = sampler.design
        let random = VerifiableRandom(seed: "onecheck exactness test", purpose: purpose)
        var counts = [Int](repeating: 0, count: design.probabilities.count)
        var badDraws = 0
        for replicate in 0..<replicates {
            var stream = random.stream(entity: "replicate-\(replicate)")
            let sample = sampler.sample(using: &stream)
            let distinct = Set(sample)
            if sample.count != design.sampleSize || distinct.count != sample.count
                || !design.certaintyIndices.allSatisfy(distinct.contains) {
                badDraws += 1
            }
            for unit in sample { counts[unit] += 1 }
        }
        #expect(badDraws == 0, "draws with the wrong size, duplicates or a missing certainty unit")
        return counts
    }

    @Test("first-order inclusion probabilities are exact", arguments: SamplingMethod.allCases)
    func exactness(method: SamplingMethod) throws {
        let design = try FixedSizeDesign(probabilities: Self.skewedProbabilities)
        #expect(design.sampleSize == 20)
        #expect(design.certaintyIndices == [57, 143])
        let sampler = try Self.sampler(method, design)
        let counts = Self.selectionCounts(sampler, purpose: "test.exactness.\(method.rawValue)")
        #expect(counts[57] == Self.replicates && counts[143] == Self.replicates)
        let fit = Self.goodnessOfFit(counts: counts, probabilities: design.probabilities, replicates: Self.replicates)
        let bound = ChiSquaredDistribution(degreesOfFreedom: Double(fit.degreesOfFreedom)).quantile(0.999)
        #expect(fit.degreesOfFreedom == 197)
        #expect(fit.pearson < bound, "X² = \(fit.pearson), 0.999 quantile = \(bound)")
        #expect(fit.maxAbsZ < 4.5, "max |z| = \(fit.maxAbsZ)")
    }

    /// Successive sampling (draw one unit at a time proportional to π among those left) is a common,
    /// wrong way to get "π-proportional" samples; the same statistic must reject it.
    struct SuccessiveSampler: FixedSizeSampler {
        let design: FixedSizeDesign
        func sample<G: RandomNumberGenerator>(using generator: inout G) -> [Int] {
            var left = design.uncertainIndices
            var chosen = design.certaintyIndices
            var total = left.reduce(0.0) { $0 + design.probabilities[$1] }
            for _ in 0..<design.uncertainSampleSize {
                var u = generator.nextUnitInterval() * total
                var position = left.count - 1
                for (index, unit) in left.enumerated() {
                    u -= design.probabilities[unit]
                    if u < 0 { position = index; break }
                }
                total -= design.probabilities[left[position]]
                chosen.append(left.remove(at: position))
            }
            return chosen.sorted()
        }
    }

    @Test("the statistic rejects a sampler with biased inclusion probabilities")
    func controlRejectsSuccessiveSampling() throws {
        let design = try FixedSizeDesign(probabilities: Self.skewedProbabilities)
        let counts = Self.selectionCounts(SuccessiveSampler(design: design), purpose: "test.exactness.control")
        let fit = Self.goodnessOfFit(counts: counts, probabilities: design.probabilities, replicates: Self.replicates)
        let bound = ChiSquaredDistribution(degreesOfFreedom: Double(fit.degreesOfFreedom)).quantile(0.999)
        #expect(fit.pearson > bound)
        #expect(fit.maxAbsZ > 4.5)
    }
}
