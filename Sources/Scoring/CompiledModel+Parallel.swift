import Dispatch
import LinearAlgebra
import OneCheckUtilities

extension CompiledModel {
    /// Rows per task when scoring an in-memory design matrix: 4096 rows of 64 columns are 2 MiB, about one core's
    /// share of L2+L3, so each `X` panel is read from memory once and the tiny `W` stays in L1.
    public static let kernelRowsPerTask = 4096

    /// Outputs larger than this (bytes) are written with non-temporal stores by ``linearScoresParallel``: 4 MiB is
    /// more than a core's L2 and its share of L3, so the scores would leave the cache before anyone reads them.
    public static let streamingOutputBytes = 4 << 20

    /// ``linearScores(design:rows:into:)`` for a large in-memory design, split into cache-sized row panels scored
    /// concurrently on `threads` workers.
    ///
    /// Panels over rows parallelise perfectly (no shared output) and keep each worker streaming. The result is
    /// bit-identical to the serial call: every score is the same fused multiply-add chain (``TallProduct``).
    /// An output of more than ``streamingOutputBytes`` is written with ``TallProduct/Stores/streaming`` stores (which
    /// need `linear` 32-byte aligned to take effect).
    /// - Complexity: O(rows · p · H) flops, memory traffic one pass over `design`.
    public func linearScoresParallel(design: UnsafePointer<Double>, rows: Int, into linear: UnsafeMutablePointer<Double>,
                                     threads: Int = ProcessInfoCores.active, rowsPerTask: Int = kernelRowsPerTask) {
        let tasks = (rows + rowsPerTask - 1) / rowsPerTask
        let stores: TallProduct.Stores = rows * headCount * 8 > Self.streamingOutputBytes ? .streaming : .cached
        if tasks <= 1 || threads <= 1 {
            var start = 0
            while start < rows {
                let n = Swift.min(rowsPerTask, rows - start)
                linearScores(design: design + start * designWidth, rows: n, into: linear + start * headCount,
                             stores: stores)
                start += n
            }
            return
        }
        let p = designWidth, h = headCount
        // SharedBuffer's contract: every worker only reads `design`, and worker t writes only the score rows of
        // panels t, t + threads, …; concurrentPerform returns after the last panel.
        let sharedDesign = SharedBuffer(readOnly: design), sharedLinear = SharedBuffer(linear)
        // Workers take panels round-robin by index: panel t goes to worker t % threads, in order.
        DispatchQueue.concurrentPerform(iterations: threads) { worker in
            var t = worker
            while t < tasks {
                let start = t * rowsPerTask
                let n = Swift.min(rowsPerTask, rows - start)
                linearScores(design: sharedDesign.base + start * p, rows: n, into: sharedLinear.base + start * h,
                             stores: stores)
                t += threads
            }
        }
    }
}

/// The number of cores this process may use.
public enum ProcessInfoCores {
    public static var active: Int { Swift.max(1, _activeProcessorCount()) }
}

import Foundation
@inline(__always) func _activeProcessorCount() -> Int { ProcessInfo.processInfo.activeProcessorCount }
