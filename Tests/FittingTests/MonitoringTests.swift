import Fitting
import Foundation
import Scoring
import Tables
import Testing
import TestSupport

/// Monitoring: stability indices against hand computations (the expected values below are the formula
/// `Σ (a − e)·ln(a / e)` worked out by hand from the shares, with ln(0.8), ln(4/3), ln 2, … written out), the
/// thresholds, grade migration, and a whole report on a small model whose bins are known.
@Suite struct MonitoringTests {
    @Test func stabilityIndexMatchesTheHandComputation() throws {
        // Shares 0.5, 0.3, 0.2 → 0.4, 0.4, 0.2: (0.4 − 0.5)·ln(0.8) + (0.4 − 0.3)·ln(4/3) + 0.
        let s = try Metrics.stability(expectedCounts: [50, 30, 20], actualCounts: [40, 40, 20])
        let hand = -0.1 * log(0.8) + 0.1 * log(4.0 / 3.0)
        #expect(abs(s.index - hand) < 1e-15)
        #expect(abs(s.index - 0.051082562376599076) < 1e-15)
        #expect(s.bins.map(\.expectedShare) == [0.5, 0.3, 0.2])
        #expect(s.bins[2].contribution == 0)
        #expect(s.flag == .stable)
        // An empty reference bin is floored at ε = 1e-4: (0.9 − 1)·ln(0.9) + (0.1 − 1e-4)·ln(0.1 / 1e-4).
        let empty = try Metrics.stability(expectedCounts: [100, 0], actualCounts: [90, 10])
        #expect(abs(empty.index - 0.7006208039360982) < 1e-14)
        #expect(empty.bins[1].expectedShare == 0 && empty.flag == .action)
    }

    @Test func stabilityAgreesWithThePopulationStabilityIndexOnItsOwnBins() throws {
        var rng = SeededGenerator(seed: 11)
        let expected = (0..<997).map { _ in Double.random(in: 0..<1, using: &rng) }
        let actual = (0..<613).map { _ in pow(Double.random(in: 0..<1, using: &rng), 1.3) }
        let psi = try Metrics.populationStability(expected: expected, actual: actual)
        let bands = Metrics.QuantileBins(reference: expected)
        #expect(bands.edges == psi.edges)
        var e = [Int](repeating: 0, count: bands.count), a = e
        for v in expected { e[bands.bin(of: v)] += 1 }
        for v in actual { a[bands.bin(of: v)] += 1 }
        let s = try Metrics.stability(expectedCounts: e, actualCounts: a)
        #expect(abs(s.index - psi.index) < 1e-15)
    }

    @Test func flagsAtTheUsualThresholds() {
        #expect(Metrics.StabilityFlag(index: 0.0999) == .stable)
        #expect(Metrics.StabilityFlag(index: 0.1) == .watch)
        #expect(Metrics.StabilityFlag(index: 0.2499) == .watch)
        #expect(Metrics.StabilityFlag(index: 0.25) == .action)
        // Gini 0.6 → 0.5 falls by 1/6 (watch); 0.6 → 0.4 by 1/3 (action); a rise is stable.
        #expect(Metrics.discriminationFlag(referenceAUC: 0.8, currentAUC: 0.75) == .watch)
        #expect(Metrics.discriminationFlag(referenceAUC: 0.8, currentAUC: 0.7) == .action)
        #expect(Metrics.discriminationFlag(referenceAUC: 0.8, currentAUC: 0.9) == .stable)
    }

    @Test func stabilityRefusesMismatchedOrEmptyCounts() {
        #expect(throws: MetricsError.self) { try Metrics.stability(expectedCounts: [1, 2], actualCounts: [1]) }
        #expect(throws: MetricsError.self) { try Metrics.stability(expectedCounts: [0, 0], actualCounts: [1, 1]) }
        #expect(throws: MetricsError.self) { try Metrics.stability(expectedCounts: [-1, 2], actualCounts: [1, 1]) }
    }

    @Test func migrationCountsEveryPair() throws {
        let m = try Metrics.migration(from: [0, 0, 1, 2, 2, 2], to: [0, 1, 1, 2, 1, 0], grades: 3)
        #expect(m.counts == [[1, 1, 0], [0, 1, 0], [1, 1, 1]])
        #expect(m.total == 6 && m.worse == 1 && m.same == 3 && m.better == 2)
        #expect(throws: MetricsError.self) { try Metrics.migration(from: [3], to: [0], grades: 3) }
    }

    /// One binned feature `x` (cuts 1, 2; weight 1 on its WOE) that decides the score, one categorical `kind` with
    /// an unseen bin and no weight, grades on probability between the bins.
    static let model: CompiledModel = {
        let m = ScoringModel(name: "m", idColumn: "id", features: [
            .init(name: "x", binned: .init(cuts: [1, 2], woe: [-1, 0, 1])),
            .init(name: "kind", categorical: .init(encoding: .woe, levels: ["a", "b"], woe: [0.2, -0.2], unseen: .bin,
                                                   unseenWoe: 0)),
        ], heads: [.init(name: "h", link: .logistic, intercept: 0, weights: ["x:woe": 1, "kind:woe": 0],
                         grades: .init(measure: .probability, cuts: [0.4, 0.6], labels: ["A", "B", "C"]))])
        return try! CompiledModel(m)
    }()

    static func table(_ name: String, _ rows: [(String, String, String)]) -> CSVTable {
        CSVTable(fileName: name, header: ["id", "x", "kind"], rows: rows.map { [$0.0, $0.1, $0.2] })
    }

    @Test func reportOnKnownBinsMatchesTheHandComputation() throws {
        // Baseline: x in bins 0,0,0,0,1,1,1,1,2,2; kind a×5, b×5.
        let baseline = Self.table("a.csv", (0..<10).map { i in
            ("e\(i)", ["0.5", "0.5", "0.5", "0.5", "1.5", "1.5", "1.5", "1.5", "2.5", "2.5"][i], i < 5 ? "a" : "b")
        })
        // Current: e0…e9 again, x in bins 0,0,1,1,1,1,2,2,2,2; kind a×5, b×3, z×2 (unseen).
        let current = Self.table("b.csv", (0..<10).map { i in
            ("e\(i)", ["0.5", "0.5", "1.5", "1.5", "1.5", "1.5", "2.5", "2.5", "2.5", "2.5"][i],
             i < 5 ? "a" : (i < 8 ? "b" : "z"))
        })
        let r = try ModelMonitoring.run(model: Self.model, baseline: baseline, current: current)
        // x: shares 0.4, 0.4, 0.2 → 0.2, 0.4, 0.4: −0.2·ln(0.5) + 0 + 0.2·ln 2.
        let x = try #require(r.characteristics.first { $0.feature == "x" })
        #expect(x.bins == ["[-inf, 1.0)", "[1.0, 2.0)", "[2.0, inf)"])
        #expect(abs(x.stability.index - 0.2772588722239781) < 1e-15)
        #expect(x.stability.flag == .action)
        #expect(MonitoringReport.largestMoves(x.stability) == [0, 2])
        // kind: a 0.5 → 0.5, b 0.5 → 0.3, unseen 0 (ε) → 0.2; the missing bin is used by neither and left out.
        let kind = try #require(r.characteristics.first { $0.feature == "kind" })
        #expect(kind.bins == ["a", "b", "(unseen)"])
        #expect(abs(kind.stability.index - 1.6215855264156604) < 1e-14)
        // The score is x's WOE: the baseline's probability deciles are x's bins, so the PSI equals x's CSI.
        let psi = r.scores[0]
        #expect(psi.measure == "probability" && psi.bands.count == 3)
        #expect(abs(psi.stability.index - x.stability.index) < 1e-15)
        // Grades: bin 0 → A (p = 0.27), 1 → B (0.5), 2 → C (0.73); e2, e3 A→B, e6, e7 B→C.
        #expect(r.matched == 10 && r.onlyBaseline == 0 && r.onlyCurrent == 0)
        #expect(r.migrations[0].migration.counts == [[2, 2, 0], [0, 2, 2], [0, 0, 2]])
    }

    @Test func outcomesGiveAUCInEachSampleAndTheFilesAreOneSet() throws {
        var rng = SeededGenerator(seed: 5)
        func sample(_ name: String, _ n: Int, _ offset: Int) -> CSVTable {
            Self.table(name, (0..<n).map { i in
                ("e\(i + offset)", DecimalFormatting.shortest(Double.random(in: 0..<3, using: &rng)),
                 Bool.random(using: &rng) ? "a" : "b")
            })
        }
        let baseline = sample("a.csv", 400, 0), current = sample("b.csv", 300, 200)
        // Outcome: an event when x ≥ 2 or, for a quarter of the rows, at random — so AUC is well above 0.5.
        var outcomeRows: [[String]] = []
        for t in [baseline, current] {
            for row in t.rows {
                let event = Double(row[1])! >= 2 || Double.random(in: 0..<1, using: &rng) < 0.25
                outcomeRows.append([row[0], event ? "1" : "0"])
            }
        }
        let known = Dictionary(outcomeRows.map { ($0[0], $0[1]) }, uniquingKeysWith: { first, _ in first })
        let outcomes = CSVTable(fileName: "f.csv", header: ["id", "h"], rows: known.sorted { $0.key < $1.key }.map { [$0.key, $0.value] })
        let r = try ModelMonitoring.run(model: Self.model, baseline: baseline, current: current, outcomes: outcomes)
        #expect(r.matched == 200 && r.onlyBaseline == 200 && r.onlyCurrent == 100)
        let b = try #require(r.baselineOutcomes.first), c = try #require(r.currentOutcomes.first)
        #expect(b.rows == 400 && c.rows == 300)
        let y = current.rows.map { Double(known[$0[0]]!)! }
        let scores = try Self.model.scores(of: current).scores(head: 0)
        #expect(c.auc == (try Metrics.auc(scores: scores, outcomes: y)))
        #expect(c.calibration?.bins.reduce(0) { $0 + $1.count } == 300)

        let dir = try TemporaryDirectory("monitor-files")
        defer { dir.remove() }
        let out = dir.file("report").path
        #expect(try r.write(to: out) == MonitoringReport.fileNames)
        let stability = try CSVTable.read(dir.file("report/stability.csv"))
        #expect(stability.header == ["kind", "subject", "measure", "bins", "index", "flag", "moved"])
        #expect(stability.rows.map { $0[0] + ":" + $0[1] } == ["psi:h", "csi:x", "csi:kind"])
        let migration = try CSVTable.read(dir.file("report/migration.csv"))
        #expect(migration.rowCount == 9 && migration.rows.map { Int($0[3])! }.reduce(0, +) == 200)
        // A run without outcomes replaces the whole set: no stale discrimination.csv is left beside it.
        let plain = try ModelMonitoring.run(model: Self.model, baseline: baseline, current: current)
        #expect(try plain.write(to: out) == ["stability.csv", "stability-bins.csv", "migration.csv"])
        #expect(!FileManager.default.fileExists(atPath: dir.file("report/discrimination.csv").path))
        // A directory with other files is refused before anything is written.
        try "x".write(to: dir.file("report/notes.txt"), atomically: true, encoding: .utf8)
        #expect(throws: OutputError.self) { try plain.write(to: out) }
    }

    @Test func refusesAnEmptySampleAndRepeatedIDs() throws {
        let one = Self.table("a.csv", [("e1", "0.5", "a")])
        #expect(throws: TableError.self) {
            try ModelMonitoring.run(model: Self.model, baseline: one, current: Self.table("b.csv", []))
        }
        let repeated = Self.table("b.csv", [("e1", "0.5", "a"), ("e1", "1.5", "b")])
        let error = try #require(throws: TableError.self) {
            try ModelMonitoring.run(model: Self.model, baseline: one, current: repeated)
        }
        #expect("\(error)".contains("b.csv"))
    }
}
