import Tables

/// One record of an import file, with typed, validated accessors that raise `TableError`s naming the file,
/// line, column, value and expected form.
struct ImportRow {
    let block: CSVBlock
    var row: Int
    /// Column name → position in the file, for the required and present optional columns.
    let positions: [String: Int]

    var line: Int { block.lineNumber(ofRow: row) }

    func has(_ name: String) -> Bool { positions[name] != nil }

    /// The field as text; "" when the column is optional and absent.
    func text(_ name: String) -> String {
        guard let column = positions[name] else { return "" }
        return block.string(row: row, column: column)
    }

    func fail(_ name: String, _ kind: TableError.Kind, expected: String?) -> TableError {
        block.error(kind, row: row, column: positions[name] ?? 0, expected: expected)
    }

    /// A non-empty field.
    func required(_ name: String, expected: String = "a non-empty value") throws -> String {
        let value = text(name)
        if value.isEmpty { throw fail(name, .missingValue, expected: expected) }
        return value
    }

    /// A field that must be one of `allowed`.
    func oneOf(_ name: String, _ allowed: [String]) throws -> String {
        let expected = "one of " + allowed.joined(separator: ", ")
        let value = try required(name, expected: expected)
        guard allowed.contains(value) else { throw fail(name, .unknownCategory, expected: expected) }
        return value
    }

    /// A key that must exist in `known` (the referenced table's keys).
    func reference(_ name: String, in known: Set<String>, table: String) throws -> String {
        let value = try required(name, expected: "a key of \(table)")
        guard known.contains(value) else { throw fail(name, .unknownCategory, expected: "a key of \(table)") }
        return value
    }

    /// A `YYYY-MM-DD` date, or nil when the column is optional and empty.
    func date(_ name: String, optional: Bool = false) throws -> String? {
        let value = text(name)
        if value.isEmpty {
            if optional { return nil }
            throw fail(name, .missingValue, expected: CalendarDate.expectedForm)
        }
        guard CalendarDate(value) != nil else { throw fail(name, .invalidValue, expected: CalendarDate.expectedForm) }
        return value
    }

    /// A finite number in `range`; `defaultValue` when the column is optional and the field empty.
    func number(_ name: String, in range: ClosedRange<Double>, expected: String,
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

    /// A whole number ≥ `minimum`.
    func integer(_ name: String, minimum: Int) throws -> Int {
        let expected = "a whole number ≥ \(minimum)"
        let value = try required(name, expected: expected)
        guard let n = Int(value), n >= minimum else { throw fail(name, .invalidValue, expected: expected) }
        return n
    }

    /// A unified social credit code with a valid check character.
    func creditCode(_ name: String) throws -> String {
        let value = try required(name, expected: UnifiedSocialCreditCode.expectedForm)
        do {
            return try UnifiedSocialCreditCode(validating: value).rawValue
        } catch let problem as UnifiedSocialCreditCode.Problem {
            throw fail(name, .invalidValue, expected: UnifiedSocialCreditCode.expectedForm + " (\(problem))")
        }
    }
}

/// Remembers the line of each key seen in one file, so a repeated key is reported instead of silently winning.
struct KeyLines {
    private var lines: [String: Int] = [:]
    mutating func claim(_ key: String, row: ImportRow, column: String) throws {
        if let first = lines.updateValue(row.line, forKey: key) {
            throw row.fail(column, .duplicateKey(firstLine: first), expected: "each key once per file")
        }
    }
}
