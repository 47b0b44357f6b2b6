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
        return try store.bulkWrite { tx in
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

        // The roster is read on another thread once entities.csv has been read, while the entities are stored:
        // reading it needs only the departments and scenarios, and the write transaction stays on this thread.
        let rosterURL = url(InspectorsFile.fileName), context = context, csv = csv
        let readRoster = { BackgroundWork { try InspectorsFile.read(rosterURL, context: context, options: csv) } }
        var roster: BackgroundWork<[Inspector]>?
        do {
            try tx.bulkLoad { try importEntities(whenRead: { roster = readRoster() }) }
        } catch {
            _ = try? roster?.value()
            throw error
        }
        let inspectors = try (roster ?? readRoster()).value()
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

    /// Blocks of entities.csv read ahead of the writes: enough to keep reading while a block's names are indexed,
    /// few enough that a city of several million entities is not held whole while its first million are written.
    static let blocksReadAhead = 4

    /// entities.csv: read and checked block by block on another thread (``CityEntitiesReading``) while this one,
    /// which holds the write transaction, announces each block's entities to the engine (which may index their
    /// names meanwhile) and writes them `entitiesPerWrite` at a time. `whenRead` is called once the whole file
    /// has been read without error, before the last write.
    mutating func importEntities(whenRead: () -> Void) throws {
        let reading = CityEntitiesReading(url: url(EntitiesFile.fileName), csv: csv, scenarios: scenarios,
                                          grades: grades, defaultGrade: options.defaultGrade)
        let header = try reading.featureColumns()
        let stored = try tx.featureColumns()
        if stored.isEmpty {
            try tx.setFeatureColumns(header.names)
        } else if stored != header.names {
            throw RegistryError.featureColumnsChanged(file: header.file, stored: stored, found: header.names)
        }
        let handoff = Handoff<[EntityUpsert]>(capacity: Self.blocksReadAhead)
        let reader = BackgroundWork { try reading.read(into: handoff) }
        var batch: [EntityUpsert] = []
        do {
            while let entities = handoff.take() {
                try tx.announceEntities(entities)
                batch.append(contentsOf: entities)
                if batch.count >= Self.entitiesPerWrite {
                    try tx.upsertEntities(batch)
                    batch.removeAll(keepingCapacity: true)
                }
            }
        } catch {
            handoff.cancel()
            _ = try? reader.value()
            throw error
        }
        let totals = try reader.value()  // the reading's error, if any, before the last write
        whenRead()
        if !batch.isEmpty { try tx.upsertEntities(batch) }
        summary.memberships += totals.memberships
        for (scenario, count) in totals.entitiesOf {
            for department in scenarios[scenario]!.departments { directorySize[department, default: 0] += count }
        }
        summary.rows.append((EntitiesFile.fileName, totals.rows))
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
