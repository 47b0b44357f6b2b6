import Tables

/// A split file choosing rows of a data set: a header with `row` (0-based data row, not counting the header) and
/// `set` (e.g. `train`, `test`), one line per row.
public enum TrainingSplit {
    /// The data rows in set `set`, ascending.
    /// - Parameter dataRows: the number of data rows, to reject rows that do not exist.
    /// - Throws: `TableError` (missing `row`/`set` columns, a row that is not an integer) or ``TrainingDataError``
    ///   (a row out of range or listed twice, an empty set).
    /// - Complexity: O(lines + dataRows).
    public static func rows(path: String, set: String, dataRows: Int) throws -> [Int] {
        let table = try CSVTable.read(path: path)
        let rows = try table.ints(named: "row")
        let sets = try table.strings(named: "set")
        var seen = [Bool](repeating: false, count: dataRows)
        var chosen: [Int] = []
        for (k, row) in rows.enumerated() {
            guard row >= 0, row < dataRows else {
                throw TrainingDataError.splitRowOutOfRange(file: table.fileName, line: table.lineNumbers[k], row: row,
                                                           rows: dataRows)
            }
            guard !seen[row] else {
                throw TrainingDataError.splitRowRepeated(file: table.fileName, line: table.lineNumbers[k], row: row)
            }
            seen[row] = true
            if sets[k] == set { chosen.append(row) }
        }
        guard !chosen.isEmpty else {
            let found = sets.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            throw TrainingDataError.splitSetEmpty(file: table.fileName, set: set, found: found)
        }
        return chosen.sorted()
    }
}
