import Foundation
import Scoring
import Tables

/// Generates the synthetic city: every table of `datasets/README.md` and the two models, written together and
/// atomically into one directory.
///
/// ```swift
/// let city = try CityGenerator(CityConfiguration(entities: 20_000, seed: 2026))
/// let summary = try city.write(to: URL(fileURLWithPath: "datasets"))
/// ```
/// Same configuration ⇒ byte-identical files, whatever the machine, core count or ``CityConfiguration/chunkSize``.
public struct CityGenerator: Sendable {
    public let configuration: CityConfiguration

    /// The files written by ``write(to:)``, in writing order.
    public static let fileNames = [
        "entities.csv", "history.csv", "credit_events.csv", "departments.csv", "districts.csv", "scenarios.csv",
        "items.csv", "quotas.csv", "caps.csv", "inspectors.csv", "true-model.json", "default-model.json",
    ]

    /// - Throws: ``SyntheticCityError/entityCountOutOfRange(_:)``.
    public init(_ configuration: CityConfiguration) throws {
        guard (1...CityConfiguration.maximumEntities).contains(configuration.entities) else {
            throw SyntheticCityError.entityCountOutOfRange(configuration.entities)
        }
        self.configuration = configuration
    }

    /// What was written: data rows per file (headers excluded; JSON files count 1).
    public struct Summary: Sendable, Equatable {
        public var rows: [String: Int]
    }

    /// Writes every file into `directory` (created if missing). Files appear only when all are complete; on any
    /// error none of this run's files is left behind.
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

    private func write(into files: CityFileSet) throws -> Summary {
        let n = configuration.entities
        let drawer = EntityDrawer(seed: configuration.seed)
        let model = drawer.model
        var rows: [String: Int] = [:]

        let entitiesFile = try files.open("entities.csv")
        let historyFile = try files.open("history.csv")
        let creditFile = try files.open("credit_events.csv")
        try files.writeHeader(["entity_id", "district", "scenario"] + drawer.features.map(\.name), to: entitiesFile)
        try files.writeHeader(["entity_id", "department", "period", "found", "element"], to: historyFile)
        try files.writeHeader(["entity_id", "serious_event"], to: creditFile)

        var districtOf = [UInt8](); districtOf.reserveCapacity(n)
        var scenarioOf = [UInt8](); scenarioOf.reserveCapacity(n)
        var individualOf = [Bool](); individualOf.reserveCapacity(n)
        var lastChecks: [(entity: Int32, department: UInt8)] = []
        var historyRows = 0

        let chunk = configuration.chunkSize
        let chunkCount = (n + chunk - 1) / chunk
        let wave = parallelWaveWidth
        var first = 0
        while first < chunkCount {
            let count = Swift.min(wave, chunkCount - first)
            let start = first
            let results = parallelMap(count) { j -> EntityChunk in
                let c = start + j
                return EntityChunk(range: (c * chunk)..<Swift.min(n, (c + 1) * chunk), drawer: drawer)
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
        rows["entities.csv"] = n
        rows["history.csv"] = historyRows
        rows["credit_events.csv"] = n

        // In-scope counts and district lists for the planning inputs.
        var inScope = [[Int]](repeating: [Int](repeating: 0, count: District.all.count), count: Department.all.count)
        var byDistrict = [[Int32]](repeating: [], count: District.all.count)
        for i in 0..<n {
            let k = Int(districtOf[i])
            byDistrict[k].append(Int32(i))
            for d in Scenario.scopeDepartmentIndices[Int(scenarioOf[i])] { inScope[d][k] += 1 }
        }
        let roster = Roster(seed: configuration.seed, inScope: inScope, entitiesByDistrict: byDistrict,
                            lastChecks: lastChecks, districtOf: districtOf)
        let code = { (i: Int) -> [UInt8] in
            drawer.code(index: i, district: Int(districtOf[i]), individual: individualOf[i])
        }
        let tables = PlanningTables(inScope: inScope.map { $0.reduce(0, +) })
        for (name, table) in [("departments.csv", tables.departments()), ("districts.csv", tables.districts()),
                              ("scenarios.csv", tables.scenarios()), ("items.csv", tables.items()),
                              ("quotas.csv", tables.quotas()), ("caps.csv", tables.caps()),
                              ("inspectors.csv", tables.inspectors(roster, code: code))] {
            try files.writeFile(name, table.buffer)
            rows[name] = table.rows
        }

        try files.writeFile("true-model.json", try model.scoringModel().encoded())
        try files.writeFile("default-model.json", try DefaultModel.standard.encoded())
        rows["true-model.json"] = 1
        rows["default-model.json"] = 1
        return Summary(rows: rows)
    }
}

extension Scenario {
    /// ``scopeByDepartment`` inverted: per scenario, its departments' indices (lead first).
    static let scopeDepartmentIndices: [[Int]] = all.map { s in s.departments.map { Department.index(of: $0)! } }
}
