/// A run of complete records read by `CSVReader.nextRecordBlock()`: the records are located but their fields are
/// not yet split. Each consumer splits the rows it takes with `splitFields(rows:into:)`, into an index of its
/// own.
///
/// Why it exists: a `CSVBlock` indexes every field of the block (8 bytes per field, more than the text itself for
/// short numbers) on the reader's thread. A pipeline that reads one block ahead then holds two such indexes. Split
/// by the workers, one share at a time, the index costs one share per worker, and the bytes are split by the
/// thread that reads them next, while they are in its cache.
///
/// Rows are numbered 0..<rowCount within the block; `firstRowIndex` places them in the file (0-based, header
/// excluded).
public struct CSVRecordBlock: Sendable {
    let storage: CSVBlockStorage
    let scanner: CSVScanner
    /// Records in this block.
    public let rowCount: Int
    /// Fields per record (the header's count).
    public let columnCount: Int
    /// The 0-based index, among all data records of the file, of this block's first row.
    public let firstRowIndex: Int

    init(storage: CSVBlockStorage, scanner: CSVScanner, rowCount: Int, firstRowIndex: Int) {
        self.storage = storage
        self.scanner = scanner
        self.rowCount = rowCount
        self.columnCount = scanner.header.count
        self.firstRowIndex = firstRowIndex
    }

    /// The 1-based physical line on which record `row` starts (the header is line 1).
    /// - Precondition: `0 <= row < rowCount`.
    public func lineNumber(ofRow row: Int) -> Int {
        precondition(row >= 0 && row < rowCount, "row out of range")
        return storage.lines[row]
    }

    /// Splits the fields of `rows` into `index` and returns them as a `CSVBlock` (its row 0 is `rows.lowerBound`),
    /// together with the error of the first row that is ragged, if any. When a row is ragged the block holds the
    /// rows before it, so that the caller can still report an earlier problem in those rows first.
    ///
    /// The reader's record pass has validated the rows' UTF-8 and field lengths, so the split only counts columns.
    /// Quoted fields with `""` are unescaped in place, so **each row may be split once**: calls for disjoint rows
    /// may run concurrently, on different threads, but splitting a row a second time is a programming error
    /// (checked). The returned block refers to `index`: do not reuse the index while the block is in use.
    /// - Precondition: `rows` is within `0..<rowCount`.
    /// - Complexity: O(bytes of the rows).
    public func splitFields(rows: Range<Int>, into index: CSVFieldIndex) -> (block: CSVBlock, error: TableError?) {
        precondition(rows.lowerBound >= 0 && rows.upperBound <= rowCount, "rows out of range")
        if rows.isEmpty { return (view(rows, index), nil) }
        do {
            try scan(rows, into: index)
            return (view(rows, index), nil)
        } catch let error as TableError {
            // Only a column-count mismatch can fail here (the reader's pass checked the quoting): split the rows
            // before the ragged one again and hand both back. A throwing scan has unescaped nothing.
            let ragged = rows.first { storage.lines[$0] == error.line } ?? rows.lowerBound
            let before = rows.lowerBound..<ragged
            if !before.isEmpty { try! scan(before, into: index) }
            return (view(before, index), error)
        } catch {
            preconditionFailure("the scanner throws only TableError: \(error)")
        }
    }

    private func scan(_ rows: Range<Int>, into index: CSVFieldIndex) throws {
        let records = storage.bounds
        // A split row's end offset gets its top bit set (offsets are below 2^31, see the reader), so that a second
        // split of the same row, which would unescape its quotes twice, is caught.
        for row in rows {
            precondition(records[2 * row + 1] & Self.splitMark == 0, "a row of a CSVRecordBlock was split twice")
        }
        let start = Int(records[2 * rows.lowerBound]), end = Int(records[2 * (rows.upperBound - 1) + 1])
        let result = try scanner.scan(storage.bytes, into: index, from: start, count: end, isFinal: true,
                                      expectedColumns: columnCount, maxRecords: rows.count,
                                      startLine: storage.lines[rows.lowerBound], checksRecords: false)
        precondition(result.records == rows.count, "the split found other records than the reader")
        for row in rows { records[2 * row + 1] |= Self.splitMark }
    }

    static let splitMark: UInt32 = 1 << 31

    private func view(_ rows: Range<Int>, _ index: CSVFieldIndex) -> CSVBlock {
        CSVBlock(storage: storage, index: index, rowCount: rows.count, columnCount: columnCount,
                 firstRowIndex: firstRowIndex + rows.lowerBound, fileName: scanner.fileName, header: scanner.header)
    }
}
