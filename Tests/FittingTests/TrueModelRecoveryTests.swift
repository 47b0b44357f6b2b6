import Foundation
import Fitting
import LinearAlgebra
import Scoring
import Tables
import Testing
import TestSupport

/// Issue 3, item 5: the synthetic city is drawn from a known model, so a fit of its inspection history must give
/// the generator's risk weights back. The bundled city (`datasets/`, 20,000 entities) records each past check's
/// outcome, drawn as `found ~ Bernoulli(p)` with `p` the true risk head of the checking department; the design is
/// the true model's own encoding of `entities.csv` (standardised, log1p, imputed, missing indicators).
@Suite("Fitting recovers the synthetic city's true risk weights")
struct TrueModelRecoveryTests {
    @Test("every department's fitted intercept and weights lie within 4 standard errors of the true ones")
    func recovery() throws {
        let root = SharedData.bundled("datasets")
        let model = try CompiledModel(ScoringModel.load(from: root.appendingPathComponent("true-model.json")))
        let width = model.designWidth
        let entities = try CSVTable.read(path: root.appendingPathComponent("entities.csv").path)
        let idColumn = try entities.requireColumns(["entity_id"])[0]
        let inputColumns = try entities.requireColumns(model.model.features.map(\.inputColumn))
        var rowOf: [String: Int] = [:]
        let encoded = UnsafeMutablePointer<Double>.allocate(capacity: entities.rowCount * width)
        defer { encoded.deallocate() }
        for row in 0..<entities.rowCount {
            rowOf[entities.rows[row][idColumn]] = row
            for (f, encoder) in model.encoders.enumerated() {
                guard case let .numeric(numeric) = encoder else {
                    Issue.record("feature \(model.model.features[f].name) is not numeric")
                    return
                }
                let text = entities.rows[row][inputColumns[f]]
                do {
                    try numeric.encode(text.isEmpty ? nil : Double(text), into: encoded + row * width + model.designOffsets[f])
                } catch {
                    Issue.record("entities.csv row \(row + 2), \(model.model.features[f].name): \(error)")
                    return
                }
            }
        }

        let history = try CSVTable.read(path: root.appendingPathComponent("history.csv").path)
        let h = try history.requireColumns(["entity_id", "department", "found"])
        var checked = 0
        for (head, spec) in model.model.heads.enumerated() {
            guard let department = spec.department else { continue }  // the credit head has no history here
            var rows: [Double] = [], outcome: [Double] = []
            for record in history.rows where record[h[1]] == department {
                let entity = try #require(rowOf[record[h[0]]], "history names an unknown entity")
                rows.append(1)
                rows.append(contentsOf: UnsafeBufferPointer(start: encoded + entity * width, count: width))
                outcome.append(record[h[2]] == "1" ? 1 : 0)
            }
            let fit = try LogisticRegression().fit(
                design: Matrix(rows: outcome.count, columns: width + 1, storage: rows), outcome: outcome)
            let truth = [model.intercepts[head]] + (0..<width).map { model.weights[$0, head] }
            let names = ["intercept"] + model.designColumns
            let z = (0...width).map { (fit.coefficients[$0] - truth[$0]) / fit.standardErrors[$0] }
            let worst = z.indices.max { abs(z[$0]) < abs(z[$1]) }!
            #expect(abs(z[worst]) < 4, "\(department): \(names[worst]) fitted \(fit.coefficients[worst]), true \(truth[worst]), z = \(z[worst])")
            // Not vacuous: the history carries the features' signal, so "all weights 0" is refused by a likelihood
            // ratio test (2Δℓ against the χ²(width) 0.999 quantile, Wilson–Hilferty).
            let rate = outcome.reduce(0, +) / Double(outcome.count)
            let nullLogLikelihood = Double(outcome.count) * (rate * log(rate) + (1 - rate) * log(1 - rate))
            let k = Double(width), quantile = k * pow(1 - 2 / (9 * k) + 3.0902 * (2 / (9 * k)).squareRoot(), 3)
            #expect(2 * (fit.logLikelihood - nullLogLikelihood) > quantile,
                    "\(department): \(outcome.count) checks; LR \(2 * (fit.logLikelihood - nullLogLikelihood)) vs \(quantile)")
            checked += 1
        }
        #expect(checked == 8)
    }
}
