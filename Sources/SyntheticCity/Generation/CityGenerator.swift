import Foundation
import OneCheckUtilities
import Scoring
import Supervision
import Tables

/// Generates the synthetic city: every table of `datasets/README.md` and the two models, written together and
/// atomically into one directory.
///
/// ```swift
/// let summary = try CityGenerator.generate(CityConfiguration(entities: 20_000, seed: 2026),
///                                          into: URL(fileURLWithPath: "datasets"))
/// ```
/// Same configuration ⇒ byte-identical files, whatever the machine, core count or ``CityConfiguration/chunkSize``.
/// Entity `i` depends only on `(seed, i)`, so a smaller city's entities are a prefix of a larger one's.
public struct CityGenerator: Sendable {
    public let configuration: CityConfiguration

    /// The files written by ``write(to:)``, in writing order.
    public static let fileNames = [
        EntitiesFile.fileName, HistoryFile.fileName, CreditEventsFile.fileName, DepartmentsFile.fileName,
        DistrictsFile.fileName, ScenariosFile.fileName, ItemsFile.fileName, QuotasFile.fileName, CapsFile.fileName,
        InspectorsFile.fileName, trueModelFileName, defaultModelFileName,
    ]
    /// The true model (``TrueModel/scoringModel()``), as JSON.
    public static let trueModelFileName = "true-model.json"
    /// The default model (``DefaultModel/standard``), as JSON.
    public static let defaultModelFileName = "default-model.json"

    /// - Throws: ``SyntheticCityError/entityCountOutOfRange(_:)``.
    public init(_ configuration: CityConfiguration) throws {
        try configuration.validate()
        self.configuration = configuration
    }

    /// Generates the city of `configuration` into `directory`: ``init(_:)`` then ``write(to:)``.
    /// - Throws: ``SyntheticCityError``; on any error none of this run's files is left behind.
    @discardableResult
    public static func generate(_ configuration: CityConfiguration, into directory: URL) throws -> Summary {
        try CityGenerator(configuration).write(to: directory)
    }

    /// What was written: data rows per file name (headers excluded; JSON files count 1).
    public struct Summary: Sendable, Equatable {
        public var rows: [String: Int]
    }

    /// Writes every file into `directory` (created if missing). Files appear only when all are complete; on any
    /// error none of this run's files is left behind and files of the same names already there are untouched.
    /// - Throws: ``SyntheticCityError/cannotWrite(path:reason:)``.
    /// - Complexity: O(entities) time; memory O(chunk × wave + entities) bytes (3 bytes per entity kept).
    @discardableResult
    public func write(to directory: URL) throws -> Summary {
        let files = try CityFileSet(directory: directory)
        do {
            let summary = try write(into: files)
            try files.commit()
            return summary
        } catch {
            files.discard()
            throw error
        }
    }

    /// Chunks in flight at once: enough to keep every core busy, few enough to bound memory.
    static var waveWidth: Int { Swift.max(2, ProcessInfo.processInfo.activeProcessorCount * 2) }

    private func write(into files: CityFileSet) throws -> Summary {
        let layout = configuration.layout
        // The jurisdictions written, and the entities they hold (the whole city unless one jurisdiction is asked).
        let only = configuration.onlyJurisdiction.flatMap { layout?.index(of: $0) }
        let written = only.map { [$0] } ?? layout.map { Array(0..<$0.count) } ?? []
        let entityRange = only.map { layout!.range($0) } ?? 0..<configuration.entities
        let base = entityRange.lowerBound, n = entityRange.count
        let drawer = EntityDrawer(seed: configuration.seed)
        let model = drawer.model
        var rows: [String: Int] = [:]

        let entitiesFile = try files.open(EntitiesFile.fileName)
        let historyFile = try files.open(HistoryFile.fileName)
        let creditFile = try files.open(CreditEventsFile.fileName)
        try files.writeHeader(EntitiesFile.fixedColumns + (layout == nil ? [] : [EntitiesFile.jurisdictionColumn])
                              + drawer.features.map(\.name), to: entitiesFile)
        try files.writeHeader(HistoryFile.columns, to: historyFile)
        try files.writeHeader(CreditEventsFile.columns, to: creditFile)

        // Indexed from `base`.
        var districtOf = [UInt8](); districtOf.reserveCapacity(n)
        var scenarioOf = [UInt8](); scenarioOf.reserveCapacity(n)
        var individualOf = [Bool](); individualOf.reserveCapacity(n)
        var lastChecks: [(entity: Int32, department: UInt8)] = []
        var historyRows = 0

        // Chunks are drawn a wave at a time on all cores and written in order.
        let chunk = configuration.chunkSize
        let chunkCount = (n + chunk - 1) / chunk
        let wave = Self.waveWidth
        var first = 0
        while first < chunkCount {
            let count = Swift.min(wave, chunkCount - first)
            let start = first
            let results = concurrentMap(count: count) { j -> EntityChunk in
                let c = start + j
                return EntityChunk(range: (base + c * chunk)..<(base + Swift.min(n, (c + 1) * chunk)), drawer: drawer,
                                   jurisdictions: layout)
            }
            for r in results {
                try files.write(r.entities, to: entitiesFile)
                try files.write(r.history, to: historyFile)
                try files.write(r.credit, to: creditFile)
                districtOf.append(contentsOf: r.district)
                scenarioOf.append(contentsOf: r.scenario)
                individualOf.append(contentsOf: r.individual)
                lastChecks.append(contentsOf: r.lastChecks)
                historyRows += r.historyRows
            }
            first += count
        }
        rows[EntitiesFile.fileName] = n
        rows[HistoryFile.fileName] = historyRows
        rows[CreditEventsFile.fileName] = n

        let entityID = { [districtOf, individualOf] (i: Int) -> EntityID in
            EntityID(String(decoding: drawer.code(index: i, district: Int(districtOf[i - base]),
                                                  individual: individualOf[i - base]), as: UTF8.self))
        }
        if let layout {
            // One roster and one set of quotas per jurisdiction, each from its own entities only.
            var rosters: [(code: JurisdictionCode, roster: Roster)] = []
            var quotas: [Quota] = []
            var checks = lastChecks[...]
            for k in written {
                let range = layout.range(k), code = layout.code(k)
                let (inScope, byDistrict) = Self.inScope(range, base: base, districtOf: districtOf, scenarioOf: scenarioOf)
                let end = checks.firstIndex { Int($0.entity) >= range.upperBound } ?? checks.endIndex
                let roster = Roster(seed: CityJurisdictions.rosterSeed(city: configuration.seed, jurisdiction: k),
                                    inScope: inScope, entitiesByDistrict: byDistrict, lastChecks: checks[..<end],
                                    districtOf: districtOf, entityBase: base)
                checks = checks[end...]
                rosters.append((code, roster))
                quotas += QuotaPolicy.quotas(inScope: inScope.map { $0.reduce(0, +) }).map { quota in
                    var quota = quota
                    quota.jurisdiction = code
                    return quota
                }
            }
            let inspectors = rosters.lazy.flatMap { code, roster in
                roster.inspectors(naming: entityID).lazy.map { inspector in
                    var inspector = inspector
                    inspector.id = InspectorID(code.rawValue + "-" + inspector.id.rawValue)
                    inspector.jurisdiction = code
                    return inspector
                }
            }
            try Self.writeDirectory(into: files, quotas: quotas, inspectors: inspectors,
                                    inspectorCount: rosters.reduce(0) { $0 + $1.roster.count }, withJurisdiction: true,
                                    rows: &rows)
        } else {
            let (inScope, byDistrict) = Self.inScope(entityRange, base: base, districtOf: districtOf, scenarioOf: scenarioOf)
            let roster = Roster(seed: configuration.seed, inScope: inScope, entitiesByDistrict: byDistrict,
                                lastChecks: lastChecks, districtOf: districtOf)
            try Self.writeDirectory(into: files, quotas: QuotaPolicy.quotas(inScope: inScope.map { $0.reduce(0, +) }),
                                    inspectors: roster.inspectors(naming: entityID), inspectorCount: roster.count,
                                    withJurisdiction: false, rows: &rows)
        }

        try files.writeFile(Self.trueModelFileName, try model.scoringModel().encoded())
        try files.writeFile(Self.defaultModelFileName, try DefaultModel.standard.encoded())
        rows[Self.trueModelFileName] = 1
        rows[Self.defaultModelFileName] = 1
        return Summary(rows: rows)
    }

    /// In-scope counts `[department][district]` and entity lists per district (ascending) of the entities `range`
    /// (whose districts and scenarios are kept from index `base`): the roster's and the quotas' sizing.
    private static func inScope(_ range: Range<Int>, base: Int, districtOf: [UInt8], scenarioOf: [UInt8])
        -> (inScope: [[Int]], byDistrict: [[Int32]]) {
        let departments = CityCatalogue.departments.count, districts = CityCatalogue.districts.count
        var inScope = [[Int]](repeating: [Int](repeating: 0, count: districts), count: departments)
        var byDistrict = [[Int32]](repeating: [], count: districts)
        for i in range {
            let k = Int(districtOf[i - base])
            byDistrict[k].append(Int32(i))
            for d in CityCatalogue.departmentsByScenario[Int(scenarioOf[i - base])] { inScope[d][k] += 1 }
        }
        return (inScope, byDistrict)
    }

    /// The city's directory, quotas, caps and roster, each written by its Supervision writer.
    /// - Parameter withJurisdiction: write the roster's `jurisdiction` column (the quotas write theirs when they
    ///   have one).
    private static func writeDirectory(into files: CityFileSet, quotas: [Quota], inspectors: some Sequence<Inspector>,
                                       inspectorCount: Int, withJurisdiction: Bool, rows: inout [String: Int]) throws {
        func table(_ name: String, count: Int, _ write: (CSVRowBuffer) -> Void) throws {
            let buffer = CSVRowBuffer()
            write(buffer)
            try files.writeFile(name, buffer)
            rows[name] = count
        }
        let departments = CityCatalogue.departments
        try table(DepartmentsFile.fileName, count: departments.count) { DepartmentsFile.write(departments, to: $0) }
        let districts = CityCatalogue.districts
        try table(DistrictsFile.fileName, count: districts.count) { DistrictsFile.write(districts, to: $0) }
        var totalWeight = 0.0
        for s in ScenarioProfile.city { totalWeight += s.weight }
        let scenarios = CityCatalogue.scenarios
        let shares = ScenarioProfile.city.map { $0.weight / totalWeight }
        try table(ScenariosFile.fileName, count: scenarios.count) {
            ScenariosFile.write(scenarios, shares: shares, to: $0)
        }
        let items = CityCatalogue.items
        try table(ItemsFile.fileName, count: items.count) { ItemsFile.write(items, to: $0) }
        try table(QuotasFile.fileName, count: quotas.count) { QuotasFile.write(quotas, to: $0) }
        let caps = QuotaPolicy.caps
        try table(CapsFile.fileName, count: caps.count) { CapsFile.write(caps, to: $0) }
        try table(InspectorsFile.fileName, count: inspectorCount) { InspectorsFile.write(inspectors, to: $0, withJurisdiction: withJurisdiction) }
    }
}

/// history.csv, the generator's record of checks in the history window (an outcome for fitting; a city directory's
/// readers do not import it): one row per check by one department, in entity order, then department (lead
/// first), then period. `found` is 0 or 1; `element` is empty when nothing was found.
public enum HistoryFile {
    public static let fileName = "history.csv"
    public static let columns = [EntitiesFile.idColumn, "department", "period", "found", "element"]
}

/// credit_events.csv, one row per entity in entities.csv order: `serious_event` 1 when a serious credit event
/// happened in the twelve months after the snapshot, else 0 (an outcome for fitting).
public enum CreditEventsFile {
    public static let fileName = "credit_events.csv"
    public static let columns = [EntitiesFile.idColumn, "serious_event"]
}
