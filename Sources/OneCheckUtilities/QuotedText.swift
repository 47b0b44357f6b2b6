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

    /// Whether ``quoted(_:limit:style:)`` cuts `text`.
    /// - Complexity: O(limit).
    package static func isCut(_ text: String, limit: Int) -> Bool { !text.unicodeScalars.dropFirst(limit).isEmpty }
}
