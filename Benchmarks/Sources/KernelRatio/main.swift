// The scoring kernel alone (design matrix in memory, 3M rows × 64 features → 8 heads) against the machine's
// square-dgemm FLOP rate, measured in the same run. Prints medians and the ratio; no absolute claim is made.
//
//   swift run -c release kernel-ratio [--rows 3000000] [--features 64] [--heads 8] [--square 2000] [--repeats 7]
import Foundation
import LinearAlgebra
import Scoring

func argument(_ name: String, _ fallback: Int) -> Int {
    let args = CommandLine.arguments
    if let i = args.firstIndex(of: name), i + 1 < args.count, let v = Int(args[i + 1]) { return v }
    return fallback
}

let rows = argument("--rows", 3_000_000), p = argument("--features", 64), h = argument("--heads", 8)
let square = argument("--square", 2000), repeats = argument("--repeats", 7)
let cores = ProcessInfo.processInfo.activeProcessorCount

func median(_ xs: [Double]) -> Double { let s = xs.sorted(); return s[s.count / 2] }
func time(_ body: () -> Void) -> Double {
    let t0 = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
}

// Deterministic fill (a linear congruential sequence); values do not affect dgemm speed.
var state: UInt64 = 12345
func fill(_ n: Int) -> [Double] {
    var out = [Double](repeating: 0, count: n)
    for i in 0..<n {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        out[i] = Double(Int64(bitPattern: state >> 11) % 2000) / 1000 - 1
    }
    return out
}

// 1. Square dgemm with OpenBLAS's own threading over all cores: the machine's attainable FLOP rate.
let a = Matrix(rows: square, columns: square, storage: fill(square * square))
let b = Matrix(rows: square, columns: square, storage: fill(square * square))
var c = Matrix(rows: square, columns: square)
BLASThreads.count = cores
BLAS.gemm(a, b, into: &c)  // warm-up (thread pool start)
let squareTimes = (0..<repeats).map { _ in time { BLAS.gemm(a, b, into: &c) } }
let squareRate = 2 * pow(Double(square), 3) / median(squareTimes)

// 2. The scoring kernel: X (rows × p) · W (p × h) + intercepts, cache-sized panels on all cores.
var weights: [String: Double] = [:]
var features: [ScoringModel.Feature] = []
for j in 0..<p { features.append(.init(name: "x\(j)", numeric: .init())) }
let wValues = fill(p * h)
let heads = (0..<h).map { k in
    ScoringModel.Head(name: "h\(k)", link: .logistic, intercept: 0.1 * Double(k),
                      weights: Dictionary(uniqueKeysWithValues: (0..<p).map { ("x\($0)", wValues[$0 * h + k]) }))
}
_ = weights
let model = try CompiledModel(ScoringModel(name: "kernel", idColumn: "id", features: features, heads: heads))
let design = fill(rows * p)
var linear = [Double](repeating: 0, count: rows * h)
let kernelFlops = 2 * Double(rows) * Double(p) * Double(h)
func runKernel(threads: Int) {
    design.withUnsafeBufferPointer { d in
        linear.withUnsafeMutableBufferPointer { l in
            model.linearScoresParallel(design: d.baseAddress!, rows: rows, into: l.baseAddress!, threads: threads)
        }
    }
}
runKernel(threads: cores)
let kernelTimes = (0..<repeats).map { _ in time { runKernel(threads: cores) } }
let kernelRate = kernelFlops / median(kernelTimes)

// 3. For contrast: one multi-threaded dgemm call over the whole tall, thin product (what `X @ W` does).
BLASThreads.count = cores
func runSingleCall() {
    design.withUnsafeBufferPointer { d in
        linear.withUnsafeMutableBufferPointer { l in
            model.linearScores(design: d.baseAddress!, rows: rows, into: l.baseAddress!)
        }
    }
}
runSingleCall()
let singleTimes = (0..<repeats).map { _ in time { runSingleCall() } }
let singleRate = kernelFlops / median(singleTimes)

print("cores: \(cores); repeats: \(repeats) (medians)")
print(String(format: "square dgemm %d×%d, OpenBLAS %d threads:   %7.2f GFLOP/s  (median %.4f s)", square, square, cores,
             squareRate / 1e9, median(squareTimes)))
print(String(format: "kernel %d×%d → %d heads, panels on %d cores: %7.2f GFLOP/s  (median %.4f s)  = %.1f %% of square dgemm",
             rows, p, h, cores, kernelRate / 1e9, median(kernelTimes), 100 * kernelRate / squareRate))
print(String(format: "same product as one multi-threaded dgemm call:  %7.2f GFLOP/s  (median %.4f s)  = %.1f %% of square dgemm",
             singleRate / 1e9, median(singleTimes), 100 * singleRate / squareRate))
