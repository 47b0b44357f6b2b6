import Foundation
import Testing
import TestSupport
import Tables
@testable import Scoring

/// No score, probability or points is ever written as Inf or NaN: a model that can overflow for any accepted input
/// is refused at load; with an unbounded feature, the overflowing row is refused with its file, line and column.
/// (Before, `score` wrote `Inf` and `-Inf` and exited 0.)
@Suite struct ScoreOverflowTests {
    static func model(_ numeric: ScoringModel.NumericTransform, weight: Double, intercept: Double = 0,
                      points: ScoringModel.PointsScaling? = nil) -> ScoringModel {
        ScoringModel(name: "m", idColumn: "entity_id",
                     features: [.init(name: "complaints", numeric: numeric),
                                .init(name: "scenario", categorical: .init(encoding: .oneHot, levels: ["a", "b"], reference: "a"))],
                     heads: [.init(name: "risk", link: .logistic, intercept: intercept,
                                   weights: ["complaints": weight, "scenario=b": 1], points: points)])
    }

    func loadError(_ model: ScoringModel) -> String {
        do { _ = try CompiledModel(model, file: "m.json"); return "no error" } catch { return "\(error)" }
    }

    @Test func boundedFeaturesWithHugeWeightsAreRefusedAtLoad() {
        // log1p values lie in [−36.7, 709.8]: with this weight some input overflows.
        #expect(loadError(Self.model(.init(log1p: true), weight: 1e306))
                == "m.json: invalid model at heads[0] (risk).weights: weights this large can make the score overflow a "
                + "double for some input (|intercept| + Σ |weight| · largest |design value| exceeds 1.8e308)")
        // Clipped on both sides: bounded too.
        #expect(loadError(Self.model(.init(clipMin: -1e300, clipMax: 1e300), weight: 1e10)).contains("heads[0] (risk).weights"))
        // The same weights are fine where every input keeps the score finite.
        #expect(loadError(Self.model(.init(log1p: true), weight: 1e300)) == "no error")
        #expect(loadError(Self.model(.init(clipMin: -1, clipMax: 1), weight: 1e307)) == "no error")
    }

    @Test func standardisationThatOverflowsIsRefusedAtLoad() {
        #expect(loadError(Self.model(.init(clipMin: -1e308, clipMax: 1e308, mean: 0, std: 1e-10), weight: 0))
                == "m.json: invalid model at features[0] (complaints).numeric: its clip bounds, mean and std let the "
                + "standardised value overflow a double")
    }

    @Test func pointsThatOverflowAreRefusedAtLoad() {
        #expect(loadError(Self.model(.init(log1p: true), weight: 1,
                                     points: .init(basePoints: 600, baseOdds: 50, pointsToDoubleOdds: 1e308)))
                == "m.json: invalid model at heads[0] (risk).points: the scaling's factor or offset overflows a double")
        #expect(loadError(Self.model(.init(log1p: true), weight: 1e300,
                                     points: .init(basePoints: 600, baseOdds: 50, pointsToDoubleOdds: 1e10)))
                == "m.json: invalid model at heads[0] (risk).points: with these weights the points can overflow a double for some input")
    }

    /// An unbounded numeric feature: the model loads; the row whose score overflows is refused, in the file and in
    /// memory, naming the column that drives it.
    @Test func anOverflowingRowIsRefusedWithItsPlace() throws {
        let compiled = try CompiledModel(Self.model(.init(), weight: 1e300), file: "m.json")
        let dir = try TemporaryDirectory("overflow")
        defer { dir.remove() }
        let input = dir.file("e.csv"), output = dir.file("s.csv")
        try "entity_id,complaints,scenario\nE1,1,a\nE2,1e10,b\nE3,2,a\n".write(to: input, atomically: true, encoding: .utf8)
        let expected = "e.csv:3:2 (column \"complaints\"): \"1e10\" is not valid; expected a value for which head "
            + "\"risk\" has a finite score (here it overflows a double)"
        #expect(throws: TableError.self) { try ScoreJob.run(model: compiled, input: input, output: output) }
        do { _ = try ScoreJob.run(model: compiled, input: input, output: output) } catch {
            #expect("\(error)" == expected)
        }
        #expect(!FileManager.default.fileExists(atPath: output.path))
        do { _ = try compiled.scores(of: CSVTable.read(input)) } catch { #expect("\(error)" == expected) }
        // −1e10 makes −Inf: refused the same way.
        try "entity_id,complaints,scenario\nE1,-1e10,b\n".write(to: input, atomically: true, encoding: .utf8)
        #expect(throws: TableError.self) { try ScoreJob.run(model: compiled, input: input, output: output) }
    }

    /// Points overflow before the score does when the factor is large: refused as points, not written as −Inf.
    @Test func overflowingPointsAreRefused() throws {
        let compiled = try CompiledModel(Self.model(.init(), weight: 1, points: .init(basePoints: 600, baseOdds: 50,
                                                                                        pointsToDoubleOdds: 1e300)),
                                         file: "m.json")
        let table = CSVTable(fileName: "e.csv", header: ["entity_id", "complaints", "scenario"],
                             rows: [["E1", "1", "a"], ["E2", "1e10", "a"]])
        do {
            _ = try compiled.scores(of: table)
            Issue.record("no error")
        } catch {
            #expect("\(error)" == "e.csv:3:2 (column \"complaints\"): \"1e10\" is not valid; expected a value for which "
                    + "head \"risk\" has finite points (here it overflows a double)")
        }
    }

    /// The check costs nothing in correctness: rows that stay finite are scored as before, with the probability
    /// saturating at 1 for a huge but finite score.
    @Test func largeFiniteScoresAreKept() throws {
        let compiled = try CompiledModel(Self.model(.init(), weight: 1e300), file: "m.json")
        let table = CSVTable(fileName: "e.csv", header: ["entity_id", "complaints", "scenario"], rows: [["E1", "1", "a"]])
        let scores = try compiled.scores(of: table)
        #expect(scores.score(row: 0, head: 0) == 1e300)
        #expect(scores.probability(row: 0, head: 0) == 1)
    }
}
