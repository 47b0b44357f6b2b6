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

    /// One department's scores over the entities it supervises, stored column by column: a plan for
    /// millions of entities touches these arrays, never a dictionary per entity.
    public struct DepartmentScores: Sendable, Equatable {
        public let department: String
        /// Indices into ``PlanInputs/entityIDs`` of the entities in scope, ascending.
        public internal(set) var entities: [Int]
        /// Risk probability of each entity in scope (same positions as `entities`).
        public internal(set) var probabilities: [Double]
        /// Grade of each entity in scope, as an index into ``PlanInputs/grades``.
        public internal(set) var grades: [UInt8]

        public init(department: String, entities: [Int] = [], probabilities: [Double] = [], grades: [UInt8] = []) {
            precondition(entities.count == probabilities.count && entities.count == grades.count, "one value per entity")
            self.department = department
            self.entities = entities
            self.probabilities = probabilities
            self.grades = grades
        }

        /// The position of entity index `entity` in ``entities``, by binary search.
        /// - Complexity: O(log n).
        public func position(of entity: Int) -> Int? {
            let k = entities.partitionPoint { $0 < entity }
            return k < entities.count && entities[k] == entity ? k : nil
        }
    }

    /// Entity ids in UTF-8 byte order; an entity is referred to by its position here.
    public let entityIDs: [String]
    /// Each entity's scenario, as an index into `scenarios`.
    public let entityScenarios: [Int32]
    /// The scenarios named by entities, in UTF-8 order.
    public let scenarios: [String]
    /// The grades named by scores, in UTF-8 order (at most 256).
    public let grades: [String]
    /// Departments with a quota, in UTF-8 byte order.
    public let departments: [String]
    /// Scores per department, aligned with `departments`.
    public let scores: [DepartmentScores]
    /// Departments supervising each scenario (lead and partners); `nil` means every department.
    public var scenarioDepartments: [String: Set<String>]?
    /// Items per `department|scenario`, sorted.
    public var items: [String: [String]]
    public var quotas: [Stratum: Quota]
    public var caps: Caps
    public var roster: [Inspector]
    /// Checks per day for each inspector id.
    public var dailyCapacity: [String: Int]

    /// Inputs from columns already sorted and checked by a reader (see `PlanInputs.read`).
    ///
    /// - Precondition: `entityIDs` strictly ascending in UTF-8 order; `scores` aligned with `departments`
    ///   (sorted); every index in range.
    init(entityIDs: [String], entityScenarios: [Int32], scenarios: [String], grades: [String],
         departments: [String], scores: [DepartmentScores], scenarioDepartments: [String: Set<String>]?,
         items: [String: [String]], quotas: [Stratum: Quota], caps: Caps, roster: [Inspector],
         dailyCapacity: [String: Int]) {
        self.entityIDs = entityIDs
        self.entityScenarios = entityScenarios
        self.scenarios = scenarios
        self.grades = grades
        self.departments = departments
        self.scores = scores
        self.scenarioDepartments = scenarioDepartments
        self.items = items
        self.quotas = quotas
        self.caps = caps
        self.roster = roster
        self.dailyCapacity = dailyCapacity
    }

    /// Inputs from entity records in any order (convenient for small inputs and tests).
    ///
    /// A department's scores are kept for an entity only when the department has a quota, supervises the
    /// entity's scenario and the entity has both a probability and a grade for it.
    public init(entities: [Entity], departments: [String], scenarioDepartments: [String: Set<String>]?,
                items: [String: [String]], quotas: [Stratum: Quota], caps: Caps, roster: [Inspector],
                dailyCapacity: [String: Int]) {
        let utf8Order: (String, String) -> Bool = { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let sorted = entities.sorted { utf8Order($0.id, $1.id) }
        let departmentList = departments.sorted(by: utf8Order)
        let scenarioList = Set(sorted.map(\.scenario)).sorted(by: utf8Order)
        let gradeList = Set(sorted.flatMap(\.grade.values)).sorted(by: utf8Order)
        precondition(gradeList.count <= 256, "at most 256 distinct grades")
        let scenarioIndex = Dictionary(uniqueKeysWithValues: scenarioList.enumerated().map { ($1, Int32($0)) })
        let gradeIndex = Dictionary(uniqueKeysWithValues: gradeList.enumerated().map { ($1, UInt8($0)) })
        var scores = departmentList.map { DepartmentScores(department: $0) }
        for (index, entity) in sorted.enumerated() {
            for position in departmentList.indices {
                let department = departmentList[position]
                guard let grade = entity.grade[department], let probability = entity.probability[department],
                      Self.supervises(department, scenario: entity.scenario, scopes: scenarioDepartments)
                else { continue }
                scores[position].entities.append(index)
                scores[position].probabilities.append(probability)
                scores[position].grades.append(gradeIndex[grade]!)
            }
        }
        self.init(entityIDs: sorted.map(\.id), entityScenarios: sorted.map { scenarioIndex[$0.scenario]! },
                  scenarios: scenarioList, grades: gradeList, departments: departmentList, scores: scores,
                  scenarioDepartments: scenarioDepartments, items: items, quotas: quotas, caps: caps,
                  roster: roster, dailyCapacity: dailyCapacity)
    }

    /// The entities as records, sorted by id. Builds a dictionary per entity: for small inputs and tests.
    public var entities: [Entity] {
        var records = entityIDs.indices.map {
            Entity(id: entityIDs[$0], scenario: scenarios[Int(entityScenarios[$0])], probability: [:], grade: [:])
        }
        for department in scores {
            for (position, entity) in department.entities.enumerated() {
                records[entity].probability[department.department] = department.probabilities[position]
                records[entity].grade[department.department] = grades[Int(department.grades[position])]
            }
        }
        return records
    }

    /// The position of `id` in ``entityIDs``, by binary search.
    /// - Complexity: O(log n) comparisons.
    public func entityIndex(of id: String) -> Int? {
        let k = entityIDs.partitionPoint { $0.utf8.lexicographicallyPrecedes(id.utf8) }
        return k < entityIDs.count && entityIDs[k] == id ? k : nil
    }

    /// The scenario of the entity at `index`.
    public func scenario(ofEntity index: Int) -> String { scenarios[Int(entityScenarios[index])] }

    /// Does `department` supervise entities of `scenario`?
    public func supervises(_ department: String, scenario: String) -> Bool {
        Self.supervises(department, scenario: scenario, scopes: scenarioDepartments)
    }

    /// The scope rule: with no scenario table every department supervises every scenario; with one, only a
    /// scenario's lead and partners do (an unlisted scenario has none).
    static func supervises(_ department: String, scenario: String, scopes: [String: Set<String>]?) -> Bool {
        guard let scopes else { return true }
        return scopes[scenario]?.contains(department) ?? false
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
        var entityReader = EntityColumnReader(departments: departments, heads: heads, scopes: scopes)
        let entities = try entityReader.read(entities: paths.entities, scores: paths.scores)
        let (roster, daily) = try PlanInputReaders.inspectors(
            CSVTable.read(path: paths.inspectors, displayName: paths.inspectors))
        return PlanInputs(entityIDs: entities.ids, entityScenarios: entities.entityScenarios,
                          scenarios: entities.scenarios, grades: entities.grades, departments: departments,
                          scores: entities.scores, scenarioDepartments: scopes, items: items, quotas: quotas,
                          caps: caps, roster: roster, dailyCapacity: daily)
    }
}
