#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CPlatform
import struct Foundation.URL

/// Writes a CSV file atomically: all bytes go to a temporary file beside the destination, which replaces the
/// destination only on `commit()` (one `rename`, atomic within a file system).
///
/// A failed or abandoned job therefore never leaves a half-written file and never clobbers an existing good
/// one: `abandon()` — or dropping the writer without committing — removes the temporary file.
///
/// Rows are formatted into an internal `CSVRowBuffer` (flushed with large POSIX writes once it passes
/// `flushThreshold`) or formatted elsewhere — e.g. by parallel workers — and passed to `write(_:)` in order.
///
///     let writer = try CSVWriter(url: output)
///     writer.appendRow(["id", "score"])
///     for … { writer.appendField(id); writer.appendField(score, decimals: 6); try writer.endRow() }
///     try writer.commit()
///
/// The file reserves its disk space ahead of the writes, in steps that grow with the file (up to
/// `maximumReservation`); `commit()` gives back what was reserved past the end. Why: ext4 allocates the blocks of
/// ordinary writes lazily, and a `rename` over an existing file makes it allocate them all and start writing the
/// whole file out inside the `rename` call, if any block of the file is still unallocated — a large share of the
/// run for a big score file (measurement: Benchmarks/README.md, "Design measurements").
/// File systems without the call are written as before.
///
/// Not thread-safe; use it from one thread at a time.
public final class CSVWriter {
    /// The file `commit()` creates or replaces.
    public let destinationPath: String
    /// The temporary file being written (`.<name>.tmp-<pid>` in the destination's directory).
    public let temporaryPath: String
    /// The file as named in error messages.
    public let fileName: String
    /// The buffer for rows appended through the writer; flushed by `endRow()` once it passes `flushThreshold`.
    public let rows: CSVRowBuffer
    private let flushThreshold: Int
    private var fd: Int32
    private var finished = false
    /// Bytes written to the temporary file so far.
    private var fileSize = 0
    /// Space is reserved through this offset (`fileSize` or more), while `reservesSpace`.
    private var reservedEnd = 0
    /// Cleared when the file system refuses a reservation: the rest of the file is written without.
    private var reservesSpace = true

    /// The smallest step of reserved space.
    public static let minimumReservation = 256 << 10
    /// The largest step of reserved space: a killed run leaves at most this much past its temporary file's end.
    public static let maximumReservation = 64 << 20

    /// Creates the temporary file for `url` (a file URL).
    /// - Parameters:
    ///   - separator: the field separator.
    ///   - flushThreshold: bytes buffered before a `write`; 1–4 MiB amortises system calls.
    /// - Throws: `TableError.Kind.cannotOpen` when the temporary file cannot be created.
    public convenience init(url: URL, separator: UInt8 = UInt8(ascii: ","), flushThreshold: Int = 2 << 20) throws {
        try self.init(path: url.path, separator: separator, flushThreshold: flushThreshold)
    }

    /// Creates the temporary file for the destination `path`.
    public init(path: String, separator: UInt8 = UInt8(ascii: ","), flushThreshold: Int = 2 << 20) throws {
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        let name = String(components.last ?? Substring(path))
        let directory = components.count > 1 ? components.dropLast().joined(separator: "/") + "/" : ""
        destinationPath = path
        fileName = name
        self.flushThreshold = max(flushThreshold, 1)
        rows = CSVRowBuffer(separator: separator, capacity: self.flushThreshold + (64 << 10))

        // O_EXCL: never write into someone else's temporary file; try a few suffixes if one is taken.
        let pid = getpid()
        var attempt = 0
        var candidate = ""
        var opened: Int32 = -1
        repeat {
            candidate = directory + ".\(name).tmp-\(pid)" + (attempt == 0 ? "" : "-\(attempt)")
            opened = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            attempt += 1
        } while opened < 0 && errno == EEXIST && attempt < 100
        if opened < 0 { throw TableError(.cannotOpen(reason: systemError()), file: name) }
        fd = opened
        temporaryPath = candidate
        TemporaryFiles.register(candidate)
    }

    deinit {
        if !finished { abandon() }
    }

    // MARK: - Appending through the internal buffer

    /// Appends a text field, quoted only when needed.
    public func appendField(_ text: String) { rows.appendField(text) }
    /// Appends an integer field.
    public func appendField(_ value: Int) { rows.appendField(value) }
    /// Appends a number with `decimals` fixed decimals (see `DecimalFormatting.writeFixed`).
    public func appendField(_ value: Double, decimals: Int) { rows.appendField(value, decimals: decimals) }
    /// Appends a number in its shortest round-trip form.
    public func appendField(shortest value: Double) { rows.appendField(shortest: value) }
    /// Appends raw bytes as one field (see `CSVRowBuffer.appendRawField`).
    public func appendRawField(_ bytes: UnsafeRawBufferPointer) { rows.appendRawField(bytes) }
    /// Appends an empty (missing) field.
    public func appendMissingField() { rows.appendMissingField() }

    /// Ends the row; writes the buffer to the file once it passes the flush threshold.
    /// - Throws: `TableError.Kind.ioFailure` if the write fails.
    public func endRow() throws {
        rows.endRow()
        if rows.count >= flushThreshold { try flush() }
    }

    /// Appends a whole row of text fields (e.g. the header) and ends it.
    public func appendRow(_ fields: [String]) throws {
        for field in fields { rows.appendField(field) }
        try endRow()
    }

    // MARK: - Writing formatted buffers

    /// Writes the internal buffer, then `buffer`'s bytes (whole rows formatted elsewhere, e.g. by a worker
    /// thread). `buffer` is left unchanged, so the caller may `removeAll()` and refill it.
    public func write(_ buffer: CSVRowBuffer) throws {
        precondition(buffer !== rows, "write(_:) takes a buffer other than the writer's own")
        try flush()
        try buffer.withUnsafeBytes { try writeAll($0) }
    }

    /// Writes whatever the internal buffer holds (also called by `endRow`, `write` and `commit`).
    public func flush() throws {
        precondition(!finished, "writer already committed or abandoned")
        if rows.count == 0 { return }
        try rows.withUnsafeBytes { try writeAll($0) }
        rows.removeAll()
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        reserveSpace(through: fileSize + bytes.count)
        var offset = 0
        while offset < bytes.count {
            let written = posixWrite(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw TableError(.ioFailure(reason: systemError()), file: fileName)
            }
            offset += written
        }
        fileSize += bytes.count
    }

    /// Reserves space through `end` and a step beyond: as much again as the file will hold, between
    /// `minimumReservation` and `maximumReservation`, so a large file makes a reservation about every 64 MiB.
    /// From the first write on: one block written without a reservation is enough for ext4 to flush the whole
    /// file at the rename. Best effort: a refusal (no support, no room for the step) only stops reserving; the
    /// writes themselves then report a full disk.
    private func reserveSpace(through end: Int) {
        guard reservesSpace, end > reservedEnd else { return }
        let start = max(reservedEnd, fileSize)
        let stepEnd = end + min(max(end, Self.minimumReservation), Self.maximumReservation)
        if onecheck_reserve_space(fd, Int64(start), Int64(stepEnd - start)) == 0 {
            reservedEnd = stepEnd
        } else {
            reservesSpace = false
        }
    }

    /// Gives back the space reserved past the end of the file. (A truncate to the file's own size keeps every
    /// byte and frees the blocks beyond it, on ext4 and XFS.)
    private func releaseReservedSpace() throws {
        guard reservedEnd > fileSize else { return }
        if ftruncate(fd, off_t(fileSize)) != 0 {
            throw TableError(.ioFailure(reason: systemError()), file: fileName)
        }
        reservedEnd = fileSize
    }

    // MARK: - Finishing

    /// Flushes, closes and renames the temporary file over the destination.
    /// - Parameter synchronize: also `fsync` the data before the rename, so the new file survives a power
    ///   failure (slower; the rename alone already protects against a failed or killed process).
    /// - Throws: `TableError.Kind.ioFailure`; the temporary file is removed and the destination untouched.
    public func commit(synchronize: Bool = false) throws {
        precondition(!finished, "writer already committed or abandoned")
        do {
            try flush()
            try releaseReservedSpace()
            if synchronize && fsync(fd) != 0 {
                throw TableError(.ioFailure(reason: systemError()), file: fileName)
            }
            let closed = close(fd)
            fd = -1
            if closed != 0 { throw TableError(.ioFailure(reason: systemError()), file: fileName) }
            if rename(temporaryPath, destinationPath) != 0 {
                throw TableError(.ioFailure(reason: systemError()), file: fileName)
            }
            finished = true
            TemporaryFiles.unregister(temporaryPath)
        } catch {
            abandon()
            throw error
        }
    }

    /// Discards everything written: closes and removes the temporary file. The destination is untouched.
    /// Safe to call more than once; does nothing after a successful `commit()`.
    public func abandon() {
        if finished { return }
        finished = true
        if fd >= 0 {
            close(fd)
            fd = -1
        }
        unlink(temporaryPath)
        TemporaryFiles.unregister(temporaryPath)
        rows.removeAll()
    }
}

/// The C `write`, named apart from `CSVWriter.write(_:)`.
private func posixWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, bytes, count)
}
