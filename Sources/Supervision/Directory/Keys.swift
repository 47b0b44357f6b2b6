/// A key of the directory: a short identifier written as is in files (`market`, `restaurant`,
/// `fire.restaurant.01`), typed so that a department code cannot be passed where a scenario code is expected.
///
/// Keys compare by their UTF-8 bytes — the order of every output file, the same on every machine and locale —
/// and are `Codable` as their text.
public protocol DirectoryKey: Hashable, Comparable, Sendable, Codable, CustomStringConvertible,
    ExpressibleByStringLiteral {
    var rawValue: String { get }
    init(_ rawValue: String)
}

extension DirectoryKey {
    public init(stringLiteral value: String) { self.init(value) }
    public var description: String { rawValue }
    public static func < (a: Self, b: Self) -> Bool { a.rawValue.utf8.lexicographicallyPrecedes(b.rawValue.utf8) }

    public init(from decoder: any Decoder) throws { self.init(try decoder.singleValueContainer().decode(String.self)) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// A department's code (`market`, `fire`, …): the name of its risk head (`risk_<code>`) and of its quotas.
public struct DepartmentCode: DirectoryKey {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
}

/// A scenario's code (`restaurant`, …): one kind of business supervised jointly (一件事).
public struct ScenarioCode: DirectoryKey {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
}

/// A supervision item's code (`fire.restaurant.01`).
public struct ItemCode: DirectoryKey {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
}

/// An inspector's id on the roster (`fire-310104-003`).
public struct InspectorID: DirectoryKey {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
}

/// An administrative division code (`310104`).
public struct DistrictCode: DirectoryKey {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
}

/// An entity's id as files carry it. In the registry it is a unified social credit code (``CreditCode``); the
/// planner and the scorer accept any non-empty id, so test files and other registers can use their own.
public struct EntityID: DirectoryKey {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(_ code: CreditCode) { rawValue = code.rawValue }
}

/// One department's membership of an entity in the directory (谁审批谁监管、谁主管谁监管): the composite key of
/// everything a department does to an entity.
public struct DirectoryMembership: Hashable, Comparable, Sendable, Codable {
    public var department: DepartmentCode
    public var entity: EntityID

    public init(department: DepartmentCode, entity: EntityID) {
        self.department = department
        self.entity = entity
    }

    /// Department first, then entity, each by UTF-8 bytes.
    public static func < (a: Self, b: Self) -> Bool { (a.department, a.entity) < (b.department, b.entity) }
}
