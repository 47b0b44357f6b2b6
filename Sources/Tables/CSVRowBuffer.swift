import OneCheckUtilities

/// A growable byte buffer that formats CSV rows: fields are separated and quoted automatically.
///
/// It exists so output can be formatted in parallel: each worker fills its own buffer for a range of rows,
/// then one thread hands the buffers to `CSVWriter.write(_:)` in row order. The bytes depend only on the
/// values appended, so the output is identical however the rows are split.
///
/// Not thread-safe: one thread at a time may use a buffer. It is `Sendable` so buffers can be created on one
/// thread, filled on a worker and written on another, each handover under the caller's synchronisation.
///
///     let rows = CSVRowBuffer()
///     rows.appendField("E-17")           // quoted only if needed
///     rows.appendField(0.8125, decimals: 4)
///     rows.endRow()                      // E-17,0.8125\n
// Invariant: used by one thread at a time; callers hand it over through a lock or semaphore that orders the uses.
public final class CSVRowBuffer: @unchecked Sendable {
    /// The field separator written between fields.
    public let separator: UInt8
    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    // Stored state is private and read through computed properties: with no access from outside the module,
    // the optimizer can drop the dynamic exclusivity checks that public stored class properties would need.
    private var byteCount = 0
    private var rows = 0
    /// Bytes written so far.
    public var count: Int { byteCount }
    /// Complete rows written so far (calls to `endRow`).
    public var rowCount: Int { rows }
    /// Fields in the current, unfinished row.
    private var fieldsInRow = 0
    /// Where the current row's last field started, to tell an empty single-field row.
    private var lastFieldStart = 0

    /// - Parameter capacity: initial bytes; the buffer grows by doubling.
    public init(separator: UInt8 = UInt8(ascii: ","), capacity: Int = 64 << 10) {
        precondition(separator != UInt8(ascii: "\"") && separator != 10 && separator != 13 && separator < 128,
                     "separator must be an ASCII byte other than quote, CR and LF")
        self.separator = separator
        self.capacity = max(capacity, 64)
        storage = .allocate(capacity: self.capacity)
    }

    deinit { storage.deallocate() }

    /// Forgets the content (and any unfinished row), keeping the memory.
    public func removeAll() {
        byteCount = 0
        rows = 0
        fieldsInRow = 0
        lastFieldStart = 0
    }

    /// Calls `body` with the bytes written so far. The pointer must not escape `body`.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: storage, count: byteCount))
    }

    /// A copy of the bytes written so far.
    public var bytes: [UInt8] { Array(UnsafeBufferPointer(start: storage, count: byteCount)) }

    // MARK: - Fields

    /// Appends a text field, quoted (with `"` doubled) only when it contains the separator, a quote, CR or LF.
    /// The empty string is written as an empty (missing) field.
    public func appendField(_ text: String) {
        var text = text
        text.withUTF8 { appendField(utf8: UnsafeRawBufferPointer($0)) }
    }

    /// Whether `bytes` written as a field with `separator` need no quotes (no quote, CR, LF or separator in
    /// them): the rule ``appendField(utf8:)`` applies, for writers that check their fixed texts once and then
    /// copy them per row with ``appendRawField(_:)``.
    public static func isPlainField(_ bytes: some Sequence<UInt8>, separator: UInt8 = UInt8(ascii: ",")) -> Bool {
        bytes.allSatisfy { $0 != UInt8(ascii: "\"") && $0 != separator && $0 != 10 && $0 != 13 }
    }

    /// `text` as one CSV field by the rule of ``appendField(_:)-(String)`` (quoted, `"` doubled, only when its UTF-8
    /// bytes hold the separator, a quote, CR or LF), for a writer that builds a small text rather than a buffer.
    public static func field(_ text: String, separator: UInt8 = UInt8(ascii: ",")) -> String {
        isPlainField(text.utf8, separator: separator) ? text : QuotedText.delimited(text, by: "\"")
    }

    /// Appends UTF-8 bytes as a text field, quoted only when needed (see `appendField(_: String)`).
    public func appendField(utf8 bytes: UnsafeRawBufferPointer) {
        let n = bytes.count
        var needsQuotes = false
        var quotes = 0
        for byte in bytes {
            if byte == UInt8(ascii: "\"") {
                quotes += 1
                needsQuotes = true
            } else if byte == separator || byte == 10 || byte == 13 {
                needsQuotes = true
            }
        }
        let out = beginField(reserving: n + (needsQuotes ? 2 + quotes : 0))
        guard needsQuotes else {
            if n > 0 { out.update(from: bytes.baseAddress!.assumingMemoryBound(to: UInt8.self), count: n) }
            byteCount += n
            return
        }
        var w = 0
        out[w] = UInt8(ascii: "\"")
        w += 1
        for byte in bytes {
            out[w] = byte
            w += 1
            if byte == UInt8(ascii: "\"") {
                out[w] = byte
                w += 1
            }
        }
        out[w] = UInt8(ascii: "\"")
        byteCount += w + 1
    }

    /// Appends bytes verbatim as one field. The caller guarantees they need no quoting (or are already
    /// quoted), e.g. a field copied from a `CSVBlock` that holds no separator, quote or line break.
    public func appendRawField(_ bytes: UnsafeRawBufferPointer) {
        let n = bytes.count
        let out = beginField(reserving: n)
        if n <= 4 {
            // Grade labels and the like: a call to memmove costs more than the bytes.
            for i in 0..<n { out[i] = bytes[i] }
        } else {
            out.update(from: bytes.baseAddress!.assumingMemoryBound(to: UInt8.self), count: n)
        }
        byteCount += n
    }

    /// Appends an integer field.
    public func appendField(_ value: Int) {
        let out = beginField(reserving: DecimalFormatting.maxIntegerLength)
        byteCount += DecimalFormatting.writeInteger(value, to: out)
    }

    /// Appends `value` with exactly `decimals` digits after the point, rounded half away from zero on the
    /// exact binary value (see `DecimalFormatting.writeFixed`).
    /// - Precondition: `0 <= decimals <= DecimalFormatting.maxDecimals`.
    public func appendField(_ value: Double, decimals: Int) {
        let out = beginField(reserving: DecimalFormatting.maxFixedLength)
        byteCount += DecimalFormatting.writeFixed(value, decimals: decimals, to: out)
    }

    /// Appends the shortest text that reads back as exactly `value` (see `DecimalFormatting.shortest`).
    public func appendField(shortest value: Double) {
        let text = DecimalFormatting.shortest(value)
        var utf8 = text
        utf8.withUTF8 { appendRawField(UnsafeRawBufferPointer($0)) }
    }

    /// Appends an empty (missing) field.
    public func appendMissingField() {
        _ = beginField(reserving: 0)
    }

    /// Appends every string of `fields` and ends the row (e.g. a header).
    public func appendRow(_ fields: [String]) {
        for field in fields { appendField(field) }
        endRow()
    }

    /// Ends the current row with `\n`. A row of one empty field is written `""` so that it is not read back
    /// as a blank line (which readers skip).
    public func endRow() {
        if fieldsInRow == 1 && lastFieldStart == byteCount {
            let out = reserve(2)
            out[0] = UInt8(ascii: "\"")
            out[1] = UInt8(ascii: "\"")
            byteCount += 2
        }
        reserve(1)[0] = UInt8(ascii: "\n")
        byteCount += 1
        rows += 1
        fieldsInRow = 0
    }

    // MARK: - Growth

    /// Writes the separator if this is not the row's first field and returns where the field's `extra`
    /// reserved bytes start.
    @inline(__always)
    private func beginField(reserving extra: Int) -> UnsafeMutablePointer<UInt8> {
        let out = reserve(extra + 1)
        if fieldsInRow > 0 {
            out[0] = separator
            byteCount += 1
            fieldsInRow += 1
            lastFieldStart = byteCount
            return out + 1
        }
        fieldsInRow = 1
        lastFieldStart = byteCount
        return out
    }

    /// Ensures `extra` more bytes fit and returns the write position.
    @inline(__always)
    private func reserve(_ extra: Int) -> UnsafeMutablePointer<UInt8> {
        if byteCount + extra > capacity { grow(to: byteCount + extra) }
        return storage + byteCount
    }

    private func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        grown.update(from: storage, count: byteCount)
        storage.deallocate()
        storage = grown
        capacity = newCapacity
    }
}
