/// A regulating department (部门), e.g. market regulation or fire safety.
public struct Department: Hashable, Sendable, Codable {
    public var code: DepartmentCode
    public var name: String
    /// The scoring model's head whose probability and grade are this department's: `risk_<code>` by default.
    public var riskHead: String

    public init(code: DepartmentCode, name: String, riskHead: String? = nil) {
        self.code = code
        self.name = name
        self.riskHead = riskHead ?? Self.defaultRiskHead(code)
    }

    /// `risk_<code>`: the head name when a department names none.
    public static func defaultRiskHead(_ code: DepartmentCode) -> String { "risk_" + code.rawValue }
}

/// A joint-supervision scenario (一件事): one kind of business, with the department that leads its joint checks
/// and the partners that take part.
public struct Scenario: Hashable, Sendable, Codable {
    public var code: ScenarioCode
    public var name: String
    public var lead: DepartmentCode
    /// Partner departments, in file order, without the lead and without repeats.
    public var partners: [DepartmentCode]

    public init(code: ScenarioCode, name: String, lead: DepartmentCode, partners: [DepartmentCode] = []) {
        self.code = code
        self.name = name
        self.lead = lead
        var seen: Set<DepartmentCode> = [lead]
        self.partners = partners.filter { seen.insert($0).inserted }
    }

    /// The lead followed by the partners: the departments whose directory holds every entity of the scenario.
    public var departments: [DepartmentCode] { [lead] + partners }

    /// Whether `department` supervises entities of this scenario.
    public func isSupervised(by department: DepartmentCode) -> Bool {
        lead == department || partners.contains(department)
    }
}

/// The five standardised elements of check content (监管要素): people, equipment, environment, rules and systems,
/// product quality. Every item and every element-specific feature belongs to one of them.
public enum Element: String, CaseIterable, Hashable, Sendable, Codable {
    case people, equipment, environment, rules, product
}

/// How an item is checked.
///
/// Files of the synthetic city write `on-site`/`off-site`; the registry stores `on_site`/`off_site`. Both
/// spellings are read, and each writer keeps its own.
public enum Measure: String, CaseIterable, Hashable, Sendable, Codable {
    case onSite = "on_site", offSite = "off_site", documents

    /// The measure spelled `text` in either form, or nil.
    public init?(spelling text: some StringProtocol) {
        self.init(rawValue: text.replacingOccurrences(of: "-", with: "_"))
    }

    /// The city files' spelling (`on-site`, `off-site`, `documents`).
    public var citySpelling: String { rawValue.replacingOccurrences(of: "_", with: "-") }

    /// The expected form, phrased to follow "expected" in error messages.
    public static let expectedForm = "one of on-site, off-site, documents (or on_site, off_site)"
}

/// A supervision item (监管事项): what one department checks on an entity of one scenario.
public struct Item: Hashable, Sendable, Codable {
    public var code: ItemCode
    public var department: DepartmentCode
    public var scenario: ScenarioCode
    /// The element the item checks; nil when the item list gives none (the planner needs none).
    public var element: Element?
    /// How the item is checked; nil when the item list gives none.
    public var measure: Measure?
    public var name: String
    /// Key items may be checked without the general frequency limits.
    public var isKey: Bool
    public var legalBasis: String

    public init(code: ItemCode, department: DepartmentCode, scenario: ScenarioCode, element: Element?,
                measure: Measure?, name: String = "", isKey: Bool = false, legalBasis: String = "") {
        self.code = code
        self.department = department
        self.scenario = scenario
        self.element = element
        self.measure = measure
        self.name = name
        self.isKey = isKey
        self.legalBasis = legalBasis
    }
}

/// A district (administrative division) of the city.
public struct District: Hashable, Sendable, Codable {
    public var code: DistrictCode
    public var name: String

    public init(code: DistrictCode, name: String) {
        self.code = code
        self.name = name
    }
}
