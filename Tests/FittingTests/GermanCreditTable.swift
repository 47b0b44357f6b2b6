import Foundation
import TestSupport
@testable import Fitting

/// A deliberately tiny, private RFC 4180 reader for `germancredit.csv` (quoted fields with commas), used only
/// until the Tables module lands. It handles quotes, doubled quotes and CRLF; nothing else.
enum TinyCSV {
    static func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = ""
        var quoted = false, afterQuote = false
        var iterator = text.makeIterator()
        while let c = iterator.next() {
            if quoted {
                if c == "\"" { quoted = false; afterQuote = true } else { field.append(c) }
                continue
            }
            switch c {
            case "\"":
                if afterQuote { field.append("\"") }  // a doubled quote inside a quoted field
                quoted = true
                afterQuote = false
            case ",":
                row.append(field); field = ""; afterQuote = false
            case "\n", "\r\n", "\r":
                row.append(field); field = ""; afterQuote = false
                rows.append(row); row = []
            default:
                field.append(c); afterQuote = false
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}

/// germancredit.csv as scorecard feature columns: numeric columns are those whose every value parses.
enum GermanCredit {
    static let path = "german-credit/germancredit.csv"

    static func load() throws -> (columns: [FeatureColumn], outcome: [Double]) {
        let rows = TinyCSV.parse(try String(contentsOf: try SharedData.url(path), encoding: .utf8))
        let header = rows[0], body = rows.dropFirst()
        guard let target = header.firstIndex(of: "creditability") else { throw NumericCSV.Bad(description: "no target") }
        var columns: [FeatureColumn] = []
        for (j, name) in header.enumerated() where j != target {
            let raw = body.map { $0[j] }
            let numbers = raw.compactMap(Double.init)
            columns.append(numbers.count == raw.count ? .numeric(name: name, values: numbers)
                                                      : .categorical(name: name, levels: raw))
        }
        return (columns, body.map { $0[target] == "bad" ? 1 : 0 })
    }
}
