import COpenBLAS

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

    /// Runs `body` with OpenBLAS limited to `threads`, restoring the previous count afterwards.
    /// Not safe to nest concurrently from several threads: the count is global to the process.
    public static func with<T>(_ threads: Int, _ body: () throws -> T) rethrows -> T {
        let previous = count
        count = threads
        defer { count = previous }
        return try body()
    }
}
