#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import struct Foundation.URL

/// Streams a CSV file as blocks of complete records, reading it with POSIX `read` into large buffers.
///
/// The header is read by the initialiser; each `nextBlock()` then returns about `Options.blockSize` bytes of
/// complete records, indexed in one pass. A record cut by the end of a buffer is carried over to the next
/// block, so at most one block (plus one partial record) is in memory at a time — the file is never held
/// whole, and never twice. When the caller has released the previous block, its memory is reused.
///
/// Format (RFC 4180): `separator`-separated fields; fields may be double-quoted, with `""` for a quote, and
/// quoted fields may contain separators and line breaks. LF or CRLF line ends; the last line may lack its line
/// end. Blank lines are skipped (so a one-column file writes a missing value as `""`). A quote inside an
/// unquoted field is kept literally.
///
/// Text: UTF-8 with or without a byte-order mark (stripped), validated as it is scanned — invalid bytes are an
/// error naming line, column and the bytes (`TableError.Kind.invalidText`), so the blocks' fields are always
/// valid UTF-8. GB18030 and Latin-1 files are read with `Options.encoding`, transcoded while reading. A UTF-16
/// file is recognised by its byte-order mark or its NUL bytes and refused by name (`.unsupportedEncoding`).
///
/// Line ends of a carriage return alone (classic Mac OS, Excel's "CSV (Macintosh)") are recognised in the header
/// and refused (`.carriageReturnLineEnds`) rather than read: taking a lone CR for a line end would put a fourth
/// byte into the scans' structural masks on every file for the sake of a convention out of use since 2001, and
/// would split the unquoted fields with a stray CR that LF files hold today; `tr '\r' '\n'` converts such a file.
///
/// Limits: a field longer than `Options.maxFieldBytes` (1 MiB by default) is refused as soon as the reader holds
/// that much of it, and a record longer than `Options.maxRecordBytes`, so a stray quote or a binary file cannot
/// make the reader hold the whole file.
///
///     var reader = try CSVReader(url: input)
///     let age = try reader.requireColumns(["age"])[0]
///     while let block = try reader.nextBlock() {
///         for row in 0..<block.rowCount { total += try block.double(row: row, column: age) }
///     }
public struct CSVReader {
    /// Reading options.
    public struct Options: Sendable {
        /// The field separator (an ASCII byte other than `"`, CR or LF).
        public var separator: UInt8
        /// Target bytes per block. Larger blocks amortise more; 4–8 MiB keeps them in a shared cache level.
        public var blockSize: Int
        /// A record longer than this is an error (a stray quote would otherwise swallow the whole file).
        public var maxRecordBytes: Int
        /// Whether two header columns may have the same name (lookups then find the first).
        public var allowsDuplicateHeaderNames: Bool
        /// The file's encoding; anything but UTF-8 is transcoded to UTF-8 while reading.
        public var encoding: TextEncoding
        /// A field whose content is longer (in bytes, quotes excluded) is an error, raised as soon as the reader
        /// holds that much of it (`TableError.Kind.fieldTooLong`).
        public var maxFieldBytes: Int
        /// Called with the file's bytes as they are read — every byte once, in file order, before any
        /// transcoding — so that a caller can hash a file in the same pass that parses it (Tables itself knows no
        /// hash). Called on the reading thread between reads. The bytes are valid only during the call. Bytes
        /// after the last record the caller asked for may not have been read: a caller that stops early and
        /// needs the whole file reads the rest itself (``CSVReader/bytesRead``).
        public var byteObserver: (@Sendable (UnsafeRawBufferPointer) -> Void)?

        /// - Parameters:
        ///   - encoding: the file's encoding; by default ``TextDefaults/encoding`` (UTF-8 unless the command line
        ///     said otherwise).
        ///   - maxFieldBytes: the field limit; by default ``TextDefaults/maxFieldBytes`` (1 MiB unless the command
        ///     line said otherwise).
        public init(separator: UInt8 = UInt8(ascii: ","), blockSize: Int = 8 << 20,
                    maxRecordBytes: Int = 64 << 20, allowsDuplicateHeaderNames: Bool = false,
                    encoding: TextEncoding? = nil, maxFieldBytes: Int? = nil,
                    byteObserver: (@Sendable (UnsafeRawBufferPointer) -> Void)? = nil) {
            let defaults = TextDefaults.current
            let encoding = encoding ?? defaults.encoding
            let maxFieldBytes = maxFieldBytes ?? defaults.maxFieldBytes
            precondition(separator != UInt8(ascii: "\"") && separator != 10 && separator != 13 && separator < 128,
                         "separator must be an ASCII byte other than quote, CR and LF")
            precondition(blockSize >= 1, "blockSize must be positive")
            precondition(maxFieldBytes >= 1, "maxFieldBytes must be positive")
            self.separator = separator
            self.blockSize = blockSize
            self.maxRecordBytes = maxRecordBytes
            self.allowsDuplicateHeaderNames = allowsDuplicateHeaderNames
            self.encoding = encoding
            self.maxFieldBytes = maxFieldBytes
            self.byteObserver = byteObserver
        }
    }

    /// Column names, in file order.
    public let header: [String]
    /// The physical line of the header (1 unless blank lines precede it).
    public let headerLine: Int
    /// The file as named in error messages (its last path component).
    public let fileName: String
    /// The options in force.
    public let options: Options

    private let state: ReaderState
    /// Block storages allocated so far; the rest were recycled.
    var storagesAllocated: Int { state.storagesAllocated }
    /// Bytes read from the file so far (tests check that a reader stops early).
    public var bytesRead: Int { state.bytesRead }
    private let scanner: CSVScanner

    /// Opens `url` (a file URL) and reads its header. See `init(path:displayName:options:)`.
    public init(url: URL, options: Options = Options()) throws {
        try self.init(path: url.path, options: options)
    }

    /// Opens the file at `path` and reads its header.
    /// - Parameter displayName: how errors name the file; the last path component by default.
    /// - Throws: `TableError` `.cannotOpen`, `.emptyFile`, `.duplicateHeader`, `.unsupportedEncoding` (UTF-16),
    ///   `.carriageReturnLineEnds`, `.invalidText`, `.fieldTooLong`, or a quoting error in the header.
    public init(path: String, displayName: String? = nil, options: Options = Options()) throws {
        let name = displayName ?? path.split(separator: "/").last.map(String.init) ?? path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw TableError(.cannotOpen(reason: systemError()), file: name) }
        let state = try ReaderState(fd: fd, fileName: name, blockSize: options.blockSize, encoding: options.encoding,
                                    observer: options.byteObserver)
        let headerScanner = CSVScanner(separator: options.separator, fileName: name, header: [],
                                       maxFieldBytes: options.maxFieldBytes)

        // Read the header as a one-record block; everything after it stays pending for the first data block.
        var header: [String] = []
        var headerLine = 1
        while true {
            guard let (storage, count) = try state.fill(maxRecordBytes: options.maxRecordBytes) else {
                throw TableError(.emptyFile, file: name, expected: "a header line naming the columns")
            }
            if state.atFileStart, let encoding = UTF8Validation.utf16Name(state.firstBytes) {
                let from = encoding.contains("little") ? "UTF-16LE" : "UTF-16BE"
                throw TableError(.unsupportedEncoding(name: encoding), file: name, line: 1,
                                 expected: "UTF-8 — convert with `iconv -f \(from) -t UTF-8`")
            }
            var start = 0
            if state.atFileStart && count >= 3 && storage.bytes[0] == 0xEF && storage.bytes[1] == 0xBB
                && storage.bytes[2] == 0xBF {
                start = 3
            }
            let scan = try headerScanner.scan(storage, from: start, count: count, isFinal: state.eof,
                                              expectedColumns: 0, maxRecords: 1, startLine: state.line)
            if scan.records == 1 {
                header = (0..<scan.fields).map { k in
                    let s = Int(storage.bounds[2 * k]), e = Int(storage.bounds[2 * k + 1])
                    return String(decoding: UnsafeBufferPointer(start: storage.bytes + s, count: e - s),
                                  as: UTF8.self)
                }
                headerLine = storage.lines[0]
                // A lone CR in a column name: the lines end with CR alone, and the "header" is the file's start.
                if header.contains(where: { $0.utf8.contains(13) }) {
                    throw Self.carriageReturnError(name, line: headerLine)
                }
                state.keep(storage, from: scan.consumed, to: count, line: scan.lineAfter)
                break
            }
            if state.eof {
                throw TableError(.emptyFile, file: name, expected: "a header line naming the columns")
            }
            if Self.endsLinesWithCarriageReturn(storage.bytes + scan.consumed, count: count - scan.consumed) {
                throw Self.carriageReturnError(name, line: scan.lineAfter)
            }
            try state.needLargerBuffer(storage, count: count, start: scan.consumed, stoppedInQuote: scan.stoppedInQuote,
                                       line: scan.lineAfter, limit: options.maxRecordBytes, scanner: headerScanner)
        }
        state.atFileStart = false
        if !options.allowsDuplicateHeaderNames {
            var seen: [String: Int] = [:]
            for (index, column) in header.enumerated() {
                if let first = seen[column] {
                    throw TableError(.duplicateHeader(firstColumn: first + 1), file: name, line: headerLine,
                                     columnIndex: index, columnName: column, value: column,
                                     expected: "unique column names")
                }
                seen[column] = index
            }
        }
        self.header = header
        self.headerLine = headerLine
        self.fileName = name
        self.options = options
        self.state = state
        self.scanner = CSVScanner(separator: options.separator, fileName: name, header: header,
                                  maxFieldBytes: options.maxFieldBytes)
    }

    /// The bytes hold no line feed but a carriage return followed by something else than a line feed (a CR at
    /// the very end may be the first half of a CRLF pair cut by the read).
    private static func endsLinesWithCarriageReturn(_ bytes: UnsafePointer<UInt8>, count: Int) -> Bool {
        if memchr(bytes, 10, count) != nil { return false }
        var k = 0
        while k + 1 < count {
            if bytes[k] == 13 { return true }  // the next byte is no LF: there is none
            k += 1
        }
        return false
    }

    private static func carriageReturnError(_ file: String, line: Int) -> TableError {
        TableError(.carriageReturnLineEnds, file: file, line: line,
                   expected: "LF or CRLF line ends — convert with `tr '\\r' '\\n' < old.csv > new.csv`")
    }

    /// The 0-based header position of `name`, or nil.
    public func columnIndex(named name: String) -> Int? {
        header.firstIndex(of: name)
    }

    /// The header positions of `names`, in the same order.
    /// - Throws: `TableError.Kind.missingColumns` listing every absent name.
    public func requireColumns(_ names: [String]) throws -> [Int] {
        try Self.resolve(names, in: header, file: fileName, headerLine: headerLine)
    }

    static func resolve(_ names: [String], in header: [String], file: String, headerLine: Int) throws -> [Int] {
        var positions: [String: Int] = [:]
        for (index, column) in header.enumerated() where positions[column] == nil { positions[column] = index }
        let missing = names.filter { positions[$0] == nil }
        if !missing.isEmpty { throw TableError.missingColumns(missing, file: file, headerLine: headerLine) }
        return names.map { positions[$0]! }
    }

    /// The next block of complete records, or nil at the end of the file.
    /// - Throws: `TableError` for ragged rows, quoting errors, over-long records and read failures; the
    ///   reader should not be used after an error.
    /// - Complexity: O(bytes of the block).
    public mutating func nextBlock() throws -> CSVBlock? {
        let header = self.header, scanner = self.scanner
        guard let (storage, records, firstRow) = try readBlock({ storage, count, state in
            try scanner.scan(storage, from: 0, count: count, isFinal: state.eof, expectedColumns: header.count,
                             maxRecords: .max, startLine: state.line)
        }) else { return nil }
        return CSVBlock(storage: storage, index: storage.index, rowCount: records, columnCount: header.count,
                        firstRowIndex: firstRow, fileName: fileName, header: header)
    }

    /// The next block of complete records with their fields not yet split, or nil at the end of the file; see
    /// `CSVRecordBlock`. The same records as `nextBlock()` would return, in a fraction of its time on files with
    /// few quoted fields (a sixth of the field split's samples when profiling `onecheck score` on the city file).
    /// - Throws: `TableError` for quoting errors, over-long records and read failures (ragged rows are reported
    ///   by `CSVRecordBlock.splitFields`); the reader should not be used after an error.
    /// - Complexity: O(bytes of the block).
    public mutating func nextRecordBlock() throws -> CSVRecordBlock? {
        let scanner = self.scanner, fileName = self.fileName
        guard let (storage, records, firstRow) = try readBlock({ storage, count, state in
            // Record offsets keep their top bit for `splitFields`' check.
            if count >= 1 << 31 {
                throw TableError(.recordTooLong(limit: (1 << 31) - 1), file: fileName, line: state.line)
            }
            return try scanner.scanRecords(storage, count: count, isFinal: state.eof, startLine: state.line)
        }) else { return nil }
        return CSVRecordBlock(storage: storage, scanner: scanner, rowCount: records, firstRowIndex: firstRow)
    }

    /// The reading loop of both kinds of block: fill a buffer, `scan` it, keep the bytes after its last complete
    /// record for the next block, and grow the buffer while not even one record fits. Returns the storage, its
    /// records and the file index of the first, or nil at the end of the file.
    private func readBlock(_ scan: (CSVBlockStorage, Int, ReaderState) throws -> CSVScanner.Result) throws
        -> (storage: CSVBlockStorage, records: Int, firstRow: Int)? {
        while true {
            guard let (storage, count) = try state.fill(maxRecordBytes: options.maxRecordBytes) else { return nil }
            let result = try scan(storage, count, state)
            if result.records > 0 || state.eof {
                state.keep(storage, from: result.consumed, to: count, line: result.lineAfter)
                if result.records == 0 { return nil }  // only blank lines were left
                let firstRow = state.rowsRead
                state.rowsRead += result.records
                return (storage, result.records, firstRow)
            }
            try state.needLargerBuffer(storage, count: count, start: result.consumed,
                                       stoppedInQuote: result.stoppedInQuote, line: result.lineAfter,
                                       limit: options.maxRecordBytes, scanner: scanner)
        }
    }
}

/// `strerror(errno)` as a Swift string: the system's explanation that `TableError`'s I/O kinds carry.
public func systemError(_ code: Int32 = errno) -> String {
    String(cString: strerror(code))
}
