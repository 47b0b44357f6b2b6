/// Text in double quotes, escaped so that it reads unambiguously on one line: the one escaping rule of the
/// package, for echoes of values in error messages (`TableError`, Fitting's `ErrorText`) and for JSON string
/// literals written by hand (``JSONText``).
package enum QuotedText {
    /// How a control character other than LF, CR and tab is written.
    package enum Style: Sendable {
        /// `\u{1b}`, as in Swift source: for messages.
        case message
        /// `\u001b`, as RFC 8259 requires: for JSON.
        case json
    }

    /// `text` in double quotes: `"` and `\` escaped, LF, CR and tab as `\n`, `\r`, `\t`, other control
    /// characters as `style` says, everything else (non-ASCII included) as is. Text longer than `limit` Unicode
    /// scalars is cut after `limit` of them with an ellipsis inside the quotes: `"aaaa…"`.
    /// - Complexity: O(min(n, limit)), whatever the length of `text`.
    package static func quoted(_ text: String, limit: Int = .max, style: Style = .message) -> String {
        var out = "\""
        var shown = 0
        for scalar in text.unicodeScalars {
            if shown >= limit { return out + "…\"" }
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    switch style {
                    case .message: out += "\\u{\(hex)}"
                    case .json: out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    }
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
            shown += 1
        }
        return out + "\""
    }

    /// `text` between two `delimiter`s, each `delimiter` inside it doubled: the quoting of CSV fields, SQL
    /// identifiers (`"`) and literals (`'`), and FTS5 phrases. Works on Unicode scalars, not characters: a
    /// quote that a combining mark joins to the next character is one `Character` with the mark, so
    /// `String.replacingOccurrences` (which compares characters) would leave it single and end the quoted text
    /// early in the reader's eyes.
    /// - Complexity: O(n).
    package static func delimited(_ text: String, by delimiter: Unicode.Scalar) -> String {
        var out = String.UnicodeScalarView()
        out.append(delimiter)
        for scalar in text.unicodeScalars {
            out.append(scalar)
            if scalar == delimiter { out.append(scalar) }
        }
        out.append(delimiter)
        return String(out)
    }

    /// `text` with every control character except LF and tab — C0, DEL and C1, which a terminal may act on —
    /// written as `\u{1b}`; everything else as is. For whole messages bound for a terminal.
    /// - Complexity: O(n).
    package static func terminalSafe(_ text: String) -> String {
        func isControl(_ scalar: Unicode.Scalar) -> Bool {
            (scalar.value < 0x20 && scalar != "\n" && scalar != "\t") || (0x7F...0x9F).contains(scalar.value)
        }
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isControl(scalar) {
                out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16))}".unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// Whether ``quoted(_:limit:style:)`` cuts `text`.
    /// - Complexity: O(limit).
    package static func isCut(_ text: String, limit: Int) -> Bool { !text.unicodeScalars.dropFirst(limit).isEmpty }
}
