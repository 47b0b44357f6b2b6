import Supervision

/// The synthetic city's directory in the domain's own records — what departments.csv, districts.csv,
/// scenarios.csv and items.csv hold — together with the index tables the generator draws by.
///
/// Order is part of the output's definition: departments order the model's heads and the roster's streams,
/// scenarios and districts are drawn by index, and items are numbered by template order. Every list here follows
/// ``DepartmentProfile/city``, ``ScenarioProfile/city`` and ``DistrictProfile/city``.
public enum CityCatalogue {
    /// The departments, in head order.
    public static let departments: [Department] = DepartmentProfile.city.map(\.department)
    /// The scenarios, in drawing order.
    public static let scenarios: [Scenario] = ScenarioProfile.city.map(\.scenario)
    /// The districts, in drawing order.
    public static let districts: [District] = DistrictProfile.city.map(\.district)

    /// Every item of the city: each department's templates instantiated for each scenario it supervises, in
    /// department order, then scenario order, then template order; codes `<department>.<scenario>.<nn>`.
    public static let items: [Item] = {
        var items: [Item] = []
        for (d, profile) in DepartmentProfile.city.enumerated() {
            let department = profile.department.code
            for s in scenariosByDepartment[d] {
                let scenario = scenarios[s].code
                for (k, t) in profile.itemTemplates.enumerated() {
                    let number = k + 1 < 10 ? "0\(k + 1)" : "\(k + 1)"
                    items.append(Item(code: ItemCode("\(department).\(scenario).\(number)"), department: department,
                                      scenario: scenario, element: t.element, measure: t.measure, name: t.name,
                                      isKey: t.isKey))
                }
            }
        }
        return items
    }()

    /// The position of `code` in ``departments``, or nil.
    public static func departmentIndex(of code: DepartmentCode) -> Int? {
        departments.firstIndex { $0.code == code }
    }

    /// Per department (``departments`` index): the indices of the scenarios it supervises, as lead or partner, in
    /// scenario order.
    public static let scenariosByDepartment: [[Int]] = departments.map { d in
        scenarios.indices.filter { scenarios[$0].isSupervised(by: d.code) }
    }

    /// Per scenario (``scenarios`` index): the indices of its departments, lead first, then partners in file order.
    public static let departmentsByScenario: [[Int]] = scenarios.map { s in
        s.departments.map { departmentIndex(of: $0)! }
    }
}
