import Dispatch
import Foundation

/// Runs `body` for `0..<count` on all cores and returns the results in index order. Results never depend on
/// which thread ran which index: each index derives its own random stream.
func parallelMap<T>(_ count: Int, _ body: (Int) -> T) -> [T] {
    var results = [T?](repeating: nil, count: count)
    results.withUnsafeMutableBufferPointer { out in
        let base = out.baseAddress!
        DispatchQueue.concurrentPerform(iterations: count) { i in
            (base + i).pointee = body(i)
        }
    }
    return results.map { $0! }
}

/// Chunks in flight at once: enough to keep every core busy, few enough to bound memory.
var parallelWaveWidth: Int { Swift.max(2, ProcessInfo.processInfo.activeProcessorCount * 2) }
