import Foundation
import Supervision
import Testing
import TestSupport
@testable import Planning

/// Fixed-size coordinated strata (issue 19): every stratum draws exactly its size, the recorded π are the design's
/// own, and the draw is the one `RANDOMNESS.md` specifies.
///
/// The replications use the planner's own stratum selection (``PlanBuilder/selectStratum(_:coin:positions:)``): for each
/// replicate, fresh positions and a fresh size coin from seeded SHA-256 numbers, the same code that draws a plan.
/// Statistic as for the auditor's sampler (`SamplingExactnessTests`): Pearson `X² = Σ (O_i − Rπ_i)² / (Rπ_i)` over
/// the uncertain units against the 0.999 quantile of χ² with one degree of freedom fewer than units, and every
/// `|z_i| = |O_i − Rπ_i| / √(Rπ_i(1 − π_i))` below 4.5.
@Suite("Exact quotas: fixed-size coordinated strata")
struct ExactQuotaTests {
    static let replicates = 10_000

    /// A stratum of `targets` over entities `0..<N`.
    static func stratum(_ targets: [Double], bounds: [Double]? = nil, size: SampleSizeLaw) -> PlanBuilder.ParetoStratum {
        PlanBuilder.ParetoStratum(
            department: 0, grade: .b, quota: .ratio(size.expected / Double(targets.count)), entities: Array(targets.indices),
            units: Array(targets.indices), targets: targets, bounds: bounds, size: size, agreed: size.expected,
            shortOfEntities: nil, floored: 0, certainty: targets.filter { $0 == 1 }.count)
    }

    struct Replication {
        var counts: [Int]
        var sizes: [Int: Int] = [:]
        var wrongSize = 0
    }

    /// Draws the stratum `replicates` times and counts selections per unit and sizes; a replicate whose sample
    /// does not have the size its coin gave (or misses a certainty unit) is counted as wrong.
    static func replicate(_ stratum: PlanBuilder.ParetoStratum, purpose: String) -> Replication {
        let ids = stratum.entities.map { "unit-\($0)" }
        var result = Replication(counts: [Int](repeating: 0, count: ids.count))
        let coins = VerifiableRandom(seed: "issue 19 exactness", purpose: purpose + ".size")
            .uniforms(for: (0..<replicates).map { "replicate-\($0)" })
        for r in 0..<replicates {
            let positions = VerifiableRandom(seed: "issue 19 exactness", purpose: purpose + ".replicate-\(r)").uniforms(for: ids)
            // The selection alone: the exact π does not depend on the numbers and is computed once, by the caller.
            let draw = PlanBuilder.selectStratum(stratum, coin: coins[r], positions: positions)
            let certain = stratum.targets.indices.filter { stratum.targets[$0] == 1 && (stratum.bounds?[$0] ?? 1) == 1 }
            if draw.selected.count != draw.size || draw.size != stratum.size.size(coin: coins[r])
                || !certain.allSatisfy(draw.selected.contains) || Set(draw.selected).count != draw.selected.count {
                result.wrongSize += 1
            }
            result.sizes[draw.selected.count, default: 0] += 1
            for unit in draw.selected { result.counts[unit] += 1 }
        }
        return result
    }

    static func fit(_ counts: [Int], _ pi: [Double]) -> (pearson: Double, bound: Double, maxZ: Double) {
        let r = Double(replicates)
        var pearson = 0.0, maxZ = 0.0, cells = 0
        for (count, p) in zip(counts, pi) where p > 0 && p < 1 {
            let deviation = Double(count) - r * p
            pearson += deviation * deviation / (r * p)
            maxZ = max(maxZ, abs(deviation) / (r * p * (1 - p)).squareRoot())
            cells += 1
        }
        return (pearson, ChiSquaredDistribution(degreesOfFreedom: Double(cells - 1)).quantile(0.999), maxZ)
    }

    /// The auditor's skewed design as targets: N = 200, n = 20, two certainty units, one at 0.985, the rest from
    /// 0.0064 to 0.35.
    @Test("an exact size: every replicate has n units, frequencies match the recorded π")
    func exactSizeReplications() {
        let targets = SamplingExactnessTests.skewedProbabilities
        let stratum = Self.stratum(targets, size: SampleSizeLaw(exactly: 20))
        let pi = PlanBuilder.drawStratum(stratum, coin: 0.5, positions: Array(repeating: 0.5, count: 200)).probabilities
        #expect(abs(pi.reduce(0, +) - 20) < 1e-9)
        #expect(pi[57] == 1 && pi[143] == 1)
        let result = Self.replicate(stratum, purpose: "exact")
        #expect(result.wrongSize == 0)
        #expect(result.sizes == [20: Self.replicates])
        let fit = Self.fit(result.counts, pi)
        print("exact size n = 20, \(Self.replicates) replicates: X² = \(fit.pearson) (0.999 quantile \(fit.bound)), max |z| = \(fit.maxZ)")
        #expect(fit.pearson < fit.bound, "X² = \(fit.pearson), 0.999 quantile = \(fit.bound)")
        #expect(fit.maxZ < 4.5, "max |z| = \(fit.maxZ)")
    }

    /// A ratio's randomised size (17 or 18, E n = 17.4) with two certainty units and a quarter of the units under a
    /// yearly-cap bound of 0.3.
    @Test("a randomised size with capped units: sizes as the coin says, frequencies match the recorded π")
    func randomisedSizeWithCapsReplications() {
        var targets = (0..<200).map { exp(3 * Double(($0 * 73) % 197) / 196) }
        let certain: Set = [11, 150]
        let mass = targets.indices.filter { !certain.contains($0) }.reduce(0.0) { $0 + targets[$1] }
        for i in targets.indices { targets[i] = certain.contains(i) ? 1 : 15.4 * targets[i] / mass }
        let bounds = targets.indices.map { $0 % 4 == 0 && !certain.contains($0) ? 0.3 : 1 }
        #expect(zip(targets, bounds).allSatisfy { $0 <= $1 })
        let size = SampleSizeLaw(expected: 17.4)
        let stratum = Self.stratum(targets, bounds: bounds, size: size)
        let pi = PlanBuilder.drawStratum(stratum, coin: 0.5, positions: Array(repeating: 0.5, count: 200)).probabilities
        #expect(abs(pi.reduce(0, +) - 17.4) < 1e-9, "Σπ = \(pi.reduce(0, +))")  // 150 eligible units: never short
        // The bound lowers the capped units' π below their targets taken together, and the others take up the
        // difference (a capped unit with a small target may still end above its own target).
        let capped = pi.indices.filter { bounds[$0] < 1 }, free = pi.indices.filter { bounds[$0] == 1 && targets[$0] < 1 }
        #expect(capped.reduce(0.0) { $0 + pi[$1] } < capped.reduce(0.0) { $0 + targets[$1] })
        #expect(free.reduce(0.0) { $0 + pi[$1] } > free.reduce(0.0) { $0 + targets[$1] })
        let result = Self.replicate(stratum, purpose: "randomised")
        #expect(result.wrongSize == 0)
        #expect(Set(result.sizes.keys) == [17, 18])
        let larger = Double(result.sizes[18] ?? 0), r = Double(Self.replicates)
        #expect(abs(larger - 0.4 * r) / (r * 0.4 * 0.6).squareRoot() < 4.5, "\(larger) of \(r) replicates drew 18")
        let fit = Self.fit(result.counts, pi)
        print("randomised size 17.4 with capped units, \(Self.replicates) replicates: X² = \(fit.pearson) "
            + "(0.999 quantile \(fit.bound)), max |z| = \(fit.maxZ), size 18 in \(Int(larger)) replicates")
        #expect(fit.pearson < fit.bound, "X² = \(fit.pearson), 0.999 quantile = \(fit.bound)")
        #expect(fit.maxZ < 4.5, "max |z| = \(fit.maxZ)")
    }

    // MARK: - The test vectors of RANDOMNESS.md, section 7 (from an independent Python implementation)

    static let vectorSeed = "2026-04-01 lottery 05 11 28 30 33 + 12"
    static let vectorIDs = (0..<8).map { EntityID("91310101MA1FL0A00\($0)") }

    /// One department (`market`), every entity in grade B, targets equal to the given sizes (Σ = ratio · 8, no
    /// floor binds), planned for 2026Q2.
    static func vectorPlan(targets: [Double], ratio: Double, cap: Int?) throws -> Plan {
        let entities = zip(vectorIDs, targets).map { id, target in
            PlanInputs.Entity(id: id, scenario: "shop", probability: ["market": target], grade: ["market": .b])
        }
        let roster = (0..<4).map { Inspector(id: InspectorID("market-\($0)"), department: "market", capPerPeriod: 10) }
        let inputs = PlanInputs(entities: entities, departments: ["market"], scenarios: nil, items: [],
                                quotas: [Quota(department: "market", grade: .b, size: .ratio(ratio))],
                                caps: Caps(byDepartment: cap.map { ["market": $0] } ?? [:]), roster: roster)
        return try PlanBuilder.build(inputs, parameters: PlanParameters(period: Period("2026Q2")!, seed: vectorSeed))
    }

    @Test("test vector: a ratio of 2.5 entities with a certainty unit, no cap")
    func vectorUncapped() throws {
        let targets = [0.05, 0.12, 0.3, 0.5, 0.08, 1.0, 0.2, 0.25]
        let coin = VerifiableRandom(seed: Self.vectorSeed, purpose: "onecheck.plan.2026Q2.size").uniform(entity: "market/B")
        #expect(coin == 0.4569250672173577)
        let prn = VerifiableRandom(seed: Self.vectorSeed, purpose: "onecheck.plan.2026.prn").uniform(entity: Self.vectorIDs[2].rawValue)
        #expect(prn == 0.25447900537460355)
        let plan = try Self.vectorPlan(targets: targets, ratio: 2.5 / 8, cap: nil)
        #expect(plan.checks.map(\.entity.rawValue) == ["91310101MA1FL0A002", "91310101MA1FL0A005", "91310101MA1FL0A007"])
        #expect(plan.reserves["market"]?.map(\.rawValue)
            == ["91310101MA1FL0A001", "91310101MA1FL0A006", "91310101MA1FL0A003", "91310101MA1FL0A000", "91310101MA1FL0A004"])
        let reference = [0.0514386932675661, 0.121151716287521, 0.298109343424276, 0.499373790526429,
                         0.0815319696176779, 1.0, 0.199656379317626, 0.248738107558905]
        for (pi, expected) in zip(plan.inclusion[0].probabilities, reference) {
            #expect(abs(pi - expected) < 1e-10, "π \(pi), independent integral \(expected)")
        }
        #expect(plan.quotaReport[0].exactness?.size == 3 && plan.quotaReport[0].realised == 3)
    }

    @Test("test vector: a yearly cap of 2 bounds the positions at ½")
    func vectorCapped() throws {
        let targets = [0.05, 0.12, 0.3, 0.45, 0.08, 0.45, 0.2, 0.25]
        let plan = try Self.vectorPlan(targets: targets, ratio: 1.9 / 8, cap: 2)
        #expect(plan.checks.map(\.entity.rawValue) == ["91310101MA1FL0A002", "91310101MA1FL0A007"])
        #expect(plan.reserves["market"]?.map(\.rawValue) == ["91310101MA1FL0A001", "91310101MA1FL0A006", "91310101MA1FL0A000"])
        let reference = [0.0764115846749423, 0.1447639863453, 0.29145544389702, 0.388833862117105,
                         0.106960643780695, 0.388833862117105, 0.213571480544569, 0.253622261523264]
        for (pi, expected) in zip(plan.inclusion[0].probabilities, reference) {
            #expect(abs(pi - expected) < 1e-10, "π \(pi), independent integral \(expected)")
        }
        // Σπ = E min(n, eligible) = 1.864453125 exactly: each entity is eligible with probability ½.
        #expect(abs(plan.inclusion[0].probabilities.reduce(0, +) - 1.864453125) < 1e-10)
        #expect(plan.quotaReport[0].exactness?.capped == 3)
    }
}
