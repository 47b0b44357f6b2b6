/// The keys seen so far and the line each first appeared on, for reporting duplicates across blocks:
///
///     var ids = UniqueKeys()
///     while let block = try reader.nextBlock() {
///         for row in 0..<block.rowCount { _ = try ids.insert(block, row: row, column: idColumn) }
///     }
///
/// An error names both lines: `entities.csv:12:1 (column "id"): duplicate key "E-1" (first on line 5)`.
public struct UniqueKeys: Sendable {
    private var firstLines: [String: Int]

    public init(minimumCapacity: Int = 0) {
        firstLines = Dictionary(minimumCapacity: minimumCapacity)
    }

    /// Keys recorded.
    public var count: Int { firstLines.count }

    /// The line on which `key` was first recorded, if it was.
    public func firstLine(of key: String) -> Int? { firstLines[key] }

    /// Records `key` as seen on `line`; returns nil when it is new, or the line of its first appearance
    /// (which stays recorded).
    public mutating func insert(_ key: String, line: Int) -> Int? {
        if let first = firstLines[key] { return first }
        firstLines[key] = line
        return nil
    }

    /// Records field (row, column) of `block` as a key and returns it.
    /// - Throws: `TableError.Kind.missingValue` for an empty key, `.duplicateKey(firstLine:)` for a repeat.
    @discardableResult
    public mutating func insert(_ block: CSVBlock, row: Int, column: Int) throws -> String {
        let key = block.string(row: row, column: column)
        if key.isEmpty { throw block.error(.missingValue, row: row, column: column, expected: "a non-empty key") }
        if let first = insert(key, line: block.lineNumber(ofRow: row)) {
            throw block.error(.duplicateKey(firstLine: first), row: row, column: column, expected: "a unique key")
        }
        return key
    }

    /// Records field (row, column) of `table` as a key and returns it.
    /// - Throws: as `insert(_:row:column:)` for blocks.
    @discardableResult
    public mutating func insert(_ table: CSVTable, row: Int, column: Int) throws -> String {
        let key = table.rows[row][column]
        if key.isEmpty { throw table.error(.missingValue, row: row, column: column, expected: "a non-empty key") }
        if let first = insert(key, line: table.lineNumbers[row]) {
            throw table.error(.duplicateKey(firstLine: first), row: row, column: column, expected: "a unique key")
        }
        return key
    }
}
