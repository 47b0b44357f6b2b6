import Dispatch

extension VerifiableRandom {
    /// `uniform(entity: ids[i], counter: counter)` for every `i`, computed on all cores.
    ///
    /// Each number is a function of its id alone, so the result is identical to the serial `map` for any
    /// number of threads.
    /// - Complexity: one SHA-256 per id (two compression blocks for ids under ~40 bytes), split into
    ///   chunks of 4,096 ids.
    public func uniforms(for ids: [String], counter: UInt64 = 0) -> [Double] {
        let chunk = 4096
        let chunks = (ids.count + chunk - 1) / chunk
        guard chunks > 1 else { return ids.map { uniform(entity: $0, counter: counter) } }
        return [Double](unsafeUninitializedCapacity: ids.count) { buffer, initialized in
            nonisolated(unsafe) let base = buffer.baseAddress!
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                // A private copy of the prefix state per chunk: copies of one shared state would make every
                // thread bump the same reference count for every number.
                let local = VerifiableRandom(seed: seed, purpose: purpose)
                for index in (c * chunk)..<min(ids.count, (c + 1) * chunk) {
                    (base + index).initialize(to: local.uniform(entity: ids[index], counter: counter))
                }
            }
            initialized = ids.count
        }
    }
}
