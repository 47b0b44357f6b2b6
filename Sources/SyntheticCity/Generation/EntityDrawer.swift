import OneCheckUtilities
import Supervision

/// Draws one entity — scenario, district, registration type, features — from its own random stream, and its
/// outcomes (checks by each supervising department, a credit event) from the true model applied to the values as
/// written.
///
/// Stream layout of entity `i` (stream ``CityRandom/Purpose/entity``, index `i`), in order: scenario, district,
/// individual-business flag, the latent factors `d` and `g`, then per feature (file order) a missing flag and its
/// value draws; then per supervising department (lead first) the number of checks and per check its quarter, its
/// result and the element of a finding; finally the credit event. Each step always consumes its draws, present or
/// not, so the layout never depends on earlier values more than documented here.
struct EntityDrawer: Sendable {
    let seed: UInt64
    let model: TrueModel
    let features: [FeatureSpec]
    let kernel: TrueModel.Kernel
    /// ``features`` as plain numbers, for the hot loop (see ``TrueModel/Kernel`` for why).
    private let steps: [Step]

    private struct Step: Sendable {
        enum Kind: Sendable { case normal, logNormal, logitNormal, poisson, bernoulli }
        var kind: Kind
        var sigma: Double
        var diligence: Double
        var scale: Double
        var unitScale: Double
        var missingRate: Double
    }
    private let scenarioWeights: [Double]
    private let districtWeights: [Double]
    private let scenarioMeans: [[Double]] // [scenario][feature] scenario part of each index
    private let scopeDepartments: [[Int]] // [scenario] department indices, lead first
    private let leadRate = 0.6
    private let partnerRate = 0.35
    private let elementWeights: [[Double]] // [department] focus per element
    private let individualShares: [Double] // [scenario]
    private let divisions: [Int] // [district] division code
    private let codeMultiplier: UInt64
    private let codeOffset: UInt64

    init(seed: UInt64, model: TrueModel = .standard) {
        self.seed = seed
        self.model = model
        let features = model.columns.map(\.feature)
        self.features = features
        kernel = TrueModel.Kernel(model)
        steps = features.map { f in
            let kind: Step.Kind
            switch f.family {
            case .normal: kind = .normal
            case .logNormal: kind = .logNormal
            case .logitNormal: kind = .logitNormal
            case .poisson: kind = .poisson
            case .bernoulli: kind = .bernoulli
            }
            return Step(kind: kind, sigma: f.sigma, diligence: f.index.diligence, scale: f.index.scale,
                        unitScale: f.unitScale, missingRate: f.missingRate)
        }
        scenarioWeights = ScenarioProfile.city.map(\.weight)
        districtWeights = DistrictProfile.city.map(\.weight)
        scenarioMeans = ScenarioProfile.city.map { s in features.map { f in f.index.mean(in: s) } }
        scopeDepartments = CityCatalogue.departmentsByScenario
        elementWeights = DepartmentProfile.city.map(\.elementFocus)
        individualShares = ScenarioProfile.city.map(\.individualShare)
        divisions = DistrictProfile.city.map(\.division)
        // The organisation-code body of entity i is (a·i + b) mod 10⁸ with a coprime to 10: a bijection, so
        // codes never collide, and the seed decides which codes the city uses.
        var r = CityRandom(seed: seed, purpose: .codes)
        var a = r.next() % 100_000_000
        while a % 2 == 0 || a % 5 == 0 { a = (a + 1) % 100_000_000 }
        codeMultiplier = a
        codeOffset = r.next() % 100_000_000
    }

    /// What is known about an entity besides its feature units.
    struct Basics: Sendable {
        var scenario: Int
        var district: Int
        var individual: Bool
    }

    /// The entity's 18-byte credit code.
    func code(index: Int, district: Int, individual: Bool) -> [UInt8] {
        let body = (codeMultiplier &* UInt64(index) &+ codeOffset) % 100_000_000
        return CreditCode.make(authority: UInt8(ascii: "9"), type: UInt8(ascii: individual ? "2" : "1"),
                               division: divisions[district], organisationBody: Int(body))
    }

    /// Draws entity `index` into `units` (one per feature; ``TrueModel/missingUnits`` when empty) and returns its
    /// basics and the stream positioned for the outcome draws.
    func drawEntity(index: Int, units: UnsafeMutableBufferPointer<Int64>) -> (Basics, CityRandom) {
        var rng = CityRandom(seed: seed, purpose: .entity, index: UInt64(index))
        let scenario = rng.nextIndex(weights: scenarioWeights)
        let district = rng.nextIndex(weights: districtWeights)
        let individual = rng.nextBernoulli(individualShares[scenario])
        let d = rng.nextNormal()
        let g = rng.nextNormal()
        scenarioMeans[scenario].withUnsafeBufferPointer { means in
            steps.withUnsafeBufferPointer { steps in
                for i in 0..<steps.count {
                    let f = steps[i]
                    let missing = rng.nextBernoulli(f.missingRate)
                    let eta = means[i] + f.diligence * d + f.scale * g
                    let x: Double
                    switch f.kind {
                    case .normal:
                        x = eta + f.sigma * rng.nextNormal()
                    case .logNormal:
                        x = CityMath.exp(eta + f.sigma * rng.nextNormal())
                    case .logitNormal:
                        x = CityMath.logistic(eta + f.sigma * rng.nextNormal())
                    case .poisson:
                        let lambda = Swift.min(CityMath.exp(eta + f.sigma * rng.nextNormal()), CityRandom.maximumPoissonMean)
                        x = Double(rng.nextPoisson(lambda))
                    case .bernoulli:
                        x = rng.nextBernoulli(CityMath.logistic(eta)) ? 1 : 0
                    }
                    units[i] = missing ? TrueModel.missingUnits : Int64((x * f.unitScale).rounded(.toNearestOrEven))
                }
            }
        }
        return (Basics(scenario: scenario, district: district, individual: individual), rng)
    }

    /// One check of the history.
    struct HistoryCheck: Sendable {
        var department: Int
        var quarter: Int
        var found: Bool
        var element: Element?
    }

    /// Draws the entity's checks over the history window, given its risk-head probabilities (by department), and
    /// appends them to `checks` grouped by department (lead first), each department's checks in quarter order.
    ///
    /// Checks per department per year are Poisson with mean `rate·(0.5 + 2p)` (lead rate 0.6, partner 0.35):
    /// departments already aim at riskier entities, which depends on the features only, so it does not bias a
    /// fit of `found` on the features. Each check finds a problem with probability `p`, independently; a finding
    /// is recorded under an element drawn in proportion to the department's focus.
    func drawChecks(scenario: Int, probabilities: UnsafeBufferPointer<Double>, rng: inout CityRandom,
                    into checks: inout [HistoryCheck]) {
        for (k, dep) in scopeDepartments[scenario].enumerated() {
            let p = probabilities[dep]
            let rate = (k == 0 ? leadRate : partnerRate) * (0.5 + 2 * p)
            let n = rng.nextPoisson(rate)
            let start = checks.count
            for _ in 0..<n {
                let quarter = rng.uniform(below: CityCalendar.historyPeriods.count)
                let found = rng.nextBernoulli(p)
                let element = Element.allCases[rng.nextIndex(weights: elementWeights[dep])]
                // Insertion keeps the department's checks in quarter order (n is small), stable for ties.
                var j = checks.count
                checks.append(HistoryCheck(department: dep, quarter: quarter, found: found, element: found ? element : nil))
                while j > start && checks[j - 1].quarter > quarter {
                    checks.swapAt(j - 1, j)
                    j -= 1
                }
            }
        }
    }
}
