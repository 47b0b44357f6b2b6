/// Writing JSON by hand where the bytes must be fixed (manifests, frames): strings escaped per RFC 8259.
package enum JSONText {
    /// `text` as a JSON string literal: `"`, `\` and control characters escaped (`\n`, `\r`, `\t`, else
    /// `\u00XX`), everything else — non-ASCII included — written as is (UTF-8).
    /// - Complexity: O(n); plain ids and codes (nothing to escape) cost one scan and one concatenation.
    package static func string(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) {
            return "\"" + text + "\""
        }
        return QuotedText.quoted(text, style: .json)
    }
}
