import Fitting
import Foundation
import Scoring
import Supervision
import Tables

/// Where the console reads the model it explains and monitors (`onecheck serve --model`, `--monitor-*`).
public struct ModelInputs: Sendable {
    /// The model file (`onecheck fit`): the entity page's points per feature and reasons.
    public var model: String
    /// The reference and current entities files and outcomes for the model page's monitoring charts, as
    /// `onecheck monitor` takes them; nil: no monitoring charts.
    public var baseline: String?
    public var current: String?
    public var outcomes: String?
    /// Reasons shown per department head on the entity page (as `score --reasons K`).
    public var reasons: Int

    public init(model: String, baseline: String? = nil, current: String? = nil, outcomes: String? = nil, reasons: Int = 3) {
        self.model = model
        self.baseline = baseline
        self.current = current
        self.outcomes = outcomes
        self.reasons = max(1, reasons)
    }
}

/// The model as the console shows it: on the entity page, each department head's points below the best attainable
/// per feature and the K reasons — Scoring's reasons API, the one `onecheck score --reasons K` uses — and on the
/// model page the monitoring figures of `onecheck monitor` (``ModelMonitoring``) as charts. Both are computed from
/// files that do not change while the console runs: the monitoring charts once, when the console starts.
struct ModelViews: Sendable {
    /// Every feature's cost (count = the model's features), so the page lists them all; the first K are the reasons.
    let explanations: DepartmentReasons
    let reasons: Int
    /// The monitoring charts in each language, drawn once; empty without monitoring inputs.
    let monitoringCharts: [Language: [Chart]]

    init(_ inputs: ModelInputs) throws {
        let url = URL(fileURLWithPath: inputs.model)
        let model = try CompiledModel(ScoringModel.load(from: url), file: url.lastPathComponent)
        explanations = try DepartmentReasons(model: model, count: max(1, model.encoders.count), file: url.lastPathComponent)
        reasons = inputs.reasons
        if let baseline = inputs.baseline, let current = inputs.current {
            func read(_ path: String) throws -> CSVTable { try TrainingData.readTable(path: path, delimiter: .detect).table }
            let report = try ModelMonitoring.run(model: model, baseline: try read(baseline), current: try read(current),
                                                 outcomes: try inputs.outcomes.map(read))
            monitoringCharts = Dictionary(uniqueKeysWithValues: Language.allCases.map { ($0, Self.charts(report, $0)) })
        } else {
            monitoringCharts = [:]
        }
    }

    /// The explanation of the entity whose stored features are `values` (in `columns` order) for each of
    /// `departments` whose risk head is in the model; every feature that costs the entity something, largest first,
    /// the first ``reasons`` being the reasons.
    /// - Throws: `TableError` when a feature the model needs is missing from the stored columns or cannot be read.
    func explain(columns: [String], values: [String], departments: [Department]) throws -> [DepartmentReasons.HeadExplanation] {
        let table = CSVTable(fileName: "the workspace's stored features", header: columns, rows: [values])
        return try explanations.explain(table, departments: departments)[0]
    }

    /// The monitoring charts: PSI of each head's score bands, CSI per feature and the bins of the features that
    /// moved, the grade migration matrices, and with outcomes the calibration by decile. Labels carry the flag
    /// (stable < 0.1 ≤ watch < 0.25 ≤ action).
    static func charts(_ report: MonitoringReport, _ language: Language) -> [Chart] {
        let t = { (key: String) in Strings.text(key, language) }
        let thresholds = t("model_flags")
        func flagged(_ name: String, _ stability: Metrics.Stability) -> String { "\(name) · \(stability.flag.rawValue)" }
        let index: @Sendable (Double) -> String = { HTML.number($0, decimals: 4) }
        var charts = [Chart(.bars, title: "\(t("model_psi")) (\(thresholds))", labels: report.scores.map { flagged($0.head, $0.stability) },
                            series: [Chart.Series(name: "PSI", values: report.scores.map(\.stability.index))], format: index)]
        let ranked = report.characteristics.sorted { $0.stability.index > $1.stability.index }
        charts.append(Chart(.bars, title: "\(t("model_csi")) (\(thresholds))", labels: ranked.map { flagged($0.feature, $0.stability) },
                            series: [Chart.Series(name: "CSI", values: ranked.map(\.stability.index))], format: index))
        // The features that moved (flagged; else the largest), each with its bins' shares then and now.
        let moved = ranked.filter { $0.stability.flag != .stable }
        for c in (moved.isEmpty ? Array(ranked.prefix(1)) : Array(moved.prefix(6))) {
            let bins = MonitoringReport.largestMoves(c.stability, limit: 8).sorted()
            charts.append(Chart(.bars, title: "CSI \(c.feature) \(index(c.stability.index)) · \(c.stability.flag.rawValue) · \(t("model_bins_moved"))",
                                labels: bins.map { c.bins[$0] },
                                series: [Chart.Series(name: t("model_baseline"), values: bins.map { c.stability.bins[$0].expectedShare }),
                                         Chart.Series(name: t("model_current"), values: bins.map { c.stability.bins[$0].actualShare })],
                                format: { HTML.number($0, decimals: 3) }))
        }
        for m in report.migrations where m.migration.total > 0 {
            charts.append(Chart(.bars, title: "\(t("model_migration")) \(m.subject): \(t("model_worse")) \(m.migration.worse) · "
                                + "\(t("model_same")) \(m.migration.same) · \(t("model_better")) \(m.migration.better)",
                                labels: m.labels.map { "\(t("model_from")) \($0)" },
                                series: m.labels.indices.map { to in
                                    Chart.Series(name: "\(t("model_to")) \(m.labels[to])", values: m.migration.counts.map { Double($0[to]) })
                                }))
        }
        for fit in report.currentOutcomes {
            guard let calibration = fit.calibration else { continue }
            charts.append(Chart(.bars, title: "\(t("model_decile_calibration")) · \(fit.head) (n=\(fit.rows))",
                                labels: calibration.bins.indices.map { "\($0 + 1) (n=\(calibration.bins[$0].count))" },
                                series: [Chart.Series(name: t("model_predicted"), values: calibration.bins.map(\.meanPredicted)),
                                         Chart.Series(name: t("model_observed"), values: calibration.bins.map(\.observedRate))],
                                format: { HTML.number($0, decimals: 3) }))
        }
        return charts
    }
}
