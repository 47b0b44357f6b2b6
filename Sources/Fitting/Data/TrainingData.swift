import Supervision
import Tables

/// A CSV table read for fitting or evaluating a binary model: the 0/1 outcome from a named target column and its
/// positive value, and the feature columns, numeric or categorical.
///
/// **Outcome.** By ``BinaryOutcome``: values compared by meaning (`1`, `1.0`, `TRUE`, `Yes` are one value), a third
/// value refused at its line.
/// **Id.** The id column is not a feature. ``Specification/idColumn`` names it; when it is nil the column `id` is the
/// id if the file has one, and otherwise every column but the target and the excluded ones is a feature
/// (``idColumn`` is then nil: a model written from the fit still names `id` as its id column, see
/// ``modelIdColumn``).
/// **Features.** Every column except the target, the id and the excluded ones, read by ``ColumnReader``: missing
/// values by ``MissingValues``, numbers with thousands separators or padding by ``CellReading``, date columns
/// refused or, when ``Specification/dateFeatures`` names them, turned into documented derived features.
public struct TrainingData: Sendable {
    /// What to read from the table.
    public struct Specification: Sendable, Equatable {
        public var target: String
        public var positive: String
        public var numeric: [String] = []
        public var categorical: [String] = []
        public var exclude: [String] = []
        /// The id column; nil: `id` when the file has it.
        public var idColumn: String?
        public var missingValues: MissingValues = .standard
        /// Date columns to turn into `<name>_days` and `<name>_month` (see ``ColumnReader``); ``exclude`` may name
        /// either derived feature to leave it out.
        public var dateFeatures: [String] = []
        /// The day `<name>_days` counts to; required with ``dateFeatures``.
        public var asOf: CalendarDate?
        public var dateFormat: DateFormat = .iso

        public init(target: String, positive: String, numeric: [String] = [], categorical: [String] = [],
                    exclude: [String] = [], idColumn: String? = nil, missingValues: MissingValues = .standard,
                    dateFeatures: [String] = [], asOf: CalendarDate? = nil, dateFormat: DateFormat = .iso) {
            self.target = target; self.positive = positive; self.numeric = numeric
            self.categorical = categorical; self.exclude = exclude; self.idColumn = idColumn
            self.missingValues = missingValues; self.dateFeatures = dateFeatures; self.asOf = asOf
            self.dateFormat = dateFormat
        }
    }

    /// The id column's name when not given.
    public static let defaultIdColumn = "id"

    public let table: CSVTable
    public let specification: Specification
    /// The features in file order (a date column's derived features in its place).
    public let features: [FeatureColumn]
    /// 1 for the positive value, 0 for the other.
    public let outcome: [Double]
    /// The target's other value ("" when every row is positive).
    public let negativeValue: String
    /// The id column in use: the given one, else `id` when the file has it, else nil.
    public let idColumn: String?
    /// What the reader did that the user should know.
    public let notes: [ReadingNote]
    /// The table column each feature is read from.
    let sourceColumn: [String: Int]

    public var fileName: String { table.fileName }
    public var rowCount: Int { table.rowCount }
    /// The id column a model fitted on this data names: ``idColumn``, else `id`.
    public var modelIdColumn: String { idColumn ?? Self.defaultIdColumn }

    /// - Parameter commaDelimited: whether the file's delimiter is a comma (see ``CellReading``).
    /// - Throws: `TableError` (unknown column names, a field that cannot be read) or ``TrainingDataError``.
    /// - Complexity: O(rows × columns).
    public init(table: CSVTable, specification spec: Specification, commaDelimited: Bool = true) throws {
        self.table = table
        self.specification = spec
        let id = spec.idColumn ?? (table.header.contains(Self.defaultIdColumn) ? Self.defaultIdColumn : nil)
        idColumn = id
        let derivedNames = Set(spec.dateFeatures.flatMap { [$0 + "_days", $0 + "_month"] })
        let named = [spec.target] + (spec.idColumn.map { [$0] } ?? []) + spec.numeric + spec.categorical
            + spec.exclude.filter { !derivedNames.contains($0) } + spec.dateFeatures
        _ = try table.requireColumns(named.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } })
        for name in spec.numeric where spec.categorical.contains(name) {
            throw TrainingDataError.conflictingDeclaration(column: name, reason: "declared both numeric and categorical")
        }
        for name in spec.dateFeatures where spec.numeric.contains(name) || spec.categorical.contains(name) {
            throw TrainingDataError.conflictingDeclaration(column: name, reason: "declared both a date and a "
                + (spec.numeric.contains(name) ? "numeric" : "categorical") + " column")
        }
        for name in spec.numeric + spec.categorical + spec.dateFeatures where name == spec.target || name == id {
            throw TrainingDataError.conflictingDeclaration(
                column: name, reason: "is the \(name == spec.target ? "target" : "id") column and cannot be a feature")
        }
        if !spec.dateFeatures.isEmpty && spec.asOf == nil { throw TrainingDataError.asOfRequired(columns: spec.dateFeatures) }
        (outcome, negativeValue) = try BinaryOutcome.read(table, column: try table.requireColumns([spec.target])[0],
                                                          positive: spec.positive, missing: spec.missingValues)
        let skipped = Set([spec.target] + spec.exclude + (id.map { [$0] } ?? []))
        let reader = ColumnReader(table: table, missing: spec.missingValues, commaDelimited: commaDelimited)
        var features: [FeatureColumn] = [], notes: [ReadingNote] = [], source: [String: Int] = [:]
        for (j, name) in table.header.enumerated() where !skipped.contains(name) {
            if spec.dateFeatures.contains(name) {
                let derived = try reader.dateFeatures(column: j, format: spec.dateFormat, asOf: spec.asOf!)
                notes.append(.derivedFromDate(column: name, features: derived.map(\.name)))
                for f in derived where !spec.exclude.contains(f.name) {
                    if table.header.contains(f.name) {
                        throw TrainingDataError.conflictingDeclaration(
                            column: f.name, reason: "is both a column of the file and derived from the dates of \(name)")
                    }
                    features.append(f); source[f.name] = j
                }
                continue
            }
            let declared: ColumnReader.Declared = spec.categorical.contains(name) ? .categorical
                : spec.numeric.contains(name) ? .numeric : .undeclared
            features.append(try reader.read(column: j, declared: declared, notes: &notes))
            source[name] = j
        }
        guard !features.isEmpty else { throw TrainingDataError.noFeatures(file: table.fileName) }
        self.features = features
        self.notes = notes
        sourceColumn = source
    }

    /// Reads `path` (delimiter given or detected) and prepares it (see ``init(table:specification:commaDelimited:)``).
    public init(path: String, specification: Specification, delimiter: Delimiter = .detect) throws {
        let table = try Self.readTable(path: path, delimiter: delimiter)
        try self.init(table: table.table, specification: specification,
                      commaDelimited: table.delimiter == UInt8(ascii: ","))
    }

    /// The whole file at `path` with its delimiter (given or detected, see ``Delimiter``).
    public static func readTable(path: String, delimiter: Delimiter = .detect) throws -> (table: CSVTable, delimiter: UInt8) {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let byte = try delimiter.resolve(path: path, fileName: name)
        return (try CSVTable.read(path: path, options: CSVReader.Options(separator: byte)), byte)
    }

    /// The 0/1 outcome of `column` (see ``BinaryOutcome``).
    public static func outcome(_ table: CSVTable, column: Int, positive: String,
                               missing: MissingValues = .standard) throws -> (outcome: [Double], negative: String) {
        try BinaryOutcome.read(table, column: column, positive: positive, missing: missing)
    }

    /// An error about `feature`'s field on `row`, located at the table column it is read from.
    func error(_ kind: TableError.Kind, row: Int, feature: String, expected: String) -> TableError {
        table.error(kind, row: row, column: sourceColumn[feature] ?? 0, expected: expected)
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
            let constant: Bool
            let first: String
            switch feature {
            case let .numeric(_, values):
                let v0 = values[rows[0]]
                // NaN ≠ NaN, so compare bit patterns: an all-missing column is constant too.
                constant = rows.allSatisfy { values[$0].bitPattern == v0.bitPattern || values[$0] == v0 }
                first = v0.isNaN ? "" : table.rows[rows[0]][sourceColumn[feature.name]!]
            case let .categorical(_, levels):
                constant = rows.allSatisfy { levels[$0] == levels[rows[0]] }
                first = levels[rows[0]]
            }
            if constant {
                throw TrainingDataError.constantColumn(file: fileName, column: feature.name, value: first, rows: rows.count)
            }
        }
    }

    /// The first missing value of a numeric feature on `rows`: a plain logistic regression without imputation needs
    /// complete numbers (a scorecard gives missing values their own bin).
    /// - Throws: `TableError.Kind.missingValue` naming the file, line and column of the first missing field.
    public func requireComplete(rows: [Int]) throws {
        for feature in features {
            guard case let .numeric(name, values) = feature else { continue }
            if let row = rows.first(where: { values[$0].isNaN }) {
                throw error(.missingValue, row: row, feature: name,
                            expected: "a number (a logistic model needs every value: --impute median|mean|value fills "
                                + "them; a scorecard bins missing ones)")
            }
        }
    }
}
