import Scoring

/// A small model exercising every transform: numeric (log1p, clip, standardise, imputed with indicator),
/// one-hot with reference and unseen bin, categorical WOE, numeric bins → WOE; two heads and a class.
enum Fixtures {
    static func model() -> ScoringModel {
        let features: [ScoringModel.Feature] = [
            .init(name: "staff", element: "people",
                  numeric: .init(log1p: true, clipMax: 5, mean: 2, std: 0.5)),
            .init(name: "age", column: "equipment_age",
                  numeric: .init(mean: 10, std: 4, missing: .impute, imputeValue: 10, indicator: true)),
            .init(name: "scenario",
                  categorical: .init(encoding: .oneHot, levels: ["restaurant", "hotel", "pharmacy"],
                                     reference: "restaurant", unseen: .bin)),
            .init(name: "district",
                  categorical: .init(encoding: .woe, levels: ["D01", "D02"], woe: [0.3, -0.2], unseen: .bin,
                                     unseenWoe: 0)),
            .init(name: "complaints", binned: .init(cuts: [1, 3], woe: [-0.5, 0.1, 0.9], missingWoe: 0)),
        ]
        // design: staff, age, age:missing, scenario=hotel, scenario=pharmacy, scenario=(unseen), district:woe, complaints:woe
        let credit = ScoringModel.Head(
            name: "credit", link: .logistic, intercept: -2,
            weights: ["staff": 0.4, "age": 0.3, "age:missing": 0.5, "scenario=hotel": -0.2,
                      "scenario=pharmacy": 0.1, "scenario=(unseen)": 0.7, "district:woe": 1, "complaints:woe": 1],
            points: .init(basePoints: 600, baseOdds: 50, pointsToDoubleOdds: 20),
            grades: .init(measure: .points, cuts: [640, 600, 560]))
        let fire = ScoringModel.Head(
            name: "risk_fire", department: "fire", link: .logistic, intercept: -1.5,
            weights: ["staff": 0.1, "age": 0.8, "age:missing": 0, "scenario=hotel": 0.6,
                      "scenario=pharmacy": -0.3, "scenario=(unseen)": 0, "district:woe": 0.5, "complaints:woe": 0.2],
            grades: .init(measure: .probability, cuts: [0.1, 0.2, 0.4]))
        return ScoringModel(name: "fixture", idColumn: "entity_id", features: features, heads: [credit, fire],
                            supervisionClass: .init(rule: .worst, heads: ["credit", "risk_fire"]))
    }
}
