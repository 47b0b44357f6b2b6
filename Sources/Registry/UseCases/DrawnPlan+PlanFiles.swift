// ─────────────────────────────────────────────────────────────────────────────────────────────────────────────────
// ADAPTER, to be replaced at merge: `Planning.PlanDirectory` reads a plan directory and checks every file against
// the SHA-256 digests and the format version its manifest records. Until Registry is connected to it, this file
// builds a `DrawnPlan` from plan.csv and manifest.json itself (the top-level `period`, `seed` and `inclusion` of a
// v1 or v2 manifest), without those checks. At merge, delete this file and write, with `import Planning`:
//
//     extension DrawnPlan {
//         init(_ draw: RecordedDraw, source: String) {
//             var inclusion: [DirectoryMembership: Double] = [:]
//             for visit in draw.visits {
//                 for department in visit.departments {
//                     if let pi = draw.inclusion.probability(department: department, entity: visit.entity) {
//                         inclusion[DirectoryMembership(department: department, entity: visit.entity)] = pi
//                     }
//                 }
//             }
//             self.init(period: draw.period, seed: draw.seed, visits: draw.visits.map {
//                           Visit(checkID: $0.checkID, entity: $0.entity, scenario: $0.scenario, departments: $0.departments,
//                                 inspectors: $0.inspectors, date: $0.date, line: $0.line)
//                       }, inclusion: inclusion, source: source, file: draw.planFile,
//                       columns: Dictionary(uniqueKeysWithValues: Field.allCases.compactMap { field in
//                           draw.planHeader.firstIndex(of: field.rawValue).map { (field, $0) } }),
//                       inclusionSource: PlanDirectory.manifestFile)
//         }
//     }
//
//     // Workspace.importDraw(planDirectory:auditTime:)
//     try recordDraw(DrawnPlan(try PlanDirectory(path: directory.path).readDraw(), source: directory.lastPathComponent),
//                    auditTime: auditTime)
//
// (`PlanDirectoryError` names the file; ScoringLoopTests.drawImportNeedsAPlanDirectory then expects its cases.)
// ─────────────────────────────────────────────────────────────────────────────────────────────────────────────────
import Foundation
import Supervision
import Tables

extension Workspace {
    /// Records the output directory of `onecheck plan` (plan.csv + manifest.json) as the period's draw; see
    /// ``recordDraw(_:auditTime:)``.
    /// - Throws: `RegistryError.missingFile`, `.malformedFile` (manifest.json), `TableError` (plan.csv), and what
    ///   `recordDraw` throws.
    @discardableResult
    public func importDraw(planDirectory directory: URL, auditTime: String? = nil) throws -> DrawImportSummary {
        try recordDraw(try DrawnPlan(planFilesIn: directory), auditTime: auditTime)
    }
}

extension DrawnPlan {
    /// The draw in `directory`'s plan.csv (`check_id,entity_id,scenario,departments,inspectors,date`) and
    /// manifest.json (`period`, `seed`, `inclusion`: per department `[entity_id, π]` pairs).
    init(planFilesIn directory: URL) throws {
        let manifestURL = directory.appendingPathComponent("manifest.json")
        let planURL = directory.appendingPathComponent("plan.csv")
        for url in [manifestURL, planURL] where !FileManager.default.fileExists(atPath: url.path) {
            throw RegistryError.missingFile(path: url.path, expected: "an output directory of `onecheck plan`")
        }
        let manifest = try ManifestFields.read(manifestURL)
        var visits: [Visit] = []
        var columns: [Field: Int] = [:]
        let file = FileRows(url: planURL, required: Field.allCases.filter { $0 != .inspectors }.map(\.rawValue),
                            optional: [Field.inspectors.rawValue], blockSize: 8 << 20)
        try file.forEachBlock { block, positions in
            for field in Field.allCases { columns[field] = positions[field.rawValue] }
            for index in 0..<block.rowCount {
                let r = CityRow(block: block, row: index, positions: positions)
                visits.append(Visit(
                    checkID: try r.required(Field.checkID.rawValue), entity: EntityID(try r.required(Field.entity.rawValue)),
                    scenario: ScenarioCode(try r.required(Field.scenario.rawValue)),
                    departments: r.list(Field.departments.rawValue).map(DepartmentCode.init),
                    inspectors: r.list(Field.inspectors.rawValue).map(InspectorID.init),
                    date: try r.date(Field.date.rawValue)!, line: r.line))
            }
        }
        var inclusion: [DirectoryMembership: Double] = [:]
        for visit in visits {
            for department in visit.departments {
                if let pi = manifest.inclusion[department.rawValue]?[visit.entity.rawValue] {
                    inclusion[DirectoryMembership(department: department, entity: visit.entity)] = pi
                }
            }
        }
        self.init(period: manifest.period, seed: manifest.seed, visits: visits, inclusion: inclusion,
                  source: directory.lastPathComponent, file: file.name, columns: columns,
                  inclusionSource: manifestURL.lastPathComponent)
    }
}

/// The fields of a plan's manifest.json the registry needs: period, seed and π per department and entity.
private struct ManifestFields {
    var period: Period
    var seed: String
    var inclusion: [String: [String: Double]]

    private struct Raw: Decodable {
        var period: String
        var seed: String
        var inclusion: [String: [Pair]]
    }

    /// `[entity_id, π]`.
    private struct Pair: Decodable {
        var entity: String
        var probability: Double
        init(from decoder: any Decoder) throws {
            var container = try decoder.unkeyedContainer()
            entity = try container.decode(String.self)
            probability = try container.decode(Double.self)
        }
    }

    static func read(_ url: URL) throws -> ManifestFields {
        let raw: Raw
        do {
            raw = try JSONDecoder().decode(Raw.self, from: Data(contentsOf: url))
        } catch {
            throw RegistryError.malformedFile(path: url.path, problem: "not a plan manifest (\(error))",
                                              expected: "the manifest.json written by `onecheck plan`")
        }
        guard let period = Period(raw.period) else {
            throw RegistryError.malformedFile(path: url.path, problem: "period \"\(raw.period)\" is not a quarter",
                                              expected: Period.expectedForm)
        }
        return ManifestFields(period: period, seed: raw.seed, inclusion: raw.inclusion.mapValues { pairs in
            Dictionary(pairs.map { ($0.entity, $0.probability) }, uniquingKeysWith: { first, _ in first })
        })
    }
}
