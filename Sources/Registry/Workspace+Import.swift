import Foundation
import GRDB
import Tables

/// How an import runs.
public struct ImportOptions: Sendable {
    /// Bytes per block read from the file (see `CSVReader.Options.blockSize`).
    public var blockSize: Int
    /// When the import is logged in the audit log; `Workspace.timestamp()` (now) by default.
    public var auditTime: String?
    /// Called after each block with the number of rows written so far, inside the open transaction.
    public var progress: (@Sendable (Int) -> Void)?

    public init(blockSize: Int = 8 << 20, auditTime: String? = nil, progress: (@Sendable (Int) -> Void)? = nil) {
        self.blockSize = blockSize
        self.auditTime = auditTime
        self.progress = progress
    }
}

/// What an import did.
public struct ImportSummary: Equatable, Sendable {
    public var kind: ImportKind
    public var file: String
    /// Data rows read and upserted.
    public var rows: Int
}

extension Workspace {
    /// Imports a CSV file of `kind` (formats: `ImportKind`) in one transaction: either every row is upserted,
    /// or — on the first bad row, a constraint failure, or a crash — nothing is.
    ///
    /// - Throws: `TableError` for a bad file or row (file, line, column, value, expected form);
    ///   `RegistryError.planAlreadyDrawn` for a repeated draw (logged in the audit log); `DatabaseError`.
    /// - Complexity: O(rows), one prepared statement execution per row (plus one per directory membership).
    @discardableResult
    public func importCSV(_ kind: ImportKind, from url: URL, options: ImportOptions = ImportOptions()) throws
        -> ImportSummary {
        var reader = try CSVReader(url: url, options: CSVReader.Options(blockSize: options.blockSize))
        _ = try reader.requireColumns(kind.requiredColumns)
        var positions: [String: Int] = [:]
        for name in kind.requiredColumns + kind.optionalColumns {
            if let index = reader.columnIndex(named: name) { positions[name] = index }
        }
        let at = options.auditTime ?? Workspace.timestamp()
        let file = reader.fileName
        do {
            return try database.write { db in
                var importer = try RowImporter(kind: kind, db: db)
                var rows = 0
                while let block = try reader.nextBlock() {
                    var record = ImportRow(block: block, row: 0, positions: positions)
                    for row in 0..<block.rowCount {
                        record.row = row
                        try importer.importRow(record, db: db)
                    }
                    rows += block.rowCount
                    options.progress?(rows)
                }
                try importer.finish(db: db, at: at, file: file)
                try AuditEntry(at: at, action: "import", detail: "\(kind.rawValue) \(file) rows=\(rows)").insert(db)
                return ImportSummary(kind: kind, file: file, rows: rows)
            }
        } catch let refusal as RegistryError {
            if case let .planAlreadyDrawn(scenario, period, existing) = refusal {
                // The import rolled back; the refused attempt itself must still be on record.
                try database.write { db in
                    try AuditEntry(at: at, action: "redraw_refused", scenario: scenario, period: period,
                                   detail: "file \(file); existing plan \(existing)").insert(db)
                }
            }
            throw refusal
        }
    }
}

/// Row-by-row upserts for one kind, with the referenced keys loaded once.
private struct RowImporter {
    let kind: ImportKind
    var keys = KeyLines()
    var statements: [Statement] = []
    var departments: Set<String> = []
    var scenarios: Set<String> = []
    var items: [String: String] = [:]          // item → department
    var entities: Set<String> = []
    var checks: [String: String] = [:]         // check → department
    var nonCompliant: Set<String> = []         // check \u{1F} item of minor/serious findings
    var memberships: Set<String> = []          // department \u{1F} entity
    var draws: [String: PendingDraw] = [:]
    var drawOrder: [String] = []

    struct PendingDraw {
        var plan: Plan
        var checks: [Check]
        var firstLine: Int
    }

    static let grades = ["A", "B", "C", "D"]

    init(kind: ImportKind, db: Database) throws {
        self.kind = kind
        func set(_ sql: String) throws -> Set<String> { Set(try String.fetchAll(db, sql: sql)) }
        func map(_ sql: String) throws -> [String: String] {
            var result: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: sql) { result[row[0]] = row[1] as String }
            return result
        }
        switch kind {
        case .departments:
            statements = [try db.makeStatement(sql: upsert("departments", ["code", "name"], key: ["code"]))]
        case .scenarios:
            departments = try set("SELECT code FROM departments")
            statements = [try db.makeStatement(sql: upsert("scenarios", ["code", "name", "lead_department"],
                                                           key: ["code"]))]
        case .items:
            departments = try set("SELECT code FROM departments")
            scenarios = try set("SELECT code FROM scenarios")
            statements = [try db.makeStatement(sql: upsert(
                "items", ["code", "department", "scenario", "name", "element", "measure", "legal_basis"],
                key: ["code"]))]
        case .entities:
            departments = try set("SELECT code FROM departments")
            scenarios = try set("SELECT code FROM scenarios")
            statements = [
                try db.makeStatement(sql: upsert(
                    "entities", ["credit_code", "name", "scenario", "district", "legal_representative", "credit_grade"],
                    key: ["credit_code"])),
                try db.makeStatement(sql: "DELETE FROM directory_memberships WHERE entity = ?"),
                try db.makeStatement(sql: "INSERT INTO directory_memberships(department, entity) VALUES (?, ?)"),
            ]
        case .memberships:
            departments = try set("SELECT code FROM departments")
            entities = try set("SELECT credit_code FROM entities")
            statements = [try db.makeStatement(
                sql: "INSERT INTO directory_memberships(department, entity) VALUES (?, ?) ON CONFLICT DO NOTHING")]
        case .inspectors:
            departments = try set("SELECT code FROM departments")
            statements = [try db.makeStatement(sql: upsert("inspectors", ["id", "name", "department", "conflicts"],
                                                           key: ["id"]))]
        case .quotas:
            departments = try set("SELECT code FROM departments")
            scenarios = try set("SELECT code FROM scenarios")
            statements = [try db.makeStatement(sql: upsert(
                "quotas", ["department", "scenario", "credit_grade", "sampling_ratio", "max_checks_per_year"],
                key: ["department", "scenario", "credit_grade"]))]
        case .plan:
            scenarios = try set("SELECT code FROM scenarios")
            memberships = try set("SELECT department || char(31) || entity FROM directory_memberships")
        case .findings:
            items = try map("SELECT code, department FROM items")
            checks = try map("SELECT id, department FROM checks")
            statements = [try db.makeStatement(sql: upsert(
                "findings", ["check_id", "item", "outcome", "penalty", "note"], key: ["check_id", "item"]))]
        case .disposals:
            nonCompliant = try set(
                "SELECT check_id || char(31) || item FROM findings WHERE outcome IN ('minor', 'serious')")
            statements = [try db.makeStatement(sql: upsert(
                "disposals", ["check_id", "item", "action", "opened_on", "closed_on"], key: ["check_id", "item"]))]
        }
    }

    mutating func importRow(_ r: ImportRow, db: Database) throws {
        switch kind {
        case .departments:
            let code = try r.required("code")
            try keys.claim(code, row: r, column: "code")
            try execute(statements[0], [code, try r.required("name")])
        case .scenarios:
            let code = try r.required("code")
            try keys.claim(code, row: r, column: "code")
            try execute(statements[0], [
                code, try r.required("name"), try r.reference("lead_department", in: departments, table: "departments"),
            ])
        case .items:
            let code = try r.required("code")
            try keys.claim(code, row: r, column: "code")
            try execute(statements[0], [
                code, try r.reference("department", in: departments, table: "departments"),
                try r.reference("scenario", in: scenarios, table: "scenarios"), try r.required("name"),
                try r.oneOf("element", Element.allCases.map(\.rawValue)),
                try r.oneOf("measure", ["on_site", "off_site", "documents"]), r.text("legal_basis"),
            ])
        case .entities:
            let code = try r.creditCode("credit_code")
            try keys.claim(code, row: r, column: "credit_code")
            try execute(statements[0], [
                code, try r.required("name"), try r.reference("scenario", in: scenarios, table: "scenarios"),
                r.text("district"), r.text("legal_representative"), try r.oneOf("credit_grade", Self.grades),
            ])
            if r.has("departments") {
                try execute(statements[1], [code])
                var seen: Set<Substring> = []
                for department in r.text("departments").split(separator: ";") where seen.insert(department).inserted {
                    guard departments.contains(String(department)) else {
                        throw r.fail("departments", .unknownCategory,
                                     expected: "department codes separated by ';' (unknown: \(department))")
                    }
                    try execute(statements[2], [String(department), code])
                }
            }
        case .memberships:
            let department = try r.reference("department", in: departments, table: "departments")
            let entity = try r.reference("entity", in: entities, table: "entities")
            try keys.claim(department + "\u{1F}" + entity, row: r, column: "entity")
            try execute(statements[0], [department, entity])
        case .inspectors:
            let id = try r.required("id")
            try keys.claim(id, row: r, column: "id")
            try execute(statements[0], [
                id, try r.required("name"), try r.reference("department", in: departments, table: "departments"),
                r.text("conflicts"),
            ])
        case .quotas:
            let department = try r.reference("department", in: departments, table: "departments")
            let scenario = try r.reference("scenario", in: scenarios, table: "scenarios")
            let grade = try r.oneOf("credit_grade", Self.grades)
            try keys.claim([department, scenario, grade].joined(separator: "\u{1F}"), row: r, column: "credit_grade")
            try execute(statements[0], [
                department, scenario, grade,
                try r.number("sampling_ratio", in: 0...1, expected: "a ratio between 0 and 1"),
                try r.integer("max_checks_per_year", minimum: 0),
            ])
        case .plan:
            try collectDrawRow(r)
        case .findings:
            let check = try r.required("check_id", expected: "a check id of the registry")
            guard let checkDepartment = checks[check] else {
                throw r.fail("check_id", .unknownCategory, expected: "a check id of the registry")
            }
            let item = try r.required("item", expected: "an item code")
            guard let itemDepartment = items[item] else {
                throw r.fail("item", .unknownCategory, expected: "an item code of the registry")
            }
            // A department records results only for its own items: joint checks keep each finding attributable.
            guard itemDepartment == checkDepartment else {
                throw r.fail("item", .invalidValue, expected: "an item of department \(checkDepartment), the check's department")
            }
            try keys.claim(check + "\u{1F}" + item, row: r, column: "item")
            try execute(statements[0], [
                check, item, try r.oneOf("outcome", Outcome.allCases.map(\.rawValue)),
                try r.number("penalty", in: 0...Double.greatestFiniteMagnitude, expected: "an amount in yuan ≥ 0",
                             defaultValue: 0),
                r.text("note"),
            ])
        case .disposals:
            let check = try r.required("check_id")
            let item = try r.required("item")
            guard nonCompliant.contains(check + "\u{1F}" + item) else {
                throw r.fail("item", .unknownCategory, expected: "the item of a minor or serious finding of check \(check)")
            }
            try keys.claim(check + "\u{1F}" + item, row: r, column: "item")
            let opened = try r.date("opened_on")!
            let closed = try r.date("closed_on", optional: true)
            if let closed, closed < opened {
                throw r.fail("closed_on", .invalidValue, expected: "a date on or after opened_on \(opened)")
            }
            try execute(statements[0], [check, item, try r.required("action"), opened, closed])
        }
    }

    /// Plan rows are gathered per plan and written by `finish`, so each draw goes through `Workspace.insertDraw`.
    private mutating func collectDrawRow(_ r: ImportRow) throws {
        let planID = try r.required("plan")
        let scenario = try r.reference("scenario", in: scenarios, table: "scenarios")
        let period = try r.required("period")
        let seed = try r.required("seed")
        let checkID = try r.required("check_id")
        try keys.claim(checkID, row: r, column: "check_id")
        let entity = try r.creditCode("entity")
        let department = try r.required("department")
        guard memberships.contains(department + "\u{1F}" + entity) else {
            throw r.fail("entity", .unknownCategory, expected: "an entity in department \(department)'s directory")
        }
        let check = Check(id: checkID, plan: planID, entity: entity, department: department,
                          inclusionProbability: try r.number("inclusion_probability", in: Double.leastNonzeroMagnitude...1,
                                                             expected: "an inclusion probability 0 < π ≤ 1"),
                          checkedOn: try r.date("checked_on")!, inspectors: r.text("inspectors"))
        if var draw = draws[planID] {
            for (name, value, expected) in [("scenario", scenario, draw.plan.scenario), ("period", period, draw.plan.period),
                                            ("seed", seed, draw.plan.seed)] where value != expected {
                throw r.fail(name, .invalidValue,
                             expected: "\"\(expected)\" as on line \(draw.firstLine) for plan \(planID)")
            }
            draw.checks.append(check)
            draws[planID] = draw
        } else {
            draws[planID] = PendingDraw(plan: Plan(id: planID, scenario: scenario, period: period, seed: seed),
                                        checks: [check], firstLine: r.line)
            drawOrder.append(planID)
        }
    }

    func finish(db: Database, at: String, file: String) throws {
        for id in drawOrder {
            let draw = draws[id]!
            try Workspace.insertDraw(draw.plan, checks: draw.checks, db: db, at: at)
        }
    }
}

/// `INSERT … ON CONFLICT(key) DO UPDATE` for the given columns.
func upsert(_ table: String, _ columns: [String], key: [String]) -> String {
    let updates = columns.filter { !key.contains($0) }.map { "\($0) = excluded.\($0)" }
    let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ", ")
    let action = updates.isEmpty ? "NOTHING" : "UPDATE SET " + updates.joined(separator: ", ")
    return "INSERT INTO \(table)(\(columns.joined(separator: ", "))) VALUES (\(placeholders)) "
        + "ON CONFLICT(\(key.joined(separator: ", "))) DO \(action)"
}

/// Runs a prepared statement with arguments whose count the import already guarantees (skipping GRDB's
/// per-call argument validation, which matters at a million rows).
@inline(__always)
private func execute(_ statement: Statement, _ arguments: StatementArguments) throws {
    statement.setUncheckedArguments(arguments)
    try statement.execute()
}
