/// A run of complete records read by `CSVReader`, with every field boundary indexed.
///
/// A block owns its bytes (quoted fields already unescaped) and is immutable, so any number of threads may read
/// disjoint — or the same — rows concurrently, e.g. with `DispatchQueue.concurrentPerform` over row ranges.
/// Copies are cheap (the storage is shared). Every record has exactly `columnCount` fields; the reader rejects
/// ragged rows.
///
/// Rows are numbered 0..<rowCount within the block; `firstRowIndex` places them in the file (0-based, header
/// excluded) and `lineNumber(ofRow:)` gives the physical line for messages.
// Invariant: an immutable view — its storage and index are not written while a block refers to them (the reader
// recycles a storage only when nothing references it; `splitFields` writes only rows not yet in any block).
public struct CSVBlock: @unchecked Sendable {
    @usableFromInline let storage: CSVBlockStorage
    /// The field index (the storage's own, or a caller's for rows split from a `CSVRecordBlock`), kept alive here.
    @usableFromInline let index: CSVFieldIndex
    @usableFromInline let base: UnsafePointer<UInt8>
    @usableFromInline let bounds: UnsafePointer<UInt32>
    @usableFromInline let lines: UnsafePointer<Int>

    /// Records in this block.
    public let rowCount: Int
    /// Fields per record (the header's count).
    public let columnCount: Int
    /// The 0-based index, among all data records of the file, of this block's first row.
    public let firstRowIndex: Int
    /// The file as named in error messages.
    public let fileName: String
    /// The file's header names, for error messages and lookups.
    public let header: [String]

    init(storage: CSVBlockStorage, index: CSVFieldIndex, rowCount: Int, columnCount: Int, firstRowIndex: Int,
         fileName: String, header: [String]) {
        self.storage = storage
        self.index = index
        self.base = UnsafePointer(storage.bytes)
        self.bounds = UnsafePointer(index.bounds)
        self.lines = UnsafePointer(index.lines)
        self.rowCount = rowCount
        self.columnCount = columnCount
        self.firstRowIndex = firstRowIndex
        self.fileName = fileName
        self.header = header
    }

    /// The 1-based physical line on which record `row` starts (the header is line 1).
    /// - Precondition: `0 <= row < rowCount`.
    @inlinable
    public func lineNumber(ofRow row: Int) -> Int {
        precondition(row >= 0 && row < rowCount, "row out of range")
        return lines[row]
    }

    /// The 0-based position of `name` in the header, or nil.
    /// - Complexity: O(columnCount).
    public func columnIndex(named name: String) -> Int? {
        header.firstIndex(of: name)
    }

    /// Index of field (row, column) in `bounds` pairs, with range checks.
    @inlinable @inline(__always)
    func fieldIndex(_ row: Int, _ column: Int) -> Int {
        precondition(row >= 0 && row < rowCount && column >= 0 && column < columnCount,
                     "field (row, column) out of range")
        return row &* columnCount &+ column
    }
}
