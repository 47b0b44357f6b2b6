// Field access on a block. The hot entry points are @inlinable so that callers in other modules (scoring) get
// the pointer arithmetic and the number parser inlined into their loops: no calls, no allocation.

extension CSVBlock {
    /// Calls `body` with the bytes of field (row, column): UTF-8, quotes removed and `""` unescaped.
    /// An empty buffer means the field is empty (missing). The buffer must not escape `body`.
    /// - Precondition: `0 <= row < rowCount`, `0 <= column < columnCount`.
    /// - Complexity: O(1) plus `body`.
    @inlinable
    public func withFieldBytes<R>(row: Int, column: Int,
                                  _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let k = fieldIndex(row, column)
        let start = Int(bounds[2 &* k]), end = Int(bounds[2 &* k &+ 1])
        return try body(UnsafeRawBufferPointer(start: base + start, count: end &- start))
    }

    /// The byte length of field (row, column) after unescaping; 0 means missing.
    @inlinable
    public func fieldLength(row: Int, column: Int) -> Int {
        let k = fieldIndex(row, column)
        return Int(bounds[2 &* k &+ 1]) &- Int(bounds[2 &* k])
    }

    /// Whether field (row, column) is empty, i.e. missing.
    @inlinable
    public func isMissing(row: Int, column: Int) -> Bool {
        fieldLength(row: row, column: column) == 0
    }

    /// Field (row, column) as a string (invalid UTF-8 is replaced by U+FFFD). Allocates; use
    /// `withFieldBytes` in hot loops.
    public func string(row: Int, column: Int) -> String {
        withFieldBytes(row: row, column: column) { String(decoding: $0, as: UTF8.self) }
    }

    /// Field (row, column) read as a decimal number, with missing and non-finite values reported apart.
    /// See `DecimalParsing` for the grammar and the exactness guarantee.
    @inlinable
    public func parseDouble(row: Int, column: Int) -> ParsedDouble {
        let k = fieldIndex(row, column)
        let start = Int(bounds[2 &* k]), end = Int(bounds[2 &* k &+ 1])
        return DecimalParsing.parseDoublePadded(base + start, count: end &- start)
    }

    /// Field (row, column) as a number under `policy`.
    ///
    /// - Returns: the finite value; a non-finite one only if `policy.allowsNonFinite`; the policy's
    ///   substitute for an empty field.
    /// - Throws: `TableError` `.notANumber`, `.nonFiniteNotAllowed` or `.missingValue`, naming the file, the
    ///   record's line, the column and the value.
    @inlinable
    public func double(row: Int, column: Int, policy: NumericPolicy) throws -> Double {
        let parsed = parseDouble(row: row, column: column)
        if case .finite(let value) = parsed { return value }
        if let value = policy.accept(parsed) { return value }
        throw numericError(parsed, row: row, column: column, policy: policy)
    }

    /// Field (row, column) as a finite number (`NumericPolicy.strict`: missing and non-finite values are
    /// errors). Separate from the policy overload so the hot path does not even load a policy.
    @inlinable
    public func double(row: Int, column: Int) throws -> Double {
        let parsed = parseDouble(row: row, column: column)
        if case .finite(let value) = parsed { return value }
        throw numericError(parsed, row: row, column: column, policy: .strict)
    }

    /// Builds the error for a rejected number (kept out of line: it is the cold path).
    @usableFromInline
    func numericError(_ parsed: ParsedDouble, row: Int, column: Int, policy: NumericPolicy) -> TableError {
        let kind: TableError.Kind
        switch parsed {
        case .missing: kind = .missingValue
        case .nonFinite: kind = .nonFiniteNotAllowed
        default: kind = .notANumber
        }
        return error(kind, row: row, column: column, expected: policy.expected(for: kind))
    }

    /// An error about field (row, column), filled in with this block's file name, the record's line, the
    /// column's number and header name and the field's value (omitted when the field is empty).
    /// Callers use it to raise their own value-level problems (`.invalidValue`, `.duplicateKey`,
    /// `.unknownCategory`) with the same precision as the reader.
    public func error(_ kind: TableError.Kind, row: Int, column: Int, expected: String?) -> TableError {
        let value = isMissing(row: row, column: column) ? nil : string(row: row, column: column)
        return TableError(kind, file: fileName, line: lineNumber(ofRow: row), columnIndex: column,
                          columnName: column < header.count ? header[column] : nil,
                          value: value, expected: expected)
    }
}
