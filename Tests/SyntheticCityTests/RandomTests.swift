import Foundation
import OneCheckUtilities
import Testing
@testable import SyntheticCity

@Suite("Seeded random streams and their distributions")
struct RandomTests {
    @Test("SplitMix64 matches its published first output for seed 0")
    func splitMixReference() {
        var s = SplitMix64(seed: 0)
        #expect(s.next() == 0xE220_A839_7B1D_CDAF)
    }

    @Test("streams are reproducible and distinct per purpose and index")
    func streams() {
        var a = CityRandom(seed: 42, purpose: .entity, index: 5)
        var b = CityRandom(seed: 42, purpose: .entity, index: 5)
        var c = CityRandom(seed: 42, purpose: .entity, index: 6)
        var d = CityRandom(seed: 42, purpose: .roster, index: 5)
        let xa = (0..<8).map { _ in a.next() }
        #expect(xa == (0..<8).map { _ in b.next() })
        #expect(xa != (0..<8).map { _ in c.next() })
        #expect(xa != (0..<8).map { _ in d.next() })
    }

    @Test("uniform indices pass a chi-square test")
    func uniformIndices() {
        var rng = CityRandom(seed: 1)
        let k = 10, n = 100_000
        var counts = [Int](repeating: 0, count: k)
        for _ in 0..<n { counts[rng.uniform(below: k)] += 1 }
        let expected = Double(n) / Double(k)
        let x2 = counts.reduce(0.0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
        #expect(x2 < 27.88) // chi-square(9) 0.999 quantile
    }

    @Test("normal deviates have mean 0 and variance 1 within 4 standard errors")
    func normal() {
        var rng = CityRandom(seed: 2)
        let n = 200_000
        var s = 0.0, s2 = 0.0
        for _ in 0..<n { let z = rng.nextNormal(); s += z; s2 += z * z }
        let mean = s / Double(n), variance = s2 / Double(n) - mean * mean
        #expect(abs(mean) < 4 / Double(n).squareRoot())
        #expect(abs(variance - 1) < 4 * (2 / Double(n)).squareRoot()) // Var(s²) ≈ 2σ⁴/n
    }

    @Test("Poisson counts have mean and variance λ within 4 standard errors", arguments: [0.3, 4.0, 60.0])
    func poisson(lambda: Double) {
        var rng = CityRandom(seed: 3)
        let n = 100_000
        var s = 0.0, s2 = 0.0
        for _ in 0..<n { let k = Double(rng.nextPoisson(lambda)); s += k; s2 += k * k }
        let mean = s / Double(n), variance = s2 / Double(n) - mean * mean
        #expect(abs(mean - lambda) < 4 * (lambda / Double(n)).squareRoot())
        // Var of the sample variance of a Poisson: (λ + 2λ²)/n.
        #expect(abs(variance - lambda) < 4 * ((lambda + 2 * lambda * lambda) / Double(n)).squareRoot())
    }

    @Test("CityMath exp, log and logistic agree with the platform to 4e-16 relative")
    func mathAccuracy() {
        var rng = CityRandom(seed: 4)
        for _ in 0..<20_000 {
            let x = (rng.unitInterval() - 0.5) * 1400 // −700…700
            let e = CityMath.exp(x)
            #expect(abs(e - Foundation.exp(x)) <= 4e-16 * Foundation.exp(x), "exp(\(x))")
            let y = Foundation.exp((rng.unitInterval() - 0.5) * 1400)
            #expect(abs(CityMath.log(y) - Foundation.log(y)) <= 4e-16 * Swift.max(1, abs(Foundation.log(y))), "log(\(y))")
        }
        #expect(CityMath.exp(0) == 1)
        #expect(CityMath.log(1) == 0)
        #expect(CityMath.exp(-800) == 0)
        #expect(CityMath.exp(800) == .infinity)
        #expect(CityMath.log(0) == -.infinity)
        #expect(CityMath.log(-1).isNaN)
        #expect(abs(CityMath.logistic(2) - 1 / (1 + Foundation.exp(-2))) < 1e-15)
        #expect(CityMath.logistic(-800) == 0)
    }
}
