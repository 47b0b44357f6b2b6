// Bulk numeric extraction: the scoring and fitting inner loop, parsing a row range of a block straight into a
// caller's matrix storage. One worker per disjoint row range may call it concurrently on the same block.

extension CSVBlock {
    /// Parses `columns` (0-based header positions) of `rows` into `out`, placing field (row, columns[j]) at
    /// `out[(row − rows.lowerBound) × rowStride + j × columnStride]` — row-major with `rowStride =
    /// columns.count, columnStride = 1`; column-major (for `n` rows) with `rowStride = 1, columnStride = n`.
    ///
    /// - Parameter policy: how empty and non-finite fields are treated (strict by default).
    /// - Throws: the first rejected value in row-major order, as `double(row:column:policy:)` would; `out`
    ///   is then partially written.
    /// - Precondition: `rows` lies within `0..<rowCount`, every column within `0..<columnCount`, and `out` has
    ///   room for every target position.
    /// - Complexity: O(rows.count × columns.count); no allocation.
    @inlinable
    public func parseDoubles(rows: Range<Int>, columns: [Int], policy: NumericPolicy = .strict,
                             into out: UnsafeMutablePointer<Double>, rowStride: Int, columnStride: Int = 1) throws {
        precondition(rows.lowerBound >= 0 && rows.upperBound <= rowCount, "rows out of range")
        precondition(columns.allSatisfy { $0 >= 0 && $0 < columnCount }, "column out of range")
        try columns.withUnsafeBufferPointer { selected in
            for row in rows {
                let target = out + (row &- rows.lowerBound) &* rowStride
                let fields = row &* columnCount
                for j in 0..<selected.count {
                    let k = fields &+ selected[j]
                    let start = Int(bounds[2 &* k]), end = Int(bounds[2 &* k &+ 1])
                    let parsed = DecimalParsing.parseDoublePadded(base + start, count: end &- start)
                    if case .finite(let value) = parsed {
                        target[j &* columnStride] = value
                    } else if let value = policy.accept(parsed) {
                        target[j &* columnStride] = value
                    } else {
                        throw numericError(parsed, row: row, column: selected[j], policy: policy)
                    }
                }
            }
        }
    }
}
