import Foundation
import OneCheckUtilities
import Supervision
import Tables

/// How `importCity` runs.
public struct CityImportOptions: Sendable {
    /// A scores file from `onecheck score` (`entity_id` plus `credit_grade`, else `supervision_class`): each
    /// entity's grade in the directory. Without it every entity gets `defaultGrade`.
    public var scores: URL?
    /// The grade of entities when no scores file is given. B by default: an entity nobody has scored yet is
    /// treated as neither trusted (A) nor suspect (C, D).
    public var defaultGrade: Grade
    /// The day the static features of entities.csv describe (the generator's snapshot: 2025-01-01). Next
    /// period's `history_days_since_last_check` ages from it.
    public var featuresAsOf: CalendarDate
    /// Checks of one entity by one department a year, for the version-1 `quotas` table, when caps.csv is absent
    /// or names neither the department nor `all` (the published example: at most 4 in total).
    public var defaultMaxChecksPerYear: Int
    public var blockSize: Int
    /// The audit timestamp; now by default.
    public var auditTime: String?

    public init(scores: URL? = nil, defaultGrade: Grade = .b,
                featuresAsOf: CalendarDate = CalendarDate(year: 2025, month: 1, day: 1)!,
                defaultMaxChecksPerYear: Int = 4, blockSize: Int = 8 << 20, auditTime: String? = nil) {
        self.scores = scores
        self.defaultGrade = defaultGrade
        self.featuresAsOf = featuresAsOf
        self.defaultMaxChecksPerYear = defaultMaxChecksPerYear
        self.blockSize = blockSize
        self.auditTime = auditTime
    }
}

/// What `importCity` did: rows read per file, in import order.
public struct CityImportSummary: Equatable, Sendable {
    public var rows: [(file: String, rows: Int)]
    /// Directory memberships written (entity × supervising department).
    public var memberships: Int
    /// Version-1 quota rows written (department × scenario × grade).
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
    public static let cityFiles = [DepartmentsFile.fileName, ScenariosFile.fileName, ItemsFile.fileName,
                                   EntitiesFile.fileName, InspectorsFile.fileName, CapsFile.fileName, QuotasFile.fileName]

    /// Imports a whole city directory in **one transaction** (all files or nothing). Every file is read by its
    /// Supervision reader (`DepartmentsFile`, `ScenariosFile`, …: the planner's rules and column names):
    ///
    /// | file | becomes |
    /// |---|---|
    /// | departments.csv | departments, with their risk heads |
    /// | scenarios.csv | scenarios with their partners; lead + partners = the directory of the scenario's entities |
    /// | items.csv (`element`, `measure`, `name` required) | items |
    /// | entities.csv (`district` required) | entities (name `<scenario name> <last 6 characters>`, grade from `options.scores` or `options.defaultGrade`), a membership per supervising department, and every other field as stored feature text (numeric or empty) |
    /// | inspectors.csv | the roster: department, district, qualified items, caps per period and day, conflicts, last period's entities |
    /// | caps.csv (optional) | caps by scope |
    /// | quotas.csv | the quotas as given (ratio, count or census per department and grade); and the version-1 ratios per scenario the department supervises (`count` ÷ the department's directory size, capped at 1; yearly cap: the department's, else `all`, else `options.defaultMaxChecksPerYear`) |
    ///
    /// Upserts by key, so importing the same directory twice leaves the registry as after the first import.
    /// - Throws: `TableError` naming file, line, column, value and expected form;
    ///   `RegistryError.featureColumnsChanged` when entities.csv has other feature columns than an earlier import;
    ///   `RegistryError.missingFile`.
    @discardableResult
    public func importCity(from directory: URL, options: CityImportOptions = CityImportOptions()) throws
        -> CityImportSummary {
        for name in Self.cityFiles where name != CapsFile.fileName {
            let path = directory.appendingPathComponent(name).path
            guard FileManager.default.fileExists(atPath: path) else {
                throw RegistryError.missingFile(path: path, expected: "a city directory written by `onecheck generate`")
            }
        }
        let grades = try options.scores.map { try Self.readEntityGrades($0, blockSize: options.blockSize) }
        let at = options.auditTime ?? Workspace.timestamp()
        return try store.write { tx in
            var importer = CityImporter(directory: directory, options: options, grades: grades, tx: tx)
            let summary = try importer.run()
            let counts = summary.rows.map { "\($0.file)=\($0.rows)" }.joined(separator: " ")
            try tx.appendAudit(AuditEntry(at: at, action: .import, detail: "city \(directory.lastPathComponent) \(counts)"))
            return summary
        }
    }

    /// `entity_id → grade` from a scores file: its `credit_grade` column, else `supervision_class`.
    static func readEntityGrades(_ url: URL, blockSize: Int) throws -> [String: Grade] {
        let header = try CSVReader(url: url).header
        let column = header.contains("credit_grade") ? "credit_grade" : "supervision_class"
        var grades: [String: Grade] = [:]
        var keys = KeyLines<String>()
        try FileRows(url: url, required: [EntitiesFile.idColumn, column], optional: [], blockSize: blockSize).forEachRow { r in
            let id = try r.required(EntitiesFile.idColumn)
            try keys.claim(id, row: r, column: EntitiesFile.idColumn)
            grades[id] = try r.grade(column)
        }
        return grades
    }
}

/// One city import inside one write transaction.
private struct CityImporter {
    let directory: URL
    let options: CityImportOptions
    let grades: [String: Grade]?
    let tx: any RegistryWriter
    var departments: Set<DepartmentCode> = []
    var scenarios: [ScenarioCode: Scenario] = [:]
    var directorySize: [DepartmentCode: Int] = [:]
    var summary = CityImportSummary(rows: [], memberships: 0, quotas: 0)

    init(directory: URL, options: CityImportOptions, grades: [String: Grade]?, tx: any RegistryWriter) {
        self.directory = directory
        self.options = options
        self.grades = grades
        self.tx = tx
    }

    func url(_ name: String) -> URL { directory.appendingPathComponent(name) }
    var csv: CSVReader.Options { CSVReader.Options(blockSize: options.blockSize) }
    var context: DirectoryContext { DirectoryContext(departments: departments, scenarios: scenarios) }

    mutating func run() throws -> CityImportSummary {
        let departmentList = try DepartmentsFile.read(url(DepartmentsFile.fileName), options: csv)
        for d in departmentList { try tx.upsertDepartment(code: d.code, name: d.name, riskHead: d.riskHead) }
        departments = Set(try tx.departments().map(\.code))
        summary.rows.append((DepartmentsFile.fileName, departmentList.count))

        let scenarioList = try ScenariosFile.read(url(ScenariosFile.fileName),
                                                  context: DirectoryContext(departments: departments), options: csv)
        for s in scenarioList { try tx.upsertScenario(code: s.code, name: s.name, lead: s.lead, partners: s.partners) }
        scenarios = Dictionary(uniqueKeysWithValues: scenarioList.map { ($0.code, $0) })
        summary.rows.append((ScenariosFile.fileName, scenarioList.count))

        let items = try ItemsFile.read(url(ItemsFile.fileName), context: context,
                                       requiring: ["element", "measure", "name"], options: csv)
        for item in items { try tx.upsertItem(item) }
        summary.rows.append((ItemsFile.fileName, items.count))

        // The roster is read on another thread while the entities are stored: reading it needs only the
        // departments and scenarios, and the write transaction's connection stays on this thread.
        let rosterURL = url(InspectorsFile.fileName), context = context, csv = csv
        let roster = BackgroundWork { try InspectorsFile.read(rosterURL, context: context, options: csv) }
        do {
            try tx.bulkLoad { try importEntities() }
        } catch {
            _ = try? roster.value()
            throw error
        }
        let inspectors = try roster.value()
        try tx.upsertInspectors(inspectors, roster: true)
        summary.rows.append((InspectorsFile.fileName, inspectors.count))

        var caps = Caps()
        if FileManager.default.fileExists(atPath: url(CapsFile.fileName).path) {
            let rows = try CapsFile.read(url(CapsFile.fileName), context: context, options: csv)
            try tx.upsertCaps(rows)
            caps = Caps(rows)
            summary.rows.append((CapsFile.fileName, rows.count))
        }

        let quotas = try QuotasFile.read(url(QuotasFile.fileName), context: context, options: csv)
        try tx.upsertQuotas(quotas)
        try importSamplingRatios(quotas, caps: caps)
        summary.rows.append((QuotasFile.fileName, quotas.count))

        try tx.setSetting(.featuresAsOf, to: options.featuresAsOf.description)
        return summary
    }

    /// Entities written per `upsertEntities` call: the engine writes a call's rows in key order, so the more a
    /// call holds, the more its B-trees are filled in order (a 1M-entity city in one call) — at the cost of
    /// holding them in memory (about 300 bytes an entity).
    static let entitiesPerWrite = 1 << 20

    /// entities.csv, block by block: each block's entities are checked, then written `entitiesPerWrite` at a time.
    mutating func importEntities() throws {
        var reader = try EntitiesFile.Reader(url(EntitiesFile.fileName), requiring: [EntitiesFile.districtColumn],
                                             options: csv)
        let header = reader.header
        let featureNames = reader.featureColumns.map { header[$0] }
        let stored = try tx.featureColumns()
        if stored.isEmpty {
            try tx.setFeatureColumns(featureNames)
        } else if stored != featureNames {
            throw RegistryError.featureColumnsChanged(file: reader.fileName, stored: stored, found: featureNames)
        }
        let positions = [EntitiesFile.idColumn: reader.idColumn, EntitiesFile.scenarioColumn: reader.scenarioColumn,
                         EntitiesFile.districtColumn: reader.districtColumn!]
        let known = Set(scenarios.keys)
        // Looked up once per scenario, not per entity: `Scenario.departments` builds a new array each time.
        let supervising = scenarios.mapValues { (name: $0.name, departments: $0.departments) }
        var keys = KeyLines<CreditCode>()
        // Entities per scenario, added to their departments' directory sizes at the end (one count per entity,
        // not one per membership).
        var entitiesOf: [ScenarioCode: Int] = [:]
        var rows = 0
        var batch: [EntityUpsert] = []
        var featureBytes: [UInt8] = []
        let fileBytes = (try? FileManager.default.attributesOfItem(atPath: url(EntitiesFile.fileName).path))?[.size] as? Int
        while let block = try reader.nextBlock() {
            if rows == 0, let fileBytes {  // the first block's rows times the blocks the file fills: an estimate
                keys.reserveCapacity(block.rowCount * max(1, (fileBytes + options.blockSize - 1) / options.blockSize))
            }
            for index in 0..<block.rowCount {
                let r = CityRow(block: block, row: index, positions: positions)
                let code = try r.creditCode(EntitiesFile.idColumn)
                try keys.claim(code, row: r, column: EntitiesFile.idColumn)
                let scenario = try reader.scenario(block, row: index, known: known)
                let grade: Grade
                if let grades {
                    guard let scored = grades[code.rawValue] else {
                        throw r.fail(EntitiesFile.idColumn, .unknownCategory,
                                     expected: "an entity_id that has a row in the scores file")
                    }
                    grade = scored
                } else {
                    grade = options.defaultGrade
                }
                let district = r.text(EntitiesFile.districtColumn)
                let (name, departments) = supervising[scenario]!
                entitiesOf[scenario, default: 0] += 1
                summary.memberships += departments.count
                batch.append(EntityUpsert(
                    entity: Entity(creditCode: code, name: "\(name) \(code.rawValue.suffix(6))", scenario: scenario,
                                   district: district.isEmpty ? nil : DistrictCode(district), creditGrade: grade,
                                   jurisdiction: try reader.jurisdiction(block, row: index)),
                    writesLegalRepresentative: false, departments: departments,
                    featureValues: try Self.featureText(r, columns: reader.featureColumns, buffer: &featureBytes)))
            }
            if batch.count >= Self.entitiesPerWrite {
                try tx.upsertEntities(batch)
                batch.removeAll(keepingCapacity: true)
            }
            rows += block.rowCount
        }
        if !batch.isEmpty { try tx.upsertEntities(batch) }
        for (scenario, count) in entitiesOf {
            for department in supervising[scenario]!.departments { directorySize[department, default: 0] += count }
        }
        summary.rows.append((EntitiesFile.fileName, rows))
    }

    /// The feature fields of a record joined by commas, each checked numeric or empty now, so a bad value is
    /// reported at import with its line, not when scoring later. `buffer` is scratch space reused across rows.
    static func featureText(_ r: CityRow, columns: [Int], buffer: inout [UInt8]) throws -> String {
        buffer.removeAll(keepingCapacity: true)
        for (position, column) in columns.enumerated() {
            if position > 0 { buffer.append(UInt8(ascii: ",")) }
            let empty = r.block.withFieldBytes(row: r.row, column: column) { bytes in
                buffer.append(contentsOf: bytes)
                return bytes.isEmpty
            }
            if !empty {
                guard case .finite = r.block.parseDouble(row: r.row, column: column) else {
                    throw r.fail(column: column, .notANumber, expected: TableError.expectedFiniteNumber + " or an empty field")
                }
            }
        }
        return String(decoding: buffer, as: UTF8.self)
    }

    /// The version-1 `quotas` rows: per quota, one ratio for each scenario the department supervises.
    mutating func importSamplingRatios(_ quotas: [Quota], caps: Caps) throws {
        var scenariosOf: [DepartmentCode: [ScenarioCode]] = [:]
        for scenario in scenarios.values {
            for department in scenario.departments { scenariosOf[department, default: []].append(scenario.code) }
        }
        var ratios: [SamplingRatio] = []
        for quota in quotas {
            let ratio: Double
            switch quota.size {
            case .census: ratio = 1
            case let .ratio(r): ratio = r
            case let .count(count):
                let size = directorySize[quota.department] ?? 0
                ratio = size == 0 ? 0 : min(1, Double(count) / Double(size))
            }
            let cap = caps.yearlyCap(of: quota.department, fallback: options.defaultMaxChecksPerYear)
            for scenario in (scenariosOf[quota.department] ?? []).sorted() {
                ratios.append(SamplingRatio(department: quota.department, scenario: scenario, grade: quota.grade,
                                            ratio: ratio, maxChecksPerYear: cap))
            }
        }
        try tx.upsertSamplingRatios(ratios)
        summary.quotas = ratios.count
    }
}
