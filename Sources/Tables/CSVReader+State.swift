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

    init(fd: Int32, fileName: String, blockSize: Int) {
        self.fd = fd
        self.fileName = fileName
        self.blockSize = blockSize
        self.wantedCapacity = blockSize
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
        while count < storage.byteCapacity && !eof {
            let got = read(fd, storage.bytes + count, storage.byteCapacity - count)
            if got > 0 {
                count += got
            } else if got == 0 {
                eof = true
            } else if errno != EINTR {
                throw TableError(.ioFailure(reason: systemError()), file: fileName, line: line)
            }
        }
        storage.byteCount = count
        return (storage, count)
    }

    /// Marks `storage[from..<to]` as not yet consumed; `line` is the line number at `from`.
    func keep(_ storage: CSVBlockStorage, from: Int, to: Int, line: Int) {
        pending = storage
        pendingStart = from
        pendingEnd = to
        self.line = line
        wantedCapacity = blockSize
    }

    /// The buffer was full without one complete record: keep it all and ask for a buffer twice as large,
    /// unless that would pass the record-length limit.
    func needLargerBuffer(_ storage: CSVBlockStorage, count: Int, stoppedInQuote: Bool, line: Int,
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
        wantedCapacity = min(2 * count, max(limit, count + 1))
    }
}
