extension RandomAccessCollection where Index == Int {
    /// The first index whose element does not satisfy `belongsBefore`, for a collection in which every element
    /// that satisfies it comes before every element that does not (a sorted array and "less than x", say):
    /// the insertion point of a binary search.
    /// - Complexity: O(log n) calls of `belongsBefore`.
    func partitionPoint(_ belongsBefore: (Element) throws -> Bool) rethrows -> Int {
        var low = startIndex, high = endIndex
        while low < high {
            let middle = low + (high - low) / 2
            if try belongsBefore(self[middle]) { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
