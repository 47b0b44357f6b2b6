// LogisticRegression.fit on a design read from raw little-endian float64 files (written by
// scripts/bench_fitting.py, so the Python peers fit exactly the same numbers). Prints one JSON line:
// the median and every run's wall time, the iterations and the coefficients' checksum.
//
//   swift run -c release fit-bench --x X.f64 --y y.f64 --rows N --columns P [--repeats 5] [--threads 1] [--C 1]
import Fitting
import Foundation
import LinearAlgebra

func option(_ name: String) -> String? {
    let args = CommandLine.arguments
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
    return args[i + 1]
}

func readDoubles(_ path: String, count: Int) -> [Double] {
    let data = FileManager.default.contents(atPath: path)!
    precondition(data.count == count * 8, "\(path): \(data.count) bytes, expected \(count * 8)")
    return data.withUnsafeBytes { raw in Array(raw.bindMemory(to: Double.self)) }
}

let rows = Int(option("--rows")!)!, columns = Int(option("--columns")!)!
let repeats = Int(option("--repeats") ?? "5")!
let x = Matrix(rows: rows, columns: columns, storage: readDoubles(option("--x")!, count: rows * columns))
let y = readDoubles(option("--y")!, count: rows)
var model = option("--C").map { LogisticRegression(inverseRegularization: Double($0)!) } ?? LogisticRegression()
if let threads = option("--threads") { model.threading = .fixed(Int(threads)!) } else { model.threading = .inherit }

var times: [Double] = []
var fit: LogisticFit?
for _ in 0..<repeats {
    let t0 = DispatchTime.now().uptimeNanoseconds
    fit = try model.fit(design: x, outcome: y)
    times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
}
let sorted = times.sorted()
let result = fit!
print("{\"median\": \(sorted[sorted.count / 2]), \"times\": \(times), \"iterations\": \(result.iterations), "
      + "\"loglik\": \(result.logLikelihood), \"coef0\": \(result.coefficients[0]), \"coef_last\": \(result.coefficients.last!)}")
