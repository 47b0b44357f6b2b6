import Testing
@testable import Planning

/// Reference values from SciPy 1.17 (`scipy.stats.chi2.ppf` / `.cdf`), an independent implementation.
@Suite("Chi-squared distribution")
struct ChiSquaredDistributionTests {
    @Test("0.999 quantiles match SciPy", arguments: [
        (1.0, 10.827566170662733), (2.0, 13.815510557964274), (10.0, 29.58829844507442),
        (100.0, 149.44925277903886), (196.0, 262.91965381340265), (1000.0, 1143.9170926196791),
    ])
    func upperQuantiles(degrees: Double, expected: Double) {
        let q = ChiSquaredDistribution(degreesOfFreedom: degrees).quantile(0.999)
        #expect(abs(q - expected) <= 1e-9 * expected)
    }

    @Test("central and lower quantiles match SciPy")
    func otherQuantiles() {
        #expect(abs(ChiSquaredDistribution(degreesOfFreedom: 3).quantile(0.5) - 2.3659738843753377) < 1e-9)
        #expect(abs(ChiSquaredDistribution(degreesOfFreedom: 5).quantile(0.001) - 0.2102126026292192) < 1e-9)
    }

    @Test("CDF matches SciPy on both sides of the series/continued-fraction switch")
    func cumulative() {
        #expect(abs(ChiSquaredDistribution(degreesOfFreedom: 100).cumulativeProbability(150) - 0.9990960679576459) < 1e-12)
        #expect(abs(ChiSquaredDistribution(degreesOfFreedom: 196).cumulativeProbability(150) - 0.0061999384195869514) < 1e-13)
    }
}
