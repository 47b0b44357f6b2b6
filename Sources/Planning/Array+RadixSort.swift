extension Array where Element == UInt64 {
    /// The permutation that sorts these keys ascending, equal keys in their current order — the order a stable
    /// sort would give — computed by a least-significant-digit radix sort, one byte per pass; bytes that all
    /// keys share are skipped.
    ///
    /// For non-negative doubles the IEEE-754 bit patterns, read as unsigned integers, are in the same order as
    /// the numbers, so `map(\.bitPattern)` of such doubles sorts them. Used for the breakpoints of a stratum's
    /// π: hundreds of thousands per stratum, where a comparison sort dominated the plan.
    /// - Complexity: O(8 · (n + 256)) time, O(n) extra memory.
    func stableSortedOrder() -> [Int] {
        let n = count
        guard n > 1 else { return Array<Int>(indices) }
        let first = self[0]
        let differing = reduce(UInt64(0)) { $0 | ($1 ^ first) }
        // Two key/order buffers used in turn; raw buffers because this loop is the plan's hottest.
        let keys = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: 2 * n)
        let order = UnsafeMutableBufferPointer<Int>.allocate(capacity: 2 * n)
        defer { keys.deallocate(); order.deallocate() }
        var from = 0, to = n
        for i in 0..<n { keys[i] = self[i]; order[i] = i }
        var offsets = [Int](repeating: 0, count: 257)
        offsets.withUnsafeMutableBufferPointer { offsets in
            for byte in 0..<8 where (differing >> UInt64(8 * byte)) & 0xFF != 0 {
                let shift = UInt64(8 * byte)
                for bucket in 0..<257 { offsets[bucket] = 0 }
                for i in from..<(from + n) { offsets[Int((keys[i] >> shift) & 0xFF) + 1] += 1 }
                for bucket in 0..<256 { offsets[bucket + 1] += offsets[bucket] }
                for i in from..<(from + n) {
                    let bucket = Int((keys[i] >> shift) & 0xFF)
                    let target = to + offsets[bucket]
                    keys[target] = keys[i]
                    order[target] = order[i]
                    offsets[bucket] += 1
                }
                swap(&from, &to)
            }
        }
        return [Int](UnsafeMutableBufferPointer(rebasing: order[from..<(from + n)]))
    }
}
