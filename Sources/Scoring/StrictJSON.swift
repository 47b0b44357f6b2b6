/// A strict JSON reader (RFC 8259) that keeps where every value and key starts, for model files.
///
/// Why not only `JSONDecoder`: on Linux it reports a syntax error as "The given data was not valid JSON", with no
/// position, and silently takes the last of two equal keys. Reading the text here first gives every syntax error a
/// line and column, lets the loader refuse unknown keys at their place (``ModelKeySchema``), and keeps the numbers'
/// own text (so `1.5` can be told apart from `1`).
///
/// Accepted: exactly one JSON value (a leading UTF-8 byte-order mark is skipped), surrounded by JSON whitespace.
/// Refused, with the position of the first offending byte: any other syntax, a key repeated in one object, a
/// string with a control character, a bad escape, an unpaired surrogate or invalid UTF-8, a number whose value
/// is outside the range of a `Double`, and nesting deeper than ``maximumDepth``.
enum StrictJSON {
    /// A place in the text: 1-based line, and 1-based column counted in Unicode scalars.
    struct Position: Equatable, Sendable, CustomStringConvertible {
        var line: Int
        var column: Int
        var description: String { "\(line):\(column)" }

        /// The position of byte `offset` of `bytes`; a line ends at LF, CR LF or a lone CR.
        /// - Complexity: O(offset); used on the error path only.
        init(offset: Int, in bytes: [UInt8]) {
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

        init(line: Int, column: Int) { self.line = line; self.column = column }
    }

    /// One value with the position of its first byte.
    struct Node: Sendable {
        enum Value: Sendable {
            /// Members in file order, each with the position of its key.
            case object([Member])
            case array([Node])
            case string(String)
            /// The number's text as written, and its value.
            case number(text: String, value: Double)
            case bool(Bool)
            case null
        }
        struct Member: Sendable {
            var key: String
            /// Byte offset of the key's opening quote.
            var keyOffset: Int
            var value: Node
        }
        var value: Value
        /// Byte offset of the value's first byte (see ``Position/init(offset:in:)``).
        var offset: Int

        /// The member named `key` of an object, or nil.
        subscript(key: String) -> Node? {
            guard case let .object(members) = value else { return nil }
            return members.first { $0.key == key }?.value
        }

        /// What kind of value this is, for messages ("a string", "a number", …).
        var kindName: String {
            switch value {
            case .object: return "an object"
            case .array: return "an array"
            case .string: return "a string"
            case .number: return "a number"
            case .bool: return "a boolean"
            case .null: return "null"
            }
        }
    }

    /// Why the text is not JSON, and where.
    struct SyntaxError: Error, Equatable, Sendable {
        var position: Position
        var problem: String
    }

    /// A syntax problem at a byte offset, before it is turned into a line and column.
    private struct Failure: Error {
        var offset: Int
        var problem: String
    }

    /// Objects and arrays nested deeper than this are refused (a model file needs 5 levels); bounds the recursion.
    static let maximumDepth = 64

    /// Parses `bytes` as one JSON value.
    /// - Throws: ``SyntaxError`` at the first byte that is not valid JSON.
    /// - Complexity: O(bytes).
    static func parse(_ bytes: [UInt8]) throws(SyntaxError) -> Node {
        var parser = Parser(bytes)
        do {
            return try parser.document()
        } catch {
            throw SyntaxError(position: Position(offset: error.offset, in: bytes), problem: error.problem)
        }
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0
        var depth = 0

        init(_ bytes: [UInt8]) {
            self.bytes = bytes
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        }

        func fail(_ problem: String, at i: Int? = nil) -> Failure {
            Failure(offset: i ?? index, problem: problem)
        }

        func position(at i: Int) -> Position { Position(offset: i, in: bytes) }

        /// What is at the current byte, for "found …" in messages.
        var found: String {
            guard index < bytes.count else { return "the end of the file" }
            let b = bytes[index]
            if b >= 0x21 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
            if b == 0x20 { return "a space" }
            if b < 0x20 || b == 0x7F { return "the control character 0x\(String(b, radix: 16, uppercase: true))" }
            return "a non-ASCII character"
        }

        mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0D, 0x0A: index += 1
                default: return
                }
            }
        }

        mutating func document() throws(Failure) -> Node {
            skipWhitespace()
            let root = try value(context: "the file to start with a JSON value")
            skipWhitespace()
            guard index == bytes.count else {
                throw fail("unexpected \(found) after the end of the top-level value")
            }
            return root
        }

        /// `context` completes "expected …" when no value starts here.
        mutating func value(context: String) throws(Failure) -> Node {
            let start = index
            guard index < bytes.count else { throw fail("expected \(context), found the end of the file") }
            switch bytes[index] {
            case UInt8(ascii: "{"): return Node(value: try object(), offset: start)
            case UInt8(ascii: "["): return Node(value: try array(), offset: start)
            case UInt8(ascii: "\""): return Node(value: .string(try string()), offset: start)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return Node(value: try number(), offset: start)
            case UInt8(ascii: "t"): try literal("true"); return Node(value: .bool(true), offset: start)
            case UInt8(ascii: "f"): try literal("false"); return Node(value: .bool(false), offset: start)
            case UInt8(ascii: "n"): try literal("null"); return Node(value: .null, offset: start)
            default: throw fail("expected \(context), found \(found)")
            }
        }

        mutating func literal(_ word: StaticString) throws(Failure) {
            let text = word.withUTF8Buffer { Array($0) }
            guard bytes.count - index >= text.count, Array(bytes[index..<(index + text.count)]) == text else {
                throw fail("expected a value (a number, a string, true, false, null, an object or an array), found \(found)")
            }
            index += text.count
        }

        mutating func enter() throws(Failure) {
            depth += 1
            guard depth <= StrictJSON.maximumDepth else {
                throw fail("objects and arrays are nested more than \(StrictJSON.maximumDepth) deep")
            }
        }

        mutating func object() throws(Failure) -> Node.Value {
            try enter()
            defer { depth -= 1 }
            index += 1  // {
            var members: [Node.Member] = []
            var seen: [String: Int] = [:]
            skipWhitespace()
            if index < bytes.count && bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object([])
            }
            while true {
                skipWhitespace()
                let keyStart = index
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                    let after = members.isEmpty ? "after '{'" : "after ','"
                    throw fail("expected a key (a string in double quotes) \(after), found \(found)")
                }
                let key = try string()
                if let first = seen[key] {
                    throw Failure(offset: keyStart, problem: "duplicate key \"\(key)\" (first at \(position(at: first)))")
                }
                seen[key] = keyStart
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                    throw fail("expected ':' after the key \"\(key)\", found \(found)")
                }
                index += 1
                skipWhitespace()
                let member = try value(context: "a value for the key \"\(key)\"")
                members.append(Node.Member(key: key, keyOffset: keyStart, value: member))
                skipWhitespace()
                guard index < bytes.count else { throw fail("expected ',' or '}' in an object, found the end of the file") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
                throw fail("expected ',' or '}' after the value of \"\(key)\", found \(found)")
            }
        }

        mutating func array() throws(Failure) -> Node.Value {
            try enter()
            defer { depth -= 1 }
            index += 1  // [
            var elements: [Node] = []
            skipWhitespace()
            if index < bytes.count && bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array([])
            }
            while true {
                skipWhitespace()
                if index < bytes.count && bytes[index] == UInt8(ascii: "]") {
                    throw fail("expected a value after ',', found ']' (a comma before the end of an array)")
                }
                elements.append(try value(context: elements.isEmpty ? "a value after '['" : "a value after ','"))
                skipWhitespace()
                guard index < bytes.count else { throw fail("expected ',' or ']' in an array, found the end of the file") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(elements) }
                throw fail("expected ',' or ']' after an array element, found \(found)")
            }
        }

        mutating func string() throws(Failure) -> String {
            let open = index
            index += 1  // "
            var out: [UInt8] = []
            while true {
                guard index < bytes.count else { throw fail("a string is not closed (it opens at \(position(at: open)))") }
                let b = bytes[index]
                switch b {
                case UInt8(ascii: "\""):
                    index += 1
                    return String(decoding: out, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    index += 1
                    guard index < bytes.count else { throw fail("a string is not closed (it opens at \(position(at: open)))") }
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

        /// The length of the valid UTF-8 sequence at `index` (a non-ASCII lead byte), or an error.
        func utf8Sequence() throws(Failure) -> Int {
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
        mutating func unicodeEscape() throws(Failure) -> [UInt8] {
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

        mutating func hex4() throws(Failure) -> UInt32 {
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

        /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
        mutating func number() throws(Failure) -> Node.Value {
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
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            guard let value = Double(text), value.isFinite else {
                throw fail("the number \(text) is outside the range of a double (about ±1.8e308)", at: start)
            }
            return .number(text: text, value: value)
        }
    }
}
