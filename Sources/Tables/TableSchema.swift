/// One column a table must have: its header name and what its values must look like.
public struct ColumnSchema: Sendable, Equatable {
    /// The kinds of values a column holds.
    public enum Kind: Sendable, Equatable {
        /// Decimal numbers, with the policy for empty and non-finite values.
        case numeric(NumericPolicy)
        /// A label from `categories` (any non-empty text when nil). Empty is missing and rejected.
        case categorical(categories: [String]?)
        /// Free text; empty allowed or not.
        case text(allowsEmpty: Bool)
        /// A non-empty key naming a record (uniqueness is checked by `ResolvedSchema.validate(_: CSVTable)`
        /// and, across blocks, by the caller with `UniqueKeys`).
        case identifier
    }

    /// The header name.
    public var name: String
    /// What its values must look like.
    public var kind: Kind

    public init(_ name: String, _ kind: Kind) {
        self.name = name
        self.kind = kind
    }

    /// A numeric column (strict by default: no missing or non-finite values).
    public static func numeric(_ name: String, policy: NumericPolicy = .strict) -> ColumnSchema {
        ColumnSchema(name, .numeric(policy))
    }

    /// A categorical column, optionally restricted to `categories`.
    public static func categorical(_ name: String, categories: [String]? = nil) -> ColumnSchema {
        ColumnSchema(name, .categorical(categories: categories))
    }

    /// A text column.
    public static func text(_ name: String, allowsEmpty: Bool = true) -> ColumnSchema {
        ColumnSchema(name, .text(allowsEmpty: allowsEmpty))
    }

    /// An identifier (key) column.
    public static func identifier(_ name: String) -> ColumnSchema {
        ColumnSchema(name, .identifier)
    }
}

/// The columns a table must have. Columns in the file but not in the schema are allowed and reported as
/// *extra*, so a caller can pass them through; their order in the file does not matter.
public struct TableSchema: Sendable, Equatable {
    /// Required columns, in the order the caller wants to address them.
    public var columns: [ColumnSchema]

    public init(_ columns: [ColumnSchema]) {
        precondition(Set(columns.map(\.name)).count == columns.count, "schema column names must be unique")
        self.columns = columns
    }

    /// Finds every schema column in `header`.
    /// - Throws: `TableError.Kind.missingColumns` listing **all** absent columns.
    /// - Complexity: O(header + columns).
    public func resolve(header: [String], file: String, headerLine: Int = 1) throws -> ResolvedSchema {
        let indices = try CSVReader.resolve(columns.map(\.name), in: header, file: file, headerLine: headerLine)
        return ResolvedSchema(schema: self, header: header, fileName: file, columnIndices: indices)
    }

    /// Resolves against a reader's header.
    public func resolve(_ reader: CSVReader) throws -> ResolvedSchema {
        try resolve(header: reader.header, file: reader.fileName, headerLine: reader.headerLine)
    }

    /// Resolves against a loaded table's header.
    public func resolve(_ table: CSVTable) throws -> ResolvedSchema {
        try resolve(header: table.header, file: table.fileName, headerLine: table.headerLine)
    }
}

/// A schema matched to one file's header: where each schema column is, which columns are extra, and typed,
/// validating access to values. Schema column `k` is `schema.columns[k]`, at header position
/// `columnIndices[k]`.
public struct ResolvedSchema: Sendable {
    public let schema: TableSchema
    /// The file's header.
    public let header: [String]
    /// The file as named in errors.
    public let fileName: String
    /// Header position (0-based) of each schema column.
    public let columnIndices: [Int]
    /// Header positions of columns not in the schema, in file order.
    public let extraColumnIndices: [Int]
    /// Category sets for categorical columns with a vocabulary.
    private let categorySets: [Set<String>?]

    init(schema: TableSchema, header: [String], fileName: String, columnIndices: [Int]) {
        self.schema = schema
        self.header = header
        self.fileName = fileName
        self.columnIndices = columnIndices
        let used = Set(columnIndices)
        extraColumnIndices = header.indices.filter { !used.contains($0) }
        categorySets = schema.columns.map {
            if case .categorical(let categories?) = $0.kind { return Set(categories) }
            return nil
        }
    }

    /// Names of the extra columns, in file order.
    public var extraColumnNames: [String] { extraColumnIndices.map { header[$0] } }

    /// The schema index of column `name`, or nil when the schema does not declare it.
    public func schemaIndex(of name: String) -> Int? {
        schema.columns.firstIndex { $0.name == name }
    }

    // MARK: - Values from blocks

    /// The number in schema column `k` of `row`, under the column's policy.
    /// - Precondition: schema column `k` is numeric.
    /// - Throws: `.notANumber`, `.missingValue` or `.nonFiniteNotAllowed` with full location.
    @inlinable
    public func double(_ block: CSVBlock, row: Int, column k: Int) throws -> Double {
        guard case .numeric(let policy) = schema.columns[k].kind else {
            preconditionFailure("schema column \(schema.columns[k].name) is not numeric")
        }
        return try block.double(row: row, column: columnIndices[k], policy: policy)
    }

    /// The text in schema column `k` of `row`, checked against the column's kind.
    /// - Throws: `.missingValue`, `.unknownCategory`, `.notANumber`, … with full location.
    public func string(_ block: CSVBlock, row: Int, column k: Int) throws -> String {
        let position = columnIndices[k]
        let value = block.string(row: row, column: position)
        if let (kind, expected) = problem(with: value, column: k) {
            throw block.error(kind, row: row, column: position, expected: expected)
        }
        return value
    }

    /// Checks every schema column of every row of `block`.
    /// - Throws: the first problem, in row-major order.
    public func validate(_ block: CSVBlock) throws {
        for row in 0..<block.rowCount {
            for k in schema.columns.indices {
                let position = columnIndices[k]
                if case .numeric(let policy) = schema.columns[k].kind {
                    _ = try block.double(row: row, column: position, policy: policy)
                } else if let (kind, expected) = problem(with: block.string(row: row, column: position), column: k) {
                    throw block.error(kind, row: row, column: position, expected: expected)
                }
            }
        }
    }

    /// Checks every schema column of every row of `table`, and that identifier columns hold unique keys.
    /// - Throws: the first problem, in row-major order (a duplicate key names the line of its first use).
    public func validate(_ table: CSVTable) throws {
        var keys = [UniqueKeys](repeating: UniqueKeys(), count: schema.columns.count)
        for row in table.rows.indices {
            for k in schema.columns.indices {
                let position = columnIndices[k]
                if let (kind, expected) = problem(with: table.rows[row][position], column: k) {
                    throw table.error(kind, row: row, column: position, expected: expected)
                }
                if case .identifier = schema.columns[k].kind {
                    try keys[k].insert(table, row: row, column: position)
                }
            }
        }
    }

    /// Why `value` does not fit schema column `k`, or nil when it does.
    func problem(with value: String, column k: Int) -> (TableError.Kind, String)? {
        switch schema.columns[k].kind {
        case .numeric(let policy):
            let parsed = DecimalParsing.parseDouble(value)
            if policy.accept(parsed) != nil { return nil }
            let kind: TableError.Kind
            switch parsed {
            case .missing: kind = .missingValue
            case .nonFinite: kind = .nonFiniteNotAllowed
            default: kind = .notANumber
            }
            return (kind, policy.expected(for: kind))
        case .categorical(let categories):
            if let categories, let set = categorySets[k] {
                if value.isEmpty { return (.missingValue, TableError.expectedOneOf(categories)) }
                return set.contains(value) ? nil : (.unknownCategory, TableError.expectedOneOf(categories))
            }
            return value.isEmpty ? (.missingValue, "a category label") : nil
        case .text(let allowsEmpty):
            return !allowsEmpty && value.isEmpty ? (.missingValue, "non-empty text") : nil
        case .identifier:
            return value.isEmpty ? (.missingValue, "a non-empty key") : nil
        }
    }
}
