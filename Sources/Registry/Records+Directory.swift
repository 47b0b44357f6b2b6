import GRDB

// The directory side of the registry: who supervises what. Column names are snake_case in SQL and camelCase in
// Swift; the coding strategies convert between them, so each record is a plain `Codable` struct.

/// Shared record configuration: snake_case columns.
public protocol RegistryRecord: Codable, Sendable, FetchableRecord, PersistableRecord {}

extension RegistryRecord {
    public static var databaseColumnDecodingStrategy: DatabaseColumnDecodingStrategy { .convertFromSnakeCase }
    public static var databaseColumnEncodingStrategy: DatabaseColumnEncodingStrategy { .convertToSnakeCase }
}

/// A regulating department (部门), e.g. market regulation or fire safety.
public struct Department: RegistryRecord, Equatable {
    public static let databaseTableName = "departments"
    public var code: String
    public var name: String
    public init(code: String, name: String) { self.code = code; self.name = name }
}

/// A joint-supervision scenario (一件事), led by one department.
public struct Scenario: RegistryRecord, Equatable {
    public static let databaseTableName = "scenarios"
    public var code: String
    public var name: String
    public var leadDepartment: String
    public init(code: String, name: String, leadDepartment: String) {
        self.code = code; self.name = name; self.leadDepartment = leadDepartment
    }
}

/// The five standard check elements (监管要素) along which items are tagged and features grouped.
public enum Element: String, Codable, CaseIterable, Sendable, DatabaseValueConvertible {
    case people, equipment, environment, rules, product
}

/// A supervision item (监管事项) of one department within a scenario.
public struct Item: RegistryRecord, Equatable {
    public static let databaseTableName = "items"
    public var code: String
    public var department: String
    public var scenario: String
    public var name: String
    public var element: Element
    /// How the item is checked: `on_site`, `off_site` or `documents`.
    public var measure: String
    public var legalBasis: String
    public init(code: String, department: String, scenario: String, name: String, element: Element,
                measure: String, legalBasis: String) {
        self.code = code; self.department = department; self.scenario = scenario; self.name = name
        self.element = element; self.measure = measure; self.legalBasis = legalBasis
    }
}

/// A supervised entity (监管对象), keyed by its unified social credit code.
public struct Entity: RegistryRecord, Equatable {
    public static let databaseTableName = "entities"
    public var creditCode: String
    public var name: String
    public var scenario: String
    public var district: String
    /// The legal representative's name: personal data, never published.
    public var legalRepresentative: String
    /// Credit grade A–D (lowest to highest risk) before this period's sanctions.
    public var creditGrade: String
    public init(creditCode: String, name: String, scenario: String, district: String, legalRepresentative: String,
                creditGrade: String) {
        self.creditCode = creditCode; self.name = name; self.scenario = scenario; self.district = district
        self.legalRepresentative = legalRepresentative; self.creditGrade = creditGrade
    }
}

/// One department's directory membership of an entity (谁审批谁监管、谁主管谁监管).
public struct DirectoryMembership: RegistryRecord, Equatable, Hashable {
    public static let databaseTableName = "directory_memberships"
    public var department: String
    public var entity: String
    public init(department: String, entity: String) { self.department = department; self.entity = entity }
}

/// A qualified enforcement officer (执法检查人员).
public struct Inspector: RegistryRecord, Equatable {
    public static let databaseTableName = "inspectors"
    public var id: String
    /// Personal data, never published.
    public var name: String
    public var department: String
    /// Credit codes of entities this inspector must step aside from (回避), `;`-separated.
    public var conflicts: String
    public init(id: String, name: String, department: String, conflicts: String = "") {
        self.id = id; self.name = name; self.department = department; self.conflicts = conflicts
    }
}

/// A department's sampling ratio and frequency cap for one credit grade in one scenario (抽查比例 / 频次).
public struct Quota: RegistryRecord, Equatable {
    public static let databaseTableName = "quotas"
    public var department: String
    public var scenario: String
    public var creditGrade: String
    /// Share of the grade's entities drawn per period, in [0, 1].
    public var samplingRatio: Double
    /// Most checks of one entity by this department per year.
    public var maxChecksPerYear: Int
    public init(department: String, scenario: String, creditGrade: String, samplingRatio: Double,
                maxChecksPerYear: Int) {
        self.department = department; self.scenario = scenario; self.creditGrade = creditGrade
        self.samplingRatio = samplingRatio; self.maxChecksPerYear = maxChecksPerYear
    }
}
