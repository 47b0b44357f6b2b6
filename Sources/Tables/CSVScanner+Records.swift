/// The reader's pass for a `CSVRecordBlock`: where each record starts and ends, without splitting its fields.
///
/// A record ends at the first line feed outside a quoted field. While the bytes up to the next line feed hold no
/// quote, that line feed ends the record (a line is found with one mask test per 64 bytes). A line with a quote
/// may hold a quoted field — with separators and line breaks inside — so its record is found by the full scan
/// (`scan(_:into:from:count:...)`), which also reports malformed quoting as it would for a `CSVBlock`. Column
/// counts are not checked here: `CSVRecordBlock.splitFields` checks them when it splits the rows.
///
/// This pass also validates the UTF-8 of every byte, so that the workers' splits need not: the mask computation
/// ORs each 64-byte chunk's words, and only a chunk with a byte ≥ 0x80 is validated sequence by sequence. The
/// first ill-formed sequence is remembered and thrown when the record that holds it is complete (so a problem in
/// an earlier record, or a quoting problem earlier in the same record, is reported first, as by `scan`). A record
/// longer than `maxFieldBytes` has its fields measured (`longFieldError`).
extension CSVScanner {
    /// Scans `storage.bytes[0..<n]`, writing each record's `[start, end)` (end just past its line end) into the
    /// storage's bounds and its first line into its lines. Blank lines are skipped, as in `scan`.
    /// - Throws: `TableError` for invalid UTF-8, over-long fields and quoting errors.
    /// - Complexity: O(n).
    func scanRecords(_ storage: CSVBlockStorage, count n: Int, isFinal: Bool, startLine: Int) throws -> Result {
        let bytes = storage.bytes, index = storage.index
        let lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r"), quote = UInt8(ascii: "\"")
        var records = index.reserveBounds(128, keeping: 0)
        var recordsCapacity = index.boundsCapacity
        var lines = index.reserveLines(64, keeping: 0)
        var linesCapacity = index.linesCapacity
        var quotedLine: CSVFieldIndex?  // the full scan's scratch, for lines with a quote

        var result = Result()
        result.lineAfter = startLine
        var p = 0
        var line = startLine
        // Bytes before `validTo` are well-formed UTF-8; `invalid` is the first ill-formed sequence found ahead.
        var validTo = 0
        var invalid: UTF8Validation.Problem?
        @inline(__always) func validateChunk(at base: Int) {
            guard invalid == nil, validTo < n else { return }
            let checked = UTF8Validation.validate(bytes, from: Swift.max(validTo, base), upTo: Swift.min(base + 64, n),
                                                  limit: n, isFinal: isFinal)
            validTo = checked.validTo
            invalid = checked.problem
        }
        var maskBase = 0
        var (mask, high) = Self.byteMaskFlaggingHigh(bytes, limit: n, lf, quote)
        if high { validateChunk(at: 0) }
        while p < n {
            var position = n  // the next line feed or quote
            while true {
                if mask != 0 {
                    position = maskBase + mask.trailingZeroBitCount
                    break
                }
                maskBase += 64
                if maskBase >= n { break }
                (mask, high) = Self.byteMaskFlaggingHigh(bytes + maskBase, limit: n - maskBase, lf, quote)
                if high { validateChunk(at: maskBase) }
            }
            let start = p, recordLine = line
            var end: Int
            if position >= n || bytes[position] == lf {
                // A line without a quote, ended by a line feed or (in the file's last read) by the end.
                if position >= n {
                    if !isFinal { break }  // the record may go on in the next read
                    end = n
                } else {
                    mask &= mask &- 1
                    end = position + 1
                    line += 1
                }
                // A blank line ("" or a lone CR) is not a record.
                let lineEnd = Swift.min(position, n)
                if lineEnd == start || (lineEnd == start + 1 && bytes[start] == cr) {
                    p = end
                    result.consumed = p
                    result.lineAfter = line
                    continue
                }
            } else {
                let scratch = quotedLine ?? CSVFieldIndex()
                quotedLine = scratch
                let one = try scan(bytes, into: scratch, from: start, count: n, isFinal: isFinal, expectedColumns: 0,
                                   maxRecords: 1, startLine: line, collapsesEscapes: false, checksRecords: false)
                if one.records == 0 {
                    result.stoppedInQuote = one.stoppedInQuote
                    break
                }
                end = one.consumed
                line = one.lineAfter
                // The quoted record's bytes were not all in a masked chunk: validate them here.
                if invalid == nil && validTo < end {
                    let checked = UTF8Validation.validate(bytes, from: Swift.max(validTo, start), upTo: end, limit: n,
                                                          isFinal: isFinal)
                    validTo = checked.validTo
                    invalid = checked.problem
                }
                maskBase = end
                (mask, high) = Self.byteMaskFlaggingHigh(bytes + end, limit: n - end, lf, quote)
                if high { validateChunk(at: end) }
            }
            if let problem = invalid, problem.offset < end {
                throw utf8Error(bytes, recordStart: start, line: recordLine, problem)
            }
            if end - start > maxFieldBytes,
               let error = longFieldError(bytes, recordStart: start, end: end, line: recordLine) {
                throw error
            }
            let r = result.records
            if 2 * r + 2 > recordsCapacity {
                records = index.reserveBounds(2 * r + 2, keeping: 2 * r)
                recordsCapacity = index.boundsCapacity
            }
            if r >= linesCapacity {
                lines = index.reserveLines(r + 1, keeping: r)
                linesCapacity = index.linesCapacity
            }
            records[2 * r] = UInt32(truncatingIfNeeded: start)
            records[2 * r + 1] = UInt32(truncatingIfNeeded: end)
            lines[r] = recordLine
            result.records = r + 1
            p = end
            result.consumed = p
            result.lineAfter = line
        }
        return result
    }
}
