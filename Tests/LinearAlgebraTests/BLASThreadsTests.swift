#if os(Linux) && compiler(>=6.2)   // exit tests (processExitsWith) came with Swift 6.2
import Foundation
import Testing
import TestSupport
@testable import LinearAlgebra

/// ``BLASThreads/stopIdleWorkers()`` ends OpenBLAS's worker threads, and a threaded call after it still computes the
/// product.
///
/// After a threaded call, OpenBLAS's workers poll for more work, taking CPU, for about 0.1 s; the test sees them by
/// the process's CPU time across a pause in which the test's own thread sleeps. Where no polling shows (a BLAS
/// without a pool, one core, `OPENBLAS_NUM_THREADS=1`, or a machine too busy to give the workers time) only the
/// products are checked. Other load can only hide polling, never add it, so the check after the stop is safe on a
/// busy machine; that the pool polls again after the next call is not checked, for the same reason (a CI run saw
/// under 10 ms of it while every suite ran at once).
///
/// Stopping the pool while another thread is inside a BLAS call would break that call, and the other suites call
/// BLAS in parallel with this one; so the checks run in a child process of their own (an exit test), where nothing
/// else calls BLAS. The child exits with a distinct status for each failed check.
@Suite struct BLASThreadsTests {
    @Test func stoppedWorkersEndAndTheNextThreadedCallIsRight() async {
        await #expect(processExitsWith: .success) {
            /// CPU seconds the process spends while this thread sleeps 0.1 s.
            func cpuWhileSleeping() -> Double {
                func now() -> Double {
                    var t = timespec()
                    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
                    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
                }
                let start = now()
                usleep(100_000)
                return now() - start
            }
            var g = SeededGenerator(seed: 5)
            let a = randomMatrix(300, 300, layout: .rowMajor, using: &g)
            let b = randomMatrix(300, 300, layout: .columnMajor, using: &g)
            let expected = naiveProduct(a, b)
            var c = Matrix(rows: 300, columns: 300)
            BLASThreads.count = 2

            BLAS.gemm(a, b, into: &c)                      // a threaded call: the workers poll after it
            let polling = cpuWhileSleeping() > 0.03
            BLAS.gemm(a, b, into: &c)
            let stopped = BLASThreads.stopIdleWorkers()
            if polling && !stopped { exit(2) }             // Debian's OpenBLAS has the call
            if polling && cpuWhileSleeping() > 0.01 { exit(3) }

            c = Matrix(rows: 300, columns: 300)
            BLAS.gemm(a, b, into: &c)                      // starts the pool again
            if c.maxAbsDifference(expected) > 1e-12 { exit(4) }
            exit(0)
        }
    }
}
#endif
