import Foundation
import Tables

// The small files of a city directory: one reader and one writer each, with one set of column names.
// Every reader streams the file with `CityTableFile`, reports a bad field as `file:line:column` with the value and
// the expected form, refuses a repeated key with both lines, and parses numbers with the Tables decimal parser.
// Optional columns may be absent; a caller that needs one passes it in `requiring`, so that an absent column is
// the reader's usual "missing required column" error.

/// departments.csv: `department`, optional `name` (default: the code) and `risk_head` (default `risk_<code>`).
public enum DepartmentsFile {
    public static let fileName = "departments.csv"
    public static let columns = ["department", "name", "risk_head"]

    public static func read(_ url: URL, displayName: String? = nil, requiring: [String] = [],
                            options: CSVReader.Options = CSVReader.Options()) throws -> [Department] {
        var keys = KeyLines<DepartmentCode>()
        var result: [Department] = []
        try CityTableFile(url: url, displayName: displayName, required: ["department"] + requiring,
                          optional: ["name", "risk_head"], options: options).forEachRow { r in
            let code = DepartmentCode(try r.required("department", expected: "a department code"))
            try keys.claim(code, row: r, column: "department")
            let name = r.text("name"), head = r.text("risk_head")
            result.append(Department(code: code, name: name.isEmpty ? code.rawValue : name,
                                     riskHead: head.isEmpty ? nil : head))
        }
        return result
    }

    public static func write(_ departments: [Department], to buffer: CSVRowBuffer) {
        buffer.appendRow(columns)
        for d in departments { buffer.appendRow([d.code.rawValue, d.name, d.riskHead]) }
    }
}

/// districts.csv: `district`, `name`.
public enum DistrictsFile {
    public static let fileName = "districts.csv"
    public static let columns = ["district", "name"]

    public static func read(_ url: URL, displayName: String? = nil,
                            options: CSVReader.Options = CSVReader.Options()) throws -> [District] {
        var keys = KeyLines<DistrictCode>()
        var result: [District] = []
        try CityTableFile(url: url, displayName: displayName, required: ["district"], optional: ["name"],
                          options: options).forEachRow { r in
            let code = DistrictCode(try r.required("district", expected: "a division code like 310104"))
            try keys.claim(code, row: r, column: "district")
            result.append(District(code: code, name: r.text("name")))
        }
        return result
    }

    public static func write(_ districts: [District], to buffer: CSVRowBuffer) {
        buffer.appendRow(columns)
        for d in districts { buffer.appendRow([d.code.rawValue, d.name]) }
    }
}

/// scenarios.csv: `scenario`, `lead`, optional `name` (default: the code), `partners` (`;`-separated) and
/// `entity_share` (written by the generator, not read).
public enum ScenariosFile {
    public static let fileName = "scenarios.csv"
    public static let columns = ["scenario", "name", "lead", "partners", "entity_share"]

    /// - Parameter context: lead and partners are checked against its departments when known.
    public static func read(_ url: URL, displayName: String? = nil, context: DirectoryContext = DirectoryContext(),
                            requiring: [String] = [], options: CSVReader.Options = CSVReader.Options()) throws -> [Scenario] {
        var keys = KeyLines<ScenarioCode>()
        var result: [Scenario] = []
        try CityTableFile(url: url, displayName: displayName, required: ["scenario", "lead"] + requiring,
                          optional: ["name", "partners"], options: options).forEachRow { r in
            let code = ScenarioCode(try r.required("scenario", expected: "a scenario code"))
            try keys.claim(code, row: r, column: "scenario")
            let lead = try context.department(r, "lead")
            var partners: [DepartmentCode] = []
            for partner in r.list("partners").map(DepartmentCode.init) {
                if let known = context.departments, !known.contains(partner) {
                    throw r.fail("partners", .unknownCategory,
                                 expected: "department codes separated by ';' (unknown: \(partner))")
                }
                partners.append(partner)
            }
            let name = r.text("name")
            result.append(Scenario(code: code, name: name.isEmpty ? code.rawValue : name, lead: lead, partners: partners))
        }
        return result
    }

    /// - Parameter shares: each scenario's share of the entities, written with three decimals.
    public static func write(_ scenarios: [Scenario], shares: [Double], to buffer: CSVRowBuffer) {
        precondition(shares.count == scenarios.count, "one share per scenario")
        buffer.appendRow(columns)
        for (s, share) in zip(scenarios, shares) {
            buffer.appendField(s.code.rawValue)
            buffer.appendField(s.name)
            buffer.appendField(s.lead.rawValue)
            buffer.appendField(s.partners.map(\.rawValue).joined(separator: ";"))
            buffer.appendField((share * 1000).rounded() / 1000, decimals: 3)
            buffer.endRow()
        }
    }
}

/// items.csv: `item`, `department`, `scenario`, optional `element`, `measure` (`on-site` or `on_site`, …), `name`,
/// `key_item` (0/1) and `legal_basis`. The department must supervise the scenario when scenarios are known.
public enum ItemsFile {
    public static let fileName = "items.csv"
    public static let columns = ["item", "department", "scenario", "element", "measure", "key_item", "name"]

    public static func read(_ url: URL, displayName: String? = nil, context: DirectoryContext = DirectoryContext(),
                            requiring: [String] = [], options: CSVReader.Options = CSVReader.Options()) throws -> [Item] {
        var keys = KeyLines<ItemCode>()
        var result: [Item] = []
        try CityTableFile(url: url, displayName: displayName, required: ["item", "department", "scenario"] + requiring,
                          optional: ["element", "measure", "name", "key_item", "legal_basis"], options: options).forEachRow { r in
            let code = ItemCode(try r.required("item", expected: "an item code"))
            try keys.claim(code, row: r, column: "item")
            let department = try context.department(r, "department")
            let scenario = try context.scenario(r, "scenario")
            if let supervising = context.scenarios?[scenario], !supervising.isSupervised(by: department) {
                throw r.fail("department", .invalidValue, expected: "a department supervising \(scenario) ("
                             + supervising.departments.map(\.rawValue).joined(separator: ", ") + ")")
            }
            var element: Element?
            if r.has("element") {
                element = Element(rawValue: try r.oneOf("element", Element.allCases.map(\.rawValue)))
            }
            var measure: Measure?
            if r.has("measure") {
                guard let m = Measure(spelling: try r.required("measure", expected: Measure.expectedForm)) else {
                    throw r.fail("measure", .unknownCategory, expected: Measure.expectedForm)
                }
                measure = m
            }
            let key = r.text("key_item")
            guard key.isEmpty || key == "0" || key == "1" else {
                throw r.fail("key_item", .invalidValue, expected: "0 or 1 (or empty)")
            }
            result.append(Item(code: code, department: department, scenario: scenario, element: element,
                               measure: measure, name: r.text("name"), isKey: key == "1", legalBasis: r.text("legal_basis")))
        }
        return result
    }

    public static func write(_ items: [Item], to buffer: CSVRowBuffer) {
        buffer.appendRow(columns)
        for i in items {
            buffer.appendRow([i.code.rawValue, i.department.rawValue, i.scenario.rawValue, i.element?.rawValue ?? "",
                              i.measure?.citySpelling ?? "", i.isKey ? "1" : "0", i.name])
        }
    }
}

/// caps.csv: `scope` (`all` or a department code), `max_checks_per_year` (whole number ≥ 0).
public enum CapsFile {
    public static let fileName = "caps.csv"
    public static let columns = ["scope", "max_checks_per_year"]

    public static func read(_ url: URL, displayName: String? = nil, context: DirectoryContext = DirectoryContext(),
                            options: CSVReader.Options = CSVReader.Options()) throws -> [Cap] {
        var keys = KeyLines<String>()
        var result: [Cap] = []
        try CityTableFile(url: url, displayName: displayName, required: columns, options: options).forEachRow { r in
            let scope: String
            if let known = context.departments {
                scope = try r.reference("scope", in: known.union(["all"]), table: "departments (or all)").rawValue
            } else {
                scope = try r.required("scope", expected: "all or a department code")
            }
            try keys.claim(scope, row: r, column: "scope")
            result.append(Cap(scope: Cap.Scope(scope), maxChecksPerYear: try r.integer("max_checks_per_year", minimum: 0)))
        }
        return result
    }

    public static func write(_ caps: [Cap], to buffer: CSVRowBuffer) {
        buffer.appendRow(columns)
        for c in caps { buffer.appendRow([c.scope.description, String(c.maxChecksPerYear)]) }
    }
}

/// quotas.csv: `department`, `grade` (A–D), and exactly one of `ratio` (in [0, 1]), `count` (whole number ≥ 0) or
/// `certain` = 1 per row; `certain` may also be empty or 0. An optional last column `jurisdiction` agrees the
/// quota for one jurisdiction (each stratum once per jurisdiction); without it the file is one jurisdiction.
public enum QuotasFile {
    public static let fileName = "quotas.csv"
    public static let columns = ["department", "grade", "ratio", "count", "certain"]
    static let forms = "exactly one of ratio, count, certain=1 per row (ratio in [0, 1], count a whole number ≥ 0)"

    public static func read(_ url: URL, displayName: String? = nil, context: DirectoryContext = DirectoryContext(),
                            requiring: [String] = [], options: CSVReader.Options = CSVReader.Options()) throws -> [Quota] {
        var keys = KeyLines<JurisdictionStratum>()
        var result: [Quota] = []
        try CityTableFile(url: url, displayName: displayName, required: ["department", "grade"] + requiring,
                          optional: ["ratio", "count", "certain", Jurisdiction.column], options: options).forEachRow { r in
            let department = try context.department(r, "department")
            let grade = try r.grade("grade")
            let stratum = Stratum(department: department, grade: grade)
            let jurisdiction = try r.jurisdiction()
            try keys.claim(JurisdictionStratum(jurisdiction: jurisdiction, stratum: stratum), row: r, column: "grade")
            let certainText = r.text("certain")
            guard certainText.isEmpty || certainText == "0" || certainText == "1" else {
                throw r.fail("certain", .invalidValue, expected: "0 or 1 (or empty)")
            }
            let certain = certainText == "1", hasRatio = !r.text("ratio").isEmpty, hasCount = !r.text("count").isEmpty
            guard [certain, hasRatio, hasCount].filter({ $0 }).count == 1 else {
                throw r.fail(hasRatio || !hasCount && !certain ? "ratio" : hasCount ? "count" : "certain",
                             .invalidValue, expected: forms)
            }
            let size: SampleSize
            if certain {
                size = .census
            } else if hasRatio {
                size = .ratio(try r.number("ratio", in: 0...1, expected: "a ratio in [0, 1] like 0.05"))
            } else {
                size = .count(try r.integer("count", minimum: 0))
            }
            result.append(Quota(department: department, grade: grade, size: size, jurisdiction: jurisdiction))
        }
        if result.isEmpty {
            throw TableError(.emptyFile, file: displayName ?? url.lastPathComponent, expected: "at least one quota row")
        }
        return result
    }

    /// Ratios are written with three decimals (the city's quotas are whole per-mille values). The `jurisdiction`
    /// column is written only when some quota has one (a file of one implicit jurisdiction keeps its bytes).
    public static func write(_ quotas: [Quota], to buffer: CSVRowBuffer) {
        let withJurisdiction = quotas.contains { $0.jurisdiction != nil }
        buffer.appendRow(withJurisdiction ? columns + [Jurisdiction.column] : columns)
        for q in quotas {
            buffer.appendField(q.department.rawValue)
            buffer.appendField(q.grade.label)
            switch q.size {
            case let .ratio(r):
                buffer.appendField((r * 1000).rounded() / 1000, decimals: 3)
                buffer.appendMissingField()
                buffer.appendField("0")
            case let .count(c):
                buffer.appendMissingField()
                buffer.appendField(c)
                buffer.appendField("0")
            case .census:
                buffer.appendMissingField()
                buffer.appendMissingField()
                buffer.appendField("1")
            }
            if withJurisdiction { buffer.appendField(q.jurisdiction?.rawValue ?? "") }
            buffer.endRow()
        }
    }
}

/// inspectors.csv: `inspector_id`, `department`, optional `name` (default: the id), `district`,
/// `qualified_items` (`;`-separated item codes), `cap_per_period` and `cap_per_day` (whole numbers; a day's cap
/// ≥ 1, default 2), `conflicts` and `last_checked` (`;`-separated entity ids), and an optional last column
/// `jurisdiction` (the roster the inspector is on; without it the file is one jurisdiction).
public enum InspectorsFile {
    public static let fileName = "inspectors.csv"
    public static let columns = ["inspector_id", "department", "district", "qualified_items", "cap_per_period",
                                 "cap_per_day", "conflicts", "last_checked"]

    /// - Parameter requiring: the planner passes `qualified_items` and `cap_per_period`; without the latter an
    ///   inspector's `capPerPeriod` is nil (no cap recorded).
    public static func read(_ url: URL, displayName: String? = nil, context: DirectoryContext = DirectoryContext(),
                            requiring: [String] = [], options: CSVReader.Options = CSVReader.Options()) throws -> [Inspector] {
        var keys = KeyLines<InspectorID>()
        var result: [Inspector] = []
        // A roster repeats qualification lists (a department's items) across inspectors — half of a generated
        // city's rows repeat one already seen —: each distinct list is split once and its array shared. The codes
        // in the lists repeat too (a city's catalogue has a few hundred items; its roster names each entity of
        // last period's checks once per inspector sent): each distinct code is kept once (a code longer than 15
        // UTF-8 bytes is a heap allocation of its own per copy, and a city has millions of them).
        var qualifications: [String: [ItemCode]] = [:]
        var items = Set<ItemCode>(), entities = Set<EntityID>()
        // The copy kept is byte for byte the text read (`==` of `String` is canonical equivalence, not bytes).
        func codes<Key: DirectoryKey>(_ elements: [String], _ known: inout Set<Key>) -> [Key] {
            elements.map { element in
                let code = Key(element)
                let kept = known.insert(code).memberAfterInsert
                return kept.rawValue.utf8.elementsEqual(code.rawValue.utf8) ? kept : code
            }
        }
        try CityTableFile(url: url, displayName: displayName, required: ["inspector_id", "department"] + requiring,
                          optional: ["name", "district", "qualified_items", "cap_per_period", "cap_per_day", "conflicts",
                                     "last_checked", Jurisdiction.column], options: options).forEachRow { r in
            let id = InspectorID(try r.required("inspector_id", expected: "an inspector id"))
            try keys.claim(id, row: r, column: "inspector_id")
            let department = try context.department(r, "department")
            let district = r.text("district")
            let cap = r.has("cap_per_period") ? try r.integer("cap_per_period", minimum: 0) : nil
            let name = r.text("name")
            let qualificationText = r.text("qualified_items")
            let qualified = qualifications[qualificationText] ?? {
                let list = codes(r.list("qualified_items"), &items)
                qualifications[qualificationText] = list
                return list
            }()
            result.append(Inspector(
                id: id, name: name.isEmpty ? nil : name, department: department,
                district: district.isEmpty ? nil : DistrictCode(district),
                qualifiedItems: qualified, capPerPeriod: cap,
                capPerDay: try r.integer("cap_per_day", minimum: 1, defaultValue: Inspector.defaultCapPerDay),
                conflicts: codes(r.list("conflicts"), &entities),
                checkedLastPeriod: codes(r.list("last_checked"), &entities), jurisdiction: try r.jurisdiction()))
        }
        return result
    }

    /// Lists are written in the order the inspectors hold them. Any sequence, so that a large roster can be
    /// written as it is produced.
    /// - Parameter withJurisdiction: write the `jurisdiction` column (a roster of several jurisdictions); without
    ///   it the file is one implicit jurisdiction and keeps the bytes of earlier builds.
    public static func write(_ inspectors: some Sequence<Inspector>, to buffer: CSVRowBuffer,
                             withJurisdiction: Bool = false) {
        buffer.appendRow(withJurisdiction ? columns + [Jurisdiction.column] : columns)
        for i in inspectors {
            var fields = [i.id.rawValue, i.department.rawValue, i.district?.rawValue ?? "",
                          i.qualifiedItems.map(\.rawValue).joined(separator: ";"),
                          i.capPerPeriod.map(String.init) ?? "", String(i.capPerDay),
                          i.conflicts.map(\.rawValue).joined(separator: ";"),
                          i.checkedLastPeriod.map(\.rawValue).joined(separator: ";")]
            if withJurisdiction { fields.append(i.jurisdiction?.rawValue ?? "") }
            buffer.appendRow(fields)
        }
    }
}
