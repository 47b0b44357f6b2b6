import Foundation
import Tables

/// entities.csv, the entity directory with its features: `entity_id`, `scenario`, optional `district` and
/// `jurisdiction` (``Jurisdiction``; absent: one implicit jurisdiction), and every other column a feature (numeric
/// or empty) that scoring models read by name.
///
/// Entity files run to millions of rows, so the reader hands out blocks of records (`CSVBlock`) rather than one
/// value per entity: the planner keeps two columns of them, the registry stores every field, the scorer reads the
/// model's columns. What they share is here: the column names, which columns are features, and the checks of the
/// fixed columns.
public enum EntitiesFile {
    public static let fileName = "entities.csv"
    public static let idColumn = "entity_id"
    public static let districtColumn = "district"
    public static let scenarioColumn = "scenario"
    public static let jurisdictionColumn = Jurisdiction.column
    /// The columns that are not features, in the order the generator writes them (a city of several
    /// jurisdictions adds ``jurisdictionColumn`` after them).
    public static let fixedColumns = [idColumn, districtColumn, scenarioColumn]

    /// Whether `name` is a feature column (any column but the fixed ones and ``jurisdictionColumn``).
    public static func isFeature(_ name: String) -> Bool { !fixedColumns.contains(name) && name != jurisdictionColumn }

    /// A streaming reader of an entities file.
    public struct Reader {
        private var reader: CSVReader
        /// Column names, in file order.
        public var header: [String] { reader.header }
        /// The file as errors name it.
        public var fileName: String { reader.fileName }
        /// Position of `entity_id`.
        public let idColumn: Int
        /// Position of `scenario`.
        public let scenarioColumn: Int
        /// Position of `district`, when the file has one.
        public let districtColumn: Int?
        /// Position of `jurisdiction`, when the file has one.
        public let jurisdictionColumn: Int?
        /// Positions of the feature columns, in file order.
        public let featureColumns: [Int]

        /// Opens `url` and checks its header.
        /// - Parameter requiring: further columns the caller needs (the registry requires `district`).
        /// - Throws: `TableError` (cannot open, missing columns, bad header).
        public init(_ url: URL, displayName: String? = nil, requiring: [String] = [],
                    options: CSVReader.Options = CSVReader.Options()) throws {
            reader = try CSVReader(path: url.path, displayName: displayName ?? url.lastPathComponent, options: options)
            let c = try reader.requireColumns([EntitiesFile.idColumn, EntitiesFile.scenarioColumn] + requiring)
            idColumn = c[0]
            scenarioColumn = c[1]
            districtColumn = reader.columnIndex(named: EntitiesFile.districtColumn)
            jurisdictionColumn = reader.columnIndex(named: EntitiesFile.jurisdictionColumn)
            let header = reader.header
            featureColumns = header.indices.filter { EntitiesFile.isFeature(header[$0]) }
        }

        /// The next block of records, or nil at the end of the file.
        public mutating func nextBlock() throws -> CSVBlock? { try reader.nextBlock() }

        /// The entity id of `row`, refused when empty.
        public func id(_ block: CSVBlock, row: Int) throws -> EntityID {
            guard !block.isMissing(row: row, column: idColumn) else {
                throw block.error(.missingValue, row: row, column: idColumn, expected: "an entity id")
            }
            return EntityID(block.string(row: row, column: idColumn))
        }

        /// The jurisdiction of `row`: ``Jurisdiction/implicit`` without the column, else its code, refused when
        /// empty or malformed.
        public func jurisdiction(_ block: CSVBlock, row: Int) throws -> JurisdictionCode? {
            guard let column = jurisdictionColumn else { return Jurisdiction.implicit }
            let text = block.string(row: row, column: column)
            guard !text.isEmpty else {
                throw block.error(.missingValue, row: row, column: column, expected: Jurisdiction.expectedForm)
            }
            guard Jurisdiction.isWellFormed(text) else {
                throw block.error(.invalidValue, row: row, column: column, expected: Jurisdiction.expectedForm)
            }
            return JurisdictionCode(text)
        }

        /// The scenario of `row`, refused when empty or, when `known` is given, not one of them.
        public func scenario(_ block: CSVBlock, row: Int, known: Set<ScenarioCode>? = nil) throws -> ScenarioCode {
            let scenario = ScenarioCode(block.string(row: row, column: scenarioColumn))
            if let known, !known.contains(scenario) {
                throw block.error(.unknownCategory, row: row, column: scenarioColumn,
                                  expected: TableError.expectedOneOf(known.sorted().map(\.rawValue)))
            }
            if scenario.rawValue.isEmpty {
                throw block.error(.missingValue, row: row, column: scenarioColumn, expected: "a scenario code")
            }
            return scenario
        }
    }
}
