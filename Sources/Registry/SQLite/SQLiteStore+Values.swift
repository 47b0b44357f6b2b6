import GRDB
import Supervision

// How the domain's values are stored in SQLite: dates as `YYYY-MM-DD` text, periods as `YYYYQn`, grades as their
// letter, keys and credit codes as their text. Supervision knows nothing of storage, so the conformances live with
// the engine that needs them.

extension CalendarDate: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { description.databaseValue }
    public static func fromDatabaseValue(_ value: DatabaseValue) -> CalendarDate? {
        String.fromDatabaseValue(value).flatMap { CalendarDate($0) }
    }
}

extension Period: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { description.databaseValue }
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Period? {
        String.fromDatabaseValue(value).flatMap { Period($0) }
    }
}

extension Grade: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { label.databaseValue }
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Grade? {
        String.fromDatabaseValue(value).flatMap { Grade(label: $0) }
    }
}

extension CreditCode: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { rawValue.databaseValue }
    public static func fromDatabaseValue(_ value: DatabaseValue) -> CreditCode? {
        String.fromDatabaseValue(value).flatMap { try? CreditCode(validating: $0) }
    }
}

extension DepartmentCode: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { rawValue.databaseValue }
    public static func fromDatabaseValue(_ value: DatabaseValue) -> DepartmentCode? { String.fromDatabaseValue(value).map(Self.init) }
}

extension ScenarioCode: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { rawValue.databaseValue }
    public static func fromDatabaseValue(_ value: DatabaseValue) -> ScenarioCode? { String.fromDatabaseValue(value).map(Self.init) }
}

extension ItemCode: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { rawValue.databaseValue }
    public static func fromDatabaseValue(_ value: DatabaseValue) -> ItemCode? { String.fromDatabaseValue(value).map(Self.init) }
}

extension InspectorID: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { rawValue.databaseValue }
    public static func fromDatabaseValue(_ value: DatabaseValue) -> InspectorID? { String.fromDatabaseValue(value).map(Self.init) }
}

extension DistrictCode: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { rawValue.databaseValue }
    public static func fromDatabaseValue(_ value: DatabaseValue) -> DistrictCode? { String.fromDatabaseValue(value).map(Self.init) }
}

extension Element: DatabaseValueConvertible {}
extension Measure: DatabaseValueConvertible {}

extension PlanID: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { rawValue.databaseValue }
    public static func fromDatabaseValue(_ value: DatabaseValue) -> PlanID? { String.fromDatabaseValue(value).map(Self.init) }
}

extension CheckID: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { rawValue.databaseValue }
    public static func fromDatabaseValue(_ value: DatabaseValue) -> CheckID? { String.fromDatabaseValue(value).map(Self.init) }
}

extension Outcome: DatabaseValueConvertible {}
extension AuditEntry.Action: DatabaseValueConvertible {}

// Decoding straight from the statement's column (GRDB's fast path), without an intermediate `DatabaseValue`: rows
// of checks and grades are read by the ten thousand.

extension CalendarDate: StatementColumnConvertible {
    public init?(sqliteStatement: SQLiteStatement, index: CInt) {
        guard let date = CalendarDate(String(sqliteStatement: sqliteStatement, index: index)) else { return nil }
        self = date
    }
}

extension Period: StatementColumnConvertible {
    public init?(sqliteStatement: SQLiteStatement, index: CInt) {
        guard let period = Period(String(sqliteStatement: sqliteStatement, index: index)) else { return nil }
        self = period
    }
}

extension Grade: StatementColumnConvertible {
    public init?(sqliteStatement: SQLiteStatement, index: CInt) {
        self.init(label: String(sqliteStatement: sqliteStatement, index: index))
    }
}

extension DepartmentCode: StatementColumnConvertible {
    public init(sqliteStatement: SQLiteStatement, index: CInt) { self.init(String(sqliteStatement: sqliteStatement, index: index)) }
}

extension ScenarioCode: StatementColumnConvertible {
    public init(sqliteStatement: SQLiteStatement, index: CInt) { self.init(String(sqliteStatement: sqliteStatement, index: index)) }
}

extension ItemCode: StatementColumnConvertible {
    public init(sqliteStatement: SQLiteStatement, index: CInt) { self.init(String(sqliteStatement: sqliteStatement, index: index)) }
}

extension PlanID: StatementColumnConvertible {
    public init(sqliteStatement: SQLiteStatement, index: CInt) { self.init(String(sqliteStatement: sqliteStatement, index: index)) }
}

extension CheckID: StatementColumnConvertible {
    public init(sqliteStatement: SQLiteStatement, index: CInt) { self.init(String(sqliteStatement: sqliteStatement, index: index)) }
}

/// `;`-joined lists of keys, as the registry stores inspectors, conflicts and qualified items.
enum KeyList {
    static func text<Key: DirectoryKey>(_ keys: [Key]) -> String { keys.map(\.rawValue).joined(separator: ";") }
    static func keys<Key: DirectoryKey>(_ text: String) -> [Key] { text.split(separator: ";").map { Key(String($0)) } }
}

// MARK: - Records of the cycle (the query interface reads them)

extension ScenarioPlan: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "plans"
    public init(row: Row) throws {
        let jurisdiction: String = row["jurisdiction"]
        self.init(id: row["id"], scenario: row["scenario"], period: try Self.decode(row, "period"), seed: row["seed"],
                  jurisdiction: JurisdictionCode?(storedText: jurisdiction))
    }
    public func encode(to container: inout PersistenceContainer) {
        container["id"] = id
        container["scenario"] = scenario
        container["period"] = period
        container["seed"] = seed
        container["jurisdiction"] = jurisdiction.storedText
    }
}

extension Entity: FetchableRecord, TableRecord {
    public static let databaseTableName = "entities"
    public init(row: Row) throws {
        let district: String = row["district"], jurisdiction: String = row["jurisdiction"]
        self.init(creditCode: try Self.decode(row, "credit_code"), name: row["name"], scenario: row["scenario"],
                  district: district.isEmpty ? nil : DistrictCode(district),
                  legalRepresentative: row["legal_representative"], creditGrade: try Self.decode(row, "credit_grade"),
                  jurisdiction: JurisdictionCode?(storedText: jurisdiction))
    }
}

extension Finding: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "findings"
    public init(row: Row) throws {
        self.init(checkId: row["check_id"], item: row["item"], outcome: try Self.decode(row, "outcome"),
                  penalty: row["penalty"], note: row["note"])
    }
    public func encode(to container: inout PersistenceContainer) {
        container["check_id"] = checkId
        container["item"] = item
        container["outcome"] = outcome
        container["penalty"] = penalty
        container["note"] = note
    }
}

extension Disposal: PersistableRecord {
    public static let databaseTableName = "disposals"
    public func encode(to container: inout PersistenceContainer) {
        container["check_id"] = checkId
        container["item"] = item
        container["action"] = action
        container["opened_on"] = openedOn
        container["closed_on"] = closedOn
    }
}

extension Publication: PersistableRecord {
    public static let databaseTableName = "publications"
    public func encode(to container: inout PersistenceContainer) {
        container["check_id"] = checkId
        container["published_on"] = publishedOn
        container["deadline"] = deadline
    }
}

extension AuditEntry: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "audit_log"
    public init(row: Row) throws {
        self.init(seq: row["seq"], at: row["at"], action: try Self.decode(row, "action"), scenario: row["scenario"],
                  period: row["period"], detail: row["detail"], user: row["user"])
    }
    public func encode(to container: inout PersistenceContainer) {
        container["seq"] = seq
        container["at"] = at
        container["action"] = action
        container["scenario"] = scenario
        container["period"] = period
        container["detail"] = detail
        container["user"] = user
    }
}

extension DepartmentGrade: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "department_grades"
    public init(row: Row) throws {
        self.init(period: try Self.decode(row, "period"), department: row["department"],
                  entity: try Self.decode(row, "entity"), probability: row["probability"],
                  scoredGrade: try Self.decode(row, "scored_grade"), grade: try Self.decode(row, "grade"))
    }
    public func encode(to container: inout PersistenceContainer) {
        container["period"] = period
        container["department"] = department
        container["entity"] = entity
        container["probability"] = probability
        container["scored_grade"] = scoredGrade
        container["grade"] = grade
    }
}

extension FetchableRecord where Self: TableRecord {
    static func decode<Value: DatabaseValueConvertible>(_ row: Row, _ column: String) throws -> Value {
        try decoded(row, column, in: databaseTableName)
    }
}

/// The value of `column`, refused as a storage failure when it does not decode (a value no OneCheck build writes
/// there: the file was edited by hand or damaged).
func decoded<Value: DatabaseValueConvertible>(_ row: Row, _ column: String, in table: String) throws -> Value {
    let stored: DatabaseValue = row[column]
    guard let value = Value.fromDatabaseValue(stored) else {
        throw StoredValueError(table: table, column: column, value: "\(stored)")
    }
    return value
}

/// A stored value that does not decode as its column's type.
struct StoredValueError: Error, CustomStringConvertible {
    var table: String
    var column: String
    var value: String
    var description: String { "\(table).\(column) holds \(value), which this build cannot read" }
}
