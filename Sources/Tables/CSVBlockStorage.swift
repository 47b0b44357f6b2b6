/// The memory behind one `CSVBlock` or `CSVRecordBlock`: the block's bytes and the index the reader's scan wrote
/// for them (fields, or for a record block only the records).
///
/// A block's storage is written only by the reader's scan, before the block is handed out; afterwards only
/// `CSVRecordBlock.splitFields` writes to it, each call to bytes of its own rows (see there), which is what makes
/// concurrent reads from several threads safe (hence `@unchecked Sendable`). The reader recycles a storage for
/// the next block only when nothing else references it.
// Invariant: written only by the reader's scan before publication, then only by `splitFields` on disjoint rows.
@usableFromInline
final class CSVBlockStorage: @unchecked Sendable {
    /// The raw bytes; `byteCapacity` allocated, the first `byteCount` valid.
    let bytes: UnsafeMutablePointer<UInt8>
    let byteCapacity: Int
    var byteCount = 0
    /// Readable bytes after `byteCapacity`, so the scanner may load a full chunk anywhere before the end and
    /// the number parser may load 16 bytes after any field.
    static let scanPadding = 64
    /// What the reader's scan found in `bytes`.
    let index: CSVFieldIndex

    init(byteCapacity: Int) {
        precondition(byteCapacity > 0 && byteCapacity <= Int(UInt32.max), "block capacity out of range")
        self.byteCapacity = byteCapacity
        // The scanner reads whole 64-byte chunks; the padding keeps the last chunk inside the allocation.
        bytes = .allocate(capacity: byteCapacity + CSVBlockStorage.scanPadding)
        (bytes + byteCapacity).initialize(repeating: 0, count: CSVBlockStorage.scanPadding)
        // A first guess of one field per 32 bytes; the first block's scan grows it, later blocks reuse it.
        index = CSVFieldIndex(boundsCapacity: max(64, byteCapacity / 16), linesCapacity: max(16, byteCapacity / 64))
    }

    deinit { bytes.deallocate() }

    var bounds: UnsafeMutablePointer<UInt32> { index.bounds }
    var lines: UnsafeMutablePointer<Int> { index.lines }
}

/// Where the fields of some records are: two `UInt32` per field (start and end offset of its content, quotes
/// excluded, within the block's bytes) and the first physical line of each record.
///
/// The reader keeps one per block. A caller that splits a `CSVRecordBlock`'s rows itself passes its own index
/// to `CSVRecordBlock.splitFields(rows:into:)` and reuses it for the next rows; the returned `CSVBlock` refers to
/// it, so it must not be reused while that block is in use.
// Invariant: one thread at a time writes it (a split into it); it is not written while a block made from it exists.
public final class CSVFieldIndex: @unchecked Sendable {
    private(set) var bounds: UnsafeMutablePointer<UInt32>
    private(set) var boundsCapacity: Int
    private(set) var lines: UnsafeMutablePointer<Int>
    private(set) var linesCapacity: Int

    /// An empty index; it grows to the rows it is given.
    public convenience init() { self.init(boundsCapacity: 1024, linesCapacity: 64) }

    init(boundsCapacity: Int, linesCapacity: Int) {
        self.boundsCapacity = boundsCapacity
        bounds = .allocate(capacity: boundsCapacity)
        self.linesCapacity = linesCapacity
        lines = .allocate(capacity: linesCapacity)
    }

    deinit {
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
