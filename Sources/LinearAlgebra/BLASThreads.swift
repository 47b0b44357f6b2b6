import COpenBLAS
#if canImport(Glibc)
import Glibc
#endif

/// OpenBLAS's thread pool size.
///
/// OpenBLAS starts one thread per core. That is right for one large square product, wrong for small problems
/// (thread start-up dominates) and wrong inside work that is already parallel (threads oversubscribe the cores).
/// The setting is process-global: set it at the edges of a job (CLI command, benchmark), not in library hot paths.
public enum BLASThreads {
    /// The number of threads OpenBLAS uses for the next call.
    public static var count: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(Swift.max(1, newValue))) }
    }

    /// Stops OpenBLAS's worker threads while they wait for work; the next multi-threaded BLAS call starts them
    /// again. Returns whether the BLAS library has the call (OpenBLAS built with pthreads, as Debian's is).
    ///
    /// Why: OpenBLAS starts its pool when the library loads, and each worker then polls for work, yielding the CPU
    /// in a loop, for about 2^28 cycles before it sleeps; it polls again after every threaded call. A job that
    /// calls no BLAS (scoring, planning, generating a city) loses that CPU on a small machine (measurement:
    /// Benchmarks/README.md, "Design measurements").
    /// `openblas_set_num_threads(1)` does not stop the polling; OpenBLAS's `blas_thread_shutdown_`, which its own
    /// fork handler calls, does, and OpenBLAS restarts the pool on the next threaded call. It is not in `cblas.h`,
    /// so it is looked up at run time; a BLAS without it (OpenBLAS built with OpenMP, another library) is left alone.
    ///
    /// - Precondition: no other thread is inside a BLAS call (a call in flight would lose its workers). Call it at
    ///   the start of a process or between jobs, like ``count``.
    @discardableResult
    public static func stopIdleWorkers() -> Bool {
        #if os(Linux)
        // RTLD_DEFAULT: search the libraries the process has loaded.
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "blas_thread_shutdown_") else { return false }
        typealias Shutdown = @convention(c) () -> Int32
        return unsafeBitCast(symbol, to: Shutdown.self)() == 0
        #else
        return false
        #endif
    }

    /// Runs `body` with OpenBLAS limited to `threads`, restoring the previous count afterwards.
    /// Not safe to nest concurrently from several threads: the count is global to the process.
    public static func with<T>(_ threads: Int, _ body: () throws -> T) rethrows -> T {
        let previous = count
        count = threads
        defer { count = previous }
        return try body()
    }
}
