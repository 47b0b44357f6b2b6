/// The reader's pass for a `CSVRecordBlock`: where each record starts and ends, without splitting its fields.
///
/// A record ends at the first line feed outside a quoted field. While the bytes up to the next line feed hold no
/// quote, that line feed ends the record (a line is found with one mask test per 64 bytes). A line with a quote
/// may hold a quoted field — with separators and line breaks inside — so its record is found by the full scan
/// (`scan(_:into:from:count:...)`), which also reports malformed quoting as it would for a `CSVBlock`. Column
/// counts are not checked here: `CSVRecordBlock.splitFields` checks them when it splits the rows.
extension CSVScanner {
    /// Scans `storage.bytes[0..<n]`, writing each record's `[start, end)` (end just past its line end) into the
    /// storage's bounds and its first line into its lines. Blank lines are skipped, as in `scan`.
    /// - Complexity: O(n).
    func scanRecords(_ storage: CSVBlockStorage, count n: Int, isFinal: Bool, startLine: Int) throws -> Result {
        let bytes = storage.bytes, index = storage.index
        let lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        var records = index.reserveBounds(128, keeping: 0)
        var recordsCapacity = index.boundsCapacity
        var lines = index.reserveLines(64, keeping: 0)
        var linesCapacity = index.linesCapacity
        var quotedLine: CSVFieldIndex?  // the full scan's scratch, for lines with a quote

        var result = Result()
        result.lineAfter = startLine
        var p = 0
        var line = startLine
        var maskBase = 0
        var mask = Self.lineFeedQuoteMask(bytes, limit: n)
        while p < n {
            var position = n  // the next line feed or quote
            while true {
                if mask != 0 {
                    position = maskBase + mask.trailingZeroBitCount
                    break
                }
                maskBase += 64
                if maskBase >= n { break }
                mask = Self.lineFeedQuoteMask(bytes + maskBase, limit: n - maskBase)
            }
            let start = p, recordLine = line
            var end: Int
            if position < n && bytes[position] == lf {
                mask &= mask &- 1
                end = position + 1
                line += 1
                // A blank line ("" or a lone CR before the LF) is not a record.
                if position == start || (position == start + 1 && bytes[start] == cr) {
                    p = end
                    result.consumed = p
                    result.lineAfter = line
                    continue
                }
            } else if position >= n {
                if !isFinal { break }  // the record may go on in the next read
                end = n
                if n == start + 1 && bytes[start] == cr { p = n; result.consumed = n; break }
            } else {
                let scratch = quotedLine ?? CSVFieldIndex()
                quotedLine = scratch
                let one = try scan(bytes, into: scratch, from: start, count: n, isFinal: isFinal, expectedColumns: 0,
                                   maxRecords: 1, startLine: line, collapsesEscapes: false)
                if one.records == 0 {
                    result.stoppedInQuote = one.stoppedInQuote
                    break
                }
                end = one.consumed
                line = one.lineAfter
                maskBase = end
                mask = Self.lineFeedQuoteMask(bytes + end, limit: n - end)
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

    /// Bit k set when byte k of the 64 at `chunk` is a line feed or a quote; bits at and beyond `limit` cleared.
    /// - Precondition: 64 bytes at `chunk` are readable (the storage is padded).
    @inline(__always)
    static func lineFeedQuoteMask(_ chunk: UnsafePointer<UInt8>, limit: Int) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let lineFeeds = ones &* 0x0A, quotes = ones &* 0x22
        var mask: UInt64 = 0
        let raw = UnsafeRawPointer(chunk)
        for k in 0..<8 {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 &* k, as: UInt64.self))
            let b = word ^ lineFeeds, c = word ^ quotes
            let nonzero = (((b & low7) &+ low7) | b) & (((c & low7) &+ low7) | c)
            let matches = ~nonzero & 0x8080_8080_8080_8080
            mask |= (((matches >> 7) &* 0x0102_0408_1020_4080) >> 56) << UInt64(8 &* k)
        }
        if limit < 64 { mask &= (1 << UInt64(max(limit, 0))) &- 1 }
        return mask
    }
}
