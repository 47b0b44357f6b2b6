import Dispatch
import Synchronization

extension Collection where Index == Int, Element: Sendable {
    /// `map` with the elements spread over the machine's cores.
    ///
    /// The result equals `map(transform)` whatever the number of threads: element `i` of the result is
    /// `transform(self[i])`, computed once, by one thread. Use it for independent pieces of work of similar size
    /// (one department's strata, one chunk of entities), not for per-row work: each result is handed over under a
    /// lock.
    /// - Complexity: O(n) calls of `transform`, spread over `DispatchQueue.concurrentPerform`'s threads.
    package func concurrentMap<T: Sendable>(_ transform: @Sendable (Element) -> T) -> [T] {
        guard count > 1 else { return map(transform) }
        let elements = Array(self)
        let results = Mutex<[T?]>(Array(repeating: nil, count: elements.count))
        DispatchQueue.concurrentPerform(iterations: elements.count) { index in
            let value = transform(elements[index])
            results.withLock { $0[index] = value }
        }
        return results.withLock { slots in slots.map { $0! } }
    }
}

/// `map` over `0..<count` spread over the machine's cores; the same result as `(0..<count).map(body)`.
package func concurrentMap<T: Sendable>(count: Int, _ body: @Sendable (Int) -> T) -> [T] {
    Array(0..<count).concurrentMap(body)
}

/// Runs `first` and `second` at the same time (on two of `DispatchQueue.concurrentPerform`'s threads; one after the
/// other on a single core) and returns both results. Errors are those the two calls one after the other would
/// report: `first`'s when both fail, so which error a user sees does not depend on timing.
/// - Complexity: one call of each; returns when both have returned.
package func concurrently<A: Sendable, B: Sendable>(_ first: @Sendable () throws -> A,
                                                    _ second: @Sendable () throws -> B) throws -> (A, B) {
    let a = Mutex<Result<A, any Error>?>(nil), b = Mutex<Result<B, any Error>?>(nil)
    DispatchQueue.concurrentPerform(iterations: 2) { index in
        if index == 0 {
            let result = Result { try first() }
            a.withLock { $0 = result }
        } else {
            let result = Result { try second() }
            b.withLock { $0 = result }
        }
    }
    let firstResult = try a.withLock { $0! }.get()
    return (firstResult, try b.withLock { $0! }.get())
}
