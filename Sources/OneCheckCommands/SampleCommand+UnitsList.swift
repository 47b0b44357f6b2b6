import Foundation
import Planning

/// A parsed units list for `onecheck sample`: `id,size` or `id,pi`, RFC 4180 quoting.
///
/// Kept deliberately small and local to the command; it can move onto the Tables module's CSV reader
/// once that is available, with the same error contract: file, line, column, value, expected form.
struct UnitsList {
    var ids: [String] = []
    var values: [Double] = []
    var measure: AuditFrame.Measure = .size

    static func read(path: String) throws -> UnitsList {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw UnitsListError(file: path, line: 0, column: 0, value: "", expected: "a readable file")
        }
        guard var text = String(data: data, encoding: .utf8) else {
            throw UnitsListError(file: path, line: 0, column: 0, value: "", expected: "UTF-8 text")
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return try parse(text, file: path)
    }

    static func parse(_ text: String, file: String) throws -> UnitsList {
        let records = try CSVRecords.split(text, file: file)
        guard let header = records.first else {
            throw UnitsListError(file: file, line: 1, column: 1, value: "", expected: "a header id,size or id,pi")
        }
        var list = UnitsList()
        guard header.fields.count == 2, header.fields[0] == "id",
              let measure = AuditFrame.Measure(rawValue: header.fields[1]) else {
            throw UnitsListError(file: file, line: header.line, column: 1,
                                 value: header.fields.joined(separator: ","), expected: "the header id,size or id,pi")
        }
        list.measure = measure
        for record in records.dropFirst() {
            if record.fields == [""] { continue }  // blank line
            guard record.fields.count == 2 else {
                throw UnitsListError(file: file, line: record.line, column: 1,
                                     value: record.fields.joined(separator: ","),
                                     expected: "2 fields (id,\(measure.rawValue)), found \(record.fields.count)")
            }
            let id = record.fields[0], raw = record.fields[1]
            guard !id.isEmpty else {
                throw UnitsListError(file: file, line: record.line, column: 1, value: id, expected: "a non-empty id")
            }
            let limits = measure == .pi ? "a number in [0, 1]" : "a finite number ≥ 0"
            guard let value = Double(raw), value.isFinite, value >= 0, measure == .size || value <= 1 else {
                throw UnitsListError(file: file, line: record.line, column: 2, value: raw, expected: limits)
            }
            list.ids.append(id)
            list.values.append(value)
        }
        return list
    }

    /// An id as a CSV field: quoted when it contains a comma, quote or line break.
    static func csvField(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// A units-list error naming file, line, column, the offending value and the expected form.
struct UnitsListError: Error, CustomStringConvertible {
    let file: String, line: Int, column: Int, value: String, expected: String
    var description: String {
        "\(file):\(line):\(column): found \"\(value)\"; expected \(expected)"
    }
}

/// Minimal RFC 4180 record splitter: quoted fields with doubled quotes, CRLF or LF line ends.
enum CSVRecords {
    struct Record { var line: Int; var fields: [String] }

    static func split(_ text: String, file: String) throws -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field = ""
        var line = 1, recordLine = 1, column = 1
        var quoted = false, wasQuoted = false
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let p = pending { pending = nil; return p }
            return scalars.next()
        }
        while let c = next() {
            if quoted {
                if c == "\"" {
                    if let after = next() {
                        if after == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; pending = after }
                    } else { quoted = false }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"" where field.isEmpty && !wasQuoted:
                quoted = true
                wasQuoted = true
            case ",":
                fields.append(field); field = ""; wasQuoted = false; column += 1
            case "\r":
                continue
            case "\n":
                fields.append(field)
                records.append(Record(line: recordLine, fields: fields))
                fields = []; field = ""; wasQuoted = false; column = 1
                line += 1; recordLine = line
            default:
                if wasQuoted {
                    throw UnitsListError(file: file, line: line, column: column, value: field + String(c),
                                         expected: "a closing quote followed by a comma or line end")
                }
                field.unicodeScalars.append(c)
            }
        }
        if quoted {
            throw UnitsListError(file: file, line: recordLine, column: column, value: field, expected: "a closing quote")
        }
        if !field.isEmpty || !fields.isEmpty || wasQuoted {
            fields.append(field)
            records.append(Record(line: recordLine, fields: fields))
        }
        return records
    }
}
