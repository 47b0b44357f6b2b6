/// Structural validation of a decoded model: everything ``CompiledModel`` relies on is checked here, once,
/// so the scoring hot path never meets an inconsistent model.
extension ScoringModel {
    /// The design columns, in the order the design matrix holds them.
    ///
    /// Per feature, in feature order: numeric → `name` (then `name:missing` with an indicator);
    /// one-hot → `name=level` for each level except the reference (then `name=(unseen)` with the unseen bin);
    /// WOE and binned → `name:woe`.
    public var designColumns: [String] {
        var columns: [String] = []
        for f in features {
            if let n = f.numeric {
                columns.append(f.name)
                if n.indicator == true { columns.append("\(f.name):missing") }
            } else if let c = f.categorical {
                switch c.encoding {
                case .oneHot:
                    for level in c.levels where level != c.reference { columns.append("\(f.name)=\(level)") }
                    if c.unseen == .bin { columns.append("\(f.name)=(unseen)") }
                case .woe:
                    columns.append("\(f.name):woe")
                }
            } else if f.binned != nil {
                columns.append("\(f.name):woe")
            }
        }
        return columns
    }

    /// Checks the whole model and throws the first problem found, with its location.
    /// - Parameter file: the file name used in error messages.
    public func validate(file: String) throws {
        func fail(_ location: String, _ problem: String) -> ModelError {
            .invalid(file: file, location: location, problem: problem)
        }
        guard format == Self.formatTag else { throw ModelError.wrongFormat(file: file, found: format) }
        guard schemaVersion >= 1, schemaVersion <= Self.currentSchemaVersion else {
            throw ModelError.unsupportedSchemaVersion(file: file, found: "\(schemaVersion)", supported: Self.currentSchemaVersion)
        }
        guard !idColumn.isEmpty else { throw fail("idColumn", "must name the entity id column") }
        guard !heads.isEmpty else { throw fail("heads", "a model needs at least one head") }

        var featureNames = Set<String>()
        for (i, f) in features.enumerated() {
            let at = "features[\(i)] (\(f.name))"
            guard !f.name.isEmpty else { throw fail("features[\(i)].name", "must not be empty") }
            guard featureNames.insert(f.name).inserted else { throw fail(at, "duplicate feature name") }
            guard f.inputColumn != idColumn else { throw fail(at, "uses the id column \"\(idColumn)\" as a feature") }
            let kinds = [f.numeric != nil, f.categorical != nil, f.binned != nil].filter { $0 }.count
            guard kinds == 1 else {
                throw fail(at, "needs exactly one transform of numeric, categorical or binned (found \(kinds))")
            }
            if let n = f.numeric { try validate(n, at: at, fail) }
            if let c = f.categorical { try validate(c, at: at, fail) }
            if let b = f.binned { try validate(b, at: at, fail) }
        }

        let columns = designColumns
        let columnSet = Set(columns)
        guard columnSet.count == columns.count else {
            throw fail("features", "two features produce the same design column name")
        }
        var headNames = Set<String>()
        for (i, h) in heads.enumerated() {
            let at = "heads[\(i)] (\(h.name))"
            guard !h.name.isEmpty, h.name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
                throw fail("heads[\(i)].name", "must be a non-empty name of letters, digits, _ or -")
            }
            guard headNames.insert(h.name).inserted else { throw fail(at, "duplicate head name") }
            guard h.intercept.isFinite else { throw fail("\(at).intercept", "must be finite") }
            let unknown = h.weights.keys.filter { !columnSet.contains($0) }.sorted()
            let missing = columns.filter { h.weights[$0] == nil }
            if !unknown.isEmpty || !missing.isEmpty {
                var parts = ["has \(h.weights.count) weights for \(columns.count) design columns"]
                if !missing.isEmpty { parts.append("missing: \(missing.prefix(8).joined(separator: ", "))") }
                if !unknown.isEmpty { parts.append("unknown: \(unknown.prefix(8).joined(separator: ", "))") }
                throw fail("\(at).weights", parts.joined(separator: "; "))
            }
            if let bad = h.weights.first(where: { !$0.value.isFinite }) {
                throw fail("\(at).weights[\(bad.key)]", "must be finite")
            }
            if let p = h.points {
                guard h.link == .logistic else { throw fail("\(at).points", "points scaling needs the logistic link") }
                guard p.baseOdds > 0, p.baseOdds.isFinite else { throw fail("\(at).points.baseOdds", "must be > 0") }
                guard p.pointsToDoubleOdds > 0, p.pointsToDoubleOdds.isFinite else {
                    throw fail("\(at).points.pointsToDoubleOdds", "must be > 0")
                }
                guard p.basePoints.isFinite else { throw fail("\(at).points.basePoints", "must be finite") }
            }
            if let g = h.grades { try validate(g, head: h, at: "\(at).grades", fail) }
        }

        if let rule = supervisionClass {
            guard !rule.heads.isEmpty else { throw fail("supervisionClass.heads", "must name at least one head") }
            if rule.rule == .head, rule.heads.count != 1 {
                throw fail("supervisionClass.heads", "rule \"head\" takes exactly one head")
            }
            var labels: [String]? = nil
            for name in rule.heads {
                guard let h = heads.first(where: { $0.name == name }) else {
                    throw fail("supervisionClass.heads", "unknown head \"\(name)\"")
                }
                guard let g = h.grades else {
                    throw fail("supervisionClass.heads", "head \"\(name)\" has no grade bands")
                }
                if let l = labels, l != g.resolvedLabels {
                    throw fail("supervisionClass.heads", "heads combined into a class must share grade labels")
                }
                labels = g.resolvedLabels
            }
        }
        try validateMagnitudes(file: file)
    }

    private func validate(_ n: NumericTransform, at: String, _ fail: (String, String) -> ModelError) throws {
        for (name, v) in [("mean", n.mean), ("clipMin", n.clipMin), ("clipMax", n.clipMax), ("imputeValue", n.imputeValue),
                          ("trainingMin", n.trainingMin), ("trainingMax", n.trainingMax)] {
            if let v, !v.isFinite { throw fail("\(at).numeric.\(name)", "must be finite") }
        }
        if let s = n.std, !(s > 0 && s.isFinite) { throw fail("\(at).numeric.std", "must be finite and > 0 (found \(s))") }
        if (n.mean == nil) != (n.std == nil) { throw fail("\(at).numeric", "standardising needs both mean and std") }
        if let lo = n.clipMin, let hi = n.clipMax, !(lo <= hi) {
            throw fail("\(at).numeric.clipMin", "clipMin \(lo) exceeds clipMax \(hi)")
        }
        if n.missing == .impute, n.imputeValue == nil {
            throw fail("\(at).numeric.imputeValue", "missing policy \"impute\" needs an imputeValue")
        }
        if n.indicator == true, n.missing != .impute {
            throw fail("\(at).numeric.indicator", "a missing indicator needs the \"impute\" missing policy")
        }
        if n.hasTrainingRange {
            guard let lo = n.trainingMin, let hi = n.trainingMax else {
                throw fail("\(at).numeric", "the training range needs both trainingMin and trainingMax")
            }
            guard lo.isFinite, hi.isFinite, lo <= hi else {
                throw fail("\(at).numeric.trainingMin", "expected finite trainingMin ≤ trainingMax (found \(lo) and \(hi))")
            }
            if n.log1p == true, lo <= -1 { throw fail("\(at).numeric.trainingMin", "log1p needs values > -1") }
        }
        if n.log1p == true, let v = n.imputeValue, v <= -1 {
            throw fail("\(at).numeric.imputeValue", "log1p needs values > -1")
        }
    }

    private func validate(_ c: CategoricalTransform, at: String, _ fail: (String, String) -> ModelError) throws {
        guard !c.levels.isEmpty else { throw fail("\(at).categorical.levels", "must list at least one level") }
        guard Set(c.levels).count == c.levels.count else { throw fail("\(at).categorical.levels", "duplicate level") }
        switch c.encoding {
        case .oneHot:
            if let r = c.reference, !c.levels.contains(r) {
                throw fail("\(at).categorical.reference", "reference level \"\(r)\" is not among the levels")
            }
            if c.woe != nil { throw fail("\(at).categorical.woe", "one-hot encoding takes no WOE values") }
        case .woe:
            guard let woe = c.woe else { throw fail("\(at).categorical.woe", "WOE encoding needs woe values") }
            guard woe.count == c.levels.count else {
                throw fail("\(at).categorical.woe", "has \(woe.count) values for \(c.levels.count) levels")
            }
            guard woe.allSatisfy(\.isFinite) else { throw fail("\(at).categorical.woe", "values must be finite") }
            if let u = c.unseenWoe, !u.isFinite { throw fail("\(at).categorical.unseenWoe", "must be finite") }
        }
    }

    private func validate(_ b: BinnedTransform, at: String, _ fail: (String, String) -> ModelError) throws {
        guard b.cuts.allSatisfy(\.isFinite) else { throw fail("\(at).binned.cuts", "cut points must be finite") }
        for i in b.cuts.indices.dropFirst() where !(b.cuts[i - 1] < b.cuts[i]) {
            throw fail("\(at).binned.cuts", "cut points must be strictly increasing (\(b.cuts[i - 1]) then \(b.cuts[i]))")
        }
        guard b.woe.count == b.cuts.count + 1 else {
            throw fail("\(at).binned.woe", "\(b.cuts.count) cut points make \(b.cuts.count + 1) bins, found \(b.woe.count) WOE values")
        }
        guard b.woe.allSatisfy(\.isFinite) else { throw fail("\(at).binned.woe", "values must be finite") }
        if let m = b.missingWoe, !m.isFinite { throw fail("\(at).binned.missingWoe", "must be finite") }
    }

    private func validate(_ g: GradeBands, head: Head, at: String, _ fail: (String, String) -> ModelError) throws {
        guard g.cuts.allSatisfy(\.isFinite) else { throw fail("\(at).cuts", "cut points must be finite") }
        let labels = g.resolvedLabels
        guard labels.count == g.cuts.count + 1 else {
            throw fail("\(at).cuts", "\(g.cuts.count) cut points make \(g.cuts.count + 1) grades but there are \(labels.count) labels")
        }
        guard Set(labels).count == labels.count, labels.allSatisfy({ !$0.isEmpty }) else {
            throw fail("\(at).labels", "labels must be distinct and non-empty")
        }
        switch g.measure {
        case .probability, .score:
            for i in g.cuts.indices.dropFirst() where !(g.cuts[i - 1] < g.cuts[i]) {
                throw fail("\(at).cuts", "cut points on \(g.measure.rawValue) must be strictly increasing (\(g.cuts[i - 1]) then \(g.cuts[i]))")
            }
            if g.measure == .probability {
                guard head.link == .logistic else { throw fail(at, "grades on probability need the logistic link") }
                guard g.cuts.allSatisfy({ $0 > 0 && $0 < 1 }) else {
                    throw fail("\(at).cuts", "probability cut points must lie in (0, 1)")
                }
            }
        case .points:
            guard head.points != nil else { throw fail(at, "grades on points need the head's points scaling") }
            for i in g.cuts.indices.dropFirst() where !(g.cuts[i - 1] > g.cuts[i]) {
                throw fail("\(at).cuts", "cut points on points must be strictly decreasing (\(g.cuts[i - 1]) then \(g.cuts[i]))")
            }
        }
    }
}
