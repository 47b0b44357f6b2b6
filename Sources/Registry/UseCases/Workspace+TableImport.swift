import Foundation
import Supervision
import Tables

/// How an import runs.
public struct ImportOptions: Sendable {
    /// Bytes per block read from the file (see `CSVReader.Options.blockSize`).
    public var blockSize: Int
    /// When the import is logged in the audit log; `Workspace.timestamp()` (now) by default.
    public var auditTime: String?
    /// Called after each block with the number of rows written so far, inside the open transaction.
    public var progress: (@Sendable (Int) -> Void)?
    /// Only rows about checks of this department are accepted (a department officer's upload); a row about
    /// another department's check refuses the whole file.
    public var department: DepartmentCode?
    /// The console account importing, for the audit log ("" for the command line).
    public var user: String

    public init(blockSize: Int = 8 << 20, auditTime: String? = nil, progress: (@Sendable (Int) -> Void)? = nil,
                department: DepartmentCode? = nil, user: String = "") {
        self.blockSize = blockSize
        self.auditTime = auditTime
        self.progress = progress
        self.department = department
        self.user = user
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
    /// or — on the first bad row, or a crash — nothing is.
    ///
    /// - Throws: `TableError` for a bad file or row (file, line, column, value, expected form);
    ///   `RegistryError.planAlreadyDrawn` for a repeated draw (logged in the audit log).
    /// - Complexity: O(rows); the references of each block are looked up in the store at once.
    @discardableResult
    public func importCSV(_ kind: ImportKind, from url: URL, options: ImportOptions = ImportOptions()) throws
        -> ImportSummary {
        let file = FileRows(url: url, required: kind.requiredColumns, optional: kind.optionalColumns,
                            blockSize: options.blockSize)
        let at = options.auditTime ?? Workspace.timestamp()
        do {
            return try store.write { tx in
                var importer = try RowImporter(kind: kind, tx: tx)
                importer.onlyDepartment = options.department
                var rows = 0
                try file.forEachBlock { block, positions in
                    try importer.importBlock(block, positions: positions)
                    rows += block.rowCount
                    options.progress?(rows)
                }
                try importer.finish(at: at)
                try tx.appendAudit(AuditEntry(at: at, action: .import, detail: "\(kind.rawValue) \(file.name) rows=\(rows)",
                                              user: options.user))
                return ImportSummary(kind: kind, file: file.name, rows: rows)
            }
        } catch let RegistryError.planAlreadyDrawn(scenario, period, existing) {
            // The import rolled back; the refused attempt itself must still be on record.
            _ = try store.write { tx in
                try tx.appendAudit(AuditEntry(at: at, action: .redrawRefused, scenario: scenario.rawValue,
                                              period: period.description,
                                              detail: "file \(file.name); existing plan \(existing)"))
            }
            throw RegistryError.planAlreadyDrawn(scenario: scenario, period: period, existingPlan: existing)
        }
    }
}

/// Row-by-row upserts of one kind, with the directory's keys loaded once and each block's references looked up
/// at once. (Penalty decisions and repairs: `Workspace+CreditRepairImport.swift`.)
struct RowImporter {
    let kind: ImportKind
    let tx: any RegistryWriter
    var departments: Set<DepartmentCode> = []
    var scenarios: Set<ScenarioCode> = []
    var itemDepartment: [ItemCode: DepartmentCode] = [:]
    // The line of each key seen in the file, by the kind of key.
    var codes = KeyLines<String>()
    var memberships = KeyLines<DirectoryMembership>()
    var ratioKeys = KeyLines<RatioKey>()
    var findingKeys = KeyLines<FindingKey>()
    var draws: [DrawKey: PendingDraw] = [:]
    /// The plan already recorded for a scenario, period and jurisdiction (nil: none), looked up once each.
    var recordedPlans: [DrawScope: PlanID?] = [:]
    var drawOrder: [DrawKey] = []
    /// Rows must concern checks of this department (``ImportOptions/department``).
    var onlyDepartment: DepartmentCode?

    /// The key of a version-1 quota: a stratum within one scenario.
    struct RatioKey: Hashable {
        var stratum: Stratum
        var scenario: ScenarioCode
    }

    struct DrawScope: Hashable {
        var scenario: ScenarioCode
        var period: Period
        var jurisdiction: JurisdictionCode?
    }

    struct DrawKey: Hashable {
        var plan: PlanID
        var period: Period
    }

    struct PendingDraw {
        var plan: ScenarioPlan
        var checks: [Check]
        var firstLine: Int
        /// The first row, for errors about the plan as a whole.
        var first: CityRow
    }

    static let grades = Grade.labels

    init(kind: ImportKind, tx: any RegistryWriter) throws {
        self.kind = kind
        self.tx = tx
        switch kind {
        case .scenarios, .items, .entities, .memberships, .inspectors, .quotas:
            departments = Set(try tx.departments().map(\.code))
        default: break
        }
        switch kind {
        case .items, .entities, .quotas, .plan: scenarios = Set(try tx.scenarios().map(\.code))
        case .findings: itemDepartment = Dictionary(uniqueKeysWithValues: try tx.items().map { ($0.code, $0.department) })
        default: break
        }
    }

    /// Records a code at the row's line; a code seen before in the file is refused with both lines.
    mutating func claim(_ key: String, _ r: CityRow, column: String) throws {
        try codes.claim(key, row: r, column: column)
    }

    mutating func importBlock(_ block: CSVBlock, positions: [String: Int]) throws {
        let rows = BlockRows(block: block, positions: positions)
        switch kind {
        case .departments:
            for r in rows {
                let code = try r.required("code")
                try claim(code, r, column: "code")
                try tx.upsertDepartment(code: DepartmentCode(code), name: try r.required("name"), riskHead: nil)
            }
        case .scenarios:
            for r in rows {
                let code = try r.required("code")
                try claim(code, r, column: "code")
                try tx.upsertScenario(code: ScenarioCode(code), name: try r.required("name"),
                                      lead: try r.reference("lead_department", in: departments, table: "departments"),
                                      partners: nil)
            }
        case .items:
            for r in rows {
                let code = try r.required("code")
                try claim(code, r, column: "code")
                let department: DepartmentCode = try r.reference("department", in: departments, table: "departments")
                let scenario: ScenarioCode = try r.reference("scenario", in: scenarios, table: "scenarios")
                let name = try r.required("name")
                let element = Element(rawValue: try r.oneOf("element", Element.allCases.map(\.rawValue)))
                let measure = Measure(rawValue: try r.oneOf("measure", Measure.allCases.map(\.rawValue)))
                try tx.upsertItem(Item(code: ItemCode(code), department: department, scenario: scenario, element: element,
                                       measure: measure, name: name, legalBasis: r.text("legal_basis")))
            }
        case .entities:
            var batch: [EntityUpsert] = []
            for r in rows { batch.append(try entity(r)) }
            try tx.upsertEntities(batch)
        case .memberships:
            let entries = try tx.directoryEntries(of: rows.creditCodes("entity"))
            var added: [DirectoryMembership] = []
            for r in rows {
                let department: DepartmentCode = try r.reference("department", in: departments, table: "departments")
                _ = try r.required("entity", expected: "a key of entities")
                guard let code = r.creditCodeIfValid("entity"), entries[code] != nil else {
                    throw r.fail("entity", .unknownCategory, expected: "a key of entities")
                }
                let membership = DirectoryMembership(department: department, entity: EntityID(code))
                try memberships.claim(membership, row: r, column: "entity")
                added.append(membership)
            }
            try tx.addMemberships(added)
        case .inspectors:
            for r in rows {
                let id = try r.required("id")
                try claim(id, r, column: "id")
                let name = try r.required("name")
                try tx.upsertInspector(Inspector(id: InspectorID(id), name: name,
                                                 department: try r.reference("department", in: departments, table: "departments"),
                                                 capPerPeriod: nil, conflicts: r.list("conflicts").map(EntityID.init)),
                                       roster: false)
            }
        case .quotas:
            var ratios: [SamplingRatio] = []
            for r in rows {
                let department: DepartmentCode = try r.reference("department", in: departments, table: "departments")
                let scenario: ScenarioCode = try r.reference("scenario", in: scenarios, table: "scenarios")
                let grade = Grade(label: try r.oneOf("credit_grade", Self.grades))!
                try ratioKeys.claim(RatioKey(stratum: Stratum(department: department, grade: grade), scenario: scenario),
                                 row: r, column: "credit_grade")
                ratios.append(SamplingRatio(
                    department: department, scenario: scenario, grade: grade,
                    ratio: try r.number("sampling_ratio", in: 0...1, expected: "a ratio between 0 and 1"),
                    maxChecksPerYear: try r.integer("max_checks_per_year", minimum: 0)))
            }
            try tx.upsertSamplingRatios(ratios)
        case .plan:
            try collectDraws(rows)
        case .findings:
            try importFindings(rows)
        case .disposals:
            try importDisposals(rows)
        case .penalties:
            try importPenaltyDecisions(rows)
        case .repairs:
            try importRepairs(rows)
        }
    }

    mutating func entity(_ r: CityRow) throws -> EntityUpsert {
        let code = try r.creditCode("credit_code")
        try claim(code.rawValue, r, column: "credit_code")
        let name = try r.required("name")
        let scenario: ScenarioCode = try r.reference("scenario", in: scenarios, table: "scenarios")
        let district = r.text("district")
        let representative = r.text("legal_representative")
        let grade = Grade(label: try r.oneOf("credit_grade", Self.grades))!
        var memberships: [DepartmentCode]?
        if r.has("departments") {
            var list: [DepartmentCode] = []
            for department in r.list("departments").map(DepartmentCode.init) where !list.contains(department) {
                guard departments.contains(department) else {
                    throw r.fail("departments", .unknownCategory,
                                 expected: "department codes separated by ';' (unknown: \(department))")
                }
                list.append(department)
            }
            memberships = list
        }
        return EntityUpsert(entity: Entity(creditCode: code, name: name, scenario: scenario,
                                           district: district.isEmpty ? nil : DistrictCode(district),
                                           legalRepresentative: representative, creditGrade: grade),
                            writesLegalRepresentative: true, departments: memberships, featureValues: nil)
    }

    mutating func importFindings(_ rows: BlockRows) throws {
        let checks = try tx.checks(rows.texts("check_id").map(CheckID.init))
        var findings: [Finding] = []
        for r in rows {
            let check = CheckID(try r.required("check_id", expected: "a check id of the registry"))
            guard let checkDepartment = checks[check]?.check.department else {
                throw r.fail("check_id", .unknownCategory, expected: "a check id of the registry")
            }
            if let onlyDepartment, checkDepartment != onlyDepartment {
                throw r.fail("check_id", .invalidValue, expected: "a check of department \(onlyDepartment)")
            }
            let item = ItemCode(try r.required("item", expected: "an item code"))
            guard let department = itemDepartment[item] else {
                throw r.fail("item", .unknownCategory, expected: "an item code of the registry")
            }
            // A department records results only for its own items: joint checks keep each finding attributable.
            guard department == checkDepartment else {
                throw r.fail("item", .invalidValue, expected: "an item of department \(checkDepartment), the check's department")
            }
            try findingKeys.claim(FindingKey(check: check, item: item), row: r, column: "item")
            findings.append(Finding(
                checkId: check, item: item, outcome: Outcome(rawValue: try r.oneOf("outcome", Outcome.allCases.map(\.rawValue)))!,
                penalty: try r.number("penalty", in: 0...Double.greatestFiniteMagnitude, expected: "an amount in yuan ≥ 0",
                                      defaultValue: 0),
                note: r.text("note")))
        }
        try tx.upsertFindings(findings)
    }

    mutating func importDisposals(_ rows: BlockRows) throws {
        let findings = try tx.findings(zip(rows.texts("check_id"), rows.texts("item")).map {
            FindingKey(check: CheckID($0), item: ItemCode($1))
        })
        let checks = onlyDepartment == nil ? [:] : try tx.checks(rows.texts("check_id").map(CheckID.init))
        var disposals: [Disposal] = []
        for r in rows {
            let check = CheckID(try r.required("check_id"))
            if let onlyDepartment, checks[check]?.check.department != onlyDepartment {
                throw r.fail("check_id", .invalidValue, expected: "a check of department \(onlyDepartment)")
            }
            let item = ItemCode(try r.required("item"))
            guard findings[FindingKey(check: check, item: item)]?.outcome.isProblem == true else {
                throw r.fail("item", .unknownCategory, expected: "the item of a minor or serious finding of check \(check)")
            }
            try findingKeys.claim(FindingKey(check: check, item: item), row: r, column: "item")
            let opened = try r.date("opened_on")!
            let closed = try r.date("closed_on", optional: true)
            if let closed, closed < opened {
                throw r.fail("closed_on", .invalidValue, expected: "a date on or after opened_on \(opened)")
            }
            disposals.append(Disposal(checkId: check, item: item, action: try r.required("action"), openedOn: opened,
                                      closedOn: closed))
        }
        try tx.upsertDisposals(disposals)
    }

    /// Plan rows are gathered per plan id and period and written by `finish`, each through `Workspace.insertDraw`.
    mutating func collectDraws(_ rows: BlockRows) throws {
        let entries = try tx.directoryEntries(of: rows.creditCodes("entity"))
        let recorded = try tx.checks(rows.texts("check_id").map(CheckID.init))
        for r in rows {
            let planID = PlanID(try r.required("plan"))
            let scenario: ScenarioCode = try r.reference("scenario", in: scenarios, table: "scenarios")
            let period = try r.period("period")
            let seed = try r.required("seed")
            let jurisdiction = try r.jurisdiction()
            // A repeated draw is refused as such before its checks are looked at (they would be "already recorded").
            let scope = DrawScope(scenario: scenario, period: period, jurisdiction: jurisdiction)
            if recordedPlans[scope] == nil {
                recordedPlans[scope] = .some(try Workspace.repeatedPlan(scenario: scenario, period: period,
                                                                        jurisdiction: jurisdiction, tx: tx)?.id)
            }
            if let existing = recordedPlans[scope]! {
                throw RegistryError.planAlreadyDrawn(scenario: scenario, period: period, existingPlan: existing)
            }
            let checkID = CheckID(try r.required("check_id"))
            try claim(checkID.rawValue, r, column: "check_id")
            if let existing = recorded[checkID] {
                throw r.fail("check_id", .invalidValue, expected:
                    "a check id not yet recorded (\(checkID) is recorded in plan \(existing.check.plan) of \(existing.period))")
            }
            let entity = try r.creditCode("entity")
            let department = DepartmentCode(try r.required("department"))
            guard let entry = entries[entity], entry.departments.contains(department) else {
                throw r.fail("entity", .unknownCategory, expected: "an entity in department \(department)'s directory")
            }
            guard Workspace.draws(jurisdiction, entityOf: entry.jurisdiction) else {
                throw r.fail("entity", .invalidValue,
                             expected: "an entity of \(Workspace.jurisdictionName(jurisdiction)), the plan's "
                                 + "(it is of \(Workspace.jurisdictionName(entry.jurisdiction)))")
            }
            let pi = try r.number("inclusion_probability", in: Double.leastNonzeroMagnitude...1,
                                  expected: "an inclusion probability 0 < π ≤ 1")
            let day = try r.date("checked_on")!
            guard period.contains(day) else {
                throw r.fail("checked_on", .invalidValue, expected: Workspace.dayOf(period) + ", the plan's period")
            }
            let check = Check(id: checkID, plan: planID, entity: entity, department: department, inclusionProbability: pi,
                              checkedOn: day, inspectors: r.list("inspectors").map(InspectorID.init))
            let key = DrawKey(plan: planID, period: period)
            if var draw = draws[key] {
                for (name, value, expected) in [("scenario", scenario.rawValue, draw.plan.scenario.rawValue),
                                                ("seed", seed, draw.plan.seed),
                                                (Jurisdiction.column, jurisdiction.storedText, draw.plan.jurisdiction.storedText)]
                where value != expected {
                    throw r.fail(name, .invalidValue,
                                 expected: "\"\(expected)\" as on line \(draw.firstLine) for plan \(planID) of \(period)")
                }
                draw.checks.append(check)
                draws[key] = draw
            } else {
                draws[key] = PendingDraw(plan: ScenarioPlan(id: planID, scenario: scenario, period: period, seed: seed,
                                                            jurisdiction: jurisdiction),
                                         checks: [check], firstLine: r.line, first: r)
                drawOrder.append(key)
            }
        }
    }

    func finish(at: String) throws {
        for key in drawOrder {
            let draw = draws[key]!
            do {
                try Workspace.insertDraw(draw.plan, checks: draw.checks, tx: tx, at: at)
            } catch RegistryError.invalidArgument(name: "plan id", _, let expected) {
                throw draw.first.fail("plan", .invalidValue, expected: expected)
            }
        }
    }
}
