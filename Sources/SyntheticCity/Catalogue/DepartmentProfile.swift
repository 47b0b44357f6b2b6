import Supervision

/// How the generator draws one department's part of the city: its directory record (``Department``) and what
/// only the generator needs — the attention it gives each element and the items it checks in every scenario it
/// supervises.
public struct DepartmentProfile: Hashable, Sendable {
    /// The department as departments.csv writes it (risk head `risk_<code>`).
    public var department: Department
    /// Relative attention the department gives each element, in `Element.allCases` order. Drives the true risk
    /// head's weights (``TrueModel``) and which element a finding is recorded under (history.csv).
    public var elementFocus: [Double]
    /// Items the department checks in every scenario it supervises, in item-number order.
    public var itemTemplates: [ItemTemplate]

    /// One item of a department, before it is instantiated for a scenario (`<department>.<scenario>.<nn>`).
    public struct ItemTemplate: Hashable, Sendable {
        public var element: Element
        public var name: String
        public var measure: Measure
        /// Key items may be checked without the general frequency limits.
        public var isKey: Bool

        public init(element: Element, name: String, measure: Measure, isKey: Bool = false) {
            self.element = element
            self.name = name
            self.measure = measure
            self.isKey = isKey
        }
    }

    /// - Precondition: one focus value per element.
    public init(department: Department, elementFocus: [Double], itemTemplates: [ItemTemplate]) {
        precondition(elementFocus.count == Element.allCases.count, "one focus value per element")
        self.department = department
        self.elementFocus = elementFocus
        self.itemTemplates = itemTemplates
    }

    /// The element focus scaled to mean 1 (the factor a risk head applies to an element's features).
    public var normalisedFocus: [Double] {
        var sum = 0.0
        for v in elementFocus { sum += v }
        let mean = sum / Double(elementFocus.count)
        return elementFocus.map { $0 / mean }
    }
}

extension DepartmentProfile {
    private static func d(_ code: DepartmentCode, _ name: String, focus: [Double],
                          _ items: [ItemTemplate]) -> DepartmentProfile {
        DepartmentProfile(department: Department(code: code, name: name), elementFocus: focus, itemTemplates: items)
    }

    private static func t(_ e: Element, _ name: String, _ m: Measure, key: Bool = false) -> ItemTemplate {
        ItemTemplate(element: e, name: name, measure: m, isKey: key)
    }

    /// The city's eight departments, in the fixed order of the model's heads and of every stream layout.
    public static let city: [DepartmentProfile] = [
        d("market", "Market regulation", focus: [0.8, 0.6, 0.5, 1.0, 1.4], [
            t(.people, "Staff health certificates and food-safety manager", .onSite),
            t(.rules, "Business licence and permits displayed and valid", .documents),
            t(.product, "Product quality, labelling and traceability", .onSite, key: true),
            t(.equipment, "Measuring instruments verified", .onSite),
        ]),
        d("fire", "Fire and rescue", focus: [0.7, 1.5, 1.0, 0.8, 0.2], [
            t(.equipment, "Extinguishers, alarms and sprinklers in service", .onSite, key: true),
            t(.environment, "Escape routes and exits unobstructed", .onSite, key: true),
            t(.people, "Fire-safety manager designated and trained", .documents),
            t(.rules, "Fire-safety duty system and drills", .documents),
        ]),
        d("environment", "Ecology and environment", focus: [0.4, 0.9, 1.6, 0.8, 0.5], [
            t(.environment, "Emissions, noise and waste within permit", .onSite, key: true),
            t(.equipment, "Pollution-control equipment running", .onSite),
            t(.rules, "Environmental permit and monitoring records", .offSite),
        ]),
        d("health", "Health commission", focus: [1.2, 0.6, 1.1, 0.8, 0.7], [
            t(.people, "Staff health certificates", .documents),
            t(.environment, "Public-place hygiene (air, water, disinfection)", .onSite, key: true),
            t(.rules, "Hygiene licence and self-inspection records", .documents),
        ]),
        d("emergency", "Emergency management", focus: [0.9, 1.3, 0.9, 1.2, 0.6], [
            t(.equipment, "Hazardous-material storage and special equipment", .onSite, key: true),
            t(.rules, "Work-safety responsibility system and emergency plans", .documents),
            t(.people, "Certified operators for special work", .documents),
            t(.environment, "Separation distances and ventilation", .onSite),
        ]),
        d("urban", "Urban management", focus: [0.4, 0.5, 1.5, 0.9, 0.3], [
            t(.environment, "Frontage, signage and street occupation", .onSite),
            t(.rules, "Waste sorting and collection contract", .offSite),
        ]),
        d("construction", "Housing and construction", focus: [1.0, 1.3, 1.0, 1.1, 0.6], [
            t(.equipment, "Cranes, scaffolding and hoists certified", .onSite, key: true),
            t(.people, "Site managers and special-work operators certified", .documents),
            t(.environment, "Dust control and site enclosure", .onSite),
            t(.rules, "Construction permit and safety plan", .documents),
        ]),
        d("education", "Education", focus: [1.3, 0.6, 0.8, 1.2, 0.3], [
            t(.people, "Teacher qualifications and background checks", .documents, key: true),
            t(.rules, "Operating licence, fees and enrolment rules", .documents),
            t(.environment, "Premises safety and child-protection measures", .onSite),
        ]),
    ]
}
