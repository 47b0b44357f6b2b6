import Foundation
import Tables

/// A CSV file of the city directory read record by record with ``CityRow``: the shared streaming loop of every
/// city-file reader.
public struct CityTableFile: Sendable {
    /// The file.
    public let url: URL
    /// The file as errors name it: its last path component unless the caller gives another (the planner names
    /// files as the user typed them).
    public let displayName: String
    /// Columns the file must have.
    public let required: [String]
    /// Columns the file may have.
    public let optional: [String]
    public var options: CSVReader.Options

    public init(url: URL, displayName: String? = nil, required: [String], optional: [String] = [],
                options: CSVReader.Options = CSVReader.Options()) {
        self.url = url
        self.displayName = displayName ?? url.lastPathComponent
        self.required = required
        self.optional = optional
        self.options = options
    }

    /// Calls `body` for every record; returns the number of records.
    /// - Parameter header: called with the header before the first record.
    /// - Throws: `TableError` (cannot open, missing columns, ragged rows, bad text) and whatever `body` throws.
    @discardableResult
    public func forEachRow(header: (([String]) throws -> Void)? = nil, _ body: (CityRow) throws -> Void) throws -> Int {
        var reader = try CSVReader(path: url.path, displayName: displayName, options: options)
        _ = try reader.requireColumns(required)
        try header?(reader.header)
        var positions: [String: Int] = [:]
        for name in required + optional {
            if let index = reader.columnIndex(named: name) { positions[name] = index }
        }
        var rows = 0
        while let block = try reader.nextBlock() {
            var record = CityRow(block: block, row: 0, positions: positions)
            for row in 0..<block.rowCount {
                record.row = row
                try body(record)
            }
            rows += block.rowCount
        }
        return rows
    }
}
