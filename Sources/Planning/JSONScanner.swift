import OneCheckUtilities
import Tables

/// The package's strict JSON reader (`OneCheckUtilities.JSONReader`, RFC 8259) for the files the planner writes
/// by hand: values are taken as the caller asks for them — an object's keys one by one, a string, a number — so a
/// manifest with millions of entries is read without a tree of values, and every error, of syntax or of content,
/// names the line and column where it was found (``PlanDirectoryError/malformedManifest(file:line:column:problem:expected:)``).
struct JSONScanner {
    private var reader: JSONReader
    let file: String
    /// Where the value being read started, for errors about a whole value.
    private var valueStart = 0
    /// Where the key being read started, for errors about a key.
    private var keyStart = 0

    init(bytes: [UInt8], file: String) {
        reader = JSONReader(bytes)
        self.file = file
    }

    /// The offset of the next byte to read.
    var index: Int { reader.index }

    // MARK: - Structure

    /// Reads an object, calling `body` with each key; `body` must read the key's value.
    mutating func object(_ body: (inout JSONScanner, String) throws -> Void) throws {
        let start = try syntax { _ = try $0.nextKind(context: "an object {…}"); return $0.index }
        defer { valueStart = start }
        let file = self.file
        var reader = self.reader
        defer { self.reader = reader }
        try Self.syntax(of: &reader, file: file) { reader in
            try reader.object { reader, key, keyOffset in
                // The member is read by a scanner of its own over the same bytes, then the reader takes up after it.
                var member = JSONScanner(reader: reader, file: file, keyStart: keyOffset)
                try body(&member, key)
                reader = member.reader
            }
        }
    }

    /// Reads an array, calling `body` for each element; `body` must read the element.
    mutating func array(_ body: (inout JSONScanner) throws -> Void) throws {
        let start = try syntax { _ = try $0.nextKind(context: "an array […]"); return $0.index }
        defer { valueStart = start }
        let file = self.file
        var reader = self.reader
        defer { self.reader = reader }
        try Self.syntax(of: &reader, file: file) { reader in
            try reader.array { reader in
                var element = JSONScanner(reader: reader, file: file, keyStart: reader.index)
                try body(&element)
                reader = element.reader
            }
        }
    }

    /// Checks that only white space follows the value read.
    mutating func end() throws { try syntax { try $0.end() } }

    // MARK: - Values

    /// A string, with its escapes decoded.
    mutating func string() throws -> String { try value { try $0.string() } }

    /// A number, correctly rounded to the nearest `Double` (so a number written with Swift's `description`
    /// reads back as the same value).
    mutating func number() throws -> Double { try value { try $0.number() } }

    /// A whole number.
    mutating func integer() throws -> Int {
        let value = try number()
        guard value.rounded() == value, let whole = Int(exactly: value) else {
            throw failBefore("not a whole number", expected: "a whole number like 20")
        }
        return whole
    }

    /// A lower-case hexadecimal SHA-256 digest (64 characters).
    mutating func sha256() throws -> String {
        let text = try string()
        guard text.utf8.count == 64, text.utf8.allSatisfy({ ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9"))
            || ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "f")) })
        else {
            throw failBefore("\(QuotedText.quoted(text, limit: 80)) is not a digest", expected: "a SHA-256 digest: 64 lower-case hexadecimal digits")
        }
        return text
    }

    /// Reads any value and discards it.
    mutating func skipValue() throws { try value { try $0.skipValue() } }

    // MARK: - Errors

    /// The error at the current position.
    func fail(_ problem: String, expected: String) -> PlanDirectoryError {
        error(at: reader.index, problem, expected: expected)
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
        Self.error(in: reader.bytes, file: file, at: offset, problem, expected: expected)
    }

    private static func error(in bytes: [UInt8], file: String, at offset: Int, _ problem: String,
                              expected: String) -> PlanDirectoryError {
        let position = JSONPosition(offset: offset, in: bytes)
        return .malformedManifest(file: file, line: position.line, column: position.column, problem: problem, expected: expected)
    }

    // MARK: - The reader

    private init(reader: JSONReader, file: String, keyStart: Int) {
        self.reader = reader
        self.file = file
        self.keyStart = keyStart
        valueStart = reader.index
    }

    /// Reads one value with `read`, remembering where it starts.
    private mutating func value<T>(_ read: (inout JSONReader) throws -> T) throws -> T {
        reader.skipWhitespace()
        valueStart = reader.index
        return try syntax(read)
    }

    private mutating func syntax<T>(_ read: (inout JSONReader) throws -> T) throws -> T {
        try Self.syntax(of: &reader, file: file, read)
    }

    /// Runs `read`, turning the reader's syntax errors into manifest errors at their line and column.
    private static func syntax<T>(of reader: inout JSONReader, file: String,
                                  _ read: (inout JSONReader) throws -> T) throws -> T {
        do {
            return try read(&reader)
        } catch let syntax as JSONSyntaxError {
            throw error(in: reader.bytes, file: file, at: syntax.offset, syntax.problem,
                        expected: "JSON (RFC 8259) as `onecheck plan` writes it")
        }
    }
}
