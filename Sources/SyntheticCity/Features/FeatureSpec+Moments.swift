/// Exact population moments of a feature, from its formula rather than from any sample.
///
/// The true model standardises each feature with the mean and standard deviation of its *population*: the law of
/// the value over a city of infinitely many entities (scenarios in proportion to their weights). Because the
/// latent factors and the noise are independent normals, within scenario `s` the value depends on one normal
/// index `η ~ N(mₛ, τ²)` (see ``FeatureSpec``), so every moment is `Σₛ wₛ ∫ φ(u) h(mₛ + τu) du`. The integral is
/// taken with the trapezoid rule on `u ∈ [−9, 9]` at step 0.05, which for these smooth, Gaussian-weighted
/// integrands is accurate far beyond the six significant digits the model keeps. Poisson counts are summed over
/// their probability mass function up to `λ + 12√λ + 30` (the tail beyond is below 1e-20).
///
/// Rounding of the written values to ``FeatureSpec/decimals`` is ignored: the moments describe the formula.
extension FeatureSpec {
    /// What the true model needs to standardise the feature.
    public struct PopulationMoments: Sendable, Equatable {
        /// Mean of the raw value over entities where it is present — the imputed value for missing ones.
        public var rawMean: Double
        /// Mean of the model's transformed value (`log1p` if the feature uses it), missing values imputed.
        public var mean: Double
        /// Standard deviation of the same.
        public var std: Double
    }

    /// Computes the moments (deterministically: fixed node order, ``CityMath`` arithmetic only).
    public func populationMoments() -> PopulationMoments {
        let scenarios = ScenarioProfile.city
        var totalWeight = 0.0
        for s in scenarios { totalWeight += s.weight }
        let latent = index.diligence * index.diligence + index.scale * index.scale
        let tau = (latent + sigma * sigma).squareRoot()

        // Quadrature nodes and normalised weights, shared by every scenario.
        let step = 0.05
        let count = 361
        var nodes = [Double](repeating: 0, count: count)
        var weights = [Double](repeating: 0, count: count)
        var weightSum = 0.0
        for i in 0..<count {
            let u = -9.0 + Double(i) * step
            nodes[i] = u
            weights[i] = CityMath.exp(-0.5 * u * u)
            weightSum += weights[i]
        }

        var ex = 0.0, et = 0.0, et2 = 0.0
        for scenario in scenarios {
            let m = index.mean(in: scenario)
            var sx = 0.0, st = 0.0, st2 = 0.0
            for i in 0..<count {
                let c = conditionalMoments(at: m + tau * nodes[i])
                sx += weights[i] * c.x
                st += weights[i] * c.t
                st2 += weights[i] * c.t2
            }
            let w = scenario.weight / totalWeight / weightSum
            ex += w * sx; et += w * st; et2 += w * st2
        }
        let imputed = transform(ex)
        let mean = (1 - missingRate) * et + missingRate * imputed
        let second = (1 - missingRate) * et2 + missingRate * imputed * imputed
        let variance = Swift.max(second - mean * mean, 0)
        return PopulationMoments(rawMean: ex, mean: mean, std: variance.squareRoot())
    }

    /// The model-side transform of a raw value: `log1p` or identity.
    func transform(_ x: Double) -> Double { log1p ? CityMath.log(1 + x) : x }

    /// `E[x]`, `E[t]`, `E[t²]` given the index value `η` (noise already folded into `η`, except for the Poisson
    /// draw and the Bernoulli draw, which are summed exactly).
    private func conditionalMoments(at eta: Double) -> (x: Double, t: Double, t2: Double) {
        switch family {
        case .normal:
            let t = transform(eta)
            return (eta, t, t * t)
        case .logNormal:
            let x = CityMath.exp(eta)
            let t = transform(x)
            return (x, t, t * t)
        case .logitNormal:
            let x = CityMath.logistic(eta)
            let t = transform(x)
            return (x, t, t * t)
        case .bernoulli:
            let p = CityMath.logistic(eta)
            let t1 = transform(1)
            return (p, p * t1, p * t1 * t1)
        case .poisson:
            let lambda = Swift.min(CityMath.exp(eta), CityRandom.maximumPoissonMean)
            if !log1p { return (lambda, lambda, lambda + lambda * lambda) }
            var pmf = CityMath.exp(-lambda)
            var t = 0.0, t2 = 0.0
            let last = Int(lambda + 12 * lambda.squareRoot() + 30)
            for k in 0...last {
                if k > 0 { pmf *= lambda / Double(k) }
                let v = transform(Double(k))
                t += pmf * v
                t2 += pmf * v * v
            }
            return (lambda, t, t2)
        }
    }
}
