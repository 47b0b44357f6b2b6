import Foundation
import Testing
@testable import Scoring
import TestSupport

@Suite struct EncoderTests {
    let compiled = try! CompiledModel(Fixtures.model())

    func numeric(_ i: Int, _ x: Double?) throws -> [Double] {
        guard case let .numeric(e) = compiled.encoders[i] else { fatalError() }
        var out = [Double](repeating: .nan, count: e.indicator ? 2 : 1)
        try out.withUnsafeMutableBufferPointer { try e.encode(x, into: $0.baseAddress!) }
        return out
    }

    func categorical(_ i: Int, _ s: String) throws -> [Double] {
        guard case let .categorical(e) = compiled.encoders[i] else { fatalError() }
        var out = [Double](repeating: .nan, count: e.width)
        var bytes = Array(s.utf8)
        try out.withUnsafeMutableBufferPointer { o in
            try bytes.withUnsafeMutableBytes { try e.encode(UnsafeRawBufferPointer($0), into: o.baseAddress!) }
        }
        return out
    }

    @Test func numericPipelineIsLog1pThenClipThenStandardise() throws {
        #expect(try numeric(0, 3) == [(log1p(3) - 2) / 0.5])
        #expect(try numeric(0, 1e6) == [(5 - 2) / 0.5])       // log1p(1e6) ≈ 13.8 clipped to 5
        #expect(throws: EncodingFailure.log1pDomain(-1)) { try numeric(0, -1) }
        #expect(throws: EncodingFailure.missingNotAllowed) { try numeric(0, nil) }
        #expect(throws: EncodingFailure.nonFinite) { try numeric(0, .nan) }
        #expect(throws: EncodingFailure.nonFinite) { try numeric(0, .infinity) }
    }

    @Test func imputationSetsTheIndicator() throws {
        #expect(try numeric(1, 14) == [1, 0])
        #expect(try numeric(1, nil) == [0, 1])
    }

    @Test func oneHotHasReferenceAndUnseenBin() throws {
        #expect(try categorical(2, "restaurant") == [0, 0, 0])
        #expect(try categorical(2, "hotel") == [1, 0, 0])
        #expect(try categorical(2, "pharmacy") == [0, 1, 0])
        #expect(try categorical(2, "casino") == [0, 0, 1])
        #expect(try categorical(3, "D02") == [-0.2])
        #expect(try categorical(3, "D99") == [0])
    }

    @Test func unseenLevelWithoutBinIsAnError() throws {
        var model = Fixtures.model()
        model.features[2].categorical!.unseen = .error
        model.heads = model.heads.map { h in
            var h = h
            h.weights.removeValue(forKey: "scenario=(unseen)")
            return h
        }
        let c = try CompiledModel(model)
        guard case let .categorical(e) = c.encoders[2] else { fatalError() }
        var out = [Double](repeating: 0, count: e.width)
        var bytes = Array("casino".utf8)
        #expect(throws: EncodingFailure.unseenLevel("casino")) {
            try out.withUnsafeMutableBufferPointer { o in
                try bytes.withUnsafeMutableBytes { try e.encode(UnsafeRawBufferPointer($0), into: o.baseAddress!) }
            }
        }
    }

    @Test func binsAreHalfOpenOnTheRight() throws {
        guard case let .binned(e) = compiled.encoders[4] else { fatalError() }
        #expect([0.0, 0.999, 1, 2.5, 3, 100].map(e.bin(of:)) == [0, 0, 1, 1, 2, 2])
    }

    @Test func linearScoresEqualNaiveSums() {
        // Seeded random design rows; the dgemm result must equal the textbook sum to 1e-12.
        var state: UInt64 = 7
        func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53) * 4 - 2
        }
        let rows = 37, p = compiled.designWidth, h = compiled.headCount
        let design = (0..<(rows * p)).map { _ in next() }
        var linear = [Double](repeating: .nan, count: rows * h)
        design.withUnsafeBufferPointer { d in
            linear.withUnsafeMutableBufferPointer { compiled.linearScores(design: d.baseAddress!, rows: rows, into: $0.baseAddress!) }
        }
        for i in 0..<rows { for (j, head) in compiled.model.heads.enumerated() {
            var s = head.intercept
            for (c, name) in compiled.designColumns.enumerated() { s += design[i * p + c] * head.weights[name]! }
            #expect(abs(linear[i * h + j] - s) <= 1e-12)
        } }
    }

    @Test func pointsFollowTheScorecardFormula() {
        let credit = compiled.heads[0]
        // At bad-odds 1/50 (log-odds −ln 50) the points are the base points; +20 points halve the odds.
        let atBase = credit.points(-log(50.0))!
        #expect(abs(atBase - 600) < 1e-9)
        #expect(abs(credit.points(-log(100.0))! - 620) < 1e-9)
        #expect(credit.gradeIndex(score: 0, probability: nil, points: 640) == 0)
        #expect(credit.gradeIndex(score: 0, probability: nil, points: 639.9) == 1)
        #expect(credit.gradeIndex(score: 0, probability: nil, points: 500) == 3)
        let fire = compiled.heads[1]
        #expect(fire.gradeIndex(score: 0, probability: 0.0999, points: nil) == 0)
        #expect(fire.gradeIndex(score: 0, probability: 0.1, points: nil) == 1)
        #expect(fire.gradeIndex(score: 0, probability: 0.9, points: nil) == 3)
    }

    /// The band rule counts the cut points passed; on validated (ordered) cuts that must equal the first cut not
    /// passed, which is how the rule reads: checked on seeded random cuts, with values on the cuts, NaN and ±∞.
    @Test(arguments: [ScoringModel.GradeMeasure.probability, .score, .points])
    func gradeIndexIsTheFirstCutNotPassed(measure: ScoringModel.GradeMeasure) {
        var rng = SeededGenerator(seed: 41)
        for _ in 0..<2_000 {
            var cuts = Set((0..<Int.random(in: 1...5, using: &rng)).map { _ in Double(Int.random(in: -20...20, using: &rng)) / 4 })
                .sorted()
            if measure == .points { cuts.reverse() }
            let passes: (Double, Double) -> Bool = measure == .points ? { $0 < $1 } : { $0 >= $1 }
            let values = cuts + cuts.map { $0.nextUp } + cuts.map { $0.nextDown }
                + [.nan, .infinity, -.infinity, Double.random(in: -6...6, using: &rng)]
            for x in values {
                var expected = 0
                while expected < cuts.count && passes(x, cuts[expected]) { expected += 1 }
                let g = cuts.withUnsafeBufferPointer {
                    HeadOutput.gradeIndex(measure, cuts: $0, score: x, probability: x, points: x)
                }
                #expect(g == expected, "\(measure) \(x) on \(cuts)")
            }
        }
    }

    @Test func logisticIsStableAtExtremes() {
        #expect(HeadOutput.logistic(800) == 1)
        #expect(HeadOutput.logistic(-800) == 0)
        #expect(!HeadOutput.logistic(-800).isNaN)
        #expect(abs(HeadOutput.logistic(0) - 0.5) < 1e-16)
    }

    @Test func worstGradeIsTheClass() {
        let grades = [1, 3]
        #expect(grades.withUnsafeBufferPointer { compiled.supervisionClass(gradeIndices: $0.baseAddress!) } == "D")
    }
}
