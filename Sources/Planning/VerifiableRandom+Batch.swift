import Dispatch
import OneCheckUtilities
import Supervision

extension VerifiableRandom {
    /// `uniform(entity: ids[i], counter: counter)` for every `i`, computed on all cores.
    ///
    /// Each number is a function of its id alone, so the result is identical to the serial `map` for any
    /// number of threads.
    /// - Complexity: one SHA-256 per id (two compression blocks for ids under ~40 bytes), split into
    ///   chunks of 4,096 ids.
    public func uniforms(for ids: [String], counter: UInt64 = 0) -> [Double] {
        uniforms(count: ids.count, counter: counter) { ids[$0] }
    }

    /// `uniform(entity: ids[i].rawValue, counter: counter)` for every `i`; see ``uniforms(for:counter:)-(([String],_))``.
    public func uniforms(for ids: [EntityID], counter: UInt64 = 0) -> [Double] {
        uniforms(count: ids.count, counter: counter) { ids[$0].rawValue }
    }

    private func uniforms(count: Int, counter: UInt64, id: @Sendable (Int) -> String) -> [Double] {
        let chunk = 4096
        let chunks = (count + chunk - 1) / chunk
        guard chunks > 1 else { return (0..<count).map { uniform(entity: id($0), counter: counter) } }
        let seed = self.seed, purpose = self.purpose
        return [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
            // SharedBuffer's contract: each chunk initialises its own slots; the buffer outlives `concurrentPerform`.
            let base = SharedBuffer(buffer)
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                // A private copy of the prefix state per chunk: copies of one shared state would make every
                // thread bump the same reference count for every number.
                let local = VerifiableRandom(seed: seed, purpose: purpose)
                for index in (c * chunk)..<min(count, (c + 1) * chunk) {
                    (base.base + index).initialize(to: local.uniform(entity: id(index), counter: counter))
                }
            }
            initialized = count
        }
    }
}
