import Dispatch

extension Array where Element: Sendable {
    /// `map` with the elements spread over the machine's cores.
    ///
    /// The result is the same as `map(transform)` whatever the number of threads: element `i` of the result is
    /// `transform(self[i])`, each written by exactly one thread. Use it for independent, comparable pieces of
    /// work (one department's reserve, one chunk of entities' random numbers).
    func concurrentMap<T>(_ transform: (Element) -> T) -> [T] {
        guard count > 1 else { return map(transform) }
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            let base = buffer.baseAddress!
            withoutActuallyEscaping(transform) { transform in
                // Swift 5 mode: the closure and the buffer are used from worker threads; each index once.
                nonisolated(unsafe) let transform = transform
                nonisolated(unsafe) let base = base
                let elements = self
                DispatchQueue.concurrentPerform(iterations: elements.count) { index in
                    (base + index).initialize(to: transform(elements[index]))
                }
            }
            initialized = count
        }
    }
}

extension Range where Bound == Int {
    /// `map` over the indices of the range, spread over the machine's cores; the same result as `map`.
    func concurrentMapIndices<T>(_ transform: (Int) -> T) -> [T] {
        Array(self).concurrentMap(transform)
    }
}
