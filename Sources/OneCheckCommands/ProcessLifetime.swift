/// Values a command leaves to the end of the process instead of freeing them when `run()` returns.
///
/// Why: a city's plan and its inputs are millions of small heap objects (ids, sets, arrays of
/// strings). Freeing them one by one walks every object just before the process exits, and the system reclaims
/// the whole address space at exit in one step anyway — the reason compilers such as clang do not free their
/// syntax trees (`-disable-free`). Benchmarks/README.md (city-scale plan) shows the freeing in a perf timeline.
///
/// Contract: call it with a command's final values, after its outputs are written and only in the command-line
/// process (tests run the binary; nothing in the engine modules calls this). A kept value is never deinitialised:
/// nothing that must run at deinit (closing a file or database, removing a temporary file) may be kept.
enum ProcessLifetime {
    /// Keeps `value` alive until the process exits.
    static func keep<T>(_ value: T) {
        _ = Unmanaged.passRetained(Holder(value))
    }

    private final class Holder<T> {
        let value: T
        init(_ value: T) { self.value = value }
    }
}
