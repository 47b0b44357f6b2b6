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
