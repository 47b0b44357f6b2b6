import ArgumentParser
import Fitting
import Foundation
import Scoring
import Tables

/// `onecheck monitor`: whether a model still fits the population it scores — stability, migration, and with
/// outcomes calibration and the drift of discrimination.
struct MonitorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitor",
        abstract: "Compare a model's baseline and current populations: PSI, CSI, grade migration, calibration, AUC drift.",
        discussion: """
            Scores both entity files with the model (as `onecheck score` does) and writes into --output, replacing \
            its previous files as a whole: stability.csv (PSI of each head's score bands — the baseline's deciles \
            of its points, probability or score — and CSI of each feature over its bins, levels, or the baseline's \
            deciles of a raw number, with a bin for missing values; each with the bins that moved most), \
            stability-bins.csv (every bin's counts, shares and part of the index), migration.csv (each head's grade \
            migration matrix, and the supervision class's, over the entities in both files, matched by id). \
            Indices are flagged at the usual thresholds: stable < 0.1 ≤ watch < 0.25 ≤ action.

            With --outcomes (the model's id column, and per head a column named like the head: 1/0, true/false, \
            yes/no; empty for none), matched by id to the rows of both files: discrimination.csv (AUC in each \
            sample and the relative fall of the Gini coefficient, flagged with the same thresholds) and \
            calibration.csv (logistic heads: predicted and observed rates by decile of predicted probability). \
            A summary is printed; every output is identical on every run.
            """)

    @Option(name: .long, help: ArgumentHelp("The model file.", valueName: "model.json"))
    var model: String

    @Option(name: .long, help: ArgumentHelp("The reference entities (e.g. the development sample, or last period).", valueName: "A.csv"))
    var baseline: String

    @Option(name: .long, help: ArgumentHelp("The entities now.", valueName: "B.csv"))
    var current: String

    @Option(name: .long, help: ArgumentHelp("Outcomes by id: a column per head, named like the head.", valueName: "F.csv"))
    var outcomes: String?

    @Option(name: .long, help: ArgumentHelp("The directory for the CSV files (replaced as a whole).", valueName: "dir"))
    var output: String

    @Option(name: .long, help: ArgumentHelp("The field delimiter of the input files: , ; tab | or auto (detected).", valueName: "d"))
    var delimiter: DelimiterArgument = DelimiterArgument(.detect)

    @OptionGroup var text: TextInputOptions

    func validate() throws {
        if output.isEmpty { throw ValidationError("--output must not be empty.") }
    }

    func run() throws {
        let url = URL(fileURLWithPath: model)
        let compiled = try CompiledModel(ScoringModel.load(from: url), file: url.lastPathComponent)
        func read(_ path: String) throws -> CSVTable { try TrainingData.readTable(path: path, delimiter: delimiter.value).table }
        let base = try read(baseline), now = try read(current)
        let report = try ModelMonitoring.run(model: compiled, baseline: base, current: now,
                                             outcomes: try outcomes.map(read))
        let written = try report.write(to: output)
        printSummary(report, baseline: base.fileName, current: now.fileName)
        print("wrote \(written.joined(separator: ", ")) to \(output)")
    }

    private func printSummary(_ r: MonitoringReport, baseline: String, current: String) {
        print("baseline   \(baseline): \(r.baselineRows) entities; current \(current): \(r.currentRows) entities; "
              + "\(r.matched) in both")
        // Names padded to the longest, so the figures line up.
        let headWidth = (r.scores.map(\.head.count) + r.migrations.map(\.subject.count)).max()! + 2
        print("system stability (PSI of score bands)")
        for s in r.scores {
            print("  " + FitText.pad(s.head, headWidth) + FitText.format(s.stability.index, 4) + "  "
                  + FitText.pad(s.stability.flag.rawValue, 7) + "(\(s.stability.bins.count) bands of \(s.measure))")
        }
        let ranked = r.characteristics.indices.sorted { a, b in
            let x = r.characteristics[a].stability.index, y = r.characteristics[b].stability.index
            return x != y ? x > y : a < b
        }
        let flagged = r.characteristics.filter { $0.stability.flag != .stable }.count
        print("characteristic stability (CSI): \(r.characteristics.count) features, \(flagged) flagged; largest")
        let shown = ranked.prefix(5).map { r.characteristics[$0] }
        let featureWidth = (shown.map(\.feature.count).max() ?? 0) + 2
        for c in shown {
            let moved = MonitoringReport.largestMoves(c.stability, limit: 2).map { b in
                "\(c.bins[b]) \(FitText.format(c.stability.bins[b].expectedShare, 3))→"
                    + FitText.format(c.stability.bins[b].actualShare, 3)
            }
            print("  " + FitText.pad(c.feature, featureWidth) + FitText.format(c.stability.index, 4) + "  "
                  + FitText.pad(c.stability.flag.rawValue, 7) + moved.joined(separator: ", "))
        }
        print("grade migration (entities in both files: worse / same / better)")
        for m in r.migrations {
            print("  " + FitText.pad(m.subject, headWidth) + "\(m.migration.worse) / \(m.migration.same) / \(m.migration.better)")
        }
        if let m = r.migrations.last, m.migration.total > 0 {
            print("  \(m.subject): rows from, columns to")
            print("    " + FitText.pad("", 6) + m.labels.map { FitText.padLeft($0, 8) }.joined())
            for (i, row) in m.migration.counts.enumerated() {
                print("    " + FitText.pad(m.labels[i], 6) + row.map { FitText.padLeft("\($0)", 8) }.joined())
            }
        }
        let drift = r.discrimination
        guard !drift.isEmpty else { return }
        print("discrimination (AUC baseline → current, relative fall of Gini)")
        for d in drift {
            func auc(_ fit: MonitoringReport.OutcomeFit?) -> String {
                guard let fit else { return "-" }
                return fit.auc.map { FitText.format($0, 4) } ?? "n/a"
            }
            print("  " + FitText.pad(d.head, headWidth) + "\(auc(d.baseline)) → \(auc(d.current))"
                  + (d.giniChange.map { "  " + FitText.format($0, 4) } ?? "") + (d.flag.map { "  \($0.rawValue)" } ?? ""))
        }
        for fit in r.currentOutcomes {
            guard let calibration = fit.calibration else { continue }
            print("calibration of \(fit.head), current sample (\(fit.rows) rows, \(fit.events) events), by decile")
            print("  decile   rows  predicted  observed")
            for (g, bin) in calibration.bins.enumerated() {
                print("  " + FitText.padLeft("\(g + 1)", 6) + FitText.padLeft("\(bin.count)", 7)
                      + FitText.padLeft(FitText.format(bin.meanPredicted, 4), 11)
                      + FitText.padLeft(FitText.format(bin.observedRate, 4), 10))
            }
        }
    }
}
