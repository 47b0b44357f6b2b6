import Supervision
import Testing
@testable import Planning

@Suite("Inclusion probabilities")
struct InclusionProbabilitiesTests {
    @Test("without cap or floor, π is proportional to size and sums to n")
    func proportional() throws {
        let pi = try InclusionProbabilities.proportionalToSize([1, 2, 3, 4], sampleSize: 2)
        for (value, want) in zip(pi.values, [0.2, 0.4, 0.6, 0.8]) { #expect(abs(value - want) <= 2e-16) }
        #expect(pi.certaintyIndices.isEmpty && pi.flooredIndices.isEmpty)
    }

    @Test("units reaching 1 become certainty units and the rest share what is left, iterated")
    func cappedIteratively() throws {
        // First pass: c = 4/158 makes only unit 0 exceed 1; after capping it, unit 1 (50 · 3/58 > 1)
        // exceeds too — the iteration must catch the second round.
        let sizes: [Double] = [100, 50, 1, 1, 1, 1, 1, 1, 1, 1]
        let pi = try InclusionProbabilities.proportionalToSize(sizes, sampleSize: 4)
        #expect(pi.certaintyIndices == [0, 1])
        for value in pi.values.dropFirst(2) { #expect(abs(value - 0.25) < 1e-15) }
        #expect(abs(pi.expectedSampleSize - 4) < 1e-12)
    }

    @Test("a unit of size zero keeps the floor: no blind spot")
    func floorKeepsEveryUnitInPlay() throws {
        let pi = try InclusionProbabilities.proportionalToSize([0, 0, 1, 1, 2, 4], sampleSize: 2, floor: 0.1)
        #expect(pi.values[0] == 0.1 && pi.values[1] == 0.1)
        // The other four share 1.8 in proportion 1:1:2:4.
        let expected = [0.225, 0.225, 0.45, 0.9]
        for (value, want) in zip(pi.values.dropFirst(2), expected) { #expect(abs(value - want) < 1e-12) }
        #expect(pi.flooredIndices == [0, 1])
    }

    /// A seeded property check against the definition, on skewed sizes where floor and cap both bind:
    /// Σπ = n; π ∈ [floor, 1]; a common c with π = c·x strictly inside, c·x ≥ 1 when capped and
    /// c·x ≤ floor when floored.
    @Test("floor, cap and exact total hold together", arguments: [0.0, 0.002, 0.01, 0.02])
    func floorCapAndTotal(floor: Double) throws {
        let random = VerifiableRandom(seed: "inclusion-property", purpose: "sizes")
        let sizes = (0..<500).map { unit -> Double in
            let u = random.uniform(entity: "unit-\(unit)")
            return unit % 50 == 0 ? 0 : 1 / (1 - u) / (1 - u)  // heavy tail, some zeros
        }
        let n = 40.0
        let pi = try InclusionProbabilities.proportionalToSize(sizes, sampleSize: n, floor: floor)
        #expect(abs(pi.expectedSampleSize - n) < 1e-9)
        #expect(!pi.certaintyIndices.isEmpty)
        let c = pi.scale
        for (value, size) in zip(pi.values, sizes) {
            #expect(value >= floor && value <= 1)
            if value == 1 { #expect(c * size >= 1 - 1e-12) }
            else if value == floor { #expect(c * size <= floor + 1e-12) }
            else { #expect(abs(value - c * size) <= 1e-12) }
        }
        if floor > 0 { #expect(pi.values.allSatisfy { $0 > 0 }) }
    }

    @Test("forced certainty units take π = 1 out of n")
    func forcedCertainty() throws {
        let pi = try InclusionProbabilities.proportionalToSize(
            [1, 1, 1, 1, 1], sampleSize: 3, forcedCertainty: [false, true, false, false, false])
        #expect(pi.values == [0.5, 1, 0.5, 0.5, 0.5])
    }

    @Test("infeasible requests are typed errors")
    func infeasible() {
        #expect(throws: InclusionProbabilityError.sampleSizeExceedsPopulation(sampleSize: 4, populationSize: 3)) {
            try InclusionProbabilities.proportionalToSize([1, 1, 1], sampleSize: 4)
        }
        #expect(throws: InclusionProbabilityError.floorExceedsSampleSize(floor: 0.5, units: 3, sampleSize: 1)) {
            try InclusionProbabilities.proportionalToSize([1, 1, 1], sampleSize: 1, floor: 0.5)
        }
        #expect(throws: InclusionProbabilityError.tooFewPositiveSizes(positiveUnits: 1, reachable: 1, sampleSize: 2)) {
            try InclusionProbabilities.proportionalToSize([0, 5, 0], sampleSize: 2)
        }
        #expect(throws: InclusionProbabilityError.invalidSize(index: 1, value: -1)) {
            try InclusionProbabilities.proportionalToSize([1, -1], sampleSize: 1)
        }
        #expect(throws: InclusionProbabilityError.forcedCertaintiesExceedSampleSize(forced: 2, sampleSize: 1)) {
            try InclusionProbabilities.proportionalToSize([1, 1, 1], sampleSize: 1, forcedCertainty: [true, true, false])
        }
        #expect(throws: InclusionProbabilityError.invalidFloor(1.5)) {
            try InclusionProbabilities.proportionalToSize([1, 1], sampleSize: 1, floor: 1.5)
        }
    }

    @Test("strata get their agreed sample sizes and a quota report")
    func stratified() throws {
        let market = Stratum(department: "market", grade: .b)
        let marketD = Stratum(department: "market", grade: .d)
        let fire = Stratum(department: "fire", grade: .b)
        let strata = [market, market, market, market, fire, fire, marketD, market, fire, marketD]
        let sizes: [Double] = [1, 2, 3, 4, 1, 1, 1, 10, 1, 1]
        let result = try InclusionProbabilities.stratified(
            sizes: sizes, strata: strata,
            quotas: [market: .ratio(0.3), fire: .count(1), marketD: .census], floor: 0.01)
        // market/B: 5 units, ratio 0.3 → 1.5 → 2 draws; fire/B: 1 of 3; market/D: all.
        #expect(result.allocations.map(\.stratum) == [fire, market, marketD])
        #expect(result.allocations.map(\.sampleSize) == [1, 2, 2])
        #expect(result.allocations[1].agreedRatio == 0.3 && result.allocations[1].realisedRatio == 0.4)
        #expect(result.values[6] == 1 && result.values[9] == 1)
        #expect(result.values[7] == 1)  // size 10 of 20 for 2 draws → capped
        for allocation in result.allocations {
            #expect(abs(allocation.expectedSampleSize - Double(allocation.sampleSize)) < 1e-12)
        }
        for row in [4, 5, 8] { #expect(abs(result.values[row] - 1.0 / 3) < 1e-15) }
    }

    @Test("a missing or infeasible stratum quota names the stratum")
    func stratumErrors() {
        let a = Stratum(department: "health", grade: .a)
        #expect(throws: StratumError.missingQuota(a)) {
            try InclusionProbabilities.stratified(sizes: [1], strata: [a], quotas: [:], floor: 0)
        }
        #expect(throws: StratumError.infeasible(
            a, .sampleSizeExceedsPopulation(sampleSize: 3, populationSize: 2))) {
            try InclusionProbabilities.stratified(sizes: [1, 1], strata: [a, a], quotas: [a: .count(3)], floor: 0)
        }
        #expect(throws: StratumError.invalidQuota(a, .invalidRatio(1.2))) {
            try InclusionProbabilities.stratified(sizes: [1], strata: [a], quotas: [a: .ratio(1.2)], floor: 0)
        }
    }
}
