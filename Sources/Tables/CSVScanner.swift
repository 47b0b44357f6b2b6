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
    /// - Throws: `TableError` for ragged rows, unterminated or malformed quoted fields.
    /// - Complexity: O(count − start).
    func scan(_ storage: CSVBlockStorage, from start: Int, count n: Int, isFinal: Bool,
              expectedColumns: Int, maxRecords: Int, startLine: Int) throws -> Result {
        let bytes = storage.bytes
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

        records: while result.records < maxRecords && p < n {
            let recordLine = line
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
                                            expected: "a closing double quote")
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
                    let c = bytes[p]
                    if c == sep {
                        p += 1
                        continue fields
                    }
                    if c == lf {
                        p += 1
                        line += 1
                        break fields
                    }
                    if c == cr && p + 1 < n && bytes[p + 1] == lf {
                        p += 2
                        line += 1
                        break fields
                    }
                    if c == cr && p + 1 >= n && !isFinal { break records }
                    var end = p
                    while end < n && bytes[end] != sep && bytes[end] != lf && bytes[end] != cr { end += 1 }
                    throw error(.malformedQuotedField, line: line, column: fieldCount - 1 - recordFirstField,
                                value: String(decoding: UnsafeBufferPointer(start: bytes + p, count: end - p),
                                              as: UTF8.self),
                                expected: "a separator or line end after the closing quote")
                } else {
                    // Unquoted field: runs to the next separator or line feed.
                    lastFieldQuoted = false
                    let fieldStart = p
                    while p < n {
                        let c = bytes[p]
                        if c == sep || c == lf { break }
                        p += 1
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
        for field in escapedFields where field < result.fields {
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

    /// An error at `column` (0-based within the record) of the record on `line`.
    private func error(_ kind: TableError.Kind, line: Int, column: Int, value: String?,
                       expected: String?) -> TableError {
        TableError(kind, file: fileName, line: line, columnIndex: column,
                   columnName: column < header.count ? header[column] : nil, value: value, expected: expected)
    }
}
