import Foundation
import OneCheckUtilities
import Supervision
import Tables

/// Reading a city's entities.csv for `importCity`: every record checked and turned into an ``EntityUpsert``, block
/// by block, on a thread of its own while the write transaction stores what was read before.
///
/// Contract: ``read(into:)`` puts each block's entities into the handoff in file order and finishes it, whether it
/// succeeds or throws; its error is the first one a pass over the file in order meets (the rows before it have
/// been handed over, which the caller's transaction then discards). It stops at the next block once the consumer
/// cancels.
struct CityEntitiesReading: Sendable {
    let url: URL
    let csv: CSVReader.Options
    let scenarios: [ScenarioCode: Scenario]
    /// Scored grades by entity id; nil gives every entity `defaultGrade`.
    let grades: [String: Grade]?
    let defaultGrade: Grade

    /// What the whole file held, once it has been read.
    struct Totals: Sendable {
        var rows = 0
        /// Directory memberships of the entities (entity × supervising department).
        var memberships = 0
        /// Entities per scenario.
        var entitiesOf: [ScenarioCode: Int] = [:]
    }

    /// The header's feature columns, in file order; checks the required columns.
    func featureColumns() throws -> (file: String, names: [String]) {
        let reader = try EntitiesFile.Reader(url, requiring: [EntitiesFile.districtColumn], options: csv)
        return (reader.fileName, reader.featureColumns.map { reader.header[$0] })
    }

    /// Reads the file, handing each block's entities to `handoff`.
    func read(into handoff: Handoff<[EntityUpsert]>) throws -> Totals {
        defer { handoff.finish() }
        var reader = try EntitiesFile.Reader(url, requiring: [EntitiesFile.districtColumn], options: csv)
        let positions = [EntitiesFile.idColumn: reader.idColumn, EntitiesFile.scenarioColumn: reader.scenarioColumn,
                         EntitiesFile.districtColumn: reader.districtColumn!]
        let known = Set(scenarios.keys)
        // Looked up once per scenario, not per entity: `Scenario.departments` builds a new array each time.
        let supervising = scenarios.mapValues { (name: $0.name, departments: $0.departments) }
        var keys = KeyLines<CreditCode>()
        var totals = Totals()
        var featureBytes: [UInt8] = []
        let fileBytes = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? Int
        while !handoff.isCancelled, let block = try reader.nextBlock() {
            if totals.rows == 0, let fileBytes {  // the first block's rows times the blocks the file fills: an estimate
                keys.reserveCapacity(block.rowCount * max(1, (fileBytes + csv.blockSize - 1) / csv.blockSize))
            }
            var entities: [EntityUpsert] = []
            entities.reserveCapacity(block.rowCount)
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
                    grade = defaultGrade
                }
                let district = r.text(EntitiesFile.districtColumn)
                let (name, departments) = supervising[scenario]!
                totals.entitiesOf[scenario, default: 0] += 1
                totals.memberships += departments.count
                entities.append(EntityUpsert(
                    entity: Entity(creditCode: code, name: "\(name) \(code.rawValue.suffix(6))", scenario: scenario,
                                   district: district.isEmpty ? nil : DistrictCode(district), creditGrade: grade,
                                   jurisdiction: try reader.jurisdiction(block, row: index)),
                    writesLegalRepresentative: false, departments: departments,
                    featureValues: try Self.featureText(r, columns: reader.featureColumns, buffer: &featureBytes)))
            }
            totals.rows += block.rowCount
            handoff.put(entities)
        }
        return totals
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
}
