import Planning
import Tables

/// A parsed units list for `onecheck sample`: header `id,size` or `id,pi`, read with the Tables module
/// so errors name file, line, column, value and the expected form like every other input.
struct UnitsList {
    var ids: [String] = []
    var values: [Double] = []
    var measure: AuditFrame.Measure = .size

    static func read(path: String) throws -> UnitsList {
        try parse(CSVTable.read(path: path, displayName: path))
    }

    static func parse(_ table: CSVTable) throws -> UnitsList {
        var list = UnitsList()
        let valueName: String
        if table.columnIndex(named: "size") != nil {
            valueName = "size"
            list.measure = .size
        } else if table.columnIndex(named: "pi") != nil {
            valueName = "pi"
            list.measure = .pi
        } else {
            throw TableError(.missingColumns(["size"]), file: table.fileName, line: table.headerLine,
                             expected: "a header id,size or id,pi")
        }
        let columns = try table.requireColumns(["id", valueName])
        list.ids = try table.strings(named: "id")
        list.values = try table.doubles(named: valueName)
        var firstLine: [String: Int] = [:]
        for row in 0..<table.rowCount {
            let id = list.ids[row]
            guard !id.isEmpty else {
                throw table.error(.missingValue, row: row, column: columns[0], expected: "a unit id")
            }
            if let line = firstLine[id] {
                throw table.error(.duplicateKey(firstLine: line), row: row, column: columns[0], expected: "unique unit ids")
            }
            firstLine[id] = table.lineNumbers[row]
            let value = list.values[row]
            switch list.measure {
            case .size where value < 0:
                throw table.error(.invalidValue, row: row, column: columns[1], expected: "a size ≥ 0")
            case .pi where value < 0 || value > 1:
                throw table.error(.invalidValue, row: row, column: columns[1], expected: "an inclusion probability in [0, 1]")
            default:
                continue
            }
        }
        return list
    }

    /// An id as a CSV field: quoted when it contains a comma, quote or line break.
    static func csvField(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        var quoted = "\""
        for character in value { quoted += character == "\"" ? "\"\"" : String(character) }
        return quoted + "\""
    }
}
