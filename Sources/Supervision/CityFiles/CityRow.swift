import Tables

/// One record of a city file, with typed accessors that raise `TableError`s naming the file, line, column,
/// value and expected form: the one place where a directory file's fields become domain values.
public struct CityRow {
    public let block: CSVBlock
    public internal(set) var row: Int
    /// Column name → position in the file, for the required and the present optional columns.
    public let positions: [String: Int]

    public init(block: CSVBlock, row: Int, positions: [String: Int]) {
        self.block = block
        self.row = row
        self.positions = positions
    }

    /// The physical line of the record.
    public var line: Int { block.lineNumber(ofRow: row) }

    /// Whether the file has column `name`.
    public func has(_ name: String) -> Bool { positions[name] != nil }

    /// The field as text; "" when the column is optional and absent.
    public func text(_ name: String) -> String {
        guard let column = positions[name] else { return "" }
        return block.string(row: row, column: column)
    }

    /// The field at header position `column` (for columns not named in advance, e.g. features).
    public func field(at column: Int) -> String { block.string(row: row, column: column) }

    /// The error for column `name` of this record.
    public func fail(_ name: String, _ kind: TableError.Kind, expected: String?) -> TableError {
        block.error(kind, row: row, column: positions[name] ?? 0, expected: expected)
    }

    /// The error for the field at header position `column`.
    public func fail(column: Int, _ kind: TableError.Kind, expected: String?) -> TableError {
        block.error(kind, row: row, column: column, expected: expected)
    }

    /// A non-empty field.
    public func required(_ name: String, expected: String = "a non-empty value") throws -> String {
        let value = text(name)
        if value.isEmpty { throw fail(name, .missingValue, expected: expected) }
        return value
    }

    /// A field that must be one of `allowed`.
    public func oneOf(_ name: String, _ allowed: [String]) throws -> String {
        let expected = "one of " + allowed.joined(separator: ", ")
        let value = try required(name, expected: expected)
        guard allowed.contains(value) else { throw fail(name, .unknownCategory, expected: expected) }
        return value
    }

    /// A key that must exist in `known` (the referenced table's keys).
    public func reference<Key: DirectoryKey>(_ name: String, in known: Set<Key>, table: String) throws -> Key {
        let value = try required(name, expected: "a key of \(table)")
        guard known.contains(Key(value)) else { throw fail(name, .unknownCategory, expected: "a key of \(table)") }
        return Key(value)
    }

    /// A `;`-separated list, empty elements dropped; `[]` when the column is absent.
    ///
    /// The field is split on its bytes: `;` is ASCII, so it never occurs inside another character's UTF-8, and a
    /// list of codes is not text to segment into grapheme clusters (splitting a `String` by `Character` costs
    /// several times the copy, and a city roster holds millions of codes).
    /// - Complexity: O(n) in the field's length, one allocation per element.
    public func list(_ name: String) -> [String] {
        guard let column = positions[name] else { return [] }
        return block.withFieldBytes(row: row, column: column) { bytes in
            bytes.split(separator: UInt8(ascii: ";")).map { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// A grade A–D.
    public func grade(_ name: String) throws -> Grade {
        let value = try required(name, expected: Grade.expectedForm)
        guard let grade = Grade(label: value) else { throw fail(name, .unknownCategory, expected: Grade.expectedForm) }
        return grade
    }

    /// A `YYYY-MM-DD` date, or nil when `optional` and the field is empty (or the column absent).
    public func date(_ name: String, optional: Bool = false) throws -> CalendarDate? {
        let value = text(name)
        if value.isEmpty {
            if optional { return nil }
            throw fail(name, .missingValue, expected: CalendarDate.expectedForm)
        }
        guard let date = CalendarDate(value) else { throw fail(name, .invalidValue, expected: CalendarDate.expectedForm) }
        return date
    }

    /// A period `YYYYQn`.
    public func period(_ name: String) throws -> Period {
        let value = try required(name, expected: Period.expectedForm)
        guard let period = Period(value) else { throw fail(name, .invalidValue, expected: Period.expectedForm) }
        return period
    }

    /// A finite number in `range`, read by the Tables decimal parser; `defaultValue` when the column is absent or
    /// the field empty and a default is given.
    public func number(_ name: String, in range: ClosedRange<Double>, expected: String,
                       defaultValue: Double? = nil) throws -> Double {
        guard let column = positions[name] else {
            if let defaultValue { return defaultValue }
            throw fail(name, .missingValue, expected: expected)
        }
        switch block.parseDouble(row: row, column: column) {
        case .missing:
            if let defaultValue { return defaultValue }
            throw fail(name, .missingValue, expected: expected)
        case .finite(let v) where range.contains(v): return v
        case .finite: throw fail(name, .invalidValue, expected: expected)
        default: throw fail(name, .notANumber, expected: expected)
        }
    }

    /// A whole number ≥ `minimum`, written in decimal digits; `defaultValue` when the column is absent or the field
    /// empty and a default is given.
    public func integer(_ name: String, minimum: Int, defaultValue: Int? = nil) throws -> Int {
        let expected = "a whole number ≥ \(minimum)"
        let value = text(name)
        if value.isEmpty, let defaultValue { return defaultValue }
        if value.isEmpty { throw fail(name, .missingValue, expected: expected) }
        guard let n = Int(value), n >= minimum else { throw fail(name, .invalidValue, expected: expected) }
        return n
    }

    /// A unified social credit code with a valid check character.
    public func creditCode(_ name: String) throws -> CreditCode {
        let value = try required(name, expected: CreditCode.expectedForm)
        do {
            return try CreditCode(validating: value)
        } catch let problem as CreditCode.Problem {
            throw fail(name, .invalidValue, expected: CreditCode.expectedForm + " (\(problem))")
        }
    }
}

/// Remembers the line of each key seen in one file, so a repeated key is reported with both lines instead of
/// silently winning.
public struct KeyLines<Key: Hashable> {
    private var lines: [Key: Int] = [:]

    public init() {}

    /// Makes room for `count` keys at once, so a file of a million keys is not rehashed each time the table
    /// doubles.
    public mutating func reserveCapacity(_ count: Int) { lines.reserveCapacity(count) }

    /// Records `key` at `row`'s line.
    /// - Throws: `TableError` (duplicate key, naming the first line) when `key` was seen before.
    public mutating func claim(_ key: Key, row: CityRow, column: String) throws {
        if let first = lines.updateValue(row.line, forKey: key) {
            throw row.fail(column, .duplicateKey(firstLine: first), expected: "each key once per file")
        }
    }
}
