#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The mutable side of a `CSVReader`: the open file, the bytes read but not yet returned (the partial record
/// after the last block), and the position in lines and rows. A class so the descriptor is closed exactly once.
final class ReaderState {
    let fd: Int32
    let fileName: String
    let blockSize: Int
    /// Capacity the next buffer needs: `blockSize`, or more while one record does not fit.
    private var wantedCapacity: Int

    /// Storage holding the unconsumed bytes `pendingStart..<pendingEnd`.
    private var pending: CSVBlockStorage?
    /// The storage before `pending`: a caller that reads one block ahead still holds `pending`'s block, but has
    /// usually released this one, so it can be reused instead of allocating (and page-faulting) a new buffer.
    private var spare: CSVBlockStorage?
    /// Storages allocated so far (tests check that blocks are recycled rather than allocated anew).
    private(set) var storagesAllocated = 0
    private var pendingStart = 0
    private var pendingEnd = 0

    /// `read` has returned 0.
    private(set) var eof = false
    /// No byte has been consumed yet (a byte-order mark is only valid here).
    var atFileStart = true
    /// Physical line number at `pendingStart`.
    private(set) var line = 1
    /// Data records returned so far.
    var rowsRead = 0

    /// The transcoder for a file that is not UTF-8, or nil.
    private let source: TranscodingSource?
    /// Bytes read from the file so far (UTF-8 files; a transcoder counts its own).
    private var utf8BytesRead = 0
    /// Bytes read from the file so far.
    var bytesRead: Int { source?.bytesRead ?? utf8BytesRead }
    /// The file's first bytes (up to 128), as read, before any transcoding: to recognise UTF-16. Peeked with
    /// `pread` when the file is opened, so they do not depend on the block size; for a pipe, the first read's.
    var firstBytes: [UInt8] { peekedBytes.isEmpty ? (source?.firstBytes ?? utf8FirstBytes) : peekedBytes }
    private var peekedBytes: [UInt8] = []
    private var utf8FirstBytes: [UInt8] = []
    /// Where the transcoder's output stopped before bytes that are not valid in the file's encoding, as an offset
    /// from `pendingStart` (from the start of the buffer that `fill` returns); nothing is read after it.
    private var failureOffset: Int?

    /// Sees every byte read from the file (``CSVReader/Options/byteObserver``).
    private let observer: (@Sendable (UnsafeRawBufferPointer) -> Void)?

    init(fd: Int32, fileName: String, blockSize: Int, encoding: TextEncoding = .utf8,
         observer: (@Sendable (UnsafeRawBufferPointer) -> Void)? = nil) throws {
        self.fd = fd
        self.observer = observer
        self.fileName = fileName
        self.blockSize = blockSize
        self.wantedCapacity = blockSize
        do {
            source = encoding == .utf8 ? nil
                : try TranscodingSource(fd: fd, encoding: encoding, fileName: fileName, observer: observer)
        } catch {
            close(fd)
            throw error
        }
        var peek = [UInt8](repeating: 0, count: 128)
        let got = peek.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 128, 0) }
        if got > 0 { peekedBytes = Array(peek[..<got]) }
    }

    deinit { close(fd) }

    /// A buffer starting with the pending bytes, topped up from the file to its capacity (or to the end of the
    /// file). Reuses the pending storage when no block references it any more. Nil when nothing is left.
    func fill(maxRecordBytes: Int) throws -> (CSVBlockStorage, Int)? {
        let carry = pendingEnd - pendingStart
        if eof && carry == 0 {
            pending = nil
            return nil
        }
        let capacity = max(wantedCapacity, carry)
        var storage: CSVBlockStorage
        if var previous = pending {
            pending = nil
            if isKnownUniquelyReferenced(&previous) && previous.byteCapacity >= capacity {
                storage = previous
                if pendingStart > 0 && carry > 0 {
                    memmove(storage.bytes, storage.bytes + pendingStart, carry)
                }
            } else {
                // Take the spare out first: a copy held in `spare` would make it look shared, and it would never
                // be reused (every block would then fault in fresh pages).
                var candidate = spare.take()
                if isKnownUniquelyReferenced(&candidate), let reusable = candidate, reusable.byteCapacity >= capacity {
                    storage = reusable
                } else {
                    storage = CSVBlockStorage(byteCapacity: capacity)
                    storagesAllocated += 1
                }
                storage.bytes.update(from: previous.bytes + pendingStart, count: carry)
                spare = previous
            }
        } else {
            storage = CSVBlockStorage(byteCapacity: capacity)
            storagesAllocated += 1
        }
        pendingStart = 0
        pendingEnd = 0
        var count = carry
        if let source {
            while count < storage.byteCapacity && !eof && failureOffset == nil {
                count += try source.read(into: storage.bytes + count, capacity: storage.byteCapacity - count,
                                         fileName: fileName, line: line)
                if source.failure != nil {
                    failureOffset = count
                } else if source.finished {
                    eof = true
                } else {
                    break  // too little room left for the next character: the buffer is full
                }
            }
        } else {
            while count < storage.byteCapacity && !eof {
                let got = readFile(fd, storage.bytes + count, storage.byteCapacity - count)
                if got > 0 {
                    if utf8BytesRead == 0 { utf8FirstBytes = Array(UnsafeBufferPointer(start: storage.bytes + count,
                                                                                        count: min(got, 128))) }
                    observer?(UnsafeRawBufferPointer(start: storage.bytes + count, count: got))
                    utf8BytesRead += got
                    count += got
                } else if got == 0 {
                    eof = true
                } else if errno != EINTR {
                    throw TableError(.ioFailure(reason: systemError()), file: fileName, line: line)
                }
            }
        }
        return (storage, count)
    }

    /// Marks `storage[from..<to]` as not yet consumed; `line` is the line number at `from`.
    func keep(_ storage: CSVBlockStorage, from: Int, to: Int, line: Int) {
        if let offset = failureOffset { failureOffset = offset - from }
        pending = storage
        pendingStart = from
        pendingEnd = to
        self.line = line
        wantedCapacity = blockSize
    }

    /// The buffer holds no complete record: report why when the reason is known — the transcoder stopped at
    /// bytes that are not valid in the file's encoding, or a field is already longer than the limit — without
    /// reading on; otherwise keep it all and ask for a buffer twice as large, unless that would pass the
    /// record-length limit.
    /// - Parameters:
    ///   - start: where the partial record starts (after blank lines), on line `line`.
    func needLargerBuffer(_ storage: CSVBlockStorage, count: Int, start: Int, stoppedInQuote: Bool, line: Int,
                          limit: Int, scanner: CSVScanner) throws {
        if let offset = failureOffset, let source, let bytes = source.failure {
            throw scanner.textError(storage.bytes, recordStart: start, line: line, offset: offset, quoted: bytes,
                                    encoding: source.encoding)
        }
        if count - start > scanner.maxFieldBytes,
           let error = scanner.longFieldError(storage.bytes, recordStart: start, end: count, line: line) {
            throw error
        }
        try needLargerBuffer(storage, count: count, stoppedInQuote: stoppedInQuote, line: line, limit: limit)
    }

    private func needLargerBuffer(_ storage: CSVBlockStorage, count: Int, stoppedInQuote: Bool, line: Int,
                                  limit: Int) throws {
        if count >= limit {
            if stoppedInQuote {
                throw TableError(.unterminatedQuotedField, file: fileName, line: line,
                                 expected: "a closing double quote within \(limit) bytes")
            }
            throw TableError(.recordTooLong(limit: limit), file: fileName, line: line)
        }
        pending = storage
        pendingStart = 0
        pendingEnd = count
        // At least 8 bytes: a transcoded character needs up to four bytes of room.
        wantedCapacity = min(max(2 * count, 8), max(limit, count + 8))
    }
}
