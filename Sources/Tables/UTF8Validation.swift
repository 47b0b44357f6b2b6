/// Strict UTF-8 validation of raw bytes, for the scans: the readers hand out UTF-8 only, so invalid bytes are
/// refused where they are read instead of being replaced (by U+FFFD) or copied through.
///
/// Valid means the well-formed sequences of the Unicode Standard (§3.9, table 3-7): no overlong forms (C0, C1,
/// E0 80…9F, F0 80…8F), no surrogates (ED A0…BF), nothing above U+10FFFF (F4 90… and F5…FF), no stray
/// continuation bytes, and no sequence cut short by the end of its field, record or file.
enum UTF8Validation {
    /// An ill-formed sequence: where it starts and how many bytes to quote (the bytes read up to and including
    /// the first that breaks it, or those present when the text ends inside it).
    struct Problem: Equatable {
        var offset: Int
        var count: Int
    }

    /// Validates the sequences that start in `p[from..<upTo]`; a sequence may run on to `limit` (the last
    /// readable byte + 1).
    ///
    /// - Parameter isFinal: `limit` is the end of the text, so a sequence cut by it is ill-formed. Otherwise the
    ///   validation stops before such a sequence (its bytes may follow in the next read).
    /// - Returns: the offset up to which every byte is known to be well-formed (at least `upTo` unless a problem
    ///   or a cut sequence stopped it), and the first problem, if any.
    /// - Complexity: O(bytes); ASCII runs are checked eight bytes at a time.
    @inline(__always)
    static func validate(_ p: UnsafePointer<UInt8>, from: Int, upTo: Int, limit: Int,
                         isFinal: Bool) -> (validTo: Int, problem: Problem?) {
        var i = from
        let raw = UnsafeRawPointer(p)
        while i < upTo {
            if i &+ 8 <= limit {
                let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                let high = UInt64(littleEndian: word) & 0x8080_8080_8080_8080
                if high == 0 {
                    i &+= 8
                    continue
                }
                i &+= high.trailingZeroBitCount >> 3
                if i >= upTo { break }
            } else if p[i] < 0x80 {
                i &+= 1
                continue
            }
            switch sequence(p, at: i, limit: limit) {
            case .wellFormed(let length):
                i &+= length
            case .illFormed(let count):
                return (i, Problem(offset: i, count: count))
            case .cut(let present):
                return isFinal ? (i, Problem(offset: i, count: present)) : (i, nil)
            }
        }
        return (Swift.max(i, upTo), nil)
    }

    /// Validates the whole of `p[from..<end]`, which ends where the text ends (a field, a record or the file).
    static func firstProblem(_ p: UnsafePointer<UInt8>, from: Int, to end: Int) -> Problem? {
        validate(p, from: from, upTo: end, limit: end, isFinal: true).problem
    }

    enum Sequence {
        case wellFormed(length: Int)
        case illFormed(quote: Int)
        case cut(present: Int)
    }

    /// The sequence that starts with the non-ASCII byte `p[i]`.
    @inline(never)
    static func sequence(_ p: UnsafePointer<UInt8>, at i: Int, limit: Int) -> Sequence {
        let lead = p[i]
        var low: UInt8 = 0x80, high: UInt8 = 0xBF
        let continuations: Int
        switch lead {
        case 0xC2...0xDF: continuations = 1
        case 0xE0: continuations = 2; low = 0xA0                    // not overlong
        case 0xE1...0xEC, 0xEE, 0xEF: continuations = 2
        case 0xED: continuations = 2; high = 0x9F                   // not a surrogate
        case 0xF0: continuations = 3; low = 0x90                    // not overlong
        case 0xF1...0xF3: continuations = 3
        case 0xF4: continuations = 3; high = 0x8F                   // not above U+10FFFF
        default: return .illFormed(quote: 1)                        // 80…C1, F5…FF
        }
        for k in 1...continuations {
            if i + k >= limit { return .cut(present: k) }
            let byte = p[i + k]
            if byte < low || byte > high { return .illFormed(quote: k + 1) }
            low = 0x80
            high = 0xBF
        }
        return .wellFormed(length: continuations + 1)
    }

    /// "UTF-16 (little-endian)" or "UTF-16 (big-endian)" when the first bytes of a file are a UTF-16 byte-order
    /// mark or have the NUL-byte pattern of UTF-16 text (every other byte NUL among the first 64 pairs); nil
    /// otherwise. A UTF-8 file never starts so: FF and FE are not UTF-8, and text has no NUL bytes.
    static func utf16Name(_ p: [UInt8]) -> String? {
        let count = p.count
        guard count >= 2 else { return nil }
        if p[0] == 0xFF && p[1] == 0xFE { return "UTF-16 (little-endian)" }
        if p[0] == 0xFE && p[1] == 0xFF { return "UTF-16 (big-endian)" }
        let pairs = Swift.min(count / 2, 64)
        var evenNUL = 0, oddNUL = 0
        for k in 0..<pairs {
            if p[2 * k] == 0 { evenNUL += 1 }
            if p[2 * k + 1] == 0 { oddNUL += 1 }
        }
        if oddNUL * 2 >= pairs && evenNUL == 0 { return "UTF-16 (little-endian)" }
        if evenNUL * 2 >= pairs && oddNUL == 0 { return "UTF-16 (big-endian)" }
        return nil
    }
}

extension CSVScanner {
    /// The physical line and the 0-based field of the byte at `offset`, in the record that starts at
    /// `recordStart` on `line`: a walk that follows the quoting rules of the scan. (Cold: for error messages.)
    func locate(_ bytes: UnsafePointer<UInt8>, recordStart: Int, line: Int, offset: Int) -> (line: Int, column: Int) {
        let quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n")
        var line = line, column = 0, i = recordStart
        var atFieldStart = true, inQuotes = false
        while i < offset {
            let c = bytes[i]
            i += 1
            if inQuotes {
                if c == quote {
                    if i < offset && bytes[i] == quote { i += 1 } else { inQuotes = false }
                } else if c == lf {
                    line += 1
                }
                atFieldStart = false
                continue
            }
            if c == quote && atFieldStart {
                inQuotes = true
            } else if c == separator {
                column += 1
                atFieldStart = true
                continue
            } else if c == lf {
                line += 1          // a blank line before the record, or the end of one
                column = 0
                atFieldStart = true
                continue
            }
            atFieldStart = false
        }
        return (line, column)
    }

    /// The error for text that is not valid in `encoding`, at `offset` of the record that starts at
    /// `recordStart` on `line`; `quoted` are the bytes to show in hexadecimal.
    func textError(_ bytes: UnsafePointer<UInt8>, recordStart: Int, line: Int, offset: Int, quoted: [UInt8],
                   encoding: TextEncoding) -> TableError {
        let (line, column) = locate(bytes, recordStart: recordStart, line: line, offset: offset)
        return TableError(.invalidText(encoding: encoding, bytes: quoted), file: fileName, line: line,
                          columnIndex: column, columnName: column < header.count ? header[column] : nil,
                          expected: TableError.expectedText(encoding))
    }

    /// `textError` for a UTF-8 problem found in the block's bytes.
    func utf8Error(_ bytes: UnsafePointer<UInt8>, recordStart: Int, line: Int,
                   _ problem: UTF8Validation.Problem) -> TableError {
        textError(bytes, recordStart: recordStart, line: line, offset: problem.offset,
                  quoted: Array(UnsafeBufferPointer(start: bytes + problem.offset, count: problem.count)),
                  encoding: .utf8)
    }
}
