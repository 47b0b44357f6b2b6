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
func runSquare() { BLAS.gemm(a, b, into: &c) }

// 2. The scoring kernel: X (rows × p) · W (p × h) + intercepts, cache-sized panels on all cores.
var features: [ScoringModel.Feature] = []
for j in 0..<p { features.append(.init(name: "x\(j)", numeric: .init())) }
let wValues = fill(p * h)
let heads = (0..<h).map { k in
    ScoringModel.Head(name: "h\(k)", link: .logistic, intercept: 0.1 * Double(k),
                      weights: Dictionary(uniqueKeysWithValues: (0..<p).map { ("x\($0)", wValues[$0 * h + k]) }))
}
let model = try CompiledModel(ScoringModel(name: "kernel", idColumn: "id", features: features, heads: heads))
let design = fill(rows * p)
// The scores, 64-byte aligned as a caller scoring a whole design in memory would allocate them: aligned rows of
// 8 heads let the kernel write them with streaming stores (see CompiledModel.streamingOutputBytes).
let linear = UnsafeMutableRawPointer.allocate(byteCount: rows * h * 8, alignment: 64)
    .bindMemory(to: Double.self, capacity: rows * h)
linear.initialize(repeating: 0, count: rows * h)
let kernelFlops = 2 * Double(rows) * Double(p) * Double(h)
func runKernel(threads: Int) {
    design.withUnsafeBufferPointer { d in
        model.linearScoresParallel(design: d.baseAddress!, rows: rows, into: linear, threads: threads)
    }
}

// 3. For contrast, OpenBLAS dgemm on the same product: the same cache-sized panels on all cores with
//    single-threaded BLAS (what the scoring job did before its own kernel), and one multi-threaded dgemm call over
//    the whole tall, thin product (what numpy's `X @ W` does).
var wRowMajor = [Double](repeating: 0, count: p * h)
for k in 0..<p { for j in 0..<h { wRowMajor[k * h + j] = model.weights[k, j] } }
func dgemm(_ start: Int, _ n: Int, _ d: UnsafePointer<Double>, _ l: UnsafeMutablePointer<Double>) {
    for i in start..<(start + n) { for j in 0..<h { l[i * h + j] = model.intercepts[j] } }
    wRowMajor.withUnsafeBufferPointer { w in
        BLAS.gemm(rowMajor: .none, .none, m: n, n: h, k: p, alpha: 1, a: d + start * p, lda: p,
                  b: w.baseAddress!, ldb: h, beta: 1, c: l + start * h, ldc: h)
    }
}
func runDgemmPanels() {
    let panel = CompiledModel.kernelRowsPerTask, tasks = (rows + panel - 1) / panel
    design.withUnsafeBufferPointer { d in
        let d = d.baseAddress!
        BLASThreads.with(1) {
            DispatchQueue.concurrentPerform(iterations: cores) { worker in
                var t = worker
                while t < tasks { dgemm(t * panel, Swift.min(panel, rows - t * panel), d, linear); t += cores }
            }
        }
    }
}
func runSingleCall() {
    design.withUnsafeBufferPointer { d in
        dgemm(0, rows, d.baseAddress!, linear)
    }
}

// 4. The bandwidth bound: summing the design matrix (one read of every element, no arithmetic to speak of) on
//    all cores, panel by panel as the kernel reads it. A kernel that reads X once cannot be faster than this (it
//    also writes its scores, rows × h doubles).
//    Each panel is read as six bands side by side, as the kernel reads it (see tall_product.c), with vector loads
//    and one sum per band. Six sequential streams per core read faster than one: in a C harness (both cores, 15
//    rounds, order alternating) one stream took 1.00, two bands 0.96–0.99, six or eight bands 0.90–0.93, twelve
//    0.89–0.95 and sixteen 1.17–1.21 of the time. A single-stream sum was this bound until the kernel, once it read
//    bands, beat it.
func runSum() -> Double {
    let panel = CompiledModel.kernelRowsPerTask, tasks = (rows + panel - 1) / panel
    var partial = [Double](repeating: 0, count: cores)
    design.withUnsafeBufferPointer { d in
        partial.withUnsafeMutableBufferPointer { out in
            let x = d.baseAddress!, out = out.baseAddress!
            DispatchQueue.concurrentPerform(iterations: cores) { worker in
                var t = worker, s = [SIMD4<Double>](repeating: .zero, count: 6), tail = 0.0
                s.withUnsafeMutableBufferPointer { s in
                    while t < tasks {
                        let first = t * panel, count = Swift.min(panel, rows - first)
                        let n = count / 6, band = n * p, base = x + first * p
                        var i = 0
                        while i + 8 <= band {
                            for b in 0..<6 {
                                let at = UnsafeRawPointer(base + b * band + i)
                                s[b] += at.loadUnaligned(as: SIMD4<Double>.self)
                                s[b] += at.loadUnaligned(fromByteOffset: 32, as: SIMD4<Double>.self)
                            }
                            i += 8
                        }
                        for b in 0..<6 { for j in i..<band { tail += base[b * band + j] } }   // band % 8 left over
                        for j in (6 * band)..<(count * p) { tail += base[j] }                // the last count % 6 rows
                        t += cores
                    }
                    out[worker] = s.reduce(SIMD4<Double>.zero, +).sum() + tail
                }
            }
        }
    }
    return partial.reduce(0, +)
}

// 5. Every measurement once per round, round after round, so that all of them see the same moments of a shared
//    machine: its memory bandwidth moves by a third from one minute to the next, and measuring the kernel and the
//    bound minutes apart made their ratio swing by as much. Medians over the rounds. OpenBLAS's threads spin for a
//    while after a multi-threaded call (about 0.1 s) and would take cores from whatever runs next, so the two
//    multi-threaded calls come first and a pause follows them.
let settle: useconds_t = 300_000
let threadedBLAS: [() -> Void] = [runSquare, runSingleCall]
let measurements = threadedBLAS + [{ runKernel(threads: cores) }, { _ = runSum() }, runDgemmPanels]
for run in measurements { run() }   // warm-up (OpenBLAS's thread pool, page faults of the outputs)
// The bound must read every element once: its sum equals a plain one up to the order of the additions.
var plainSum = 0.0, magnitude = 0.0
for x in design { plainSum += x; magnitude += abs(x) }   // one pass over the design, not two
let bandSum = runSum()
precondition(abs(bandSum - plainSum) <= 1e-9 * magnitude,
             "the bound's sum \(bandSum) differs from the plain sum \(plainSum)")
var rounds = [[Double]](repeating: [], count: measurements.count)
for _ in 0..<repeats {
    for (i, run) in measurements.enumerated() {
        if i == threadedBLAS.count { usleep(settle) }
        rounds[i].append(time(run))
    }
}
let (squareTimes, singleTimes, kernelTimes, sumTimes, panelTimes) = (rounds[0], rounds[1], rounds[2], rounds[3], rounds[4])
let squareRate = 2 * pow(Double(square), 3) / median(squareTimes)
let kernelRate = kernelFlops / median(kernelTimes)
let panelRate = kernelFlops / median(panelTimes)
let singleRate = kernelFlops / median(singleTimes)
let boundRate = kernelFlops / median(sumTimes)

print("cores: \(cores); repeats: \(repeats) (medians); AVX2/FMA kernel: \(TallProduct.isVectorised)")
print(String(format: "square dgemm %d×%d, OpenBLAS %d threads:   %7.2f GFLOP/s  (median %.4f s)", square, square, cores,
             squareRate / 1e9, median(squareTimes)))
print(String(format: "kernel %d×%d → %d heads, panels on %d cores: %7.2f GFLOP/s  (median %.4f s)  = %.1f %% of square dgemm",
             rows, p, h, cores, kernelRate / 1e9, median(kernelTimes), 100 * kernelRate / squareRate))
print(String(format: "same product, OpenBLAS dgemm panels:           %7.2f GFLOP/s  (median %.4f s)  = %.1f %% of square dgemm",
             panelRate / 1e9, median(panelTimes), 100 * panelRate / squareRate))
print(String(format: "same product as one multi-threaded dgemm call:  %7.2f GFLOP/s  (median %.4f s)  = %.1f %% of square dgemm",
             singleRate / 1e9, median(singleTimes), 100 * singleRate / squareRate))
print(String(format: "bandwidth bound (sum of X in six bands, %d cores): %7.2f GFLOP/s  (median %.4f s, %.1f GB/s)  = %.1f %% of square dgemm",
             cores, boundRate / 1e9, median(sumTimes), Double(design.count * 8) / median(sumTimes) / 1e9,
             100 * boundRate / squareRate))
print(String(format: "kernel time / bound time, median over rounds:    %.1f %%  (the kernel also writes its %d × %d scores)",
             100 * median(zip(sumTimes, kernelTimes).map { $0 / $1 }), rows, h))
