import Tables

/// A CSV table read for fitting or evaluating a binary model: the 0/1 outcome from a named target column and its
/// positive value, and the feature columns, numeric or categorical.
///
/// **Outcome.** A row whose target equals `positive` (exact text) is an event (1); the one other value that occurs
/// is the non-event (0). A third distinct value is ``TrainingDataError/outcomeNotBinary(file:line:column:value:positive:negative:)``
/// naming its line, so "yes"/"no"/"" or a mistyped label never silently becomes a 0.
/// **Features.** Every column except the target, the id and the excluded ones. A column declared numeric is parsed
/// as numbers (an empty field is missing, NaN; any other text is a `TableError` naming line and column); one declared
/// categorical is kept as text; an undeclared column is numeric when every non-empty value is a finite decimal
/// number and at least one is, categorical otherwise.
public struct TrainingData: Sendable {
    /// What to read from the table.
    public struct Specification: Sendable, Equatable {
        public var target: String
        public var positive: String
        public var numeric: [String] = []
        public var categorical: [String] = []
        public var exclude: [String] = []
        public var idColumn: String?

        public init(target: String, positive: String, numeric: [String] = [], categorical: [String] = [],
                    exclude: [String] = [], idColumn: String? = nil) {
            self.target = target; self.positive = positive; self.numeric = numeric
            self.categorical = categorical; self.exclude = exclude; self.idColumn = idColumn
        }
    }

    public let table: CSVTable
    public let specification: Specification
    /// The features in file order.
    public let features: [FeatureColumn]
    /// 1 for the positive value, 0 for the other.
    public let outcome: [Double]
    /// The target's other value ("" when every row is positive).
    public let negativeValue: String

    public var fileName: String { table.fileName }
    public var rowCount: Int { table.rowCount }

    /// - Throws: `TableError` (unknown column names, a non-number in a numeric column) or ``TrainingDataError``.
    /// - Complexity: O(rows × columns).
    public init(table: CSVTable, specification spec: Specification) throws {
        self.table = table
        self.specification = spec
        let named = [spec.target] + (spec.idColumn.map { [$0] } ?? []) + spec.numeric + spec.categorical + spec.exclude
        _ = try table.requireColumns(named.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } })
        for name in spec.numeric where spec.categorical.contains(name) {
            throw TrainingDataError.conflictingDeclaration(column: name, reason: "declared both numeric and categorical")
        }
        for name in spec.numeric + spec.categorical where name == spec.target || name == spec.idColumn {
            throw TrainingDataError.conflictingDeclaration(
                column: name, reason: "is the \(name == spec.target ? "target" : "id") column and cannot be a feature")
        }
        (outcome, negativeValue) = try Self.outcome(table, column: try table.requireColumns([spec.target])[0],
                                                    positive: spec.positive)
        let skipped = Set([spec.target] + spec.exclude + (spec.idColumn.map { [$0] } ?? []))
        var features: [FeatureColumn] = []
        for (j, name) in table.header.enumerated() where !skipped.contains(name) {
            if spec.categorical.contains(name) {
                features.append(.categorical(name: name, levels: table.rows.map { $0[j] }))
            } else if spec.numeric.contains(name) {
                features.append(.numeric(name: name, values: try table.doubles(column: j, policy: .missingAsNaN)))
            } else if let values = Self.detectNumeric(table, column: j) {
                features.append(.numeric(name: name, values: values))
            } else {
                features.append(.categorical(name: name, levels: table.rows.map { $0[j] }))
            }
        }
        guard !features.isEmpty else { throw TrainingDataError.noFeatures(file: table.fileName) }
        self.features = features
    }

    /// Reads `path` and prepares it (see ``init(table:specification:)``).
    public init(path: String, specification: Specification) throws {
        try self.init(table: try CSVTable.read(path: path), specification: specification)
    }

    /// The 0/1 outcome of `column`: `positive` is 1, the one other value 0.
    public static func outcome(_ table: CSVTable, column: Int, positive: String) throws -> (outcome: [Double], negative: String) {
        // The positive value's absence is checked first: with "Yes" given for a yes/no column, "no row is Yes (found
        // yes, no)" says what is wrong, where "third value" would not.
        if !table.rows.contains(where: { $0[column] == positive }) {
            var found: [String] = []
            for row in table.rows where !found.contains(row[column]) {
                found.append(row[column])
                if found.count == 10 { break }
            }
            throw TrainingDataError.positiveValueAbsent(file: table.fileName, column: table.header[column],
                                                        positive: positive, found: found)
        }
        var negative: String?
        var outcome: [Double] = []
        outcome.reserveCapacity(table.rowCount)
        for (i, row) in table.rows.enumerated() {
            let value = row[column]
            if value == positive { outcome.append(1); continue }
            if let n = negative, n != value {
                throw TrainingDataError.outcomeNotBinary(file: table.fileName, line: table.lineNumbers[i],
                                                         column: table.header[column], value: value,
                                                         positive: positive, negative: n)
            }
            negative = value
            outcome.append(0)
        }
        return (outcome, negative ?? "")
    }

    /// The column's numbers when every non-empty field is a finite number and one at least is; else nil.
    static func detectNumeric(_ table: CSVTable, column: Int) -> [Double]? {
        var values: [Double] = []
        values.reserveCapacity(table.rowCount)
        var seenNumber = false
        for row in table.rows {
            switch DecimalParsing.parseDouble(row[column]) {
            case let .finite(x): values.append(x); seenNumber = true
            case .missing: values.append(.nan)
            case .nonFinite, .invalid: return nil
            }
        }
        return seenNumber ? values : nil
    }

    /// Checks that `rows` contain both outcomes and that no feature is constant on them.
    /// - Throws: ``TrainingDataError/noNegatives(file:column:positive:)``,
    ///   ``TrainingDataError/positiveValueAbsent(file:column:positive:found:)`` or
    ///   ``TrainingDataError/constantColumn(file:column:value:rows:)``.
    public func validateTraining(rows: [Int]) throws {
        let positives = rows.reduce(0) { $0 + Int(outcome[$1]) }
        if positives == 0 {
            throw TrainingDataError.positiveValueAbsent(file: fileName, column: specification.target,
                                                        positive: specification.positive, found: [negativeValue])
        }
        if positives == rows.count {
            throw TrainingDataError.noNegatives(file: fileName, column: specification.target,
                                                positive: specification.positive)
        }
        for feature in features {
            let column = table.columnIndex(named: feature.name)!
            let first = table.rows[rows[0]][column]
            let constant: Bool
            switch feature {
            case let .numeric(_, values):
                let v0 = values[rows[0]]
                // NaN ≠ NaN, so compare bit patterns: an all-missing column is constant too.
                constant = rows.allSatisfy { values[$0].bitPattern == v0.bitPattern || values[$0] == v0 }
            case let .categorical(_, levels):
                constant = rows.allSatisfy { levels[$0] == first }
            }
            if constant {
                throw TrainingDataError.constantColumn(file: fileName, column: feature.name, value: first, rows: rows.count)
            }
        }
    }

    /// The positions of the numeric features with a missing value on `rows`, with the first such row: a plain
    /// logistic regression needs complete numbers (a scorecard gives missing values their own bin).
    /// - Throws: `TableError.Kind.missingValue` naming the file, line and column of the first empty field.
    public func requireComplete(rows: [Int]) throws {
        for feature in features {
            guard case let .numeric(name, values) = feature else { continue }
            if let row = rows.first(where: { values[$0].isNaN }) {
                throw table.error(.missingValue, row: row, column: table.columnIndex(named: name)!,
                                  expected: "a number (a logistic model needs every value; a scorecard bins missing ones)")
            }
        }
    }
}
