extension ModelExport {
    /// The `RegressionModel` of a head (see ``pmml(_:head:description:)``): a `TransformationDictionary` with
    /// one `DerivedField` per design column, named `d<c>` (design column `c`), and one `NumericPredictor` each.
    static func regression(_ model: CompiledModel, head: Int, target: String, inputs: [String], into x: inout XMLText) {
        let m = model.model, h = model.heads[head]
        x.open("TransformationDictionary")
        for (f, feature) in m.features.enumerated() {
            derivedFields(feature, encoder: model.encoders[f], firstColumn: model.designOffsets[f], into: &x)
        }
        x.close("TransformationDictionary")
        x.open("RegressionModel", ["modelName": "\(m.name)-\(h.name)", "functionName": "regression",
                                   "normalizationMethod": h.logistic ? "logit" : "none"],
               order: ["modelName", "functionName", "normalizationMethod"])
        miningSchema(inputs, target: target, into: &x)
        x.open("Output")
        x.empty("OutputField", ["name": h.logistic ? "probability" : "score", "feature": "predictedValue",
                                "dataType": "double", "optype": "continuous"],
                order: ["name", "feature", "dataType", "optype"])
        x.close("Output")
        x.open("RegressionTable", ["intercept": number(model.intercepts[head])])
        for (c, _) in model.designColumns.enumerated() {
            x.empty("NumericPredictor", ["name": "d\(c)", "coefficient": number(model.weights[c, head])],
                    order: ["name", "coefficient"])
        }
        x.close("RegressionTable")
        x.close("RegressionModel")
    }

    private static func constant(_ v: Double, into x: inout XMLText) {
        x.line("<Constant dataType=\"double\">\(number(v))</Constant>")
    }

    private static func field(_ name: String, into x: inout XMLText) { x.empty("FieldRef", ["field": name]) }

    /// The derived fields of one feature, `d<firstColumn>`… in design order.
    private static func derivedFields(_ feature: ScoringModel.Feature, encoder: FeatureEncoder, firstColumn: Int,
                                      into x: inout XMLText) {
        let input = feature.inputColumn
        func derived(_ c: Int, _ body: (inout XMLText) -> Void) {
            x.open("DerivedField", ["name": "d\(c)", "optype": "continuous", "dataType": "double"],
                   order: ["name", "optype", "dataType"])
            body(&x)
            x.close("DerivedField")
        }
        func apply(_ function: String, _ body: (inout XMLText) -> Void) {
            x.open("Apply", ["function": function])
            body(&x)
            x.close("Apply")
        }
        switch encoder {
        case let .numeric(e):
            // standardise(clip(ln1p(fill(x)))), written inside out.
            derived(firstColumn) { x in
                func filled(_ x: inout XMLText) {
                    if let impute = e.imputeValue {
                        x.open("Apply", ["function": "if"])
                        x.open("Apply", ["function": "isMissing"]); field(input, into: &x); x.close("Apply")
                        constant(impute, into: &x)
                        field(input, into: &x)
                        x.close("Apply")
                    } else {
                        field(input, into: &x)
                    }
                }
                func logged(_ x: inout XMLText) {
                    if e.log1p { x.open("Apply", ["function": "ln1p"]); filled(&x); x.close("Apply") } else { filled(&x) }
                }
                func clipped(_ x: inout XMLText) {
                    var inner: (inout XMLText) -> Void = logged
                    if e.clipMin > -.infinity {
                        let before = inner
                        inner = { x in x.open("Apply", ["function": "max"]); before(&x); constant(e.clipMin, into: &x); x.close("Apply") }
                    }
                    if e.clipMax < .infinity {
                        let before = inner
                        inner = { x in x.open("Apply", ["function": "min"]); before(&x); constant(e.clipMax, into: &x); x.close("Apply") }
                    }
                    inner(&x)
                }
                if e.mean != 0 || e.inverseStd != 1 {
                    x.open("Apply", ["function": "*"])
                    x.open("Apply", ["function": "-"]); clipped(&x); constant(e.mean, into: &x); x.close("Apply")
                    constant(e.inverseStd, into: &x)
                    x.close("Apply")
                } else {
                    clipped(&x)
                }
            }
            if e.indicator {
                derived(firstColumn + 1) { x in
                    x.open("Apply", ["function": "if"])
                    x.open("Apply", ["function": "isMissing"]); field(input, into: &x); x.close("Apply")
                    constant(1, into: &x)
                    constant(0, into: &x)
                    x.close("Apply")
                }
            }
        case let .binned(e):
            derived(firstColumn) { x in
                var attributes = ["field": input, "dataType": "double"]
                if let m = e.missingWoe { attributes["mapMissingTo"] = number(m) }
                x.open("Discretize", attributes, order: ["field", "mapMissingTo", "dataType"])
                for (k, woe) in e.woe.enumerated() {
                    x.open("DiscretizeBin", ["binValue": number(woe)])
                    var margins = ["closure": "closedOpen"]
                    if k > 0 { margins["leftMargin"] = number(e.cuts[k - 1]) }
                    if k < e.cuts.count { margins["rightMargin"] = number(e.cuts[k]) }
                    x.empty("Interval", margins, order: ["closure", "leftMargin", "rightMargin"])
                    x.close("DiscretizeBin")
                }
                x.close("Discretize")
            }
        case let .categorical(e):
            let levels = feature.categorical!.levels
            // One derived field per design column: the column's value for each listed level (an empty field is
            // the level "", which PMML reads as missing), the unseen value as the default.
            for column in 0..<e.width {
                func value(_ level: Int?) -> Double {
                    switch e.mode {
                    case .woe: return level.map { e.woe[$0] } ?? (e.unseenWoe ?? .nan)
                    case .oneHot:
                        guard let level else { return e.unseenSlot == column ? 1 : (e.unseenSlot == nil ? .nan : 0) }
                        return e.slot[level] == column ? 1 : 0
                    }
                }
                derived(firstColumn + column) { x in
                    var attributes = ["outputColumn": "value", "dataType": "double"]
                    let missing = value(levels.firstIndex(of: ""))
                    if !missing.isNaN { attributes["mapMissingTo"] = number(missing) }
                    let unseen = value(nil)
                    if !unseen.isNaN { attributes["defaultValue"] = number(unseen) }
                    x.open("MapValues", attributes, order: ["outputColumn", "mapMissingTo", "defaultValue", "dataType"])
                    x.empty("FieldColumnPair", ["field": input, "column": "level"], order: ["field", "column"])
                    x.open("InlineTable")
                    for (k, level) in levels.enumerated() where !level.isEmpty {
                        x.line("<row><level>\(XMLText.escape(level))</level><value>\(number(value(k)))</value></row>")
                    }
                    x.close("InlineTable")
                    x.close("MapValues")
                }
            }
        }
    }
}
