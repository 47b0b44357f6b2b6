import Foundation
import Tables
import Testing
import TestSupport
@testable import Scoring

/// The scoring path against an outside reference: statsmodels' unpenalised logistic fit on German credit
/// (`../shared/datasets/german-credit/reference`). A model built from the reference's own recipe (standardised
/// numerics, pandas drop-first dummies) must reproduce the reference design matrix × coefficients on the *raw*
/// file, and the log-likelihood statsmodels reports.
@Suite struct GermanCreditReferenceTests {
    static let files = ["german-credit/germancredit.csv", "german-credit/reference/standardization.csv",
                        "german-credit/reference/coef_logit_unpenalized_statsmodels.csv",
                        "german-credit/reference/design_matrix.csv"]

    @Test(.enabled(if: files.allSatisfy { SharedData.shouldRun($0) }))
    func rawFileScoredWithReferenceCoefficientsReproducesStatsmodels() throws {
        let raw = try CSVTable.read(SharedData.url(Self.files[0]))
        let standardization = try CSVTable.read(SharedData.url(Self.files[1]))
        let coefficients = try CSVTable.read(SharedData.url(Self.files[2]))
        let design = try CSVTable.read(SharedData.url(Self.files[3]))

        let names = try coefficients.strings(named: "name"), coefs = try coefficients.doubles(named: "coef")
        let weightOf = Dictionary(uniqueKeysWithValues: zip(names, coefs))
        let numeric = try standardization.strings(named: "column")
        let means = try standardization.doubles(named: "mean"), stds = try standardization.doubles(named: "std_ddof0")

        var features: [ScoringModel.Feature] = []
        for (i, name) in numeric.enumerated() {
            features.append(.init(name: name, numeric: .init(mean: means[i], std: stds[i])))
        }
        // Categoricals: every raw column that is not numeric and not the outcome. The reference level is the one
        // level without a coefficient (pandas dropped the first sorted level).
        for name in raw.header where !numeric.contains(name) && name != "creditability" {
            let levels = Array(Set(try raw.strings(named: name))).sorted()
            let dropped = levels.filter { weightOf["\(name)=\($0)"] == nil }
            #expect(dropped.count == 1, "\(name): dropped levels \(dropped)")
            features.append(.init(name: name, categorical: .init(encoding: .oneHot, levels: levels, reference: dropped[0])))
        }
        var model = ScoringModel(name: "german-credit-reference", idColumn: "row", features: features, heads: [])
        let weights = Dictionary(uniqueKeysWithValues: model.designColumns.map { ($0, weightOf[$0] ?? .nan) })
        #expect(weights.values.allSatisfy { $0.isFinite }, "every design column has a reference coefficient")
        #expect(model.designColumns.count == names.count - 1)
        model.heads = [.init(name: "bad", link: .logistic, intercept: weightOf["const"]!, weights: weights)]

        // The raw file with a row id in front (quoting preserved by re-writing through the CSV writer).
        let dir = try TemporaryDirectory("german")
        defer { dir.remove() }
        let writer = try CSVWriter(url: dir.file("raw.csv"))
        try writer.appendRow(["row"] + raw.header)
        for (i, r) in raw.rows.enumerated() { try writer.appendRow([String(i)] + r) }
        try writer.commit()

        var options = ScoreOptions()
        options.scoreDecimals = 15
        options.probabilityDecimals = 17
        _ = try ScoreJob.run(model: CompiledModel(model), input: dir.file("raw.csv"), output: dir.file("out.csv"),
                             options: options)
        let out = try CSVTable.read(dir.file("out.csv"))
        let ours = try out.doubles(named: "bad_probability")
        let ourScores = try out.doubles(named: "bad_score")

        // Independent: design_matrix.csv (pandas) × statsmodels coefficients, summed in plain loops.
        let y = try design.doubles(named: "y")
        var llf = 0.0, worst = 0.0
        for i in 0..<design.rowCount {
            var s = 0.0
            for name in names { s += weightOf[name]! * Double(design.rows[i][design.columnIndex(named: name)!])! }
            worst = max(worst, abs(ourScores[i] - s))
            let p = ours[i]
            llf += y[i] == 1 ? log(p) : log1p(-p)
        }
        #expect(worst <= 1e-12, "largest score difference from the reference design: \(worst)")
        #expect(abs(llf - -451.5630171952752) <= 1e-8, "log-likelihood \(llf)")
    }
}
