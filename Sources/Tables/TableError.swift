/// A problem with a table file, located as precisely as the reader or its caller can.
///
/// Every error names the file and, when known, the 1-based physical line, the 1-based column number with its
/// header name, the offending value and the form that was expected. `description` renders them in the
/// compiler-like form editors and terminals understand:
///
///     entities.csv:12:4 (column "age"): "abc" is not a number; expected a decimal number like 12.5
///
/// Match on `kind` to react to a particular problem:
///
///     catch let error as TableError {
///         if case .missingColumns(let names) = error.kind { … }
///     }
///
/// The reader raises the structural kinds (opening, header, quoting, ragged rows); value-level kinds
/// (`notANumber`, `nonFiniteNotAllowed`, `missingValue`, `invalidValue`, `duplicateKey`, `unknownCategory`) are
/// raised by schemas, `CSVBlock`/`CSVTable` getters and by callers through the factory functions below, so
/// every module reports bad input the same way.
public struct TableError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What went wrong. Associated values carry only what is specific to the kind; location, value and
    /// expected form live in the enclosing error.
    public enum Kind: Equatable, Sendable {
        /// The file could not be opened (for reading, or its temporary file for writing); `reason` is the
        /// system's explanation (`strerror`).
        case cannotOpen(reason: String)
        /// Reading, writing or renaming failed after opening; `reason` is the system's explanation.
        case ioFailure(reason: String)
        /// The file has no header line (it is empty, or holds only a byte-order mark or blank lines).
        case emptyFile
        /// Required columns are absent from the header; all of them are listed, in the order required.
        case missingColumns([String])
        /// A header name occurs twice; `firstColumn` is the 1-based column where it first occurred.
        case duplicateHeader(firstColumn: Int)
        /// A record has `found` fields where the header has `expected`.
        case raggedRow(expected: Int, found: Int)
        /// A quoted field is still open at the end of the file (or after `maxRecordBytes`).
        case unterminatedQuotedField
        /// A quoted field's closing quote is followed by something other than a separator or line end.
        case malformedQuotedField
        /// A single record is longer than the reader's limit (usually a stray quote swallowing the file).
        case recordTooLong(limit: Int)
        /// A required value is empty.
        case missingValue
        /// The value is not a decimal number.
        case notANumber
        /// The value is NaN or infinite (or overflows a Double) where only finite numbers are accepted.
        case nonFiniteNotAllowed
        /// The value does not have the form the caller expects (the form is in `expected`).
        case invalidValue
        /// The key was already used; `firstLine` is the line where it first appeared.
        case duplicateKey(firstLine: Int)
        /// The value is not one of the known categories (listed in `expected`).
        case unknownCategory
        /// The bytes are not valid text in `encoding` (for UTF-8: an ill-formed sequence, see `TextEncoding`);
        /// `bytes` are the offending ones (at most four), shown in hexadecimal.
        case invalidText(encoding: TextEncoding, bytes: [UInt8])
        /// The file is in an encoding the reader does not read, recognised from its first bytes (`name`, e.g.
        /// "UTF-16 (little-endian)").
        case unsupportedEncoding(name: String)
        /// The file's lines end with a carriage return alone (classic Mac OS), which the reader does not
        /// take for a line end (see `CSVReader`).
        case carriageReturnLineEnds
        /// A field is longer than the reader's limit (`CSVReader.Options.maxFieldBytes`); the error's value is
        /// the field's start.
        case fieldTooLong(limit: Int)
    }

    /// What went wrong.
    public var kind: Kind
    /// The file as named to the user (usually its last path component).
    public var file: String
    /// The 1-based physical line number (the header is line 1), when the problem has a line.
    public var line: Int?
    /// The 1-based column number, when the problem has a column.
    public var column: Int?
    /// The header name of `column`, when known.
    public var columnName: String?
    /// The offending value, verbatim (unescaped), when there is one. `description` shows at most about 80
    /// characters of it (and of every other echoed text), however long it is.
    public var value: String?
    /// The form that was expected, phrased to follow "expected", e.g. "a decimal number like 12.5".
    public var expected: String?

    /// Creates an error of any kind.
    ///
    /// - Parameters:
    ///   - column: the **0-based** column index, as used by `CSVBlock` and `CSVTable`; it is stored and
    ///     printed 1-based.
    public init(_ kind: Kind, file: String, line: Int? = nil, columnIndex: Int? = nil,
                columnName: String? = nil, value: String? = nil, expected: String? = nil) {
        self.kind = kind
        self.file = file
        self.line = line
        self.column = columnIndex.map { $0 + 1 }
        self.columnName = columnName
        self.value = value
        self.expected = expected
    }

    public var description: String {
        var location = file
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        if let columnName { location += " (column \(Self.quoted(columnName, limit: Self.nameLimit)))" }
        var text = location + ": " + problem
        if let expected, !expected.isEmpty { text += "; expected " + Self.shortened(expected, limit: Self.expectedLimit) }
        return text
    }

    /// The problem itself, without location or expectation.
    private var problem: String {
        let shown = value.map { Self.quoted($0) } ?? "the empty value"
        switch kind {
        case let .cannotOpen(reason): return "cannot open the file: \(reason)"
        case let .ioFailure(reason): return "input/output failed: \(reason)"
        case .emptyFile: return "the file is empty"
        case let .missingColumns(names):
            var list = names.prefix(12).map { Self.quoted($0, limit: Self.nameLimit) }.joined(separator: ", ")
            if names.count > 12 { list += " (and \(names.count - 12) more)" }
            return names.count == 1 ? "missing required column \(list)" : "missing required columns \(list)"
        case let .duplicateHeader(firstColumn):
            return "duplicate column name \(shown) (first at column \(firstColumn))"
        case let .raggedRow(expected, found):
            return "expected \(expected) field\(expected == 1 ? "" : "s"), found \(found)"
        case .unterminatedQuotedField: return "quoted field is not closed"
        case .malformedQuotedField:
            return "a closing quote must be followed by a separator or the end of the line, found \(shown)"
        case let .recordTooLong(limit): return "a record is longer than \(limit) bytes"
        case .missingValue: return "missing value"
        case .notANumber: return "\(shown) is not a number"
        case .nonFiniteNotAllowed: return "\(shown) is not a finite number"
        case .invalidValue: return "\(shown) is not valid"
        case let .duplicateKey(firstLine): return "duplicate key \(shown) (first on line \(firstLine))"
        case .unknownCategory: return "\(shown) is not a known category"
        case let .invalidText(encoding, bytes):
            let hex = bytes.prefix(4).map { byte in
                let digits = String(byte, radix: 16, uppercase: true)
                return byte < 16 ? "0" + digits : digits
            }
            return "invalid \(encoding.displayName) (byte\(bytes.count == 1 ? "" : "s") \(hex.joined(separator: " ")))"
        case let .unsupportedEncoding(name): return "the file is \(name)"
        case .carriageReturnLineEnds:
            return "the lines end with a carriage return alone (classic Mac OS line ends)"
        case let .fieldTooLong(limit):
            // The value is the field's start only: always shown as cut.
            let start = value.map { text -> String in
                let shown = Self.quoted(text, limit: Self.valueLimit, showsLength: false)
                return shown.hasSuffix("…\"") ? shown : String(shown.dropLast()) + "…\""
            }
            return "a field is longer than \(Self.grouped(limit)) bytes" + (start.map { ", starting \($0)" } ?? "")
        }
    }

    /// Characters of a value shown in a message (its start; the rest is cut with an ellipsis).
    static let valueLimit = 64
    /// Characters of a column name or category shown in a message.
    static let nameLimit = 40
    /// Characters of an expected form shown in a message.
    static let expectedLimit = 400

    /// Wraps text in double quotes, escaping `"` and `\\` and showing control characters, so a value with
    /// spaces, quotes or newlines is unambiguous in a one-line message. Text longer than `limit` characters (as
    /// escaped) is cut after `limit` with an ellipsis inside the quotes and, when `showsLength`, followed by its
    /// length in bytes: `"aaaa…" (10,485,760 bytes)`.
    /// - Complexity: O(limit), whatever the length of `text` (its UTF-8 count is O(1) for native strings).
    static func quoted(_ text: String, limit: Int = valueLimit, showsLength: Bool = true) -> String {
        var out = "\""
        var shown = 0
        for scalar in text.unicodeScalars {
            if shown >= limit {
                out += "…\""
                return showsLength ? out + " (\(grouped(text.utf8.count)) bytes)" : out
            }
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 { out += "\\u{\(String(scalar.value, radix: 16))}" } else { out.unicodeScalars.append(scalar) }
            }
            shown += 1
        }
        return out + "\""
    }

    /// `text` cut after `limit` characters with an ellipsis (for expected forms, which are not quoted).
    static func shortened(_ text: String, limit: Int) -> String {
        guard text.utf8.count > limit, let cut = text.unicodeScalars.index(text.unicodeScalars.startIndex,
                                                                          offsetBy: limit,
                                                                          limitedBy: text.unicodeScalars.endIndex),
              cut < text.unicodeScalars.endIndex else { return text }
        return String(text.unicodeScalars[..<cut]) + "…"
    }

    /// `n` with a comma every three digits: 10,485,760.
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = n < 0 ? "-" : ""
        for (k, digit) in digits.enumerated() {
            if k > 0 && (digits.count - k) % 3 == 0 { out += "," }
            out.append(digit)
        }
        return out
    }
}

// MARK: - Factories for value-level problems

extension TableError {
    /// The usual expected form for numbers, shared so all messages read alike.
    public static let expectedNumber = "a decimal number like 12.5"
    /// The expected form for finite numbers.
    public static let expectedFiniteNumber = "a finite decimal number like 12.5"

    /// `value` is not a decimal number.
    public static func notANumber(file: String, line: Int, columnIndex: Int, columnName: String?,
                                  value: String, expected: String = expectedNumber) -> TableError {
        TableError(.notANumber, file: file, line: line, columnIndex: columnIndex, columnName: columnName,
                   value: value, expected: expected)
    }

    /// `value` is NaN or infinite where only finite numbers are allowed.
    public static func nonFiniteNotAllowed(file: String, line: Int, columnIndex: Int, columnName: String?,
                                           value: String, expected: String = expectedFiniteNumber) -> TableError {
        TableError(.nonFiniteNotAllowed, file: file, line: line, columnIndex: columnIndex, columnName: columnName,
                   value: value, expected: expected)
    }

    /// A required field is empty.
    public static func missingValue(file: String, line: Int, columnIndex: Int, columnName: String?,
                                    expected: String) -> TableError {
        TableError(.missingValue, file: file, line: line, columnIndex: columnIndex, columnName: columnName,
                   expected: expected)
    }

    /// `value` does not have the form `expected` (e.g. "a date like 2024-03-31").
    public static func invalidValue(file: String, line: Int, columnIndex: Int, columnName: String?,
                                    value: String, expected: String) -> TableError {
        TableError(.invalidValue, file: file, line: line, columnIndex: columnIndex, columnName: columnName,
                   value: value, expected: expected)
    }

    /// Key `value` was already used on `firstLine`.
    public static func duplicateKey(file: String, line: Int, columnIndex: Int, columnName: String?,
                                    value: String, firstLine: Int, expected: String = "a unique key") -> TableError {
        TableError(.duplicateKey(firstLine: firstLine), file: file, line: line, columnIndex: columnIndex,
                   columnName: columnName, value: value, expected: expected)
    }

    /// `value` is not one of `categories`; the message lists them (up to a dozen) as the expected form.
    public static func unknownCategory(file: String, line: Int, columnIndex: Int, columnName: String?,
                                       value: String, categories: [String]) -> TableError {
        TableError(.unknownCategory, file: file, line: line, columnIndex: columnIndex, columnName: columnName,
                   value: value, expected: expectedOneOf(categories))
    }

    /// The expected form for a value from `categories`: `one of "a", "b" or "c"`, cut after twelve names so
    /// a long vocabulary does not flood the terminal.
    public static func expectedOneOf(_ categories: [String]) -> String {
        let shown = categories.prefix(12).map { quoted($0, limit: nameLimit) }
        let rest = categories.count - shown.count
        if shown.isEmpty { return "no value (no categories are defined)" }
        if shown.count == 1 && rest == 0 { return shown[0] }
        if rest > 0 { return "one of " + shown.joined(separator: ", ") + " (and \(rest) more)" }
        return "one of " + shown.dropLast().joined(separator: ", ") + " or " + shown.last!
    }

    /// The expected form for text in `encoding`: for UTF-8 it names the other encodings the readers take.
    public static func expectedText(_ encoding: TextEncoding) -> String {
        switch encoding {
        case .utf8: return "UTF-8 text — if the file is GB18030 or Latin-1, pass --encoding gb18030|latin1"
        case .gb18030, .latin1: return "\(encoding.displayName) text (as --encoding says)"
        }
    }

    /// Required columns that are missing from a header; lists them all.
    public static func missingColumns(_ names: [String], file: String, headerLine: Int = 1) -> TableError {
        TableError(.missingColumns(names), file: file, line: headerLine)
    }
}
