import Scoring
import Tables

/// What ``ModelMonitoring/run(model:baseline:current:outcomes:baselineOutcomes:)`` finds between a reference
/// population (the baseline: e.g. the development sample, or last period) and the current one.
public struct MonitoringReport: Sendable {
    /// System stability of one head: PSI of its score bands, the deciles of the baseline's values of the head's
    /// reported measure (points for heads with points, else the probability of logistic heads, else the score:
    /// all monotone in the score, so the bins hold the same entities; the measure only labels them).
    public struct ScoreStability: Sendable {
        public let head: String
        /// `points`, `probability` or `score`.
        public let measure: String
        public let bands: Metrics.QuantileBins
        public let stability: Metrics.Stability
    }

    /// Characteristic stability of one feature: CSI over its bins (binned), levels (categorical) or the
    /// baseline's deciles of its raw value (numeric), with a bin `missing` when either side has missing values.
    public struct CharacteristicStability: Sendable {
        public let feature: String
        public let bins: [String]
        public let stability: Metrics.Stability
    }

    /// Grade migration of one head (or the supervision class) over the entities in both files, matched by id.
    public struct GradeMigration: Sendable {
        public let subject: String
        public let labels: [String]
        public let migration: Metrics.Migration
    }

    /// How one head's scores met the outcomes in one sample.
    public struct OutcomeFit: Sendable {
        public let head: String
        public let rows: Int
        public let events: Int
        /// nil when the sample has one outcome class only.
        public let auc: Double?
        /// Logistic heads only.
        public let calibration: Metrics.Calibration?
    }

    public let baselineRows: Int
    public let currentRows: Int
    /// Entities (by id) in both files, only in the baseline, only in the current file.
    public let matched: Int
    public let onlyBaseline: Int
    public let onlyCurrent: Int
    public let scores: [ScoreStability]
    public let characteristics: [CharacteristicStability]
    public let migrations: [GradeMigration]
    /// With outcomes: per head with an outcome column, in each sample that has outcomes for it.
    public let baselineOutcomes: [OutcomeFit]
    public let currentOutcomes: [OutcomeFit]
}

/// Model monitoring: system and characteristic stability, grade migration, and with outcomes calibration by decile
/// and the drift of discrimination (AUC) — all on scores computed in memory as `onecheck score` computes them.
public enum ModelMonitoring {
    /// - Parameters:
    ///   - baseline, current: entities files (the model's id column and feature columns).
    ///   - outcomes: the model's id column and, per head with outcomes, a column named like the head holding the
    ///     outcome (1 = event: `1`, `true`, `yes`, … and `0`, `false`, `no`, …; empty = none). Matched by id to
    ///     the current file's rows, and to the baseline's unless `baselineOutcomes` is given for them.
    /// - Throws: `TableError` for bad values (file, line, column), duplicate ids, missing columns.
    public static func run(model: CompiledModel, baseline: CSVTable, current: CSVTable, outcomes: CSVTable? = nil,
                           baselineOutcomes: CSVTable? = nil) throws -> MonitoringReport {
        for table in [baseline, current] where table.rowCount == 0 {
            throw TableError(.emptyFile, file: table.fileName, expected: "a header and at least one entity to monitor")
        }
        let base = try model.scores(of: baseline), now = try model.scores(of: current)
        let baseIDs = try ids(baseline, model: model), nowIDs = try ids(current, model: model)

        var scores: [MonitoringReport.ScoreStability] = []
        for (h, head) in model.heads.enumerated() {
            let measure = head.pointsFactor != nil ? "points" : (head.logistic ? "probability" : "score")
            func values(_ s: ScoreMatrix, rows: Int) -> [Double] {
                (0..<rows).map { row in
                    head.pointsFactor != nil ? s.points(row: row, head: h)!
                        : (head.logistic ? s.probability(row: row, head: h)! : s.score(row: row, head: h))
                }
            }
            let e = values(base, rows: baseline.rowCount), a = values(now, rows: current.rowCount)
            let bands = Metrics.QuantileBins(reference: e)
            var ec = [Int](repeating: 0, count: bands.count), ac = ec
            for v in e { ec[bands.bin(of: v)] += 1 }
            for v in a { ac[bands.bin(of: v)] += 1 }
            scores.append(.init(head: head.name, measure: measure, bands: bands,
                                stability: try Metrics.stability(expectedCounts: ec, actualCounts: ac)))
        }

        var characteristics: [MonitoringReport.CharacteristicStability] = []
        let baseColumns = try ModelColumns(model: model, includingID: false, require: baseline.requireColumns)
        let nowColumns = try ModelColumns(model: model, includingID: false, require: current.requireColumns)
        for (f, feature) in model.model.features.enumerated() {
            let binner = FeatureBinner(feature, encoder: model.encoders[f],
                                       reference: baseline.rows.map { $0[baseColumns.features[f]] })
            let eb = baseline.rows.map { binner.bin($0[baseColumns.features[f]]) }
            let ab = current.rows.map { binner.bin($0[nowColumns.features[f]]) }
            var ec = [Int](repeating: 0, count: binner.labels.count), ac = ec
            for b in eb { ec[b] += 1 }
            for b in ab { ac[b] += 1 }
            // Bins used by neither side (an unseen level, a missing bin) are left out.
            let used = ec.indices.filter { ec[$0] + ac[$0] > 0 }
            characteristics.append(.init(feature: feature.name, bins: used.map { binner.labels[$0] },
                                         stability: try Metrics.stability(expectedCounts: used.map { ec[$0] },
                                                                          actualCounts: used.map { ac[$0] })))
        }

        let nowIndex = Dictionary(uniqueKeysWithValues: nowIDs.enumerated().map { ($1, $0) })
        let pairs = baseIDs.enumerated().compactMap { i, id in nowIndex[id].map { (i, $0) } }
        var migrations: [MonitoringReport.GradeMigration] = []
        for (h, head) in model.heads.enumerated() where !head.labels.isEmpty {
            migrations.append(.init(subject: head.name, labels: head.labels, migration: try Metrics.migration(
                from: pairs.map { base.gradeIndex(row: $0.0, head: h) }, to: pairs.map { now.gradeIndex(row: $0.1, head: h) },
                grades: head.labels.count)))
        }
        if model.classRule != nil {
            let labels = model.heads[model.classHeads[0]].labels
            func cls(_ s: ScoreMatrix, _ row: Int) -> Int {
                model.classRule == .head ? s.gradeIndex(row: row, head: model.classHeads[0])
                    : model.classHeads.map { s.gradeIndex(row: row, head: $0) }.max()!
            }
            migrations.append(.init(subject: ScoresFileSchema.supervisionClassColumn, labels: labels,
                                    migration: try Metrics.migration(from: pairs.map { cls(base, $0.0) },
                                                                     to: pairs.map { cls(now, $0.1) }, grades: labels.count)))
        }

        var baseFits: [MonitoringReport.OutcomeFit] = [], nowFits: [MonitoringReport.OutcomeFit] = []
        if let outcomes {
            let known = try outcomeValues(outcomes, model: model)
            let baseKnown = try baselineOutcomes.map { try outcomeValues($0, model: model) } ?? known
            nowFits = try fits(now, ids: nowIDs, outcomes: known, model: model)
            baseFits = try fits(base, ids: baseIDs, outcomes: baseKnown, model: model)
        }
        let baseSet = Set(baseIDs), nowSet = Set(nowIDs)
        return MonitoringReport(baselineRows: baseline.rowCount, currentRows: current.rowCount, matched: pairs.count,
                                onlyBaseline: baseSet.subtracting(nowSet).count, onlyCurrent: nowSet.subtracting(baseSet).count,
                                scores: scores, characteristics: characteristics, migrations: migrations,
                                baselineOutcomes: baseFits, currentOutcomes: nowFits)
    }

    /// The id of every row; a repeated id is refused with both lines.
    static func ids(_ table: CSVTable, model: CompiledModel) throws -> [String] {
        let column = try table.requireColumns([model.model.idColumn])[0]
        var first: [String: Int] = [:]
        var ids: [String] = []
        ids.reserveCapacity(table.rowCount)
        for (i, row) in table.rows.enumerated() {
            let id = row[column]
            if let j = first[id] {
                throw table.error(.duplicateKey(firstLine: table.lineNumbers[j]), row: i, column: column,
                                  expected: "a unique key")
            }
            first[id] = i
            ids.append(id)
        }
        return ids
    }

    /// Per head named by a column of `table`, the outcome (0 or 1) of each id that has one.
    static func outcomeValues(_ table: CSVTable, model: CompiledModel) throws -> [String: [String: Double]] {
        let idColumn = try table.requireColumns([model.model.idColumn])[0]
        var result: [String: [String: Double]] = [:]
        for head in model.heads {
            guard let c = table.columnIndex(named: head.name) else { continue }
            var values: [String: Double] = [:]
            for (i, row) in table.rows.enumerated() where !MissingValues.standard.contains(row[c]) {
                guard case let .truth(event) = BinaryOutcome.key(row[c]) else {
                    throw table.error(.invalidValue, row: i, column: c,
                                      expected: "an outcome: 1 or 0 (true/false, yes/no), or empty for none")
                }
                values[row[idColumn]] = event ? 1 : 0
            }
            result[head.name] = values
        }
        guard !result.isEmpty else {
            throw TableError(.missingColumns(model.heads.map(\.name)), file: table.fileName,
                             expected: "an outcome column named like a head of the model")
        }
        return result
    }

    private static func fits(_ s: ScoreMatrix, ids: [String], outcomes: [String: [String: Double]],
                             model: CompiledModel) throws -> [MonitoringReport.OutcomeFit] {
        var fits: [MonitoringReport.OutcomeFit] = []
        for (h, head) in model.heads.enumerated() {
            guard let known = outcomes[head.name] else { continue }
            let rows = ids.indices.filter { known[ids[$0]] != nil }
            guard !rows.isEmpty else { continue }
            let y = rows.map { known[ids[$0]]! }
            let scores = rows.map { s.score(row: $0, head: h) }
            let events = Int(y.reduce(0, +))
            let auc = events > 0 && events < rows.count ? try Metrics.auc(scores: scores, outcomes: y) : nil
            let calibration = head.logistic
                ? try Metrics.calibration(probabilities: rows.map { s.probability(row: $0, head: h)! }, outcomes: y) : nil
            fits.append(.init(head: head.name, rows: rows.count, events: events, auc: auc, calibration: calibration))
        }
        return fits
    }
}

/// The bins of one feature for its characteristic stability, fixed on the baseline.
struct FeatureBinner {
    enum Rule {
        case cuts([Double])
        case levels([String: Int])
        case quantiles(Metrics.QuantileBins)
    }
    let rule: Rule
    /// Every bin's label; the last is `missing` (and, for levels, the one before it `(unseen)`).
    let labels: [String]

    init(_ feature: ScoringModel.Feature, encoder: FeatureEncoder, reference: [String]) {
        func format(_ v: Double) -> String { DecimalFormatting.shortest(v) }
        if let b = feature.binned {
            let q = Metrics.QuantileBins(edges: b.cuts)
            rule = .cuts(b.cuts)
            labels = (0...b.cuts.count).map { q.label($0, format: format) } + ["missing"]
        } else if let c = feature.categorical {
            var index: [String: Int] = [:]
            for (i, level) in c.levels.enumerated() { index[level] = i }
            rule = .levels(index)
            labels = c.levels.map { $0.isEmpty ? "(empty)" : $0 } + ["(unseen)", "missing"]
        } else {
            let present = reference.compactMap { field -> Double? in
                if case let .finite(x) = DecimalParsing.parseDouble(field) { return x }
                return nil
            }
            let q = Metrics.QuantileBins(reference: present.isEmpty ? [0] : present)
            rule = .quantiles(q)
            labels = (0..<q.count).map { q.label($0, format: format) } + ["missing"]
        }
    }

    func bin(_ field: String) -> Int {
        switch rule {
        case let .levels(index):
            if let i = index[field] { return i }
            return field.isEmpty ? labels.count - 1 : labels.count - 2
        case let .cuts(cuts):
            guard let x = Self.number(field) else { return labels.count - 1 }
            var lo = 0, hi = cuts.count
            while lo < hi { let mid = (lo + hi) >> 1; if cuts[mid] <= x { lo = mid + 1 } else { hi = mid } }
            return lo
        case let .quantiles(q):
            guard let x = Self.number(field) else { return labels.count - 1 }
            return q.bin(of: x)
        }
    }

    /// A number, or nil for a missing value (empty or NaN).
    static func number(_ field: String) -> Double? {
        switch DecimalParsing.parseDouble(field) {
        case let .finite(x): return x
        case let .nonFinite(x): return x.isNaN ? nil : x
        default: return nil
        }
    }
}
