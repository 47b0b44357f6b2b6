import OneCheckUtilities

extension ModelExport {
    /// The model as one `SELECT` of standard SQL over a table `table` with the model's input columns (numbers
    /// as numbers, categorical levels as text, a missing value as NULL — or, for a categorical column, NULL or
    /// the empty string, both the level `""`), giving the columns of `onecheck score` without pass-through:
    /// the id, per head `<head>_score`, `<head>_probability`, `<head>_points`, `<head>_grade`, then
    /// `supervision_class`.
    ///
    /// It uses `CASE`, `COALESCE`, arithmetic, and `EXP` and `LN` (the logistic link; `log1p` as `LN(1 + x)`): in
    /// SQLite these need its math functions (built in since 3.35 unless left out at compile time); PostgreSQL has
    /// them. Clipping is `CASE` (not `MIN`/`MAX`, whose scalar forms differ between the two), the class is the
    /// highest grade index by `CASE` over the heads (not `GREATEST`). A value the model refuses (missing without a
    /// policy, an unseen level without an unseen bin) gives NULL scores instead of an error.
    /// Three nested `SELECT`s: the design columns `d<c>`, the heads' linear scores, then their outputs.
    public static func sql(_ model: CompiledModel, table: String) -> String {
        let m = model.model
        func quote(_ name: String) -> String { QuotedText.delimited(name, by: "\"") }
        func literal(_ text: String) -> String { QuotedText.delimited(text, by: "'") }
        func num(_ v: Double) -> String {
            let text = number(v)
            // A decimal point or exponent keeps the literal real in SQLite (an integer literal divides as integers).
            let real = text.contains(".") || text.contains("e") || text.contains("E") ? text : text + ".0"
            return v < 0 ? "(\(real))" : real
        }
        let id = quote(m.idColumn)
        var design: [String] = []
        for (f, feature) in m.features.enumerated() {
            let column = quote(feature.inputColumn)
            switch model.encoders[f] {
            case let .numeric(e):
                var v = e.imputeValue.map { "COALESCE(\(column), \(num($0)))" } ?? column
                if e.log1p { v = "LN(1.0 + \(v))" }
                if e.clipMin > -.infinity { v = "CASE WHEN \(v) < \(num(e.clipMin)) THEN \(num(e.clipMin)) ELSE \(v) END" }
                if e.clipMax < .infinity { v = "CASE WHEN \(v) > \(num(e.clipMax)) THEN \(num(e.clipMax)) ELSE \(v) END" }
                if e.mean != 0 || e.inverseStd != 1 { v = "(\(v) - \(num(e.mean))) * \(num(e.inverseStd))" }
                design.append(v)
                if e.indicator { design.append("CASE WHEN \(column) IS NULL THEN 1.0 ELSE 0.0 END") }
            case let .binned(e):
                var cases = "CASE WHEN \(column) IS NULL THEN " + (e.missingWoe.map(num) ?? "NULL")
                for (k, cut) in e.cuts.enumerated() { cases += " WHEN \(column) < \(num(cut)) THEN \(num(e.woe[k]))" }
                design.append(cases + " ELSE \(num(e.woe[e.cuts.count])) END")
            case let .categorical(e):
                let levels = feature.categorical!.levels
                let level = "COALESCE(\(column), '')"
                for c in 0..<e.width {
                    var cases = "CASE \(level)"
                    for (k, name) in levels.enumerated() {
                        let value: Double = e.mode == .woe ? e.woe[k] : (e.slot[k] == c ? 1 : 0)
                        cases += " WHEN \(literal(name)) THEN \(num(value))"
                    }
                    let unseen: String
                    switch e.mode {
                    case .woe: unseen = e.unseenWoe.map(num) ?? "NULL"
                    case .oneHot: unseen = e.unseenSlot == nil ? "NULL" : (e.unseenSlot == c ? "1.0" : "0.0")
                    }
                    design.append(cases + " ELSE \(unseen) END")
                }
            }
        }
        var sql = "SELECT \(id)"
        var gradeIndices: [String] = []
        for (j, h) in model.heads.enumerated() {
            let s = "s\(j)"
            sql += ",\n  \(s) AS \(quote(ScoresFileSchema.scoreColumn(head: h.name)))"
            let p = "CASE WHEN \(s) >= 0 THEN 1.0 / (1.0 + EXP(-\(s))) ELSE EXP(\(s)) / (1.0 + EXP(\(s))) END"
            if h.logistic { sql += ",\n  \(p) AS \(quote(ScoresFileSchema.probabilityColumn(head: h.name)))" }
            let points = h.pointsFactor.map { "\(num(h.pointsOffset)) - \(num($0)) * \(s)" }
            if let points { sql += ",\n  \(points) AS \(quote(ScoresFileSchema.pointsColumn(head: h.name)))" }
            guard let measure = h.gradeMeasure else { gradeIndices.append(""); continue }
            let value: String, op: String
            switch measure {
            case .probability: value = p; op = "<"
            case .score: value = s; op = "<"
            case .points: value = points!; op = ">="
            }
            var index = "CASE"
            var label = "CASE"
            for (g, cut) in h.gradeCuts.enumerated() {
                index += " WHEN \(value) \(op) \(num(cut)) THEN \(g)"
                label += " WHEN \(value) \(op) \(num(cut)) THEN \(literal(h.labels[g]))"
            }
            index += " ELSE \(h.gradeCuts.count) END"
            label += " ELSE \(literal(h.labels[h.gradeCuts.count])) END"
            gradeIndices.append(index)
            sql += ",\n  \(label) AS \(quote(ScoresFileSchema.gradeColumn(head: h.name)))"
        }
        if let rule = model.classRule {
            let labels = model.heads[model.classHeads[0]].labels
            let heads = rule == .head ? [model.classHeads[0]] : model.classHeads
            var cls = "CASE"
            for g in stride(from: labels.count - 1, to: 0, by: -1) {
                cls += " WHEN " + heads.map { "(\(gradeIndices[$0])) >= \(g)" }.joined(separator: " OR ")
                    + " THEN \(literal(labels[g]))"
            }
            sql += ",\n  \(cls) ELSE \(literal(labels[0])) END AS \(quote(ScoresFileSchema.supervisionClassColumn))"
        }
        sql += "\nFROM (\n  SELECT \(id)"
        for (j, _) in model.heads.enumerated() {
            var s = num(model.intercepts[j])
            for c in 0..<model.designWidth where model.weights[c, j] != 0 { s += " + \(num(model.weights[c, j])) * d\(c)" }
            sql += ",\n    \(s) AS s\(j)"
        }
        sql += "\n  FROM (\n    SELECT \(id)"
        for (c, expression) in design.enumerated() { sql += ",\n      \(expression) AS d\(c)" }
        sql += "\n    FROM \(quote(table))\n  ) AS design\n) AS linear;\n"
        return sql
    }
}
