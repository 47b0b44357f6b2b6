#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import struct Foundation.URL

/// Writes a CSV file as ``OutputTarget`` decides: a regular file (or a new one) atomically — all bytes go to a
/// temporary file beside the destination, which replaces it only on `commit()` (one `rename`) —, standard output
/// (`-`), a character device or a FIFO directly.
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
/// Disk space is reserved ahead of the writes, and what was reserved past the end given back at the commit (see
/// ``OutputFile``; measurement: Benchmarks/README.md, "Design measurements").
///
/// Not thread-safe; use it from one thread at a time.
public final class CSVWriter {
    /// The file `commit()` creates or replaces, as given (symbolic links are followed when writing).
    public let destinationPath: String
    /// The temporary file being written (`.<name>.tmp-<pid>` beside the destination), or `nil` when the output is
    /// written directly (standard output, a device, a FIFO).
    public var temporaryPath: String? { output.temporaryPath }
    /// A path prefix of this run's own for scratch files that belong with the output (see ``OutputFile``).
    public var scratchPath: String { output.scratchPath }
    /// The file as named in error messages.
    public let fileName: String
    /// The buffer for rows appended through the writer; flushed by `endRow()` once it passes `flushThreshold`.
    public let rows: CSVRowBuffer
    private let flushThreshold: Int
    private let output: OutputFile
    private var finished = false

    /// Opens the output for `url` (a file URL).
    /// - Parameters:
    ///   - separator: the field separator.
    ///   - flushThreshold: bytes buffered before a `write`; 1–4 MiB amortises system calls.
    /// - Throws: ``OutputError`` for a destination that is not written to; `TableError.Kind.cannotOpen` when the
    ///   temporary file (or the stream) cannot be opened.
    public convenience init(url: URL, separator: UInt8 = UInt8(ascii: ","), flushThreshold: Int = 2 << 20) throws {
        try self.init(path: url.path, separator: separator, flushThreshold: flushThreshold)
    }

    /// Opens the output for the destination `path` (`-` for standard output).
    public convenience init(path: String, separator: UInt8 = UInt8(ascii: ","), flushThreshold: Int = 2 << 20) throws {
        try self.init(target: OutputTarget(path), separator: separator, flushThreshold: flushThreshold)
    }

    /// Opens `target` for writing.
    public init(target: OutputTarget, separator: UInt8 = UInt8(ascii: ","), flushThreshold: Int = 2 << 20) throws {
        destinationPath = target.argument
        fileName = target.fileName
        self.flushThreshold = max(flushThreshold, 1)
        rows = CSVRowBuffer(separator: separator, capacity: self.flushThreshold + (64 << 10))
        output = try OutputFile(target)
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
        try output.write(bytes)
    }

    // MARK: - Finishing

    /// Flushes and commits the output: a temporary file is renamed over the destination; a stream is closed.
    /// - Parameter synchronize: also `fsync` the data before the rename, so the new file survives a power
    ///   failure (slower; the rename alone already protects against a failed or killed process).
    /// - Throws: `TableError.Kind.ioFailure`; the temporary file is removed and the destination untouched.
    public func commit(synchronize: Bool = false) throws {
        precondition(!finished, "writer already committed or abandoned")
        do {
            try flush()
            try output.commit(synchronize: synchronize)
            finished = true
        } catch {
            abandon()
            throw error
        }
    }

    /// Discards everything written: removes the temporary file (a stream is only closed). The destination is
    /// untouched. Safe to call more than once; does nothing after a successful `commit()`.
    public func abandon() {
        if finished { return }
        finished = true
        output.abandon()
        rows.removeAll()
    }
}
