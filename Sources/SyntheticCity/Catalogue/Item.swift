/// A supervision item (监管事项): what one department checks in one scenario, tagged with its element.
public struct Item: Hashable, Sendable {
    /// `<department>.<scenario>.<nn>`, e.g. `fire.restaurant.01`.
    public var id: String
    public var department: String
    public var scenario: String
    public var element: Element
    public var name: String
    public var measure: Measure
    /// Key items may be checked without the general frequency limits.
    public var isKey: Bool

    /// How the item is checked.
    public enum Measure: String, Sendable {
        case onSite = "on-site"
        case offSite = "off-site"
        case documents
    }

    /// Every item of the city: each department's templates instantiated for each scenario it supervises, in
    /// department order, then scenario order, then template order.
    public static let all: [Item] = {
        var items: [Item] = []
        for (d, department) in Department.all.enumerated() {
            for s in Scenario.scopeByDepartment[d] {
                let scenario = Scenario.all[s]
                for (k, t) in department.itemTemplates.enumerated() {
                    let number = k + 1 < 10 ? "0\(k + 1)" : "\(k + 1)"
                    items.append(Item(id: "\(department.id).\(scenario.id).\(number)", department: department.id,
                                      scenario: scenario.id, element: t.element, name: t.name, measure: t.measure,
                                      isKey: t.isKey))
                }
            }
        }
        return items
    }()
}
