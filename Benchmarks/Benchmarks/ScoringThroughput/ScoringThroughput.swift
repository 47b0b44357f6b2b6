// ordo-one/benchmark suite: throughput of the scoring kernel (rows scored per second), tracked over time with
// `swift package benchmark baseline`. The peer comparison lives in scripts/run-all.sh.
import Benchmark
import LinearAlgebra
import Scoring

let benchmarks: @Sendable () -> Void = {
    let rows = 262_144, p = 30, h = 6
    var features: [ScoringModel.Feature] = []
    for j in 0..<p { features.append(.init(name: "x\(j)", numeric: .init(mean: 0, std: 1))) }
    let heads = (0..<h).map { k in
        ScoringModel.Head(name: "h\(k)", link: .logistic, intercept: 0,
                          weights: Dictionary(uniqueKeysWithValues: (0..<p).map { ("x\($0)", Double(($0 + k) % 7) / 7) }))
    }
    let model = try! CompiledModel(ScoringModel(name: "bench", idColumn: "id", features: features, heads: heads))
    let design = (0..<(rows * p)).map { Double($0 % 1013) / 1013 }

    Benchmark("kernel 262144×30 → 6 heads",
              configuration: .init(metrics: [.wallClock, .throughput, .peakMemoryResident], scalingFactor: .kilo)) { benchmark in
        var linear = [Double](repeating: 0, count: rows * h)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            design.withUnsafeBufferPointer { d in
                linear.withUnsafeMutableBufferPointer { l in
                    model.linearScoresParallel(design: d.baseAddress!, rows: rows, into: l.baseAddress!)
                }
            }
        }
        benchmark.stopMeasurement()
        blackHole(linear)
    }
}
