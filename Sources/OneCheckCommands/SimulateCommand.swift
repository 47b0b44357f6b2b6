import ArgumentParser
import Foundation
import Planning
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
        // The plan directory (or the directory of the plan.csv given), every file checked against its manifest.
        let draw = try PlanDirectory(path: Self.planDirectory(plan)).readDraw()
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
            for visit in draw.visits {
                let entity = visit.entity.rawValue, scenario = visit.scenario.rawValue, day = visit.date
                let date = day.description
                for department in visit.departments.map(\.rawValue) {
                    guard let p = risk[entity]?[department] else {
                        throw draw.error(.unknownCategory, visit: visit, column: "entity_id", value: entity,
                                         expected: "an entity of \(entities) with a risk_\(department) head in \(truth)")
                    }
                    let id = Workspace.checkID(planCheck: visit.checkID, department: DepartmentCode(department)).rawValue
                    let results = simulator.simulate(checkID: visit.checkID, department: department, probability: p,
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
            print("simulated \(parts) department checks of \(draw.visits.count) visits: \(problems) found a problem "
                  + "(\(serious) serious); wrote \(output)/findings.csv, \(output)/disposals.csv")
        } catch {
            findings.abandon()
            disposals.abandon()
            throw error
        }
    }

    /// The plan directory named by `--plan`: the directory itself, or the directory of the plan.csv given.
    static func planDirectory(_ plan: String) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: plan, isDirectory: &isDirectory), !isDirectory.boolValue else { return plan }
        return URL(fileURLWithPath: plan).deletingLastPathComponent().path
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
    /// scored in memory block by block with the kernel of `onecheck score` (the same bits as its
    /// `<head>_probability` before rounding). Every row is scored and checked; ids must be unique.
    static func trueRisk(model path: String, entities: String) throws -> [String: [String: Double]] {
        let url = URL(fileURLWithPath: path)
        let compiled = try CompiledModel(ScoringModel.load(from: url), file: url.lastPathComponent)
        let departmentHeads = compiled.model.heads.enumerated().compactMap { h, head in head.department.map { ($0, h) } }
        var reader = try CSVReader(path: entities)
        let columns = try ModelColumns(model: compiled, includingID: true, require: reader.requireColumns)
        var ids = UniqueKeys()
        var result: [String: [String: Double]] = [:]
        while let block = try reader.nextBlock() {
            let scores = try compiled.scores(of: block, columns: columns)
            for row in 0..<block.rowCount {
                let id = try ids.insert(block, row: row, column: columns.id!)
                var risk: [String: Double] = [:]
                for (department, h) in departmentHeads { risk[department] = scores.probability(row: row, head: h) }
                result[id] = risk
            }
        }
        guard ids.count > 0 else { throw ScoreJobError.noRows(file: URL(fileURLWithPath: entities).lastPathComponent) }
        return result
    }
}
