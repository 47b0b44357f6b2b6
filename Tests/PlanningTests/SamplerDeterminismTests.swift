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
