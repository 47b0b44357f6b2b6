#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one strict JSON reader (RFC 8259) of the package: a pull reader over UTF-8 bytes that keeps the byte offset
/// of every value and key, so every error can name its line and column. Model files are read into a tree on top of
/// it (Scoring's `StrictJSON`); plan manifests with millions of entries are read value by value, without a tree
/// (Planning's `JSONScanner`).
///
/// Accepted: exactly one JSON value (a leading UTF-8 byte-order mark is skipped), surrounded by JSON whitespace.
/// Refused, with the offset of the first offending byte: any other syntax, a key repeated in one object, a string
/// with a control character, a bad escape, an unpaired surrogate or invalid UTF-8, a number whose value is outside
/// the range of a `Double`, and nesting deeper than ``maximumDepth``.
///
///     var json = JSONReader(bytes)
///     try json.object { json, key, _ in if key == "name" { name = try json.string() } else { try json.skipValue() } }
///     try json.end()
package struct JSONReader {
    /// The text.
    package let bytes: [UInt8]
    /// The offset of the next byte to read.
    package private(set) var index = 0
    private var depth = 0

    /// Objects and arrays nested deeper than this are refused (a model file needs 5 levels); bounds the recursion.
    package static let maximumDepth = 64

    /// What a value starts with.
    package enum Kind: Sendable { case object, array, string, number, bool, null }

    package init(_ bytes: [UInt8]) {
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
    }

    // MARK: - Structure

    /// The kind of the value that starts at the next non-blank byte.
    /// - Parameter context: completes "expected …" when no value starts there ("a value after ','").
    package mutating func nextKind(context: String) throws(JSONSyntaxError) -> Kind {
        skipWhitespace()
        guard index < bytes.count else { throw fail("expected \(context), found the end of the file") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        default: throw fail("expected \(context), found \(found)")
        }
    }

    /// Reads an object, calling `member` with each key and the offset of its opening quote; `member` must read the
    /// key's value (its reading says what it expected there: `nextKind(context:)` for any value). A key repeated in
    /// the object is refused at its second place.
    package mutating func object(_ member: (inout JSONReader, _ key: String, _ keyOffset: Int) throws -> Void) throws {
        _ = try nextKind(context: "an object")
        guard bytes[index] == UInt8(ascii: "{") else { throw fail("expected an object, found \(found)") }
        try enter()
        defer { depth -= 1 }
        index += 1
        skipWhitespace()
        if index < bytes.count && bytes[index] == UInt8(ascii: "}") {
            index += 1
            return
        }
        var seen: [String: Int] = [:]
        while true {
            skipWhitespace()
            let keyOffset = index
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw fail("expected a key (a string in double quotes) \(seen.isEmpty ? "after '{'" : "after ','"), found \(found)")
            }
            let key = try string()
            if let first = seen.updateValue(keyOffset, forKey: key) {
                throw JSONSyntaxError(offset: keyOffset, problem: "duplicate key \"\(key)\" (first at \(position(of: first)))")
            }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                throw fail("expected ':' after the key \"\(key)\", found \(found)")
            }
            index += 1
            try member(&self, key, keyOffset)
            skipWhitespace()
            guard index < bytes.count else { throw fail("expected ',' or '}' in an object, found the end of the file") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; return }
            throw fail("expected ',' or '}' after the value of \"\(key)\", found \(found)")
        }
    }

    /// Reads an array, calling `element` for each element; `element` must read it.
    package mutating func array(_ element: (inout JSONReader) throws -> Void) throws {
        _ = try nextKind(context: "an array")
        guard bytes[index] == UInt8(ascii: "[") else { throw fail("expected an array, found \(found)") }
        try enter()
        defer { depth -= 1 }
        index += 1
        skipWhitespace()
        if index < bytes.count && bytes[index] == UInt8(ascii: "]") {
            index += 1
            return
        }
        var first = true
        while true {
            skipWhitespace()
            if index < bytes.count && bytes[index] == UInt8(ascii: "]") {
                throw fail("expected a value after ',', found ']' (a comma before the end of an array)")
            }
            _ = try nextKind(context: first ? "a value after '['" : "a value after ','")
            first = false
            try element(&self)
            skipWhitespace()
            guard index < bytes.count else { throw fail("expected ',' or ']' in an array, found the end of the file") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; return }
            throw fail("expected ',' or ']' after an array element, found \(found)")
        }
    }

    /// Checks that only whitespace follows the value read.
    package mutating func end() throws(JSONSyntaxError) {
        skipWhitespace()
        guard index == bytes.count else { throw fail("unexpected \(found) after the end of the top-level value") }
    }

    /// Reads any value and discards it.
    package mutating func skipValue() throws {
        switch try nextKind(context: "a value") {
        case .object: try object { json, _, _ in try json.skipValue() }
        case .array: try array { json in try json.skipValue() }
        case .string: _ = try string()
        case .number: _ = try numberText()
        case .bool: _ = try bool()
        case .null: try null()
        }
    }

    // MARK: - Values

    /// A string, its escapes decoded; refused unless it is valid UTF-8 without raw control characters.
    package mutating func string() throws(JSONSyntaxError) -> String {
        guard try nextKind(context: "a string") == .string else { throw fail("expected a string, found \(found)") }
        let open = index
        index += 1
        // Fast path: printable ASCII up to the closing quote.
        let start = index
        while index < bytes.count, bytes[index] >= 0x20, bytes[index] < 0x80, bytes[index] != UInt8(ascii: "\""),
              bytes[index] != UInt8(ascii: "\\") {
            index += 1
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
            index += 1
            return String(decoding: bytes[start..<(index - 1)], as: UTF8.self)
        }
        var out = Array(bytes[start..<index])
        while true {
            guard index < bytes.count else { throw fail("a string is not closed (it opens at \(position(of: open)))") }
            let b = bytes[index]
            switch b {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { throw fail("a string is not closed (it opens at \(position(of: open)))") }
                let e = bytes[index]
                index += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"): out.append(contentsOf: try unicodeEscape())
                default:
                    throw fail("invalid escape '\\\(Character(Unicode.Scalar(e)))' in a string; expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX", at: index - 2)
                }
            case 0x00..<0x20:
                throw fail("a control character (0x\(String(b, radix: 16, uppercase: true))) inside a string; write it as an escape such as \\n")
            case 0x00..<0x80:
                out.append(b)
                index += 1
            default:
                let length = try utf8Sequence()
                out.append(contentsOf: bytes[index..<(index + length)])
                index += length
            }
        }
    }

    /// A number as written, with its value (correctly rounded to the nearest `Double`).
    package mutating func numberText() throws(JSONSyntaxError) -> (text: String, value: Double) {
        let (start, value) = try scanNumber()
        return (String(decoding: bytes[start..<index], as: UTF8.self), value)
    }

    /// A number's value, correctly rounded to the nearest `Double` (no text kept: for long lists of numbers).
    package mutating func number() throws(JSONSyntaxError) -> Double { try scanNumber().value }

    /// `true` or `false`.
    package mutating func bool() throws(JSONSyntaxError) -> Bool {
        guard try nextKind(context: "true or false") == .bool else { throw fail("expected true or false, found \(found)") }
        if bytes[index] == UInt8(ascii: "t") { try literal("true"); return true }
        try literal("false")
        return false
    }

    /// `null`.
    package mutating func null() throws(JSONSyntaxError) {
        guard try nextKind(context: "null") == .null else { throw fail("expected null, found \(found)") }
        try literal("null")
    }

    // MARK: - Positions and errors

    /// The line and column of byte `offset`.
    package func position(of offset: Int) -> JSONPosition { JSONPosition(offset: offset, in: bytes) }

    /// An error at the next byte (or at `offset`).
    package func fail(_ problem: String, at offset: Int? = nil) -> JSONSyntaxError {
        JSONSyntaxError(offset: offset ?? index, problem: problem)
    }

    /// What is at the next byte, for "found …" in messages.
    package var found: String {
        guard index < bytes.count else { return "the end of the file" }
        let b = bytes[index]
        if b >= 0x21 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        if b == 0x20 { return "a space" }
        if b < 0x20 || b == 0x7F { return "the control character 0x\(String(b, radix: 16, uppercase: true))" }
        return "a non-ASCII character"
    }

    // MARK: - Bytes

    package mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0D, 0x0A: index += 1
            default: return
            }
        }
    }

    private mutating func enter() throws(JSONSyntaxError) {
        depth += 1
        guard depth <= Self.maximumDepth else {
            throw fail("objects and arrays are nested more than \(Self.maximumDepth) deep")
        }
    }

    private mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
        let text = word.withUTF8Buffer { Array($0) }
        guard bytes.count - index >= text.count, Array(bytes[index..<(index + text.count)]) == text else {
            throw fail("expected a value (a number, a string, true, false, null, an object or an array), found \(found)")
        }
        index += text.count
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`; returns where it starts and its value.
    private mutating func scanNumber() throws(JSONSyntaxError) -> (start: Int, value: Double) {
        guard try nextKind(context: "a number") == .number else { throw fail("expected a number, found \(found)") }
        let start = index
        func isDigit(_ i: Int) -> Bool { i < bytes.count && bytes[i] >= UInt8(ascii: "0") && bytes[i] <= UInt8(ascii: "9") }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard isDigit(index) else { throw fail("expected a digit in a number, found \(found)") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if isDigit(index) { throw fail("a number must not have a leading zero", at: start) }
        } else {
            while isDigit(index) { index += 1 }
        }
        if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard isDigit(index) else { throw fail("expected a digit after the decimal point, found \(found)") }
            while isDigit(index) { index += 1 }
        }
        if index < bytes.count && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
            index += 1
            if index < bytes.count && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) { index += 1 }
            guard isDigit(index) else { throw fail("expected a digit in the exponent, found \(found)") }
            while isDigit(index) { index += 1 }
        }
        let value = Self.double(bytes[start..<index])
        guard value.isFinite else {
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            throw fail("the number \(text) is outside the range of a double (about ±1.8e308)", at: start)
        }
        return (start, value)
    }

    /// The value of a number of the grammar above, correctly rounded (`strtod`, which reads exactly that grammar
    /// and more; the C locale's decimal point, the one a Swift program starts with), without a `String`.
    private static func double(_ text: ArraySlice<UInt8>) -> Double {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: text.count + 1) { buffer in
            for (k, byte) in text.enumerated() { buffer[k] = CChar(bitPattern: byte) }
            buffer[text.count] = 0
            return strtod(buffer.baseAddress!, nil)
        }
    }

    /// The length of the valid UTF-8 sequence at `index` (a non-ASCII lead byte), or an error.
    private func utf8Sequence() throws(JSONSyntaxError) -> Int {
        let b0 = bytes[index]
        let length: Int
        var low: UInt8 = 0x80, high: UInt8 = 0xBF  // range of the second byte
        switch b0 {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: throw fail("invalid UTF-8 (byte 0x\(String(b0, radix: 16, uppercase: true)))")
        }
        guard index + length <= bytes.count else { throw fail("invalid UTF-8 (a sequence cut short)") }
        for k in 1..<length {
            let b = bytes[index + k]
            let ok = k == 1 ? (b >= low && b <= high) : (b & 0xC0 == 0x80)
            guard ok else { throw fail("invalid UTF-8 (byte 0x\(String(b, radix: 16, uppercase: true)))", at: index + k) }
        }
        return length
    }

    /// After `\u`: four hex digits, a surrogate pair as two escapes; returns the scalar's UTF-8.
    private mutating func unicodeEscape() throws(JSONSyntaxError) -> [UInt8] {
        let start = index - 2
        var unit = try hex4()
        if (0xD800..<0xDC00).contains(unit) {
            guard bytes.count - index >= 6, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                throw fail("a \\u escape of a high surrogate must be followed by one of a low surrogate", at: start)
            }
            index += 2
            let low = try hex4()
            guard (0xDC00..<0xE000).contains(low) else {
                throw fail("a \\u escape of a high surrogate must be followed by one of a low surrogate", at: start)
            }
            unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00..<0xE000).contains(unit) {
            throw fail("a \\u escape of a low surrogate without a high one before it", at: start)
        }
        return Array(String(Character(Unicode.Scalar(unit)!)).utf8)
    }

    private mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard index < bytes.count else { throw fail("a \\u escape needs four hexadecimal digits") }
            let b = bytes[index]
            let d: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = b - UInt8(ascii: "A") + 10
            default: throw fail("a \\u escape needs four hexadecimal digits, found \(found)")
            }
            v = v << 4 | UInt32(d)
            index += 1
        }
        return v
    }
}

/// Why the text is not JSON: the offset of the first offending byte and what is wrong there.
package struct JSONSyntaxError: Error, Equatable, Sendable {
    package var offset: Int
    package var problem: String

    package init(offset: Int, problem: String) {
        self.offset = offset
        self.problem = problem
    }
}

/// A place in a text: 1-based line, and 1-based column counted in Unicode scalars.
package struct JSONPosition: Equatable, Sendable, CustomStringConvertible {
    package var line: Int
    package var column: Int
    package var description: String { "\(line):\(column)" }

    /// The position of byte `offset` of `bytes`; a line ends at LF, CR LF or a lone CR.
    /// - Complexity: O(offset); used on the error path only.
    package init(offset: Int, in bytes: [UInt8]) {
        line = 1
        var lineStart = 0
        let end = Swift.min(offset, bytes.count)
        for i in 0..<end where bytes[i] == 0x0A || (bytes[i] == 0x0D && (i + 1 == bytes.count || bytes[i + 1] != 0x0A)) {
            line += 1
            lineStart = i + 1
        }
        column = 1
        for i in lineStart..<Swift.max(lineStart, end) where bytes[i] & 0xC0 != 0x80 { column += 1 }
    }

    package init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
}
