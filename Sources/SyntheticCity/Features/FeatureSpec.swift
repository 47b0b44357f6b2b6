import Supervision

/// How one numeric column of `entities.csv` is drawn — the generative formula the true model is built on.
///
/// Every feature is driven by a *linear index*
/// `η = base + Σ coefficient·profile(scenario) + diligence·d + scale·g`,
/// where `d` (management diligence: higher is better run) and `g` (business scale) are two independent standard
/// normal latent factors per entity, shared by all its features (they make the features correlated like real ones).
/// The ``Family`` then turns `η` (plus independent noise `σ·z` where it has `σ`) into a value:
///
/// | family | value |
/// |---|---|
/// | `normal(σ)` | `η + σz` |
/// | `logNormal(σ)` | `exp(η + σz)` (right-skewed amounts) |
/// | `logitNormal(σ)` | `logistic(η + σz)` (shares and rates in (0, 1)) |
/// | `poisson(σ)` | `K ~ Poisson(min(exp(η + σz), 500))`, a Poisson–lognormal count (over-dispersed; σ = 0 is plain Poisson) |
/// | `bernoulli` | `1` with probability `logistic(η)`, else `0` |
///
/// The value is then rounded to ``decimals`` places (what the file holds) and, with probability ``missingRate``,
/// left empty instead. Because `d`, `g` and `z` are independent normals, the marginal law of a feature within a
/// scenario depends on one normal index with standard deviation `τ = √(diligence² + scale² + σ²)`, which is what
/// makes the population moments in ``FeatureSpec/populationMoments()`` an exact one-dimensional integral.
public struct FeatureSpec: Sendable {
    public var name: String
    /// The element the feature describes; nil for credit history and check history.
    public var element: Element?
    public var family: Family
    public var index: Index
    /// Decimal places written to the file.
    public var decimals: Int
    /// Whether the model transform applies `log1p` (skewed counts and amounts).
    public var log1p: Bool
    /// Probability that the value is missing (an empty field), independent of everything else.
    public var missingRate: Double
    /// The true risk heads' weight per standardised unit before the department's element focus is applied:
    /// positive when a higher value means a higher chance that a check finds a problem.
    public var risk: Double
    /// The true credit head's weight per standardised unit.
    public var credit: Double

    public enum Family: Sendable, Equatable {
        case normal(sigma: Double)
        case logNormal(sigma: Double)
        case logitNormal(sigma: Double)
        case poisson(sigma: Double)
        case bernoulli
    }

    /// The coefficients of the linear index on the scenario profile and the two latent factors.
    public struct Index: Sendable {
        public var base: Double
        public var size = 0.0
        public var hazard = 0.0
        public var food = 0.0
        public var footfall = 0.0
        public var product = 0.0
        public var diligence = 0.0
        public var scale = 0.0

        /// The scenario part of the index: `base + Σ coefficient·latent`, with the scenario's latent axes.
        public func mean(in scenario: ScenarioProfile) -> Double {
            let p = scenario.latent
            return base + size * p.size + hazard * p.hazard + food * p.food + footfall * p.footfall + product * p.product
        }
    }

    /// The noise standard deviation the family adds inside the index (0 for Bernoulli).
    public var sigma: Double {
        switch family {
        case let .normal(s), let .logNormal(s), let .logitNormal(s), let .poisson(s): return s
        case .bernoulli: return 0
        }
    }

    /// `10^decimals`, the scale of the stored integer units.
    public var unitScale: Double { CityMath.powerOfTen(decimals) }
}

extension CityMath {
    /// `10ⁿ` for `0 ≤ n ≤ 22`, exact.
    static func powerOfTen(_ n: Int) -> Double {
        var x = 1.0
        for _ in 0..<n { x *= 10 }
        return x
    }
}
