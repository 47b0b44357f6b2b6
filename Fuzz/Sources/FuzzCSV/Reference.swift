#if canImport(Glibc)
import Glibc
#endif
import Tables

/// Why a file is refused; several may apply to one file (the reader reports the first it meets, the reference
/// lists every one it can see).
enum Problem: String, Hashable {
    case utf16, crOnly, invalidText, empty, duplicateHeader, ragged, unterminated, malformed, fieldTooLong
}

/// What reading a file gives: the table, or a refusal.
enum Outcome: Equatable {
    case table(header: [[UInt8]], headerLine: Int, rows: [[[UInt8]]], lines: [Int])
    case refused(Set<Problem>)
}

/// A plain reading of the format `CSVReader` documents, written for clarity, not speed: decode the whole file,
/// then one loop over its bytes. RFC 4180 with the reader's documented choices: LF or CRLF line ends (a CR
/// before a line feed, or at the end of the file, ends an unquoted field; a final CR may follow a closing quote);
/// a quote inside an unquoted field is literal; a line holding one empty unquoted field is blank and skipped;
/// the first record is the header; a UTF-8 byte-order mark is dropped.
struct ReferenceReader {
    let separator: UInt8
    let encoding: TextEncoding
    let maxFieldBytes: Int

    static let quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")

    func read(_ file: [UInt8]) -> Outcome {
        if isUTF16(file) { return .refused([.utf16]) }
        var problems: Set<Problem> = []
        var text: [UInt8]
        switch encoding {
        case .utf8:
            text = file
            if String(validating: file, as: UTF8.self) == nil { problems.insert(.invalidText) }
        case .latin1:
            text = Array(String(decoding: file.map { UInt16($0) }, as: UTF16.self).utf8)
        case .gb18030:
            let (decoded, valid) = Self.iconvWhole(file)
            text = decoded
            if !valid { problems.insert(.invalidText) }
        }
        if text.starts(with: [0xEF, 0xBB, 0xBF]) { text.removeFirst(3) }
        // A CR followed by anything but LF before the first line feed after the blank lines at the start: a
        // reader whose buffer holds no line feed yet names the line ends (whether the header is complete or not).
        var k = 0
        while k < text.count {
            if text[k] == Self.lf { k += 1 } else if text[k] == Self.cr && k + 1 < text.count && text[k + 1] == Self.lf {
                k += 2
            } else { break }
        }
        while k + 1 < text.count && text[k] != Self.lf {
            if text[k] == Self.cr && text[k + 1] != Self.lf { problems.insert(.crOnly) }
            k += 1
        }
        let parsed = parse(text)
        problems.formUnion(parsed.problems)
        guard let header = parsed.records.first else {
            problems.insert(.empty)
            return .refused(problems)
        }
        if header.fields.contains(where: { $0.contains(Self.cr) }) { problems.insert(.crOnly) }
        if Set(header.fields).count != header.fields.count { problems.insert(.duplicateHeader) }
        for record in parsed.records.dropFirst() where record.fields.count != header.fields.count {
            problems.insert(.ragged)
        }
        if !problems.isEmpty { return .refused(problems) }
        return .table(header: header.fields, headerLine: header.line,
                      rows: parsed.records.dropFirst().map(\.fields), lines: parsed.records.dropFirst().map(\.line))
    }

    struct Record {
        var fields: [[UInt8]] = []
        var line: Int
        var start: Int
    }

    /// Records up to the first quoting error; the problems met (quoting errors, fields over the limit).
    func parse(_ t: [UInt8]) -> (records: [Record], problems: Set<Problem>) {
        var records: [Record] = []
        var problems: Set<Problem> = []
        var i = 0, line = 1
        let n = t.count
        while i < n {
            var record = Record(line: line, start: i)
            var lastQuoted = false
            var broken = false
            fields: while true {
                if i < n && t[i] == Self.quote {
                    lastQuoted = true
                    i += 1
                    var content: [UInt8] = []
                    var raw = 0, closed = false
                    while i < n {
                        if t[i] == Self.quote {
                            if i + 1 < n && t[i + 1] == Self.quote {
                                content.append(Self.quote)
                                raw += 2
                                i += 2
                                continue
                            }
                            closed = true
                            i += 1
                            break
                        }
                        if t[i] == Self.lf { line += 1 }
                        content.append(t[i])
                        raw += 1
                        i += 1
                    }
                    if raw > maxFieldBytes { problems.insert(.fieldTooLong) }
                    if !closed {
                        problems.insert(.unterminated)
                        return (records, problems)
                    }
                    record.fields.append(content)
                    if i == n { break fields }
                    if t[i] == separator { i += 1; continue fields }
                    if t[i] == Self.lf { i += 1; line += 1; break fields }
                    if t[i] == Self.cr && i + 1 < n && t[i + 1] == Self.lf { i += 2; line += 1; break fields }
                    if t[i] == Self.cr && i + 1 == n { i += 1; break fields }
                    // Malformed: note it, measure the rest of this record's fields, and stop.
                    problems.insert(.malformed)
                    broken = true
                    while i < n && t[i] != separator && t[i] != Self.lf { i += 1 }
                    if i < n && t[i] == separator { i += 1; continue fields }
                    break fields
                } else {
                    lastQuoted = false
                    let start = i
                    while i < n && t[i] != separator && t[i] != Self.lf { i += 1 }
                    if i < n && t[i] == separator {
                        if i - start > maxFieldBytes { problems.insert(.fieldTooLong) }
                        record.fields.append(Array(t[start..<i]))
                        i += 1
                        continue fields
                    }
                    var end = i
                    if end > start && t[end - 1] == Self.cr { end -= 1 }
                    if end - start > maxFieldBytes { problems.insert(.fieldTooLong) }
                    record.fields.append(Array(t[start..<end]))
                    if i < n { i += 1; line += 1 }
                    break fields
                }
            }
            if broken { return (records, problems) }
            let blank = record.fields.count == 1 && !lastQuoted && record.fields[0].isEmpty
            if !blank { records.append(record) }
        }
        return (records, problems)
    }

    /// The NUL-byte or byte-order-mark signature of UTF-16 among the first 128 bytes.
    func isUTF16(_ file: [UInt8]) -> Bool {
        if file.count < 2 { return false }
        if file.starts(with: [0xFF, 0xFE]) || file.starts(with: [0xFE, 0xFF]) { return true }
        let pairs = min(file.count / 2, 64)
        let even = (0..<pairs).filter { file[2 * $0] == 0 }.count
        let odd = (0..<pairs).filter { file[2 * $0 + 1] == 0 }.count
        return (odd * 2 >= pairs && even == 0) || (even * 2 >= pairs && odd == 0)
    }

    /// The whole file through iconv at once, and whether all of it was GB18030 (else the output stops there).
    static func iconvWhole(_ file: [UInt8]) -> ([UInt8], Bool) {
        if file.isEmpty { return ([], true) }
        let cd = iconv_open("UTF-8", "GB18030")
        precondition(Int(bitPattern: cd) != -1, "no GB18030 converter")
        defer { iconv_close(cd) }
        var input = file.map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: 4 * file.count + 16)
        let outputCount = output.count
        var valid = true
        var written = 0
        input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                var inPointer = inBuffer.baseAddress, inLeft = inBuffer.count
                var outPointer = outBuffer.baseAddress, outLeft = outputCount
                if iconv(cd, &inPointer, &inLeft, &outPointer, &outLeft) == -1 { valid = false }
                written = outputCount - outLeft
            }
        }
        return (output.prefix(written).map { UInt8(bitPattern: $0) }, valid)
    }
}
