import Foundation
import LinearAlgebra
import Scoring
import Testing
import TestSupport
@testable import Fitting

/// Exported model files validate, round-trip through JSON, and — read by the model file's own rules
/// (re-implemented here independently of the fitter) — give the fitter's scores.
@Suite struct ScoringModelExportTests {
    /// The head's score for one row, following models/MODEL_FORMAT.md.
    static func headScore(_ model: ScoringModel, numeric: [String: Double], levels: [String: String]) -> Double {
        let head = model.heads[0]
        var score = head.intercept
        for f in model.features {
            if let b = f.binned {
                let x = numeric[f.name]!
                let bin = b.cuts.filter { $0 <= x }.count
                score += head.weights["\(f.name):woe"]! * b.woe[bin]
            } else if let c = f.categorical, c.encoding == .woe {
                let level = levels[f.name]!
                let woe = c.levels.firstIndex(of: level).map { c.woe![$0] } ?? (c.unseenWoe ?? 0)
                score += head.weights["\(f.name):woe"]! * woe
            } else if let c = f.categorical {
                let level = levels[f.name]!
                if level != c.reference {
                    score += head.weights[c.levels.contains(level) ? "\(f.name)=\(level)" : "\(f.name)=(unseen)"]!
                }
            } else {
                score += head.weights[f.name]! * numeric[f.name]!
            }
        }
        return score
    }

    static func row(_ columns: [FeatureColumn], _ i: Int) -> ([String: Double], [String: String]) {
        var numeric: [String: Double] = [:], levels: [String: String] = [:]
        for c in columns {
            switch c {
            case let .numeric(name, values): numeric[name] = values[i]
            case let .categorical(name, l): levels[name] = l[i]
            }
        }
        return (numeric, levels)
    }

    @Test(.enabled(if: SharedData.shouldRun(GermanCredit.path)))
    func scorecardModelFileScoresLikeTheScorecard() throws {
        let (columns, outcome) = try GermanCredit.load()
        let (train, test) = try GermanCreditReference.split()
        let card = try ScorecardBuilder().fit(columns: columns, outcome: outcome, trainingRows: train)
        let bands = try ScoringModel.GradeBands.pointQuantiles(of: try card.scores(columns.map { $0.selecting(rows: train) }))
        let model = card.scoringModel(name: "german-credit-scorecard", idColumn: "id", grades: bands)
        try model.validate(file: "german-credit-scorecard.json")
        #expect(Set(model.designColumns) == Set(model.heads[0].weights.keys))
        let decoded = try ScoringModel.decode(try model.encoded(), file: "roundtrip.json")
        #expect(decoded == model)
        let eta = try card.linearPredictors(columns.map { $0.selecting(rows: test) })
        let points = model.heads[0].points!
        for (r, i) in test.enumerated() {
            let (numeric, levels) = Self.row(columns, i)
            let score = Self.headScore(model, numeric: numeric, levels: levels)
            #expect(abs(score - eta[r]) <= 1e-12)
            // MODEL_FORMAT.md: factor = PDO / ln 2, offset = basePoints − factor·ln(baseOdds), points = offset − factor·score.
            let factor = points.pointsToDoubleOdds / log(2)
            let offset = points.basePoints - factor * log(points.baseOdds)
            #expect(abs((offset - factor * score) - card.scaling.points(logOdds: eta[r])) <= 1e-9)
        }
    }

    @Test func dummyDesignModelFileScoresLikeTheFit() throws {
        var rng = SeededGenerator(seed: 12)
        let n = 300
        let size = (0..<n).map { _ in rng.normal() }
        let kind = (0..<n).map { _ in ["bakery", "canteen", "grocery"][Int.random(in: 0..<3, using: &rng)] }
        let outcome = (0..<n).map { i in
            Double.random(in: 0..<1, using: &rng) < LogisticLoss.sigmoid(0.5 * size[i] + (kind[i] == "canteen" ? 1 : 0)) ? 1.0 : 0
        }
        let columns: [FeatureColumn] = [.numeric(name: "size", values: size), .categorical(name: "kind", levels: kind)]
        let design = DummyDesign(columns: columns)
        // The reference level is the most frequent kind (ties: the first in byte order).
        let counts = Dictionary(kind.map { ($0, 1) }, uniquingKeysWith: +)
        let reference = counts.keys.sorted().max { counts[$0]! < counts[$1]! }!
        #expect(design.columnNames == ["intercept", "size"] + counts.keys.sorted().filter { $0 != reference }.map { "kind=\($0)" })
        let fit = try LogisticRegression().fit(design: try design.matrix(columns, rows: Array(0..<n)), outcome: outcome,
                                               columnNames: design.columnNames)
        let model = design.scoringModel(fit, name: "toy", idColumn: "id")
        try model.validate(file: "toy.json")
        #expect(Set(model.designColumns) == Set(model.heads[0].weights.keys))
        let eta = fit.linearPredictor(try design.matrix(columns, rows: Array(0..<n)))
        for i in 0..<n {
            let (numeric, levels) = Self.row(columns, i)
            #expect(abs(Self.headScore(model, numeric: numeric, levels: levels) - eta[i]) <= 1e-12)
        }
        // An unseen level scores as the reference level.
        let unseen = Self.headScore(model, numeric: ["size": 0.3], levels: ["kind": "food truck"])
        #expect(unseen == Self.headScore(model, numeric: ["size": 0.3], levels: ["kind": reference]))
    }
}
