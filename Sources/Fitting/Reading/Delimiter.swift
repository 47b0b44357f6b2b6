#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Tables

/// The field delimiter of a data file: given (`--delimiter`), or detected from its first lines.
///
/// **Detection.** The first 20 records (up to 64 KiB, quotes respected, blank lines skipped) are split by each of
/// comma, semicolon, tab and `|`. A candidate that splits every one of them — the header included — into the same
/// number of fields, more than one, is consistent. One consistent candidate is the delimiter; two or more that
/// disagree are refused (``TrainingDataError/ambiguousDelimiter(file:counts:)``) naming the field counts, so the
/// user says which with `--delimiter`. With none (a ragged line among the first ones, or a one-column file), the
/// candidate giving the header the most fields is taken — comma on a tie — and the reader then names the
/// ragged line.
public enum Delimiter: Sendable, Equatable, CustomStringConvertible {
    /// Detect from the file.
    case detect
    /// This byte.
    case byte(UInt8)

    /// The candidates detection tries, in order of preference on ties.
    public static let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: "|")]

    /// `,`, `;`, `|` or `tab`, as the option takes them.
    public static func name(_ byte: UInt8) -> String { byte == 9 ? "tab" : String(UnicodeScalar(byte)) }

    public var description: String {
        switch self {
        case .detect: return "detect"
        case let .byte(b): return Self.name(b)
        }
    }

    /// The delimiter of the file at `path` (see the type's documentation).
    /// - Throws: `TableError.cannotOpen`, or ``TrainingDataError/ambiguousDelimiter(file:counts:)``.
    public func resolve(path: String, fileName: String) throws -> UInt8 {
        if case let .byte(b) = self { return b }
        let prefix = try Self.prefix(path: path, fileName: fileName, limit: 64 << 10)
        return try Self.detect(prefix, fileName: fileName)
    }

    static func detect(_ bytes: [UInt8], fileName: String) throws -> UInt8 {
        var counts: [(byte: UInt8, fields: [Int])] = []
        for candidate in candidates { counts.append((candidate, fieldCounts(bytes, delimiter: candidate, records: 20))) }
        let consistent = counts.filter { c in
            guard let first = c.fields.first, first > 1 else { return false }
            return c.fields.allSatisfy { $0 == first }
        }
        if consistent.count == 1 { return consistent[0].byte }
        if consistent.count > 1 {
            throw TrainingDataError.ambiguousDelimiter(
                file: fileName, counts: consistent.map { "\(name($0.byte)) gives \($0.fields[0]) fields" })
        }
        var best = counts[0]
        for c in counts.dropFirst() where (c.fields.first ?? 0) > (best.fields.first ?? 0) { best = c }
        return best.byte
    }

    /// Fields per record of the first `records` complete records (a record cut by the end of `bytes` is left out).
    static func fieldCounts(_ bytes: [UInt8], delimiter: UInt8, records: Int) -> [Int] {
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        var result: [Int] = []
        var fields = 1, inQuote = false, empty = true
        var i = start
        while i < bytes.count, result.count < records {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") { inQuote.toggle(); empty = false }
            else if !inQuote && b == delimiter { fields += 1; empty = false }
            else if !inQuote && (b == 10 || b == 13) {
                if !empty { result.append(fields) }
                fields = 1; empty = true
            } else { empty = false }
            i += 1
        }
        // The last line without a line end counts when the whole file was read.
        if !empty, !inQuote, result.count < records, bytes.count < (64 << 10) { result.append(fields) }
        return result
    }

    static func prefix(path: String, fileName: String, limit: Int) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw TableError(.cannotOpen(reason: String(cString: strerror(errno))), file: fileName) }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: limit)
        var filled = 0
        while filled < limit {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, limit - filled) }
            if n < 0 {
                if errno == EINTR { continue }
                throw TableError(.ioFailure(reason: String(cString: strerror(errno))), file: fileName)
            }
            if n == 0 { break }
            filled += n
        }
        return Array(buffer[0..<filled])
    }
}
