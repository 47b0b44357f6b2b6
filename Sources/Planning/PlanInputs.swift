import Foundation
import Tables

/// The documented input files of `onecheck plan`, parsed and cross-checked (formats: `PLAN_FORMATS.md`).
///
/// Every table is read with the Tables module, so a bad value is reported with its file, line, column,
/// value and expected form. Rows may come in any order: entities are kept sorted by id (UTF-8 bytes),
/// and every random number is keyed by entity id, so shuffling the rows of any input leaves the plan
/// unchanged.
public struct PlanInputs: Sendable {
    /// One supervised entity: its id, scenario and, per department in scope, risk probability and grade.
    public struct Entity: Sendable, Equatable {
        public let id: String
        public let scenario: String
        /// Risk probability per department (from `<head>_probability` in the scores).
        public var probability: [String: Double]
        /// Credit grade per department (from `<head>_grade` in the scores).
        public var grade: [String: String]

        public init(id: String, scenario: String, probability: [String: Double], grade: [String: String]) {
            self.id = id
            self.scenario = scenario
            self.probability = probability
            self.grade = grade
        }
    }

    /// The caps of `caps.csv`: visits per entity per year across departments, and per department.
    public struct Caps: Sendable, Equatable {
        public var all: Int?
        public var byDepartment: [String: Int] = [:]
        public init(all: Int? = nil, byDepartment: [String: Int] = [:]) {
            self.all = all
            self.byDepartment = byDepartment
        }
    }

    /// Entities sorted by id (UTF-8 byte order).
    public var entities: [Entity]
    /// Departments with a quota, in UTF-8 byte order.
    public var departments: [String]
    /// Departments supervising each scenario (lead and partners); `nil` means every department.
    public var scenarioDepartments: [String: Set<String>]?
    /// Items per `department|scenario`, sorted.
    public var items: [String: [String]]
    public var quotas: [Stratum: Quota]
    public var caps: Caps
    public var roster: [Inspector]
    /// Checks per day for each inspector id.
    public var dailyCapacity: [String: Int]

    public init(entities: [Entity], departments: [String], scenarioDepartments: [String: Set<String>]?,
                items: [String: [String]], quotas: [Stratum: Quota], caps: Caps, roster: [Inspector],
                dailyCapacity: [String: Int]) {
        self.entities = entities.sorted { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
        self.departments = departments.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        self.scenarioDepartments = scenarioDepartments
        self.items = items
        self.quotas = quotas
        self.caps = caps
        self.roster = roster
        self.dailyCapacity = dailyCapacity
    }

    /// Does `department` supervise entities of `scenario`?
    public func supervises(_ department: String, scenario: String) -> Bool {
        guard let scope = scenarioDepartments else { return true }
        return scope[scenario]?.contains(department) ?? false
    }

    /// The items a department checks on an entity of `scenario`.
    public func items(department: String, scenario: String) -> [String] {
        items[department + "|" + scenario] ?? []
    }
}

/// The input files by role; `nil` for optional files not given.
public struct PlanInputPaths: Sendable, Equatable, Codable {
    public var scores: String
    public var entities: String
    public var quotas: String
    public var inspectors: String
    public var departments: String?
    public var scenarios: String?
    public var items: String?
    public var caps: String?

    public init(scores: String, entities: String, quotas: String, inspectors: String, departments: String? = nil,
                scenarios: String? = nil, items: String? = nil, caps: String? = nil) {
        self.scores = scores
        self.entities = entities
        self.quotas = quotas
        self.inspectors = inspectors
        self.departments = departments
        self.scenarios = scenarios
        self.items = items
        self.caps = caps
    }

    /// (role, path) of every file given, roles in UTF-8 order — the names hashed into the frame.
    public var named: [(role: String, path: String)] {
        let all: [(String, String?)] = [
            ("caps", caps), ("departments", departments), ("entities", entities), ("inspectors", inspectors),
            ("items", items), ("quotas", quotas), ("scenarios", scenarios), ("scores", scores),
        ]
        return all.compactMap { role, path in path.map { (role, $0) } }
    }

    /// The frame commitment of these files: SHA-256 of their bytes under their role names.
    public func commitment() throws -> FrameCommitment {
        var files: [(name: String, bytes: [UInt8])] = []
        for (role, path) in named {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw TableError(.cannotOpen(reason: "no such file or not readable"), file: path)
            }
            files.append((role, [UInt8](data)))
        }
        return FrameCommitment(files: files)
    }
}

extension PlanInputs {
    /// Reads and cross-checks every file of `paths`.
    ///
    /// - Throws: `TableError` (file, line, column, value, expected form) for malformed or inconsistent rows,
    ///   ``PlanError`` for problems that are not about one cell.
    public static func read(_ paths: PlanInputPaths) throws -> PlanInputs {
        let quotaTable = try CSVTable.read(path: paths.quotas, displayName: paths.quotas)
        let quotas = try PlanInputReaders.quotas(quotaTable)
        let departments = Set(quotas.keys.map(\.department)).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }

        var heads: [String: String] = [:]
        for department in departments { heads[department] = "risk_" + department }
        if let path = paths.departments {
            heads = try PlanInputReaders.departmentHeads(
                CSVTable.read(path: path, displayName: path), required: departments, defaults: heads)
        }
        let scopes = try paths.scenarios.map {
            try PlanInputReaders.scenarios(CSVTable.read(path: $0, displayName: $0), known: Set(departments))
        }
        let items = try paths.items.map { try PlanInputReaders.items(CSVTable.read(path: $0, displayName: $0)) } ?? [:]
        let caps = try paths.caps.map { try PlanInputReaders.caps(CSVTable.read(path: $0, displayName: $0)) }
            ?? Caps()
        let entityTable = try CSVTable.read(path: paths.entities, displayName: paths.entities)
        let scoreTable = try CSVTable.read(path: paths.scores, displayName: paths.scores)
        let entities = try PlanInputReaders.entities(
            entityTable, scores: scoreTable, departments: departments, heads: heads, scopes: scopes)
        let (roster, daily) = try PlanInputReaders.inspectors(
            CSVTable.read(path: paths.inspectors, displayName: paths.inspectors))
        return PlanInputs(entities: entities, departments: departments, scenarioDepartments: scopes, items: items,
                          quotas: quotas, caps: caps, roster: roster, dailyCapacity: daily)
    }
}
