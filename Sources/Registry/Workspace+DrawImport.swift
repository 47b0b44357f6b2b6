import Foundation
import GRDB
import Tables

/// What `importDraw` recorded.
public struct DrawImportSummary: Equatable, Sendable {
    public var period: String
    /// Registry plans written: one per scenario with checks.
    public var plans: Int
    /// Joint checks of plan.csv (visits).
    public var visits: Int
    /// Registry checks written: one per department of each visit.
    public var checks: Int
}

extension Workspace {
    /// The registry id of one department's part of a planner check: `<check_id>-<department>` (the planner's
    /// check id is `<period>-<entity_id>`). Findings are recorded against these ids.
    public static func checkID(planCheck: String, department: String) -> String { "\(planCheck)-\(department)" }

    /// The registry id of the plan of one scenario in a planner draw: `<period>-<scenario>`.
    public static func planID(period: String, scenario: String) -> String { "\(period)-\(scenario)" }

    /// Records the output directory of `onecheck plan` (plan.csv + manifest.json) as a draw, in one transaction.
    ///
    /// Each row of plan.csv (`check_id,entity_id,scenario,departments,inspectors,date`) becomes one registry
    /// check per department, with the inclusion probability π of that (department, entity) from the manifest's
    /// `inclusion` table and the inspectors of that department; the checks of each scenario form one registry
    /// plan `<period>-<scenario>` with the manifest's seed. A draw is never repeated silently: if any scenario
    /// already has a plan for the period, nothing is written, a `redraw_refused` line goes to the audit log and
    /// `RegistryError.planAlreadyDrawn` is thrown.
    /// - Throws: `TableError` (file, line, column) for a check whose entity is not in the department's
    ///   directory, has no π in the manifest, or names an unknown inspector; `RegistryError.missingFile`,
    ///   `.malformedFile`, `.planAlreadyDrawn`.
    @discardableResult
    public func importDraw(planDirectory directory: URL, auditTime: String? = nil) throws -> DrawImportSummary {
        let manifestURL = directory.appendingPathComponent("manifest.json")
        let planURL = directory.appendingPathComponent("plan.csv")
        for url in [manifestURL, planURL] where !FileManager.default.fileExists(atPath: url.path) {
            throw RegistryError.missingFile(path: url.path, expected: "an output directory of `onecheck plan`")
        }
        let manifest = try DrawManifest.read(manifestURL)
        let at = auditTime ?? Workspace.timestamp()
        do {
            return try database.write { db in
                let memberships = Set(try String.fetchAll(db, sql: "SELECT department || char(31) || entity FROM directory_memberships"))
                var inspectorDepartment: [String: String] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT id, department FROM inspectors") { inspectorDepartment[row[0]] = row[1] }
                let scenarios = Set(try String.fetchAll(db, sql: "SELECT code FROM scenarios"))
                var checks: [String: [Check]] = [:]
                var order: [String] = []
                var planScenario: [String: String] = [:]
                var keys = KeyLines()
                var visits = 0
                let file = CityFile(url: planURL, required: ["check_id", "entity_id", "scenario", "departments", "date"],
                                    optional: ["inspectors"])
                try file.forEachRow { r in
                    let visit = try r.required("check_id")
                    try keys.claim(visit, row: r, column: "check_id")
                    let entity = try r.creditCode("entity_id")
                    let scenario = try r.reference("scenario", in: scenarios, table: "scenarios")
                    let date = try r.date("date")!
                    let inspectors = r.list("inspectors")
                    for inspector in inspectors where inspectorDepartment[inspector] == nil {
                        throw r.fail("inspectors", .unknownCategory, expected: "inspector ids of the registry (unknown: \(inspector))")
                    }
                    let departments = r.list("departments")
                    if departments.isEmpty { throw r.fail("departments", .missingValue, expected: "department codes separated by ';'") }
                    for department in departments {
                        guard memberships.contains(department + "\u{1F}" + entity) else {
                            throw r.fail("departments", .unknownCategory,
                                         expected: "departments whose directory holds \(entity) (not \(department))")
                        }
                        guard let pi = manifest.inclusion[department]?[entity], pi > 0, pi <= 1 else {
                            throw r.fail("entity_id", .unknownCategory,
                                         expected: "an entity with 0 < π ≤ 1 for \(department) in manifest.json")
                        }
                        let plan = Self.planID(period: manifest.period, scenario: scenario)
                        if checks[plan] == nil { order.append(plan); planScenario[plan] = scenario }
                        checks[plan, default: []].append(Check(
                            id: Self.checkID(planCheck: visit, department: department), plan: plan, entity: entity,
                            department: department, inclusionProbability: pi, checkedOn: date,
                            inspectors: inspectors.filter { inspectorDepartment[$0] == department }.joined(separator: ";")))
                    }
                    visits += 1
                }
                var total = 0
                for plan in order {
                    let list = checks[plan]!
                    try Self.insertDraw(Plan(id: plan, scenario: planScenario[plan]!, period: manifest.period,
                                             seed: manifest.seed),
                                        checks: list, db: db, at: at)
                    total += list.count
                }
                try AuditEntry(at: at, action: "import", period: manifest.period,
                               detail: "draw \(directory.lastPathComponent) plans=\(order.count) visits=\(visits) checks=\(total)")
                    .insert(db)
                return DrawImportSummary(period: manifest.period, plans: order.count, visits: visits, checks: total)
            }
        } catch let RegistryError.planAlreadyDrawn(scenario, period, existing) {
            // The import rolled back; the refused attempt itself must still be on record.
            try database.write { db in
                try AuditEntry(at: at, action: "redraw_refused", scenario: scenario, period: period,
                               detail: "draw \(directory.lastPathComponent) seed \(manifest.seed); existing plan \(existing)")
                    .insert(db)
            }
            throw RegistryError.planAlreadyDrawn(scenario: scenario, period: period, existingPlan: existing)
        }
    }
}

/// The fields of a plan's manifest.json the registry needs: period, seed and π per department and entity.
struct DrawManifest {
    var period: String
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
        init(from decoder: Decoder) throws {
            var container = try decoder.unkeyedContainer()
            entity = try container.decode(String.self)
            probability = try container.decode(Double.self)
        }
    }

    static func read(_ url: URL) throws -> DrawManifest {
        let raw: Raw
        do {
            raw = try JSONDecoder().decode(Raw.self, from: Data(contentsOf: url))
        } catch {
            throw RegistryError.malformedFile(path: url.path, problem: "not a plan manifest (\(error))",
                                              expected: "the manifest.json written by `onecheck plan`")
        }
        guard CalendarDate(periodStart: raw.period) != nil else {
            throw RegistryError.malformedFile(path: url.path, problem: "period \"\(raw.period)\" is not a quarter",
                                              expected: CalendarDate.expectedPeriod)
        }
        return DrawManifest(period: raw.period, seed: raw.seed, inclusion: raw.inclusion.mapValues { pairs in
            Dictionary(pairs.map { ($0.entity, $0.probability) }, uniquingKeysWith: { first, _ in first })
        })
    }
}
