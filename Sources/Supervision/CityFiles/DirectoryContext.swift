/// What a city-file reader checks references against: the departments and scenarios read before it.
///
/// Readers take the files in dependency order (departments, scenarios, then items, inspectors, caps, quotas);
/// a `nil` table was not given, and references to it are not checked (the planner accepts a directory without
/// departments.csv, say).
public struct DirectoryContext: Sendable {
    public var departments: Set<DepartmentCode>?
    public var scenarios: [ScenarioCode: Scenario]?

    public init(departments: Set<DepartmentCode>? = nil, scenarios: [ScenarioCode: Scenario]? = nil) {
        self.departments = departments
        self.scenarios = scenarios
    }

    public init(departments: [Department]?, scenarios: [Scenario]?) {
        self.init(departments: departments.map { Set($0.map(\.code)) },
                  scenarios: scenarios.map { Dictionary(uniqueKeysWithValues: $0.map { ($0.code, $0) }) })
    }

    /// A department code of column `name`, checked against ``departments`` when known.
    func department(_ row: CityRow, _ name: String, table: String = "departments") throws -> DepartmentCode {
        guard let departments else { return DepartmentCode(try row.required(name, expected: "a department code")) }
        return try row.reference(name, in: departments, table: table)
    }

    /// A scenario code of column `name`, checked against ``scenarios`` when known.
    func scenario(_ row: CityRow, _ name: String, table: String = "scenarios.csv") throws -> ScenarioCode {
        guard let scenarios else { return ScenarioCode(try row.required(name, expected: "a scenario code")) }
        return try row.reference(name, in: Set(scenarios.keys), table: table)
    }
}
