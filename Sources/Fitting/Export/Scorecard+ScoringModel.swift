import Scoring

extension Scorecard {
    /// The scorecard as a model file that `onecheck score` reads unchanged.
    ///
    /// Numeric features become `binned` transforms (cut points and WOE per bin, the missing bin as `missingWoe`);
    /// categorical features become `categorical` WOE transforms listing every training level with its group's
    /// WOE, unseen levels scoring WOE 0 (`unseen: bin`), as ``FeatureBins/woeValues(_:)`` does. The head is
    /// logistic with the WOE regression's intercept and one weight per `feature:woe` design column, the points
    /// scaling, and optionally grade bands on points.
    public func scoringModel(name: String, idColumn: String, headName: String = "credit",
                             grades: ScoringModel.GradeBands? = nil, description: String? = nil) -> ScoringModel {
        var features: [ScoringModel.Feature] = []
        var weights: [String: Double] = [:]
        for (f, bins) in self.bins.enumerated() {
            switch bins {
            case let .numeric(b):
                let intervals = Array(b.woe.prefix(b.cutPoints.count + 1))
                features.append(.init(name: b.feature, binned: .init(cuts: b.cutPoints, woe: intervals,
                                                                      missingWoe: b.missingBin.map { b.woe[$0] })))
            case let .categorical(g):
                var levels: [String] = [], woe: [Double] = []
                for (k, group) in g.groups.enumerated() { for level in group { levels.append(level); woe.append(g.woe[k]) } }
                features.append(.init(name: g.feature, categorical: .init(encoding: .woe, levels: levels, woe: woe,
                                                                           unseen: .bin, unseenWoe: 0)))
            }
            weights["\(bins.feature):woe"] = model.coefficients[f + 1]
        }
        let head = ScoringModel.Head(
            name: headName, link: .logistic, intercept: model.coefficients[0], weights: weights,
            points: scaling, grades: grades)
        return ScoringModel(name: name, description: description, idColumn: idColumn, features: features, heads: [head])
    }
}

extension DummyDesign {
    /// A logistic fit on this design as a model file: numeric features with the same fill value (`missing:
    /// impute`, `imputeValue`, `indicator`) and standardisation (`mean`, `std`) as ``matrix(_:rows:)``, and the
    /// training range (`trainingMin`, `trainingMax`, schema version 2) that reasons need; categorical
    /// ones one-hot with the same reference level; an unseen level gets the `name=(unseen)` column with weight 0,
    /// i.e. it scores as the reference level, as ``matrix(_:rows:)`` encodes it.
    /// - Precondition: `fit` was fitted on ``matrix(_:rows:)`` of this design (same columns, intercept first).
    public func scoringModel(_ fit: LogisticFit, name: String, idColumn: String, headName: String = "risk",
                             description: String? = nil) -> ScoringModel {
        precondition(fit.coefficients.count == columnNames.count, "the fit does not belong to this design")
        var features: [ScoringModel.Feature] = []
        var weights: [String: Double] = [:]
        var j = 1
        for column in columns {
            switch column {
            case let .numeric(name, encoding):
                features.append(.init(name: name, numeric: .init(
                    mean: encoding.mean, std: encoding.std, missing: encoding.fill == nil ? nil : .impute,
                    imputeValue: encoding.fill, indicator: encoding.indicator ? true : nil,
                    trainingMin: encoding.trainingMin, trainingMax: encoding.trainingMax)))
                weights[name] = fit.coefficients[j]
                j += 1
                if encoding.indicator { weights[name + ":missing"] = fit.coefficients[j]; j += 1 }
            case let .categorical(name, reference, levels):
                features.append(.init(name: name, categorical: .init(encoding: .oneHot, levels: [reference] + levels,
                                                                      reference: reference, unseen: .bin)))
                for level in levels { weights["\(name)=\(level)"] = fit.coefficients[j]; j += 1 }
                weights["\(name)=(unseen)"] = 0
            }
        }
        let head = ScoringModel.Head(name: headName, link: .logistic, intercept: fit.coefficients[0], weights: weights)
        return ScoringModel(name: name, description: description, idColumn: idColumn, features: features, heads: [head])
    }
}
