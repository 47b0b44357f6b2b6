import Foundation
@testable import Planning
import CKernels
import Testing
import TestSupport

/// Pareto πps: the exact inclusion probabilities against an independent computation and against simulation.
@Suite("Pareto order sampling")
struct ParetoSamplingTests {
    /// π by brute force: for each unit, the distribution of the others' count by a full recursion at every node —
    /// no tilting, no windows, no deconvolution series — integrated as a Stieltjes integral ∫ L dF over
    /// log t ∈ [−45, 45] with 24-node Gauss–Legendre panels ¼ wide whose ends include every kink of a bound.
    static func bruteForce(_ targets: [Double], bounds: [Double], n: Int) -> [Double] {
        func F(_ i: Int, _ x: Double) -> Double {
            if targets[i] >= 1 { return bounds[i] }
            let o = targets[i] / (1 - targets[i]) * exp(x)
            return min(o / (1 + o), bounds[i])
        }
        func dF(_ i: Int, _ x: Double) -> Double {
            if targets[i] >= 1 { return 0 }
            let o = targets[i] / (1 - targets[i]) * exp(x)
            let p = o / (1 + o)
            return p < bounds[i] ? p * (1 - p) : 0
        }
        var breaks = Array(stride(from: -45.0, through: 45.0, by: 0.25))
        for i in targets.indices where bounds[i] < 1 && targets[i] < 1 {
            breaks.append(log(bounds[i] / (1 - bounds[i]) / (targets[i] / (1 - targets[i]))))
        }
        breaks = breaks.filter { $0 >= -45 && $0 <= 45 }.sorted()
        let rule = GaussLegendre(nodes: 24)
        return targets.indices.map { i in
            func others(_ x: Double) -> Double {
                var pmf = [1.0]
                for j in targets.indices where j != i {
                    let p = F(j, x)
                    var next = [Double](repeating: 0, count: pmf.count + 1)
                    for (k, m) in pmf.enumerated() { next[k] += (1 - p) * m; next[k + 1] += p * m }
                    pmf = next
                }
                return pmf.prefix(n).reduce(0, +)
            }
            if targets[i] >= 1 { return bounds[i] * others(-45) }
            var total = F(i, -45) * others(-45)
            for (a, b) in zip(breaks, breaks.dropFirst()) where b > a {
                for (x, w) in rule.on(a, b) { total += w * dF(i, x) * others(x) }
            }
            return total
        }
    }

    /// The count's recursion filters eight counts per step on AVX2 (``PoissonBinomialWindow/threeTap(from:to:range:_:_:_:)``,
    /// CKernels' `onecheck_three_tap`): every output is bit for bit the scalar expression `c0·a[k] + c1·a[k−1] +
    /// c2·a[k−2]` — lanes and tail alike, on ranges of every length mod 8, with tiny and subnormal values, on the
    /// dispatched path and the portable one — so π and the plans do not move by a bit on any CPU.
    @Test func windowFilterIsTheScalarExpressionBitForBit() {
        var state: UInt64 = 7
        func next() -> UInt64 {  // a 64-bit LCG's high bits: any fixed spread of values serves
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state
        }
        for length in 0..<40 {
            let a = (0..<(length + 2)).map { k -> Double in
                let u = Double(next() >> 11) / Double(1 << 53)
                return k % 7 == 3 ? u * 1e-310 : u * pow(10, -Double(next() % 200))
            }
            let c = (0..<3).map { _ in Double(next() >> 11) / Double(1 << 53) }
            var source = a, output = [Double](repeating: .nan, count: a.count)
            source.withUnsafeMutableBufferPointer { s in
                output.withUnsafeMutableBufferPointer { o in
                    PoissonBinomialWindow.threeTap(from: s.baseAddress!, to: o.baseAddress!, range: 2..<(length + 2),
                                                   c[0], c[1], c[2])
                }
            }
            var portable = [Double](repeating: .nan, count: a.count)
            portable.withUnsafeMutableBufferPointer { o in
                onecheck_three_tap_portable(a, o.baseAddress!, 2, length + 2, c[0], c[1], c[2])
            }
            for k in 2..<(length + 2) {
                let scalar = c[0] * a[k] + c[1] * a[k - 1] + c[2] * a[k - 2]
                #expect(output[k].bitPattern == scalar.bitPattern, "length \(length), count \(k)")
                #expect(portable[k].bitPattern == scalar.bitPattern, "portable, length \(length), count \(k)")
            }
            #expect(output[0].isNaN && output[1].isNaN, "nothing written below the range")
            #expect(portable[0].isNaN && portable[1].isNaN && output.count == a.count)
        }
    }

    @Test func matchesBruteForceOnSkewedStrata() {
        var rng = SeededGenerator(seed: 19)
        let cases: [(targets: [Double], n: Int)] = [
            ([0.9, 0.5, 0.3, 0.2, 0.1], 2),
            ((0..<12).map { _ in Double.random(in: 0.01...0.6, using: &rng) }, 0),
            ([0.05, 0.05, 0.1, 0.2, 0.6, 0.95, 0.05, 1.0], 0),
        ]
        for (raw, given) in cases {
            let n = given > 0 ? given : Int(raw.reduce(0, +).rounded())
            let scale = Double(n) / raw.reduce(0, +)
            let targets = raw.map { min(1, $0 * scale) }
            let bounds = [Double](repeating: 1, count: targets.count)
            let exact = ParetoSampling.inclusionProbabilities(targets: targets, sampleSize: n)
            let reference = Self.bruteForce(targets, bounds: bounds, n: n)
            for i in targets.indices {
                #expect(abs(exact[i] - reference[i]) < 1e-10, "unit \(i): \(exact[i]) vs \(reference[i])")
            }
            #expect(abs(exact.reduce(0, +) - Double(n)) < 1e-9, "Σπ = \(exact.reduce(0, +)), n = \(n)")
        }
    }

    @Test func boundedUnitsMatchBruteForce() {
        let targets = [0.24, 0.22, 0.1, 0.05, 0.3, 0.09, 1.0]
        let bounds = [0.25, 0.25, 1, 1, 0.32, 0.5, 0.8]
        let n = 2
        let exact = ParetoSampling.inclusionProbabilities(targets: targets, bounds: bounds, sampleSize: n)
        let reference = Self.bruteForce(targets, bounds: bounds, n: n)
        for i in targets.indices {
            #expect(abs(exact[i] - reference[i]) < 1e-10, "unit \(i): \(exact[i]) vs \(reference[i])")
        }
    }

    /// Simulation: every replicate has exactly n units, and each unit's frequency agrees with π (|z| < 4.5).
    @Test func simulationAgreesWithExactProbabilities() {
        var rng = SeededGenerator(seed: 2026)
        let count = 300, n = 30
        var sizes = (0..<count).map { _ in exp(2 * Double.random(in: 0...1, using: &rng)) }
        sizes[0] = 400  // a certainty unit after capping
        let inclusion = try! InclusionProbabilities.proportionalToSize(sizes, sampleSize: Double(n))
        let targets = inclusion.values
        let exact = ParetoSampling.inclusionProbabilities(targets: targets, sampleSize: n)
        #expect(exact[0] == 1)
        let replicates = 20_000
        var hits = [Int](repeating: 0, count: count)
        for _ in 0..<replicates {
            let u = (0..<count).map { _ in Double.random(in: 0..<1, using: &rng) }
            let drawn = ParetoSampling.select(targets: targets, positions: u, sampleSize: n)
            #expect(drawn.count == n)
            for i in drawn { hits[i] += 1 }
        }
        var worst = 0.0
        for i in 0..<count where exact[i] < 1 {
            let z = (Double(hits[i]) - Double(replicates) * exact[i])
                / (Double(replicates) * exact[i] * (1 - exact[i])).squareRoot()
            worst = max(worst, abs(z))
        }
        #expect(worst < 4.5, "largest |z| \(worst)")
    }

    @Test func largeStratumSumsToTheSampleSize() {
        var rng = SeededGenerator(seed: 7)
        let count = 20_000, n = 600
        let sizes = (0..<count).map { _ in exp(Double.random(in: -1...1, using: &rng)) }
        let targets = try! InclusionProbabilities.proportionalToSize(sizes, sampleSize: Double(n)).values
        let exact = ParetoSampling.inclusionProbabilities(targets: targets, sampleSize: n)
        #expect(abs(exact.reduce(0, +) - Double(n)) < 1e-8, "Σπ = \(exact.reduce(0, +))")
        #expect(exact.allSatisfy { $0 > 0 && $0 < 1 })
    }

    /// A size decided by randomised rounding: π is the mixture of the two sizes' designs, computed as one integral.
    @Test("a randomised size gives the mixture of its two sizes' π", arguments: 0..<5)
    func randomisedSizeMatchesBruteForce(variant: Int) {
        let cases: [(targets: [Double], bounds: [Double], expected: Double)] = [
            ([0.9, 0.5, 0.3, 0.2, 0.1, 1.0, 0.05, 0.32], [1, 1, 1, 1, 1, 1, 1, 1], 3.37),
            ([0.1, 0.05, 0.08, 0.12, 0.05], [1, 1, 1, 1, 1], 0.4),                        // n = 0 or 1
            ([0.24, 0.22, 0.1, 0.05, 0.3, 0.09, 1.0], [0.25, 0.25, 1, 1, 0.32, 0.5, 0.8], 2.0 + 0.61),
            ([0.9, 0.8, 0.8], [1, 1, 1], 2.5),                                            // n + 1 takes every unit
            ([0.4, 0.35, 0.45, 0.3], [0.5, 0.5, 0.5, 0.5], 1.5),                          // every unit bounded
        ]
        let (targets, bounds, expected) = cases[variant]
        let law = SampleSizeLaw(expected: expected)
        #expect(law.upperProbability > 0)
        let exact = ParetoSampling.inclusionProbabilities(targets: targets, bounds: bounds, size: law)
        let low = Self.bruteForce(targets, bounds: bounds, n: law.lower)
        let high = Self.bruteForce(targets, bounds: bounds, n: law.lower + 1)
        for i in targets.indices {
            let reference = (1 - law.upperProbability) * low[i] + law.upperProbability * high[i]
            #expect(abs(exact[i] - reference) < 1e-10, "case \(variant), unit \(i): \(exact[i]) vs \(reference)")
        }
        if bounds.allSatisfy({ $0 == 1 }) {
            #expect(abs(exact.reduce(0, +) - expected) < 1e-9, "Σπ = \(exact.reduce(0, +)), E n = \(expected)")
        }
    }

    /// An exact size through the law is the integer-size computation, bit for bit.
    @Test func exactLawIsTheIntegerSize() {
        let targets = [0.9, 0.5, 0.3, 0.2, 0.1]
        #expect(ParetoSampling.inclusionProbabilities(targets: targets, size: SampleSizeLaw(exactly: 2))
            == ParetoSampling.inclusionProbabilities(targets: targets, sampleSize: 2))
        #expect(SampleSizeLaw(expected: 0.03 * 3800) == SampleSizeLaw(exactly: 114))
        let law = SampleSizeLaw(expected: 0.03 * 3808)
        #expect(law.lower == 114 && abs(law.upperProbability - 0.24) < 1e-9)
        #expect(law.size(coin: 0.2399) == 115 && law.size(coin: 0.2401) == 114)
    }
}
