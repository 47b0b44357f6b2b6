import Testing
@testable import Planning

@Suite("Sampler determinism and validation")
struct SamplerDeterminismTests {
    static let design = try! FixedSizeDesign(probabilities: SamplingExactnessTests.skewedProbabilities)

    @Test("same seed, purpose and stream give the same sample", arguments: SamplingMethod.allCases)
    func sameSeedSameSample(method: SamplingMethod) throws {
        let sampler = try method.makeSampler(design: Self.design)
        let random = VerifiableRandom(seed: "determinism", purpose: "audit")
        var first = random.stream(entity: "replicate-0")
        var second = VerifiableRandom(seed: "determinism", purpose: "audit").stream(entity: "replicate-0")
        #expect(sampler.sample(using: &first) == sampler.sample(using: &second))
    }

    @Test("a different purpose or seed gives a different sample", arguments: SamplingMethod.allCases)
    func differentPurposeDifferentSample(method: SamplingMethod) throws {
        let sampler = try method.makeSampler(design: Self.design)
        var base = VerifiableRandom(seed: "determinism", purpose: "audit").stream(entity: "replicate-0")
        var otherPurpose = VerifiableRandom(seed: "determinism", purpose: "audit-2").stream(entity: "replicate-0")
        var otherSeed = VerifiableRandom(seed: "determinism-2", purpose: "audit").stream(entity: "replicate-0")
        let sample = sampler.sample(using: &base)
        #expect(sample != sampler.sample(using: &otherPurpose))
        #expect(sample != sampler.sample(using: &otherSeed))
    }

    @Test("π outside [0, 1] or a non-integer total is rejected")
    func invalidDesigns() {
        #expect(throws: SamplingError.invalidProbability(index: 1, value: 1.2)) {
            try FixedSizeDesign(probabilities: [0.3, 1.2])
        }
        #expect(throws: SamplingError.nonIntegerSampleSize(sum: 1.5)) {
            try FixedSizeDesign(probabilities: [0.5, 0.5, 0.5])
        }
        #expect(throws: SamplingError.invalidProbability(index: 0, value: -0.1)) {
            try FixedSizeDesign(probabilities: [-0.1, 1.1])
        }
    }

    /// 50 seeded designs of growing size, with capped units and n from 1 to N/3.
    @Test("every sample of every method has size n and holds the certainty units", arguments: SamplingMethod.allCases)
    func sizesOnRandomDesigns(method: SamplingMethod) throws {
        let random = VerifiableRandom(seed: "random-designs", purpose: "sizes")
        for trial in 0..<50 {
            let count = 5 + trial * 3
            let sizes = (0..<count).map { 0.05 + random.uniform(entity: "\(trial)-\($0)") * Double($0 % 7) }
            let n = 1 + trial % max(1, count / 3)
            let inclusion = try InclusionProbabilities.proportionalToSize(sizes, sampleSize: Double(n))
            let design = try FixedSizeDesign(inclusion)
            let sampler = try method.makeSampler(design: design)
            var stream = random.with(purpose: "draw").stream(entity: "\(trial)")
            let sample = sampler.sample(using: &stream)
            #expect(sample.count == n && Set(sample).count == n)
            #expect(Set(design.certaintyIndices).isSubset(of: sample))
        }
    }
}

@Suite("Pivotal and systematic specifics")
struct PivotalSystematicTests {
    /// With π = ½ everywhere, each duel of units 2k and 2k+1 sums to 1 and settles both: exactly one of
    /// every consecutive pair is drawn — the spreading property of ordered pivotal sampling.
    @Test("ordered pivotal sampling takes one unit of each consecutive pair when π = ½")
    func pivotalPairs() throws {
        let design = try FixedSizeDesign(probabilities: Array(repeating: 0.5, count: 40))
        let sampler = PivotalSampler(design: design)
        for replicate in 0..<100 {
            var stream = VerifiableRandom(seed: "pairs", purpose: "pivotal").stream(entity: "\(replicate)")
            let sample = sampler.sample(using: &stream)
            #expect(sample.map { $0 / 2 } == Array(0..<20))
            // One uniform per duel: 39 duels.
            #expect(stream.wordIndex == 39)
        }
    }

    /// Systematic sampling on a random order gives every pair of units a positive joint probability:
    /// over replicates, every pair of a small equal-π design appears together.
    @Test("systematic sampling on a random order reaches every pair")
    func systematicPairs() throws {
        let design = try FixedSizeDesign(probabilities: Array(repeating: 0.5, count: 6))
        let sampler = SystematicSampler(design: design)
        var pairs = Set<[Int]>()
        for replicate in 0..<400 {
            var stream = VerifiableRandom(seed: "pairs", purpose: "systematic").stream(entity: "\(replicate)")
            let sample = sampler.sample(using: &stream)
            for a in sample { for b in sample where a < b { pairs.insert([a, b]) } }
        }
        #expect(pairs.count == 15)
    }
}
