/// A regulating department (部门) of the synthetic city.
public struct Department: Hashable, Sendable {
    /// Short id used in file contents and head names (`risk_<id>`), e.g. `market`.
    public var id: String
    public var name: String
    /// Relative attention the department gives each element, in ``Element/allCases`` order. Drives the true risk
    /// head's weights and which element a finding is recorded under.
    public var elementFocus: [Double]
    /// Items this department checks in every scenario it covers: (element, item name, measure, key item).
    public var itemTemplates: [ItemTemplate]

    public struct ItemTemplate: Hashable, Sendable {
        public var element: Element
        public var name: String
        public var measure: Item.Measure
        public var isKey: Bool
    }
}

extension Department {
    private static func t(_ e: Element, _ name: String, _ m: Item.Measure, key: Bool = false) -> ItemTemplate {
        ItemTemplate(element: e, name: name, measure: m, isKey: key)
    }

    /// The city's eight departments, in the fixed order used for head order and stream layout.
    public static let all: [Department] = [
        Department(id: "market", name: "Market regulation", elementFocus: [0.8, 0.6, 0.5, 1.0, 1.4], itemTemplates: [
            t(.people, "Staff health certificates and food-safety manager", .onSite),
            t(.rules, "Business licence and permits displayed and valid", .documents),
            t(.product, "Product quality, labelling and traceability", .onSite, key: true),
            t(.equipment, "Measuring instruments verified", .onSite),
        ]),
        Department(id: "fire", name: "Fire and rescue", elementFocus: [0.7, 1.5, 1.0, 0.8, 0.2], itemTemplates: [
            t(.equipment, "Extinguishers, alarms and sprinklers in service", .onSite, key: true),
            t(.environment, "Escape routes and exits unobstructed", .onSite, key: true),
            t(.people, "Fire-safety manager designated and trained", .documents),
            t(.rules, "Fire-safety duty system and drills", .documents),
        ]),
        Department(id: "environment", name: "Ecology and environment", elementFocus: [0.4, 0.9, 1.6, 0.8, 0.5], itemTemplates: [
            t(.environment, "Emissions, noise and waste within permit", .onSite, key: true),
            t(.equipment, "Pollution-control equipment running", .onSite),
            t(.rules, "Environmental permit and monitoring records", .offSite),
        ]),
        Department(id: "health", name: "Health commission", elementFocus: [1.2, 0.6, 1.1, 0.8, 0.7], itemTemplates: [
            t(.people, "Staff health certificates", .documents),
            t(.environment, "Public-place hygiene (air, water, disinfection)", .onSite, key: true),
            t(.rules, "Hygiene licence and self-inspection records", .documents),
        ]),
        Department(id: "emergency", name: "Emergency management", elementFocus: [0.9, 1.3, 0.9, 1.2, 0.6], itemTemplates: [
            t(.equipment, "Hazardous-material storage and special equipment", .onSite, key: true),
            t(.rules, "Work-safety responsibility system and emergency plans", .documents),
            t(.people, "Certified operators for special work", .documents),
            t(.environment, "Separation distances and ventilation", .onSite),
        ]),
        Department(id: "urban", name: "Urban management", elementFocus: [0.4, 0.5, 1.5, 0.9, 0.3], itemTemplates: [
            t(.environment, "Frontage, signage and street occupation", .onSite),
            t(.rules, "Waste sorting and collection contract", .offSite),
        ]),
        Department(id: "construction", name: "Housing and construction", elementFocus: [1.0, 1.3, 1.0, 1.1, 0.6], itemTemplates: [
            t(.equipment, "Cranes, scaffolding and hoists certified", .onSite, key: true),
            t(.people, "Site managers and special-work operators certified", .documents),
            t(.environment, "Dust control and site enclosure", .onSite),
            t(.rules, "Construction permit and safety plan", .documents),
        ]),
        Department(id: "education", name: "Education", elementFocus: [1.3, 0.6, 0.8, 1.2, 0.3], itemTemplates: [
            t(.people, "Teacher qualifications and background checks", .documents, key: true),
            t(.rules, "Operating licence, fees and enrolment rules", .documents),
            t(.environment, "Premises safety and child-protection measures", .onSite),
        ]),
    ]

    /// The index of a department id in ``all``.
    public static func index(of id: String) -> Int? { all.firstIndex { $0.id == id } }
}
