import Tables

/// A strict JSON reader (RFC 8259) over UTF-8 bytes for the files the planner writes by hand: values are taken as
/// the caller asks for them — an object's keys one by one, a string, a number — so a manifest with millions of
/// entries is read without a tree of values, and every error names the line and column where it was found.
struct JSONScanner {
    let bytes: [UInt8]
    let file: String
    private(set) var index = 0
    /// Where the value being read started, for errors about a whole value.
    private var valueStart = 0
    /// Where the key being read started, for errors about a key.
    private var keyStart = 0

    init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
    }

    // MARK: - Structure

    /// Reads an object, calling `body` with each key; `body` must read the key's value.
    mutating func object(_ body: (inout JSONScanner, String) throws -> Void) throws {
        skipSpace()
        let start = index
        defer { valueStart = start }
        try expect(UInt8(ascii: "{"), "an object {…}")
        skipSpace()
        if peek == UInt8(ascii: "}") { index += 1; return }
        while true {
            skipSpace()
            keyStart = index
            let key = try string()
            skipSpace()
            try expect(UInt8(ascii: ":"), "':' after the key")
            skipSpace()
            valueStart = index
            try body(&self, key)
            skipSpace()
            if peek == UInt8(ascii: ",") { index += 1; continue }
            try expect(UInt8(ascii: "}"), "',' or '}'")
            return
        }
    }

    /// Reads an array, calling `body` for each element; `body` must read the element.
    mutating func array(_ body: (inout JSONScanner) throws -> Void) throws {
        skipSpace()
        let start = index
        defer { valueStart = start }
        try expect(UInt8(ascii: "["), "an array […]")
        skipSpace()
        if peek == UInt8(ascii: "]") { index += 1; return }
        while true {
            skipSpace()
            valueStart = index
            try body(&self)
            skipSpace()
            if peek == UInt8(ascii: ",") { index += 1; continue }
            try expect(UInt8(ascii: "]"), "',' or ']'")
            return
        }
    }

    /// Checks that only white space follows the value read.
    mutating func end() throws {
        skipSpace()
        if index < bytes.count { throw fail("text after the end of the JSON value", expected: "nothing after the closing '}'") }
    }

    // MARK: - Values

    /// A string, with its escapes decoded.
    mutating func string() throws -> String {
        skipSpace()
        try expect(UInt8(ascii: "\""), "a string \"…\"")
        let start = index
        // Fast path: no escape before the closing quote.
        while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\") {
            guard bytes[index] >= 0x20 else { throw fail("a control character in a string", expected: "\\n, \\t or \\u00XX") }
            index += 1
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
            index += 1
            return try utf8(bytes[start..<(index - 1)], at: start)
        }
        var decoded = Array(bytes[start..<index])
        while true {
            guard index < bytes.count else { throw fail("an unterminated string", expected: "a closing '\"'") }
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return try utf8(decoded[...], at: start)
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { throw fail("an unterminated escape", expected: "an escape like \\n") }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(escape)
                case UInt8(ascii: "b"): decoded.append(0x08)
                case UInt8(ascii: "f"): decoded.append(0x0C)
                case UInt8(ascii: "n"): decoded.append(0x0A)
                case UInt8(ascii: "r"): decoded.append(0x0D)
                case UInt8(ascii: "t"): decoded.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                        else { throw fail("a lone surrogate", expected: "a \\uD8xx\\uDCxx pair") }
                        index += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw fail("a lone surrogate", expected: "a \\uD8xx\\uDCxx pair") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let value = Unicode.Scalar(scalar) else { throw fail("a lone surrogate", expected: "a valid \\u escape") }
                    decoded.append(contentsOf: Array(String(Character(value)).utf8))
                default:
                    index -= 1
                    throw fail("an unknown escape", expected: "one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX")
                }
            default:
                guard byte >= 0x20 else {
                    index -= 1
                    throw fail("a control character in a string", expected: "\\n, \\t or \\u00XX")
                }
                decoded.append(byte)
            }
        }
    }

    /// A number, correctly rounded to the nearest `Double` (so a number written with Swift's `description`
    /// reads back as the same value).
    mutating func number() throws -> Double {
        skipSpace()
        let start = index
        if peek == UInt8(ascii: "-") { index += 1 }
        guard let first = peek, isDigit(first) else { throw fail("not a number", expected: "a JSON number like 0.25") }
        index += 1
        if first != UInt8(ascii: "0") { while let d = peek, isDigit(d) { index += 1 } }
        if peek == UInt8(ascii: ".") {
            index += 1
            guard let d = peek, isDigit(d) else { throw fail("a number without digits after '.'", expected: "a JSON number like 0.25") }
            while let d = peek, isDigit(d) { index += 1 }
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            index += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { index += 1 }
            guard let d = peek, isDigit(d) else { throw fail("a number without exponent digits", expected: "a JSON number like 1e-3") }
            while let d = peek, isDigit(d) { index += 1 }
        }
        let parsed = bytes.withUnsafeBytes { DecimalParsing.parseDouble(UnsafeRawBufferPointer(rebasing: $0[start..<index])) }
        guard case let .finite(value) = parsed else {
            index = start
            throw fail("a number out of range", expected: "a finite number")
        }
        return value
    }

    /// A whole number.
    mutating func integer() throws -> Int {
        skipSpace()
        let start = index
        let value = try number()
        guard value.rounded() == value, let whole = Int(exactly: value) else {
            index = start
            throw fail("not a whole number", expected: "a whole number like 20")
        }
        return whole
    }

    /// A lower-case hexadecimal SHA-256 digest (64 characters).
    mutating func sha256() throws -> String {
        let start = index
        let text = try string()
        guard text.utf8.count == 64, text.utf8.allSatisfy({ isDigit($0) || ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "f")) })
        else {
            index = start
            throw fail("\"\(text.prefix(80))\" is not a digest", expected: "a SHA-256 digest: 64 lower-case hexadecimal digits")
        }
        return text
    }

    /// Reads any value and discards it.
    mutating func skipValue() throws {
        skipSpace()
        switch peek {
        case UInt8(ascii: "{"): try object { json, _ in try json.skipValue() }
        case UInt8(ascii: "["): try array { json in try json.skipValue() }
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: _ = try number()
        }
    }

    // MARK: - Errors

    /// The error at the current position.
    func fail(_ problem: String, expected: String) -> PlanDirectoryError {
        error(at: index, problem, expected: expected)
    }

    /// The error at the start of the value just read (for a value that parsed but is not acceptable).
    func failBefore(_ problem: String, expected: String) -> PlanDirectoryError {
        error(at: valueStart, problem, expected: expected)
    }

    /// The error at the start of the current key (an unknown or repeated key).
    func failAtKey(_ problem: String, expected: String) -> PlanDirectoryError {
        error(at: keyStart, problem, expected: expected)
    }

    private func error(at offset: Int, _ problem: String, expected: String) -> PlanDirectoryError {
        var line = 1, lineStart = 0
        for k in 0..<min(offset, bytes.count) where bytes[k] == 0x0A {
            line += 1
            lineStart = k + 1
        }
        let column = String(decoding: bytes[lineStart..<min(offset, bytes.count)], as: UTF8.self).unicodeScalars.count + 1
        return .malformedManifest(file: file, line: line, column: column, problem: problem, expected: expected)
    }

    // MARK: - Bytes

    private var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private mutating func skipSpace() {
        while let byte = peek, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 }
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws {
        skipSpace()
        guard peek == byte else {
            throw fail(peek == nil ? "the end of the file" : "'\(String(decoding: [peek!], as: UTF8.self))'", expected: what)
        }
        index += 1
    }

    private mutating func literal(_ word: String) throws {
        for byte in word.utf8 {
            guard peek == byte else { throw fail("an unknown literal", expected: "true, false, null, a number, a string, an object or an array") }
            index += 1
        }
    }

    private mutating func hex4() throws -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = peek else { throw fail("a short \\u escape", expected: "four hexadecimal digits") }
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw fail("a bad \\u escape", expected: "four hexadecimal digits")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    /// `slice` as a string, refused when it is not UTF-8.
    private func utf8(_ slice: ArraySlice<UInt8>, at offset: Int) throws -> String {
        guard let text = String(validating: slice, as: UTF8.self) else {
            throw error(at: offset, "a string that is not UTF-8", expected: "UTF-8 text")
        }
        return text
    }
}
