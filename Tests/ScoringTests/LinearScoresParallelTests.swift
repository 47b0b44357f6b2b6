import Testing
import TestSupport
import LinearAlgebra
@testable import Scoring

/// ``CompiledModel/linearScoresParallel(design:rows:into:threads:rowsPerTask:)`` promises the serial call's bits
/// whatever the thread count and panel size, including when its output is large enough for streaming stores.
@Suite struct LinearScoresParallelTests {
    /// 16 numeric features → 8 heads (one full head group, so aligned rows can be streamed).
    static func model(features p: Int = 16, heads h: Int = 8) throws -> CompiledModel {
        var g = SeededGenerator(seed: 11)
        let features = (0..<p).map { ScoringModel.Feature(name: "x\($0)", numeric: .init()) }
        let heads = (0..<h).map { k in
            ScoringModel.Head(name: "h\(k)", link: .logistic, intercept: Double.random(in: -1...1, using: &g),
                              weights: Dictionary(uniqueKeysWithValues: (0..<p).map {
                                  ("x\($0)", Double.random(in: -2...2, using: &g))
                              }))
        }
        return try CompiledModel(ScoringModel(name: "parallel", idColumn: "id", features: features, heads: heads))
    }

    /// Scores `rows` random design rows in parallel into a 64-byte-aligned buffer `offset` doubles in.
    static func parallel(_ model: CompiledModel, design: [Double], rows: Int, threads: Int, rowsPerTask: Int,
                         offset: Int) -> [UInt64] {
        let count = rows * model.headCount
        let raw = UnsafeMutableRawPointer.allocate(byteCount: (count + offset) * 8, alignment: 64)
        defer { raw.deallocate() }
        let out = raw.bindMemory(to: Double.self, capacity: count + offset) + offset
        out.initialize(repeating: .nan, count: count)
        design.withUnsafeBufferPointer {
            model.linearScoresParallel(design: $0.baseAddress!, rows: rows, into: out, threads: threads,
                                       rowsPerTask: rowsPerTask)
        }
        return UnsafeBufferPointer(start: out, count: count).map(\.bitPattern)
    }

    @Test func equalsTheSerialScoresToTheBit() throws {
        let model = try Self.model()
        // 70,000 rows × 8 heads × 8 bytes = 4.5 MB of output: above the streaming threshold.
        let rows = 70_000
        #expect(rows * model.headCount * 8 > CompiledModel.streamingOutputBytes)
        var g = SeededGenerator(seed: 5)
        let design = (0..<(rows * model.designWidth)).map { _ in Double.random(in: -3...3, using: &g) }
        var serial = [Double](repeating: .nan, count: rows * model.headCount)
        design.withUnsafeBufferPointer { d in
            serial.withUnsafeMutableBufferPointer { model.linearScores(design: d.baseAddress!, rows: rows, into: $0.baseAddress!) }
        }
        let expected = serial.map(\.bitPattern)
        // Aligned output (streamed), a misaligned one (ordinary stores), and panels of an odd size, whose starts
        // alternate between aligned and not.
        for (threads, rowsPerTask, offset) in [(2, 4096, 0), (2, 4096, 1), (3, 1001, 0), (1, 4096, 0)] {
            #expect(Self.parallel(model, design: design, rows: rows, threads: threads, rowsPerTask: rowsPerTask,
                                  offset: offset) == expected, "threads \(threads), panels \(rowsPerTask), offset \(offset)")
        }
    }

    @Test func smallOutputsAreScoredTheSame() throws {
        let model = try Self.model(features: 5, heads: 3)
        let rows = 9000
        var g = SeededGenerator(seed: 6)
        let design = (0..<(rows * model.designWidth)).map { _ in Double.random(in: -3...3, using: &g) }
        var serial = [Double](repeating: .nan, count: rows * model.headCount)
        design.withUnsafeBufferPointer { d in
            serial.withUnsafeMutableBufferPointer { model.linearScores(design: d.baseAddress!, rows: rows, into: $0.baseAddress!) }
        }
        #expect(Self.parallel(model, design: design, rows: rows, threads: 2, rowsPerTask: 512, offset: 0)
                == serial.map(\.bitPattern))
    }
}
