import Foundation
import GRDB
import Tables

/// How `importCity` runs.
public struct CityImportOptions: Sendable {
    /// A scores file from `onecheck score` (`entity_id` plus `credit_grade`, else `supervision_class`): each
    /// entity's grade in the directory. Without it every entity gets `defaultGrade`.
    public var scores: URL?
    /// The grade of entities when no scores file is given. B by default: an entity nobody has scored yet is
    /// treated as neither trusted (A) nor suspect (C, D).
    public var defaultGrade: String
    /// The day the static features of entities.csv describe (the generator's snapshot: 2025-01-01). Next
    /// period's `history_days_since_last_check` ages from it.
    public var featuresAsOf: CalendarDate
    /// Checks of one entity by one department a year, when caps.csv is absent or names neither the department
    /// nor `all` (the published example: at most 4 in total).
    public var defaultMaxChecksPerYear: Int
    public var blockSize: Int
    /// The audit timestamp; now by default.
    public var auditTime: String?

    public init(scores: URL? = nil, defaultGrade: String = "B",
                featuresAsOf: CalendarDate = CalendarDate(year: 2025, month: 1, day: 1)!,
                defaultMaxChecksPerYear: Int = 4, blockSize: Int = 8 << 20, auditTime: String? = nil) {
        self.scores = scores; self.defaultGrade = defaultGrade; self.featuresAsOf = featuresAsOf
        self.defaultMaxChecksPerYear = defaultMaxChecksPerYear; self.blockSize = blockSize; self.auditTime = auditTime
    }
}

/// What `importCity` did: rows read per file, in import order.
public struct CityImportSummary: Equatable, Sendable {
    public var rows: [(file: String, rows: Int)]
    /// Directory memberships written (entity × supervising department).
    public var memberships: Int
    /// Quota rows written (department × scenario × grade).
    public var quotas: Int

    public static func == (a: Self, b: Self) -> Bool {
        a.rows.map(\.file) == b.rows.map(\.file) && a.rows.map(\.rows) == b.rows.map(\.rows)
            && a.memberships == b.memberships && a.quotas == b.quotas
    }
}

extension Workspace {
    /// The files of a city directory (`onecheck generate`, `datasets/`) that `importCity` reads, in order.
    /// `caps.csv` is optional; history.csv and credit_events.csv are outcomes for fitting, not directory data,
    /// and are not imported.
    public static let cityFiles = ["departments.csv", "scenarios.csv", "items.csv", "entities.csv",
                                   "inspectors.csv", "caps.csv", "quotas.csv"]

    /// Imports a whole synthetic-city directory in **one transaction** (all files or nothing), with the city's
    /// own column names (`datasets/README.md`):
    ///
    /// | file | becomes |
    /// |---|---|
    /// | departments.csv `department,name,risk_head` | departments (`risk_head` kept for score import) |
    /// | scenarios.csv `scenario,name,lead,partners` | scenarios; lead + partners = the directory of its entities |
    /// | items.csv `item,department,scenario,element,measure,name` | items (`on-site` → `on_site`); the department must supervise the scenario |
    /// | entities.csv `entity_id,district,scenario,<features>` | entities (name `<scenario> <last 6 characters>`, grade from `options.scores` or `options.defaultGrade`), a membership per supervising department, and the feature fields as text |
    /// | inspectors.csv `inspector_id,department,conflicts` | inspectors (name = id: the city has no personal names) |
    /// | caps.csv `scope,max_checks_per_year` (optional) | the `max_checks_per_year` of quotas: the department's cap, else `all`, else `options.defaultMaxChecksPerYear` |
    /// | quotas.csv `department,grade,ratio,count,certain` | one quota per scenario the department supervises: `ratio`; `certain`=1 → 1; `count` → count ÷ the department's directory size (capped at 1) |
    ///
    /// Upserts by key, so importing the same directory twice leaves the registry as after the first import.
    /// - Throws: `TableError` naming file, line, column, value and expected form;
    ///   `RegistryError.featureColumnsChanged` when entities.csv has other feature columns than an earlier import.
    @discardableResult
    public func importCity(from directory: URL, options: CityImportOptions = CityImportOptions()) throws
        -> CityImportSummary {
        guard ["A", "B", "C", "D"].contains(options.defaultGrade) else {
            throw RegistryError.invalidArgument(name: "default grade", value: options.defaultGrade, expected: "A, B, C or D")
        }
        let grades = try options.scores.map { try Self.readEntityGrades($0, blockSize: options.blockSize) }
        let at = options.auditTime ?? Workspace.timestamp()
        return try database.write { db in
            var importer = CityImporter(directory: directory, options: options, grades: grades)
            let summary = try importer.run(db: db)
            let counts = summary.rows.map { "\($0.file)=\($0.rows)" }.joined(separator: " ")
            try AuditEntry(at: at, action: "import", detail: "city \(directory.lastPathComponent) \(counts)").insert(db)
            return summary
        }
    }

    /// `entity_id → grade` from a scores file: its `credit_grade` column, else `supervision_class`.
    static func readEntityGrades(_ url: URL, blockSize: Int) throws -> [String: String] {
        let header = try CSVReader(url: url).header
        let column = header.contains("credit_grade") ? "credit_grade" : "supervision_class"
        var grades: [String: String] = [:]
        var keys = KeyLines()
        try CityFile(url: url, required: ["entity_id", column], optional: [], blockSize: blockSize).forEachRow { r in
            let id = try r.required("entity_id")
            try keys.claim(id, row: r, column: "entity_id")
            grades[id] = try r.oneOf(column, ["A", "B", "C", "D"])
        }
        return grades
    }
}

/// One city import inside one write transaction.
private struct CityImporter {
    let directory: URL
    let options: CityImportOptions
    let grades: [String: String]?
    var departments: Set<String> = []
    var scenarioNames: [String: String] = [:]
    var supervisors: [String: [String]] = [:]      // scenario → lead + partners
    var directorySize: [String: Int] = [:]         // department → entities
    var summary = CityImportSummary(rows: [], memberships: 0, quotas: 0)

    init(directory: URL, options: CityImportOptions, grades: [String: String]?) {
        self.directory = directory; self.options = options; self.grades = grades
    }

    func file(_ name: String, _ required: [String], _ optional: [String] = []) -> CityFile {
        CityFile(url: directory.appendingPathComponent(name), required: required, optional: optional,
                 blockSize: options.blockSize)
    }

    mutating func run(db: Database) throws -> CityImportSummary {
        for name in Workspace.cityFiles where name != "caps.csv" {
            let path = directory.appendingPathComponent(name).path
            guard FileManager.default.fileExists(atPath: path) else {
                throw RegistryError.missingFile(path: path, expected: "a city directory written by `onecheck generate`")
            }
        }
        try importDepartments(db)
        try importScenarios(db)
        try importItems(db)
        try importEntities(db)
        try importInspectors(db)
        let caps = try readCaps()
        try importQuotas(db, caps: caps)
        try db.execute(sql: "INSERT INTO workspace_settings(key, value) VALUES ('features_as_of', ?) "
                       + "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                       arguments: [options.featuresAsOf.description])
        return summary
    }

    mutating func importDepartments(_ db: Database) throws {
        let statement = try db.makeStatement(sql: upsert("departments", ["code", "name", "risk_head"], key: ["code"]))
        var keys = KeyLines()
        let rows = try file("departments.csv", ["department", "name"], ["risk_head"]).forEachRow { r in
            let code = try r.required("department")
            try keys.claim(code, row: r, column: "department")
            try executeUnchecked(statement, [code, try r.required("name"), r.text("risk_head")])
        }
        departments = Set(try String.fetchAll(db, sql: "SELECT code FROM departments"))
        summary.rows.append(("departments.csv", rows))
    }

    mutating func importScenarios(_ db: Database) throws {
        let statement = try db.makeStatement(sql: upsert("scenarios", ["code", "name", "lead_department"], key: ["code"]))
        var keys = KeyLines()
        let known = departments
        var names: [String: String] = [:], supervisors: [String: [String]] = [:]
        let rows = try file("scenarios.csv", ["scenario", "name", "lead"], ["partners"]).forEachRow { r in
            let code = try r.required("scenario")
            try keys.claim(code, row: r, column: "scenario")
            let name = try r.required("name")
            let lead = try r.reference("lead", in: known, table: "departments")
            var list = [lead]
            for partner in r.list("partners") where !list.contains(partner) {
                guard known.contains(partner) else {
                    throw r.fail("partners", .unknownCategory,
                                 expected: "department codes separated by ';' (unknown: \(partner))")
                }
                list.append(partner)
            }
            try executeUnchecked(statement, [code, name, lead])
            names[code] = name
            supervisors[code] = list
        }
        scenarioNames = names
        self.supervisors = supervisors
        summary.rows.append(("scenarios.csv", rows))
    }

    mutating func importItems(_ db: Database) throws {
        let statement = try db.makeStatement(sql: upsert(
            "items", ["code", "department", "scenario", "name", "element", "measure", "legal_basis"], key: ["code"]))
        var keys = KeyLines()
        let known = departments, supervisors = self.supervisors, scenarios = Set(supervisors.keys)
        let rows = try file("items.csv", ["item", "department", "scenario", "element", "measure", "name"],
                            ["legal_basis"]).forEachRow { r in
            let code = try r.required("item")
            try keys.claim(code, row: r, column: "item")
            let department = try r.reference("department", in: known, table: "departments")
            let scenario = try r.reference("scenario", in: scenarios, table: "scenarios.csv")
            guard supervisors[scenario]!.contains(department) else {
                throw r.fail("department", .invalidValue,
                             expected: "a department supervising \(scenario) (\(supervisors[scenario]!.joined(separator: ", ")))")
            }
            let element = try r.oneOf("element", Element.allCases.map(\.rawValue))
            guard let measure = Measure.normalised(try r.required("measure", expected: Measure.expected)) else {
                throw r.fail("measure", .unknownCategory, expected: Measure.expected)
            }
            try executeUnchecked(statement, [code, department, scenario, try r.required("name"), element, measure,
                                             r.text("legal_basis")])
        }
        summary.rows.append(("items.csv", rows))
    }

    mutating func importEntities(_ db: Database) throws {
        let upsertEntity = try db.makeStatement(sql: upsert(
            "entities", ["credit_code", "name", "scenario", "district", "credit_grade"], key: ["credit_code"]))
        let clear = try db.makeStatement(sql: "DELETE FROM directory_memberships WHERE entity = ?")
        let member = try db.makeStatement(sql: "INSERT INTO directory_memberships(department, entity) VALUES (?, ?)")
        let features = try db.makeStatement(sql: upsert("entity_features", ["entity", "feature_values"], key: ["entity"]))
        let file = file("entities.csv", ["entity_id", "district", "scenario"])
        var featureColumns: [Int] = []
        var keys = KeyLines()
        var memberships = 0
        var sizes: [String: Int] = [:]
        let names = scenarioNames, supervisors = self.supervisors, grades = self.grades, scenarios = Set(names.keys)
        let defaultGrade = options.defaultGrade
        let rows = try file.forEachRow(header: { header in
            let fixed: Set<String> = ["entity_id", "district", "scenario"]
            featureColumns = header.indices.filter { !fixed.contains(header[$0]) }
            try Self.recordFeatureColumns(featureColumns.map { header[$0] }, file: file.name, db: db)
        }) { r in
            let code = try r.creditCode("entity_id")
            try keys.claim(code, row: r, column: "entity_id")
            let scenario = try r.reference("scenario", in: scenarios, table: "scenarios.csv")
            let grade: String
            if let grades {
                guard let scored = grades[code] else {
                    throw r.fail("entity_id", .unknownCategory, expected: "an entity_id that has a row in the scores file")
                }
                grade = scored
            } else {
                grade = defaultGrade
            }
            try executeUnchecked(upsertEntity, [code, "\(names[scenario]!) \(code.suffix(6))", scenario,
                                                r.text("district"), grade])
            try executeUnchecked(clear, [code])
            for department in supervisors[scenario]! {
                try executeUnchecked(member, [department, code])
                sizes[department, default: 0] += 1
                memberships += 1
            }
            var values = ""
            for (position, column) in featureColumns.enumerated() {
                let text = r.field(at: column)
                // Validate now, so a bad value is reported at import with its line, not when scoring later.
                if !text.isEmpty {
                    guard case .finite = r.block.parseDouble(row: r.row, column: column) else {
                        throw r.fail(column: column, .notANumber,
                                     expected: TableError.expectedFiniteNumber + " or an empty field")
                    }
                }
                if position > 0 { values += "," }
                values += text
            }
            try executeUnchecked(features, [code, values])
        }
        directorySize = sizes
        summary.memberships = memberships
        summary.rows.append(("entities.csv", rows))
    }

    /// Stores the feature column names, or checks them against an earlier import: the stored values are
    /// positional, so a file with other columns would silently shift every value.
    static func recordFeatureColumns(_ names: [String], file: String, db: Database) throws {
        let stored = try String.fetchAll(db, sql: "SELECT name FROM feature_columns ORDER BY position")
        if stored.isEmpty {
            for (position, name) in names.enumerated() {
                try db.execute(sql: "INSERT INTO feature_columns(position, name) VALUES (?, ?)", arguments: [position, name])
            }
        } else if stored != names {
            throw RegistryError.featureColumnsChanged(file: file, stored: stored, found: names)
        }
    }

    mutating func importInspectors(_ db: Database) throws {
        let statement = try db.makeStatement(sql: upsert("inspectors", ["id", "name", "department", "conflicts"], key: ["id"]))
        var keys = KeyLines()
        let known = departments
        let rows = try file("inspectors.csv", ["inspector_id", "department"], ["name", "conflicts"]).forEachRow { r in
            let id = try r.required("inspector_id")
            try keys.claim(id, row: r, column: "inspector_id")
            let name = r.text("name").isEmpty ? id : r.text("name")
            try executeUnchecked(statement, [id, name, try r.reference("department", in: known, table: "departments"),
                                             r.text("conflicts")])
        }
        summary.rows.append(("inspectors.csv", rows))
    }

    /// scope → max_checks_per_year, or empty when caps.csv is absent.
    mutating func readCaps() throws -> [String: Int] {
        let caps = file("caps.csv", ["scope", "max_checks_per_year"])
        guard FileManager.default.fileExists(atPath: caps.url.path) else { return [:] }
        var result: [String: Int] = [:]
        var keys = KeyLines()
        let scopes = departments.union(["all"])
        let rows = try caps.forEachRow { r in
            let scope = try r.reference("scope", in: scopes, table: "departments (or all)")
            try keys.claim(scope, row: r, column: "scope")
            result[scope] = try r.integer("max_checks_per_year", minimum: 0)
        }
        summary.rows.append(("caps.csv", rows))
        return result
    }

    mutating func importQuotas(_ db: Database, caps: [String: Int]) throws {
        let statement = try db.makeStatement(sql: upsert(
            "quotas", ["department", "scenario", "credit_grade", "sampling_ratio", "max_checks_per_year"],
            key: ["department", "scenario", "credit_grade"]))
        var keys = KeyLines()
        let known = departments, sizes = directorySize
        let scenariosOf = Dictionary(grouping: supervisors.flatMap { scenario, list in list.map { ($0, scenario) } },
                                     by: \.0).mapValues { $0.map(\.1).sorted() }
        let fallback = options.defaultMaxChecksPerYear
        var written = 0
        let rows = try file("quotas.csv", ["department", "grade"], ["ratio", "count", "certain"]).forEachRow { r in
            let department = try r.reference("department", in: known, table: "departments")
            let grade = try r.oneOf("grade", ["A", "B", "C", "D"])
            try keys.claim(department + "\u{1F}" + grade, row: r, column: "grade")
            let forms = "exactly one of ratio (0–1), count (whole number ≥ 0) or certain = 1"
            let certain = r.text("certain") == "1"
            let hasRatio = !r.text("ratio").isEmpty, hasCount = !r.text("count").isEmpty
            guard [certain, hasRatio, hasCount].filter({ $0 }).count == 1 else {
                throw r.fail(hasRatio ? "ratio" : hasCount ? "count" : "certain", .invalidValue, expected: forms)
            }
            let ratio: Double
            if certain {
                ratio = 1
            } else if hasRatio {
                ratio = try r.number("ratio", in: 0...1, expected: "a ratio between 0 and 1")
            } else {
                let count = try r.integer("count", minimum: 0)
                let size = sizes[department] ?? 0
                ratio = size == 0 ? 0 : min(1, Double(count) / Double(size))
            }
            let cap = caps[department] ?? caps["all"] ?? fallback
            for scenario in scenariosOf[department] ?? [] {
                try executeUnchecked(statement, [department, scenario, grade, ratio, cap])
                written += 1
            }
        }
        summary.quotas = written
        summary.rows.append(("quotas.csv", rows))
    }
}
