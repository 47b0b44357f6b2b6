import Foundation
import Supervision
import Tables

/// The checks already recorded in a plan's year, as the yearly caps count them (issue 19, item 7).
///
/// `checks-done.csv` has one row per recorded check: `check_id`, `period` (`YYYYQn`), `entity_id` and
/// `departments` (codes separated by `;`). A joint check is one visit for the all-departments cap and one check for
/// each of its departments. `onecheck plan --workspace` writes it from the registry, adjustments included, so a cap
/// counts what was actually done — not only what the permanent random numbers would have drawn.
public struct ChecksDone: Sendable, Equatable {
    /// One recorded check.
    public struct Check: Sendable, Equatable {
        public var checkID: String
        public var period: Period
        public var entity: EntityID
        public var departments: [DepartmentCode]
        /// The line of the check in its file (0 when not read from a file).
        public var line: Int

        public init(checkID: String, period: Period, entity: EntityID, departments: [DepartmentCode], line: Int = 0) {
            self.checkID = checkID
            self.period = period
            self.entity = entity
            self.departments = departments
            self.line = line
        }
    }

    /// The checks, in file order.
    public var checks: [Check]

    public init(checks: [Check] = []) { self.checks = checks }

    public static let fileName = "checks-done.csv"
    public static let columns = ["check_id", "period", "entity_id", "departments"]

    /// Reads `checks-done.csv`.
    /// - Throws: `TableError` at the line and column of an empty field, a malformed period, a check without
    ///   departments or a repeated check id (naming both lines).
    public static func read(_ url: URL, displayName: String? = nil,
                            options: CSVReader.Options = CSVReader.Options()) throws -> ChecksDone {
        var keys = KeyLines<String>()
        var result = ChecksDone()
        try CityTableFile(url: url, displayName: displayName, required: columns, options: options).forEachRow { r in
            let id = try r.required("check_id", expected: "a check id")
            try keys.claim(id, row: r, column: "check_id")
            let period = try r.period("period")
            let entity = EntityID(try r.required("entity_id", expected: "an entity id"))
            let departments = r.list("departments").map(DepartmentCode.init)
            guard !departments.isEmpty else {
                throw r.fail("departments", .missingValue, expected: "department codes separated by ';'")
            }
            result.checks.append(Check(checkID: id, period: period, entity: entity, departments: departments, line: r.line))
        }
        return result
    }

    /// The file's text: the header, then one row per check in the order given.
    public func csvText() -> String {
        let buffer = CSVRowBuffer()
        buffer.appendRow(Self.columns)
        for check in checks {
            buffer.appendRow([check.checkID, check.period.description, check.entity.rawValue,
                              check.departments.map(\.rawValue).joined(separator: ";")])
        }
        return String(decoding: buffer.bytes, as: UTF8.self)
    }

    /// What the caps of a plan for `period` count: the checks of the other quarters of its year, as visits per
    /// entity and checks per department and entity (entities by their index from `index`; unknown ones skipped).
    /// - Complexity: O(checks · log N) with a binary-search `index`.
    func used(in period: Period, index: (EntityID) -> Int?) -> (visits: [Int: Int], checks: [DepartmentCode: [Int: Int]]) {
        var visits: [Int: Int] = [:], byDepartment: [DepartmentCode: [Int: Int]] = [:]
        for check in checks where check.period.year == period.year && check.period != period {
            guard let entity = index(check.entity) else { continue }
            visits[entity, default: 0] += 1
            for department in Set(check.departments) { byDepartment[department, default: [:]][entity, default: 0] += 1 }
        }
        return (visits, byDepartment)
    }
}
