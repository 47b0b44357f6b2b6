import ArgumentParser
import Foundation
import Registry
import Scoring
import Supervision
import SyntheticCity
import Tables

/// `onecheck simulate`: deterministic findings and disposals for a drawn plan, from the synthetic city's true
/// model, so the closed loop can be demonstrated and tested without inspectors.
public struct SimulateCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Simulate the findings and disposals of a drawn plan from the true model (demo and tests).",
        discussion: """
            For each check of plan.csv and each of its departments, a problem is found with the true model's \
            risk_<department> probability for the entity; then one of the department's items for the entity's \
            scenario is minor or serious (--serious-share), the others compliant, and a disposal is opened \
            (rectify: closed 5–34 days later; fine: closed 10–59 days later for half of them, else open). Writes \
            findings.csv and disposals.csv into --output in the formats of `onecheck import findings|disposals`, \
            with registry check ids <check_id>-<department>. Same inputs and --seed ⇒ byte-identical files.
            """)

    @Option(help: ArgumentHelp("The plan: an output directory of `onecheck plan` or its plan.csv.", valueName: "plan"))
    var plan: String
    @Option(help: ArgumentHelp("The entities the plan was drawn from (features for the true model).", valueName: "entities.csv"))
    var entities: String
    @Option(help: ArgumentHelp("The city's items: item, department, scenario.", valueName: "items.csv"))
    var items: String
    @Option(help: ArgumentHelp("The true model (models/true-model.json).", valueName: "model.json"))
    var truth: String
    @Option(help: ArgumentHelp("Seed, a whole number 0…\(UInt64.max).", valueName: "S"))
    var seed: String
    @Option(help: "Share of problems found that are serious.") var seriousShare: Double = 0.3
    @Option(help: ArgumentHelp("Output directory (created if missing).", valueName: "DIR")) var output: String

    public init() {}

    public func validate() throws {
        guard UInt64(seed) != nil else { throw ValidationError("--seed must be a whole number from 0 to \(UInt64.max), found '\(seed)'") }
        guard (0...1).contains(seriousShare) else { throw ValidationError("--serious-share must be in [0, 1], found \(seriousShare)") }
    }

    public func run() throws {
        var isDirectory: ObjCBool = false
        let planPath = FileManager.default.fileExists(atPath: plan, isDirectory: &isDirectory) && isDirectory.boolValue
            ? URL(fileURLWithPath: plan).appendingPathComponent("plan.csv").path : plan
        let checks = try CSVTable.read(path: planPath)
        let columns = try checks.requireColumns(["check_id", "entity_id", "scenario", "departments", "date"])
        let itemsByKey = try Self.readItems(items)
        let risk = try Self.trueRisk(model: truth, entities: entities)
        let simulator = FindingsSimulator(seed: UInt64(seed)!, seriousShare: seriousShare)

        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        let findings = try CSVWriter(path: URL(fileURLWithPath: output).appendingPathComponent("findings.csv").path)
        let disposals = try CSVWriter(path: URL(fileURLWithPath: output).appendingPathComponent("disposals.csv").path)
        do {
            try findings.appendRow(["check_id", "item", "outcome", "penalty"])
            try disposals.appendRow(["check_id", "item", "action", "opened_on", "closed_on"])
            var parts = 0, problems = 0, serious = 0
            for (index, row) in checks.rows.enumerated() {
                let visit = row[columns[0]], entity = row[columns[1]], scenario = row[columns[2]]
                let date = row[columns[4]]
                guard let day = CalendarDate(date) else {
                    throw checks.error(.invalidValue, row: index, column: columns[4], expected: CalendarDate.expectedForm)
                }
                for department in row[columns[3]].split(separator: ";").map(String.init) {
                    guard let p = risk[entity]?[department] else {
                        throw checks.error(.unknownCategory, row: index, column: columns[1],
                                           expected: "an entity of \(entities) with a risk_\(department) head in \(truth)")
                    }
                    let id = Workspace.checkID(planCheck: visit, department: DepartmentCode(department)).rawValue
                    let results = simulator.simulate(checkID: visit, department: department, probability: p,
                                                     items: itemsByKey[department + "\u{1F}" + scenario] ?? [])
                    parts += 1
                    for result in results {
                        try findings.appendRow([id, result.item, result.outcome.rawValue,
                                                DecimalFormatting.shortest(result.penalty)])
                        guard let disposal = result.disposal else { continue }
                        problems += 1
                        if result.outcome == .serious { serious += 1 }
                        try disposals.appendRow([id, result.item, disposal.action, date,
                                                 disposal.closedAfterDays.map { day.adding(days: $0).description } ?? ""])
                    }
                }
            }
            try findings.commit()
            try disposals.commit()
            print("simulated \(parts) department checks of \(checks.rowCount) visits: \(problems) found a problem "
                  + "(\(serious) serious); wrote \(output)/findings.csv, \(output)/disposals.csv")
        } catch {
            findings.abandon()
            disposals.abandon()
            throw error
        }
    }

    /// `department \u{1F} scenario` → item codes in file order.
    static func readItems(_ path: String) throws -> [String: [String]] {
        let table = try CSVTable.read(path: path)
        let c = try table.requireColumns(["item", "department", "scenario"])
        var result: [String: [String]] = [:]
        for row in table.rows { result[row[c[1]] + "\u{1F}" + row[c[2]], default: []].append(row[c[0]]) }
        return result
    }

    /// entity → department → the true model's probability that a check by that department finds a problem,
    /// by scoring the entities with the true model into a temporary file.
    static func trueRisk(model path: String, entities: String) throws -> [String: [String: Double]] {
        let model = try ScoringModel.load(from: URL(fileURLWithPath: path))
        let compiled = try CompiledModel(model, file: URL(fileURLWithPath: path).lastPathComponent)
        let temporary = FileManager.default.temporaryDirectory
            .appendingPathComponent("onecheck-truth-\(ProcessInfo.processInfo.processIdentifier).csv")
        defer { try? FileManager.default.removeItem(at: temporary) }
        _ = try ScoreJob.run(model: compiled, input: URL(fileURLWithPath: entities), output: temporary,
                             options: ScoreOptions(), progress: { _ in })
        let scores = try CSVTable.read(temporary)
        let heads = model.heads.compactMap { head in head.department.map { ($0, head.name + "_probability") } }
        let id = try scores.requireColumns([model.idColumn])[0]
        let positions = try scores.requireColumns(heads.map(\.1))
        var result: [String: [String: Double]] = [:]
        for row in scores.rows {
            var risk: [String: Double] = [:]
            for (k, head) in heads.enumerated() { risk[head.0] = Double(row[positions[k]]) }
            result[row[id]] = risk
        }
        return result
    }
}
