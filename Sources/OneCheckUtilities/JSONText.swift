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
    /// - Complexity: O(total length); plain texts are copied byte for byte into one growing buffer.
    package static func array(_ texts: some Sequence<String>) -> String {
        var out: [UInt8] = [UInt8(ascii: "[")]
        out.reserveCapacity(texts.underestimatedCount * 21 + 2)  // room for 18-character codes, quoted, with commas
        for var text in texts {
            if out.count > 1 { out.append(UInt8(ascii: ",")) }
            let plain = text.withUTF8 { bytes in
                guard bytes.allSatisfy(isPlain) else { return false }
                out.append(UInt8(ascii: "\""))
                out.append(contentsOf: bytes)
                out.append(UInt8(ascii: "\""))
                return true
            }
            if !plain { out.append(contentsOf: QuotedText.quoted(text, style: .json).utf8) }
        }
        out.append(UInt8(ascii: "]"))
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether `text` is written as is between the quotes (nothing in it to escape).
    private static func isPlain(_ text: String) -> Bool {
        text.utf8.allSatisfy(isPlain)
    }

    /// Whether `byte` is written as is inside a string literal.
    private static func isPlain(_ byte: UInt8) -> Bool {
        byte >= 0x20 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\")
    }
}
