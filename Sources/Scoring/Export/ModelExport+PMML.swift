import Tables

/// A model carried to other systems: PMML 4.4 documents (one per head) and one standard SQL `SELECT`.
///
/// Both evaluate what `onecheck score` computes, up to the rounding of a different order of operations (a few
/// units in the last place): the tests run them in independent evaluators and compare with `score` to 1e-9.
public enum ModelExport {}

extension ModelExport {
    /// Whether head `head` is a scorecard: points scaling, and every feature it weighs is binned or categorical
    /// (each of its design values comes from a finite list, so each characteristic has one partial score per
    /// attribute). Scorecards export as PMML `Scorecard`, other heads as `RegressionModel`.
    public static func isScorecard(_ model: CompiledModel, head: Int) -> Bool {
        guard model.heads[head].pointsFactor != nil else { return false }
        for (f, feature) in model.model.features.enumerated() where feature.numeric != nil {
            let columns = model.designOffsets[f]..<(model.designOffsets[f] + model.encoders[f].width)
            if columns.contains(where: { model.weights[$0, head] != 0 }) { return false }
        }
        return true
    }

    /// The PMML 4.4 document of head `head`.
    ///
    /// - **Scorecard** (``isScorecard(_:head:)``): `functionName="regression"`, predicted value = points.
    ///   `initialScore = offset − factor·intercept`; each weighed feature is a `Characteristic` whose attributes
    ///   are its bins (or levels), the missing value first (`isMissing`), the unseen bin last (`True`), each with
    ///   `partialScore = −factor·w·value`. Reason codes (`useReasonCodes`, `pointsBelow`, `baselineMethod="max"`,
    ///   each characteristic's `baselineScore` its largest partial score): the feature name, `<feature>:missing`
    ///   on the missing attribute — the codes and costs of ``ReasonRanking``. Output fields `points` and
    ///   `reason_1…reason_n` (n characteristics).
    /// - **RegressionModel**: `functionName="regression"`, `normalizationMethod="logit"` (identity-link heads:
    ///   `none`), predicted value = probability (score). Each design column is a `DerivedField` (fill, `ln1p`,
    ///   clip by `max`/`min`, standardise as `(v − mean)·(1/std)`, the indicator by `isMissing`; one-hot columns
    ///   and WOE by `MapValues`; bins by `Discretize`) and a `NumericPredictor` with the head's weight.
    /// Input fields are the model's input columns (numeric: `double`; categorical: `string`); an empty field is
    /// a missing value, which for a categorical feature is the level `""`.
    public static func pmml(_ model: CompiledModel, head: Int, description: String? = nil) -> String {
        var x = XMLText()
        let m = model.model, h = model.heads[head]
        x.line("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        x.open("PMML", ["xmlns": "http://www.dmg.org/PMML-4_4", "version": "4.4"], order: ["xmlns", "version"])
        x.open("Header", ["description": description ?? "\(m.name): head \(h.name), exported by onecheck"])
        x.empty("Application", ["name": "onecheck"])
        x.close("Header")
        let target = isScorecard(model, head: head) ? "\(h.name)_points" : (h.logistic ? "\(h.name)_probability" : "\(h.name)_score")
        var inputs: [(name: String, numeric: Bool)] = []
        for f in m.features where !inputs.contains(where: { $0.name == f.inputColumn }) {
            inputs.append((f.inputColumn, f.categorical == nil))
        }
        x.open("DataDictionary", ["numberOfFields": "\(inputs.count + 1)"])
        for input in inputs {
            x.empty("DataField", ["name": input.name, "optype": input.numeric ? "continuous" : "categorical",
                                  "dataType": input.numeric ? "double" : "string"], order: ["name", "optype", "dataType"])
        }
        x.empty("DataField", ["name": target, "optype": "continuous", "dataType": "double"], order: ["name", "optype", "dataType"])
        x.close("DataDictionary")
        if isScorecard(model, head: head) {
            scorecard(model, head: head, target: target, inputs: inputs.map(\.name), into: &x)
        } else {
            regression(model, head: head, target: target, inputs: inputs.map(\.name), into: &x)
        }
        x.close("PMML")
        return x.text
    }

    static func miningSchema(_ inputs: [String], target: String, into x: inout XMLText) {
        x.open("MiningSchema")
        for name in inputs { x.empty("MiningField", ["name": name]) }
        x.empty("MiningField", ["name": target, "usageType": "target"], order: ["name", "usageType"])
        x.close("MiningSchema")
    }

    // MARK: Scorecard

    /// One attribute of a characteristic: its predicate (as XML), design value and, for the missing one, its code.
    private struct Attribute {
        var predicate: (inout XMLText) -> Void
        var designValues: [Double]
        var reasonCode: String?
    }

    private static func scorecard(_ model: CompiledModel, head: Int, target: String, inputs: [String],
                                  into x: inout XMLText) {
        let m = model.model, h = model.heads[head]
        let factor = h.pointsFactor!
        let initial = h.pointsOffset - factor * model.intercepts[head]
        var characteristics: [(name: String, attributes: [(Attribute, Double)])] = []
        for (f, feature) in m.features.enumerated() {
            let offset = model.designOffsets[f], width = model.encoders[f].width
            let w = (0..<width).map { model.weights[offset + $0, head] }
            guard w.contains(where: { $0 != 0 }) else { continue }
            let attributes = self.attributes(of: feature, encoder: model.encoders[f])
            characteristics.append((feature.name, attributes.map { a in
                var s = 0.0
                for c in 0..<width { s += w[c] * a.designValues[c] }
                return (a, -factor * s)
            }))
        }
        x.open("Scorecard", ["modelName": "\(m.name)-\(h.name)", "functionName": "regression",
                             "useReasonCodes": "true", "reasonCodeAlgorithm": "pointsBelow",
                             "initialScore": number(initial), "baselineMethod": "max"],
               order: ["modelName", "functionName", "useReasonCodes", "reasonCodeAlgorithm", "initialScore", "baselineMethod"])
        miningSchema(inputs, target: target, into: &x)
        x.open("Output")
        x.empty("OutputField", ["name": "points", "feature": "predictedValue", "dataType": "double", "optype": "continuous"],
                order: ["name", "feature", "dataType", "optype"])
        for k in 1...max(1, characteristics.count) {
            x.empty("OutputField", ["name": "reason_\(k)", "rank": "\(k)", "feature": "reasonCode", "dataType": "string",
                                    "optype": "categorical"], order: ["name", "rank", "feature", "dataType", "optype"])
        }
        x.close("Output")
        x.open("Characteristics")
        for c in characteristics {
            let baseline = c.attributes.map(\.1).max()!
            x.open("Characteristic", ["name": c.name, "reasonCode": c.name, "baselineScore": number(baseline)],
                   order: ["name", "reasonCode", "baselineScore"])
            for (a, score) in c.attributes {
                var attributes = ["partialScore": number(score)]
                if let code = a.reasonCode { attributes["reasonCode"] = code }
                x.open("Attribute", attributes, order: ["reasonCode", "partialScore"])
                a.predicate(&x)
                x.close("Attribute")
            }
            x.close("Characteristic")
        }
        x.close("Characteristics")
        x.close("Scorecard")
    }

    /// The attributes of a binned or categorical feature, in evaluation order: missing first (a predicate on a
    /// missing value is unknown, so it must be asked first), the bins or levels, the unseen bin last.
    private static func attributes(of feature: ScoringModel.Feature, encoder: FeatureEncoder) -> [Attribute] {
        let field = feature.inputColumn
        let missingCode = feature.name + ":missing"
        func isMissing(_ x: inout XMLText) { x.empty("SimplePredicate", ["field": field, "operator": "isMissing"], order: ["field", "operator"]) }
        var list: [Attribute] = []
        switch encoder {
        case let .binned(e):
            if let m = e.missingWoe { list.append(Attribute(predicate: isMissing, designValues: [m], reasonCode: missingCode)) }
            for (k, woe) in e.woe.enumerated() {
                let lower = k == 0 ? nil : e.cuts[k - 1], upper = k == e.cuts.count ? nil : e.cuts[k]
                list.append(Attribute(predicate: { x in
                    var parts: [(String, Double)] = []
                    if let lower { parts.append(("greaterOrEqual", lower)) }
                    if let upper { parts.append(("lessThan", upper)) }
                    if parts.isEmpty { x.empty("True"); return }
                    if parts.count == 2 { x.open("CompoundPredicate", ["booleanOperator": "and"]) }
                    for (op, value) in parts {
                        x.empty("SimplePredicate", ["field": field, "operator": op, "value": number(value)],
                                order: ["field", "operator", "value"])
                    }
                    if parts.count == 2 { x.close("CompoundPredicate") }
                }, designValues: [woe]))
            }
        case let .categorical(e):
            let levels = feature.categorical!.levels
            func design(_ level: Int?) -> [Double] {
                switch e.mode {
                case .woe: return [level.map { e.woe[$0] } ?? (e.unseenWoe ?? 0)]
                case .oneHot:
                    var v = [Double](repeating: 0, count: e.width)
                    if let level { if e.slot[level] >= 0 { v[e.slot[level]] = 1 } } else if let u = e.unseenSlot { v[u] = 1 }
                    return v
                }
            }
            // An empty field is the level "" (or, unlisted, an unseen level): PMML reads it as missing.
            let empty = levels.firstIndex(of: "")
            let hasUnseen = e.unseenSlot != nil || e.unseenWoe != nil
            if empty != nil || hasUnseen {
                list.append(Attribute(predicate: isMissing, designValues: design(empty), reasonCode: missingCode))
            }
            for (k, level) in levels.enumerated() where !level.isEmpty {
                list.append(Attribute(predicate: { x in
                    x.empty("SimplePredicate", ["field": field, "operator": "equal", "value": level],
                            order: ["field", "operator", "value"])
                }, designValues: design(k)))
            }
            if hasUnseen { list.append(Attribute(predicate: { $0.empty("True") }, designValues: design(nil))) }
        case .numeric:
            preconditionFailure("a scorecard characteristic is binned or categorical")
        }
        return list
    }

    /// A number as XML Schema `double` text: the shortest decimal that reads back as the same double.
    static func number(_ v: Double) -> String { DecimalFormatting.shortest(v == 0 ? 0 : v) }
}

/// Indented XML, attributes escaped, written in a fixed order so the document is byte-stable.
struct XMLText {
    private(set) var text = ""
    private var depth = 0

    mutating func line(_ s: String) { text += String(repeating: "  ", count: depth) + s + "\n" }

    private static func attributes(_ values: [String: String], order: [String]) -> String {
        let keys = order.filter { values[$0] != nil } + values.keys.filter { !order.contains($0) }.sorted()
        return keys.map { " \($0)=\"\(escape(values[$0]!))\"" }.joined()
    }

    mutating func open(_ name: String, _ values: [String: String] = [:], order: [String] = []) {
        line("<\(name)\(Self.attributes(values, order: order))>")
        depth += 1
    }

    mutating func close(_ name: String) {
        depth -= 1
        line("</\(name)>")
    }

    mutating func empty(_ name: String, _ values: [String: String] = [:], order: [String] = []) {
        line("<\(name)\(Self.attributes(values, order: order))/>")
    }

    /// `&`, `<`, `>`, `"` and `'` as entities; control characters other than tab, newline and return as
    /// character references (XML 1.0 cannot hold NUL, which is dropped).
    static func escape(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\u{0}": continue
            case _ where u.value < 0x20 && u != "\t" && u != "\n" && u != "\r": out += "&#\(u.value);"
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }
}
