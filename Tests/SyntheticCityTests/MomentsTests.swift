import Foundation
import Testing
@testable import SyntheticCity

/// The population moments behind the true model's standardisation, against closed forms.
@Suite("Feature population moments")
struct MomentsTests {
    static let index = FeatureSpec.Index(base: 0.4, size: 0.5, hazard: -0.3, footfall: 0.2, diligence: 0.6, scale: 0.3)

    static func spec(_ family: FeatureSpec.Family, missing: Double = 0) -> FeatureSpec {
        FeatureSpec(name: "x", element: nil, family: family, index: index, decimals: 3, log1p: false,
                    missingRate: missing, risk: 0, credit: 0)
    }

    /// Σₛ wₛ f(mₛ) over the scenario mixture.
    static func mixture(_ f: (Double) -> Double) -> Double {
        let total = ScenarioProfile.city.reduce(0.0) { $0 + $1.weight }
        return ScenarioProfile.city.reduce(0.0) { $0 + $1.weight / total * f(index.mean(in: $1)) }
    }

    static func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-9 * Swift.max(1, abs(b)) }

    @Test("normal: mean of the scenario means, variance τ² plus their spread")
    func normal() {
        let sigma = 0.7
        let tau2 = 0.36 + 0.09 + sigma * sigma
        let m = Self.spec(.normal(sigma: sigma)).populationMoments()
        let mean = Self.mixture { $0 }
        let second = Self.mixture { $0 * $0 + tau2 }
        #expect(Self.close(m.mean, mean))
        #expect(Self.close(m.std, (second - mean * mean).squareRoot()))
        #expect(Self.close(m.rawMean, mean))
    }

    @Test("log-normal: E[x] = Σ w exp(m + τ²/2), E[x²] = Σ w exp(2m + 2τ²)")
    func logNormal() {
        let sigma = 0.5
        let tau2 = 0.36 + 0.09 + sigma * sigma
        let m = Self.spec(.logNormal(sigma: sigma)).populationMoments()
        let mean = Self.mixture { exp($0 + tau2 / 2) }
        let second = Self.mixture { exp(2 * $0 + 2 * tau2) }
        #expect(Self.close(m.mean, mean))
        #expect(Self.close(m.std, (second - mean * mean).squareRoot()))
    }

    @Test("Poisson–log-normal: E[k] = E[λ], E[k²] = E[λ] + E[λ²]")
    func poisson() {
        // A narrow index keeps λ below the generator's cap of 500 over the whole quadrature range, where the
        // closed form (which knows no cap) holds.
        let sigma = 0.3
        var spec = Self.spec(.poisson(sigma: sigma))
        spec.index.diligence = 0.3
        spec.index.scale = 0
        let tau2 = 0.09 + sigma * sigma
        let m = spec.populationMoments()
        let mean = Self.mixture { exp($0 + tau2 / 2) }
        let second = mean + Self.mixture { exp(2 * $0 + 2 * tau2) }
        #expect(Self.close(m.mean, mean))
        #expect(Self.close(m.std, (second - mean * mean).squareRoot()))
    }

    @Test("mean imputation keeps the mean and shrinks the variance by the missing share")
    func missing() {
        let full = Self.spec(.normal(sigma: 1)).populationMoments()
        let holed = Self.spec(.normal(sigma: 1), missing: 0.2).populationMoments()
        #expect(Self.close(holed.mean, full.mean))
        #expect(Self.close(holed.std * holed.std, 0.8 * full.std * full.std))
    }
}
