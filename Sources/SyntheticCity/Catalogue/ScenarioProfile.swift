import Supervision

/// How the generator draws the entities of one scenario: its directory record (``Scenario``) and what only the
/// generator needs — how common the scenario is, how many of its entities are individual businesses, and where it
/// sits on the latent axes the feature distributions depend on.
///
/// The latent axes let a construction site have more staff and special equipment than a beauty salon without a
/// table of hand-set numbers per feature and scenario (see ``FeatureSpec/Index/mean(in:)``).
public struct ScenarioProfile: Hashable, Sendable {
    /// The scenario as scenarios.csv writes it.
    public var scenario: Scenario
    /// Share of the city's entities in this scenario (relative weight; the city's weights sum to 100).
    public var weight: Double
    /// Share of entities registered as individual businesses (type code `2` in the credit code), the rest
    /// enterprises (`1`).
    public var individualShare: Double
    public var latent: Latent

    /// Latent axes, roughly on a −1…2.5 scale: business size, physical hazard, food handling (0/1), customer
    /// footfall, and exposure to product-quality rules.
    public struct Latent: Hashable, Sendable {
        public var size: Double
        public var hazard: Double
        public var food: Double
        public var footfall: Double
        public var product: Double

        public init(size: Double, hazard: Double, food: Double, footfall: Double, product: Double) {
            self.size = size
            self.hazard = hazard
            self.food = food
            self.footfall = footfall
            self.product = product
        }
    }

    public init(scenario: Scenario, weight: Double, individualShare: Double, latent: Latent) {
        self.scenario = scenario
        self.weight = weight
        self.individualShare = individualShare
        self.latent = latent
    }
}

extension ScenarioProfile {
    private static func s(_ code: ScenarioCode, _ name: String, lead: DepartmentCode, _ partners: [DepartmentCode],
                          weight: Double, individual: Double, size: Double, hazard: Double, food: Double,
                          footfall: Double, product: Double) -> ScenarioProfile {
        ScenarioProfile(scenario: Scenario(code: code, name: name, lead: lead, partners: partners), weight: weight,
                        individualShare: individual,
                        latent: Latent(size: size, hazard: hazard, food: food, footfall: footfall, product: product))
    }

    /// The city's thirteen scenarios in their fixed order (weights sum to 100).
    public static let city: [ScenarioProfile] = [
        s("restaurant", "Restaurant", lead: "market", ["fire", "environment", "urban"], weight: 30,
          individual: 0.55, size: 0.0, hazard: 0.5, food: 1, footfall: 1.5, product: 1.0),
        s("supermarket", "Supermarket and convenience store", lead: "market", ["fire", "urban"], weight: 12,
          individual: 0.35, size: 0.5, hazard: 0.2, food: 1, footfall: 1.8, product: 1.5),
        s("beauty_salon", "Beauty and hair salon", lead: "health", ["market", "fire"], weight: 10,
          individual: 0.6, size: -0.5, hazard: 0.1, food: 0, footfall: 1.0, product: 0.6),
        s("hotel", "Hotel and guest house", lead: "health", ["fire", "market"], weight: 6,
          individual: 0.15, size: 1.0, hazard: 0.6, food: 0, footfall: 1.2, product: 0.3),
        s("auto_repair", "Motor-vehicle repair shop", lead: "environment", ["fire", "urban", "emergency"], weight: 6,
          individual: 0.4, size: 0.0, hazard: 1.3, food: 0, footfall: 0.3, product: 0.4),
        s("pharmacy", "Retail pharmacy", lead: "market", ["health"], weight: 6,
          individual: 0.1, size: -0.2, hazard: 0.1, food: 0, footfall: 1.0, product: 2.0),
        s("training_school", "Off-campus training institution", lead: "education", ["fire", "market"], weight: 6,
          individual: 0.05, size: 0.3, hazard: 0.2, food: 0, footfall: 1.1, product: 0.0),
        s("small_factory", "Small manufacturing workshop", lead: "emergency", ["environment", "fire", "market"],
          weight: 8, individual: 0.1, size: 1.3, hazard: 1.6, food: 0, footfall: 0.0, product: 1.2),
        s("construction_site", "Construction site", lead: "construction", ["environment", "urban", "emergency", "fire"],
          weight: 5, individual: 0.0, size: 2.0, hazard: 2.0, food: 0, footfall: 0.2, product: 0.2),
        s("kindergarten", "Kindergarten", lead: "education", ["health", "fire", "market"], weight: 4,
          individual: 0.0, size: 0.6, hazard: 0.3, food: 1, footfall: 0.8, product: 0.2),
        s("gas_station", "Filling station", lead: "emergency", ["fire", "market", "environment"], weight: 2,
          individual: 0.0, size: 0.4, hazard: 2.4, food: 0, footfall: 1.0, product: 1.0),
        s("hazchem_store", "Hazardous-chemicals store", lead: "emergency", ["fire", "environment", "market"], weight: 2,
          individual: 0.05, size: 0.0, hazard: 2.5, food: 0, footfall: 0.2, product: 1.3),
        s("swimming_pool", "Swimming pool and bath house", lead: "health", ["emergency", "fire", "market"], weight: 3,
          individual: 0.1, size: 0.6, hazard: 0.9, food: 0, footfall: 1.3, product: 0.2),
    ]
}
