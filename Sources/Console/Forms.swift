import Foundation

/// The fields of a submitted form: `application/x-www-form-urlencoded` or `multipart/form-data` (an uploaded file).
public struct FormFields: Sendable, Equatable {
    public var values: [String: String] = [:]
    /// Uploaded files by field name: the bytes as sent.
    public var files: [String: [UInt8]] = [:]

    public init(values: [String: String] = [:], files: [String: [UInt8]] = [:]) {
        self.values = values
        self.files = files
    }

    public subscript(name: String) -> String? { values[name] }

    /// Parses an urlencoded body (`a=1&b=x+y`); a field given twice keeps its first value.
    public static func urlencoded(_ bytes: [UInt8]) -> FormFields {
        var fields = FormFields()
        for pair in String(decoding: bytes, as: UTF8.self).split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = decode(parts[0]), value = parts.count > 1 ? decode(parts[1]) : ""
            if fields.values[name] == nil { fields.values[name] = value }
        }
        return fields
    }

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    /// Parses a `multipart/form-data` body with `boundary`; nil when it is malformed.
    public static func multipart(_ body: [UInt8], boundary: String) -> FormFields? {
        let delimiter = Array(("--" + boundary).utf8)
        var fields = FormFields()
        var parts: [ArraySlice<UInt8>] = []
        var start: Int?
        var index = 0
        while let found = find(delimiter, in: body, from: index) {
            if let begin = start { parts.append(body[begin..<found]) }
            index = found + delimiter.count
            if body[index...].starts(with: Array("--".utf8)) { break }
            start = index
        }
        guard !parts.isEmpty else { return nil }
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        for var part in parts {
            if part.starts(with: [13, 10]) { part = part.dropFirst(2) }
            if part.reversed().starts(with: [10, 13]) { part = part.dropLast(2) }
            guard let split = find(separator, in: Array(part), from: 0) else { return nil }
            let bytes = Array(part)
            let headers = String(decoding: bytes[..<split], as: UTF8.self)
            let content = Array(bytes[(split + separator.count)...])
            guard let name = attribute("name", in: headers) else { return nil }
            if attribute("filename", in: headers) != nil {
                fields.files[name] = content
            } else if fields.values[name] == nil {
                fields.values[name] = String(decoding: content, as: UTF8.self)
            }
        }
        return fields
    }

    /// The boundary of a `multipart/form-data` content type, or nil.
    public static func boundary(ofContentType type: String) -> String? {
        guard type.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for parameter in type.split(separator: ";").dropFirst() {
            let trimmed = parameter.trimmingCharacters(in: .whitespaces)
            if trimmed.lowercased().hasPrefix("boundary=") {
                let value = trimmed.dropFirst("boundary=".count)
                return String(value).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }

    private static func attribute(_ name: String, in headers: String) -> String? {
        for line in headers.split(whereSeparator: \.isNewline) where line.lowercased().hasPrefix("content-disposition") {
            for piece in line.split(separator: ";") {
                let trimmed = piece.trimmingCharacters(in: .whitespaces)
                if trimmed.hasPrefix(name + "=\"") && trimmed.hasSuffix("\"") {
                    return String(trimmed.dropFirst(name.count + 2).dropLast())
                }
            }
        }
        return nil
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        var i = start
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == needle[0] && haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}
