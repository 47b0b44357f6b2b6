/// The memory behind one `CSVBlock`: the block's bytes (quoted fields unescaped in place), the field index and
/// the line number of every record.
///
/// A block's storage is written only by the reader's scan, before the block is handed out; afterwards it is
/// immutable, which is what makes concurrent reads from several threads safe (hence `@unchecked Sendable`).
/// The reader recycles a storage for the next block only when nothing else references it.
@usableFromInline
final class CSVBlockStorage: @unchecked Sendable {
    /// The raw bytes; `byteCapacity` allocated, the first `byteCount` valid.
    let bytes: UnsafeMutablePointer<UInt8>
    let byteCapacity: Int
    var byteCount = 0
    /// Readable bytes after `byteCapacity`, so the scanner may load a full chunk anywhere before the end and
    /// the number parser may load 16 bytes after any field.
    static let scanPadding = 64

    /// Two entries per field, row-major: start offset and end offset (exclusive) of the field's content
    /// within `bytes`. For quoted fields the content excludes the quotes, with `""` already collapsed.
    private(set) var bounds: UnsafeMutablePointer<UInt32>
    private(set) var boundsCapacity: Int

    /// One entry per record: its 1-based physical line number.
    private(set) var lines: UnsafeMutablePointer<Int>
    private(set) var linesCapacity: Int

    init(byteCapacity: Int) {
        precondition(byteCapacity > 0 && byteCapacity <= Int(UInt32.max), "block capacity out of range")
        self.byteCapacity = byteCapacity
        // The scanner reads whole 64-byte chunks; the padding keeps the last chunk inside the allocation.
        bytes = .allocate(capacity: byteCapacity + CSVBlockStorage.scanPadding)
        (bytes + byteCapacity).initialize(repeating: 0, count: CSVBlockStorage.scanPadding)
        // A first guess of one field per 8 bytes; the scan grows these as needed.
        boundsCapacity = max(64, byteCapacity / 4)
        bounds = .allocate(capacity: boundsCapacity)
        linesCapacity = max(16, byteCapacity / 64)
        lines = .allocate(capacity: linesCapacity)
    }

    deinit {
        bytes.deallocate()
        bounds.deallocate()
        lines.deallocate()
    }

    /// Makes room for at least `entries` bound entries, keeping the first `keep`.
    func reserveBounds(_ entries: Int, keeping keep: Int) -> UnsafeMutablePointer<UInt32> {
        if entries > boundsCapacity {
            let capacity = max(entries, boundsCapacity * 2)
            let grown = UnsafeMutablePointer<UInt32>.allocate(capacity: capacity)
            grown.update(from: bounds, count: keep)
            bounds.deallocate()
            bounds = grown
            boundsCapacity = capacity
        }
        return bounds
    }

    /// Makes room for at least `entries` line entries, keeping the first `keep`.
    func reserveLines(_ entries: Int, keeping keep: Int) -> UnsafeMutablePointer<Int> {
        if entries > linesCapacity {
            let capacity = max(entries, linesCapacity * 2)
            let grown = UnsafeMutablePointer<Int>.allocate(capacity: capacity)
            grown.update(from: lines, count: keep)
            lines.deallocate()
            lines = grown
            linesCapacity = capacity
        }
        return lines
    }
}
