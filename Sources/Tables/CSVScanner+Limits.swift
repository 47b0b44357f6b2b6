/// The field-length limit (`CSVReader.Options.maxFieldBytes`).
///
/// The scans test only a record's length against the limit (one comparison per record, no `String`): a record
/// no longer than the limit cannot hold a longer field. Only a longer record is walked, field by field, here.
/// The reader also walks the partial record it carries when it holds more than the limit, before it reads on,
/// so a huge field is refused after about `max(blockSize, 2 × maxFieldBytes)` bytes, not at the end of the field.
extension CSVScanner {
    /// Bytes of a too-long field kept as the error's value (its start; the message shows about 64 characters).
    static let fieldStartQuoted = 256

    /// The error for the first field of `bytes[recordStart..<end]` whose content (quotes excluded, `""` counted
    /// as two bytes, a CR before the line end not counted) is longer than `maxFieldBytes`, or nil when none is.
    /// The range may end inside a record (a partial record): its last field is then measured up to `end`.
    /// - Complexity: O(end − recordStart).
    func longFieldError(_ bytes: UnsafePointer<UInt8>, recordStart: Int, end: Int, line: Int) -> TableError? {
        let quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        var i = recordStart, line = line, column = 0
        while i < end {
            let fieldLine = line
            var contentStart = i, contentEnd: Int
            if bytes[i] == quote {
                contentStart = i + 1
                i += 1
                while i < end {
                    if bytes[i] == quote {
                        if i + 1 < end && bytes[i + 1] == quote { i += 2; continue }
                        break
                    }
                    if bytes[i] == lf { line += 1 }
                    i += 1
                }
                contentEnd = i
                // Past the closing quote to the separator or line end (the scan has checked what lies between).
                while i < end && bytes[i] != separator && bytes[i] != lf { i += 1 }
            } else {
                while i < end && bytes[i] != separator && bytes[i] != lf { i += 1 }
                // A CR before the line end (or the range's end) is not content, as in the scans.
                contentEnd = (i == end || bytes[i] == lf) && i > contentStart && bytes[i - 1] == cr ? i - 1 : i
            }
            if contentEnd - contentStart > maxFieldBytes {
                let shown = Swift.min(contentEnd - contentStart, Self.fieldStartQuoted)
                return TableError(.fieldTooLong(limit: maxFieldBytes), file: fileName, line: fieldLine,
                                  columnIndex: column, columnName: column < header.count ? header[column] : nil,
                                  value: String(decoding: UnsafeBufferPointer(start: bytes + contentStart, count: shown),
                                                as: UTF8.self),
                                  expected: "at most \(TableError.grouped(maxFieldBytes)) bytes in a field")
            }
            if i < end && bytes[i] == lf {
                line += 1
                column = 0     // the record's end (a walk over a partial record never gets here)
            } else {
                column += 1
            }
            i += 1
        }
        return nil
    }
}
