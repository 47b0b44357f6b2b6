/// Writing JSON by hand where the bytes must be fixed (manifests, frames): strings escaped per RFC 8259.
package enum JSONText {
    /// `text` as a JSON string literal: `"`, `\` and control characters escaped (`\n`, `\r`, `\t`, else
    /// `\u00XX`), everything else — non-ASCII included — written as is (UTF-8).
    /// - Complexity: O(n); plain ids and codes (nothing to escape) cost one scan and one concatenation.
    package static func string(_ text: String) -> String {
        if isPlain(text) {
            return "\"" + text + "\""
        }
        return QuotedText.quoted(text, style: .json)
    }

    /// `texts` as a JSON array of string literals, each written as ``string(_:)`` writes it, into one buffer
    /// (for handing SQLite's `json_each` a million keys as one argument).
    /// - Complexity: O(total length).
    package static func array(_ texts: some Sequence<String>) -> String {
        var out = "["
        for (position, text) in texts.enumerated() {
            if position > 0 { out += "," }
            if isPlain(text) {
                out += "\""
                out += text
                out += "\""
            } else {
                out += QuotedText.quoted(text, style: .json)
            }
        }
        return out + "]"
    }

    /// Whether `text` is written as is between the quotes (nothing in it to escape).
    private static func isPlain(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
    }
}
