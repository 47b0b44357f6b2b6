/// The single pass that splits a buffer into records and fields (RFC 4180).
///
/// It records, for every field, the start and end offset of its content (quotes excluded) and, for every
/// record, its first physical line. It stops before a record that the buffer does not hold completely, unless
/// the buffer is the end of the file, so the reader can carry that partial record into the next block.
/// Quoted fields with `""` escapes are collapsed in place afterwards — only for complete records, so the
/// carried-over bytes stay untouched.
struct CSVScanner {
    /// Field separator byte (`,` by default).
    let separator: UInt8
    /// The file name for errors.
    let fileName: String
    /// Header names for errors (empty while reading the header itself).
    let header: [String]
    /// A field whose content (quotes excluded) is longer is an error (`CSVReader.Options.maxFieldBytes`).
    var maxFieldBytes = Int.max

    struct Result {
        /// Complete records found (blank lines excluded).
        var records = 0
        /// Fields of those records (records × columns for data blocks).
        var fields = 0
        /// Offset just after the last complete record (and any blank lines after it).
        var consumed = 0
        /// The line number at `consumed`.
        var lineAfter = 0
        /// The scan stopped inside an open quoted field (for the "record too long" diagnosis).
        var stoppedInQuote = false
    }

    /// Scans `storage.bytes[start..<count]`.
    ///
    /// - Parameters:
    ///   - isFinal: the buffer ends at the end of the file, so a record without a line end is complete and an
    ///     open quote is an error.
    ///   - expectedColumns: fields every record must have; 0 accepts any count (for the header).
    ///   - maxRecords: stop after this many records (1 for the header).
    ///   - startLine: the physical line number at `start`.
    /// - Throws: `TableError` for invalid UTF-8, over-long fields, ragged rows, unterminated or malformed quoted
    ///   fields; the first in file order (within a record: quoting, then text, then length, then field count).
    /// - Complexity: O(count − start).
    func scan(_ storage: CSVBlockStorage, from start: Int, count n: Int, isFinal: Bool,
              expectedColumns: Int, maxRecords: Int, startLine: Int) throws -> Result {
        try scan(storage.bytes, into: storage.index, from: start, count: n, isFinal: isFinal,
                 expectedColumns: expectedColumns, maxRecords: maxRecords, startLine: startLine)
    }

    /// Scans `bytes[start..<count]` into `index` (see above).
    /// - Parameters:
    ///   - collapsesEscapes: rewrite `""` as `"` in place (the bytes of complete records only). Without it the
    ///     bytes are left as read and the bounds of a field with escapes include them.
    ///   - checksRecords: validate each complete record's UTF-8 and field lengths; off where the reader's record
    ///     pass (`scanRecords`) has already done it.
    func scan(_ bytes: UnsafeMutablePointer<UInt8>, into storage: CSVFieldIndex, from start: Int, count n: Int,
              isFinal: Bool, expectedColumns: Int, maxRecords: Int, startLine: Int,
              collapsesEscapes: Bool = true, checksRecords: Bool = true) throws -> Result {
        let sep = separator
        let quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        var bounds = storage.reserveBounds(2 * max(16, expectedColumns), keeping: 0)
        var boundsCapacity = storage.boundsCapacity
        var lines = storage.reserveLines(16, keeping: 0)
        var linesCapacity = storage.linesCapacity

        var result = Result()
        result.consumed = start
        result.lineAfter = startLine
        var p = start
        var line = startLine
        var fieldCount = 0
        var escapedFields: [Int] = []
        // Bit k of `mask` marks a separator, line feed or quote at `maskBase + k`; bits below the current
        // position are cleared as it advances.
        var maskBase = start
        var mask = structuralMask(bytes + start, limit: n - start)

        records: while result.records < maxRecords && p < n {
            let recordLine = line, recordStart = p
            let recordFirstField = fieldCount
            var lastFieldQuoted = false
            fields: while true {
                if 2 * fieldCount + 2 > boundsCapacity {
                    bounds = storage.reserveBounds(2 * fieldCount + 2, keeping: 2 * fieldCount)
                    boundsCapacity = storage.boundsCapacity
                }
                if p < n && bytes[p] == quote {
                    // Quoted field: runs to the next quote that is not part of a "" pair.
                    lastFieldQuoted = true
                    let fieldLine = line
                    let contentStart = p + 1
                    var q = contentStart
                    var hasEscapes = false
                    while true {
                        while q < n {
                            let c = bytes[q]
                            if c == quote { break }
                            if c == lf { line += 1 }
                            q += 1
                        }
                        if q >= n {
                            if isFinal {
                                throw error(.unterminatedQuotedField, line: fieldLine,
                                            column: fieldCount - recordFirstField, value: nil,
                                            expected: "a closing double quote before the end of the file")
                            }
                            result.stoppedInQuote = true
                            break records
                        }
                        if q + 1 < n && bytes[q + 1] == quote {
                            hasEscapes = true
                            q += 2
                            continue
                        }
                        // A quote at the very end of a partial buffer may be the first of a "" pair.
                        if q + 1 >= n && !isFinal {
                            result.stoppedInQuote = true
                            break records
                        }
                        break
                    }
                    bounds[2 * fieldCount] = UInt32(truncatingIfNeeded: contentStart)
                    bounds[2 * fieldCount + 1] = UInt32(truncatingIfNeeded: q)
                    if hasEscapes { escapedFields.append(fieldCount) }
                    fieldCount += 1
                    p = q + 1
                    if p >= n { break fields }  // end of file (isFinal, checked above)
                    // After the separator or line end, restart the structural mask at the new position.
                    let c = bytes[p]
                    if c == sep {
                        p += 1
                        maskBase = p
                        mask = structuralMask(bytes + p, limit: n - p)
                        continue fields
                    }
                    if c == lf || (c == cr && p + 1 < n && bytes[p + 1] == lf) {
                        p += c == lf ? 1 : 2
                        line += 1
                        maskBase = p
                        mask = structuralMask(bytes + p, limit: n - p)
                        break fields
                    }
                    if c == cr && p + 1 >= n {
                        if !isFinal { break records }  // the LF may follow in the next read
                        p = n  // a final CR without LF ends the file like CRLF
                        break fields
                    }
                    var end = p
                    while end < n && bytes[end] != sep && bytes[end] != lf && bytes[end] != cr { end += 1 }
                    throw error(.malformedQuotedField, line: line, column: fieldCount - 1 - recordFirstField,
                                value: String(decoding: UnsafeBufferPointer(start: bytes + p, count: end - p),
                                              as: UTF8.self),
                                expected: "a separator or line end after the closing quote")
                } else {
                    // Unquoted field: runs to the next separator or line feed. The structural-character mask
                    // finds it without a branch per byte; a quote inside an unquoted field is literal.
                    lastFieldQuoted = false
                    let fieldStart = p
                    while true {
                        if mask == 0 {
                            maskBase += 64
                            if maskBase >= n {
                                p = n
                                break
                            }
                            mask = structuralMask(bytes + maskBase, limit: n - maskBase)
                            continue
                        }
                        let position = maskBase + mask.trailingZeroBitCount
                        mask &= mask &- 1
                        if bytes[position] != quote {
                            p = position
                            break
                        }
                    }
                    if p >= n && !isFinal { break records }
                    if p < n && bytes[p] == sep {
                        bounds[2 * fieldCount] = UInt32(truncatingIfNeeded: fieldStart)
                        bounds[2 * fieldCount + 1] = UInt32(truncatingIfNeeded: p)
                        fieldCount += 1
                        p += 1
                        continue fields
                    }
                    var end = p
                    if end > fieldStart && bytes[end - 1] == cr { end -= 1 }
                    bounds[2 * fieldCount] = UInt32(truncatingIfNeeded: fieldStart)
                    bounds[2 * fieldCount + 1] = UInt32(truncatingIfNeeded: end)
                    fieldCount += 1
                    if p < n {
                        p += 1
                        line += 1
                    }
                    break fields
                }
            }
            // End of a complete record.
            let found = fieldCount - recordFirstField
            if found == 1 && !lastFieldQuoted && bounds[2 * recordFirstField] == bounds[2 * recordFirstField + 1] {
                fieldCount = recordFirstField  // a blank line: not a record
            } else {
                if checksRecords {
                    // Inside the record, in cache: the ASCII bytes are checked eight at a time.
                    if let problem = UTF8Validation.firstProblem(bytes, from: recordStart, to: p) {
                        throw utf8Error(bytes, recordStart: recordStart, line: recordLine, problem)
                    }
                    if p - recordStart > maxFieldBytes,
                       let error = longFieldError(bytes, recordStart: recordStart, end: p, line: recordLine) {
                        throw error
                    }
                }
                if expectedColumns > 0 && found != expectedColumns {
                    throw TableError(.raggedRow(expected: expectedColumns, found: found), file: fileName,
                                     line: recordLine)
                }
                if result.records >= linesCapacity {
                    lines = storage.reserveLines(result.records + 1, keeping: result.records)
                    linesCapacity = storage.linesCapacity
                }
                lines[result.records] = recordLine
                result.records += 1
            }
            result.fields = fieldCount
            result.consumed = p
            result.lineAfter = line
        }

        // Collapse "" → " inside complete quoted fields, in place; the content only shrinks.
        for field in escapedFields where collapsesEscapes && field < result.fields {
            let start = Int(bounds[2 * field]), end = Int(bounds[2 * field + 1])
            var read = start, write = start
            while read < end {
                let c = bytes[read]
                bytes[write] = c
                write += 1
                read += c == quote ? 2 : 1
            }
            bounds[2 * field + 1] = UInt32(truncatingIfNeeded: write)
        }
        return result
    }

    /// Bit k set when byte k of the 64 at `chunk` is the separator, a line feed or a quote; bits at and
    /// beyond `limit` are cleared.
    /// - Precondition: 64 bytes at `chunk` are readable (the storage is padded).
    @inline(__always)
    private func structuralMask(_ chunk: UnsafePointer<UInt8>, limit: Int) -> UInt64 {
        Self.byteMask(chunk, limit: limit, separator, UInt8(ascii: "\n"), UInt8(ascii: "\""))
    }

    /// Bit k set when byte k of the 64 at `chunk` equals `a`, `b` or (when given) `c`; bits at and beyond `limit`
    /// are cleared. Eight bytes at a time with exact SWAR byte equality (no false positives): a byte of `x` is zero
    /// iff `((x & 0x7F…) + 0x7F…) | x` leaves its high bit clear.
    /// - Precondition: 64 bytes at `chunk` are readable (the storage is padded).
    @inline(__always)
    static func byteMask(_ chunk: UnsafePointer<UInt8>, limit: Int, _ a: UInt8, _ b: UInt8, _ c: UInt8? = nil) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        @inline(__always) func nonzeroBytes(_ x: UInt64) -> UInt64 { ((x & low7) &+ low7) | x }
        var mask: UInt64 = 0
        let raw = UnsafeRawPointer(chunk)
        for k in 0..<8 {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 &* k, as: UInt64.self))
            var nonzero = nonzeroBytes(word ^ (ones &* UInt64(a))) & nonzeroBytes(word ^ (ones &* UInt64(b)))
            if let c { nonzero &= nonzeroBytes(word ^ (ones &* UInt64(c))) }
            let matches = ~nonzero & 0x8080_8080_8080_8080
            mask |= (((matches >> 7) &* 0x0102_0408_1020_4080) >> 56) << UInt64(8 &* k)
        }
        if limit < 64 { mask &= (1 << UInt64(max(limit, 0))) &- 1 }
        return mask
    }

    /// `byteMask` for a line feed and a quote, and whether any of the 64 bytes (padding included) is ≥ 0x80:
    /// the record pass's UTF-8 fast path, one OR per word.
    /// - Precondition: 64 bytes at `chunk` are readable (the storage is padded).
    @inline(__always)
    static func byteMaskFlaggingHigh(_ chunk: UnsafePointer<UInt8>, limit: Int, _ a: UInt8,
                                     _ b: UInt8) -> (mask: UInt64, high: Bool) {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        @inline(__always) func nonzeroBytes(_ x: UInt64) -> UInt64 { ((x & low7) &+ low7) | x }
        var mask: UInt64 = 0
        var any: UInt64 = 0
        let raw = UnsafeRawPointer(chunk)
        for k in 0..<8 {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 &* k, as: UInt64.self))
            any |= word
            let nonzero = nonzeroBytes(word ^ (ones &* UInt64(a))) & nonzeroBytes(word ^ (ones &* UInt64(b)))
            let matches = ~nonzero & 0x8080_8080_8080_8080
            mask |= (((matches >> 7) &* 0x0102_0408_1020_4080) >> 56) << UInt64(8 &* k)
        }
        if limit < 64 { mask &= (1 << UInt64(max(limit, 0))) &- 1 }
        return (mask, any & 0x8080_8080_8080_8080 != 0)
    }

    /// An error at `column` (0-based within the record) of the record on `line`.
    private func error(_ kind: TableError.Kind, line: Int, column: Int, value: String?,
                       expected: String?) -> TableError {
        TableError(kind, file: fileName, line: line, columnIndex: column,
                   columnName: column < header.count ? header[column] : nil, value: value, expected: expected)
    }
}
