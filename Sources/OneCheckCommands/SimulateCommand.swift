import ArgumentParser
import Foundation
import Planning
import Registry
import Supervision
import SyntheticCity

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
            findings.csv and disposals.csv into --output (replacing the directory's previous pair as a whole) in \
            the formats of `onecheck import findings|disposals`, with registry check ids <check_id>-<department>. \
            Same inputs and --seed ⇒ byte-identical files.
            """)

    @Option(help: ArgumentHelp("The plan: an output directory of `onecheck plan` or its plan.csv.", valueName: "plan"))
    var plan: String
    @Option(help: ArgumentHelp("The entities the plan was drawn from (features for the true model).", valueName: "entities.csv"))
    var entities: String
    @Option(help: ArgumentHelp("The city's items (items.csv).", valueName: "items.csv"))
    var items: String
    @Option(help: ArgumentHelp("The true model (models/true-model.json).", valueName: "model.json"))
    var truth: String
    @Option(help: ArgumentHelp("Seed, a whole number 0…\(UInt64.max).", valueName: "S"))
    var seed: UInt64
    @Option(help: "Share of problems found that are serious.") var seriousShare: Double = 0.3
    @Option(help: ArgumentHelp("Output directory (created if missing; it may hold only findings.csv and disposals.csv).",
                               valueName: "DIR"))
    var output: String
    @OptionGroup var text: TextInputOptions

    public init() {}

    public func validate() throws {
        guard (0...1).contains(seriousShare) else { throw ValidationError("--serious-share must be in [0, 1], found \(seriousShare)") }
    }

    public func run() throws {
        let inputs: [(option: String, path: String?)] = [("--plan", plan), ("--entities", entities), ("--items", items),
                                                          ("--truth", truth)]
        let directory = URL(fileURLWithPath: output)
        try RunFiles.check(outputs: [("--output", directory.appendingPathComponent("findings.csv").path),
                                     ("--output", directory.appendingPathComponent("disposals.csv").path)],
                           inputs: inputs)
        // The plan directory (or the directory of the plan.csv given), every file checked against its manifest.
        let draw = try PlanDirectory(path: Self.planDirectory(plan)).readDraw()
        let cityItems = try ItemsFile.read(URL(fileURLWithPath: items))
        let risk = try TrueRisk(model: URL(fileURLWithPath: truth), entities: URL(fileURLWithPath: entities))
        let results = try FindingsSimulator(seed: seed, seriousShare: seriousShare)
            .simulate(draw, items: cityItems, risk: risk) { Workspace.checkID(planCheck: $0, department: $1).rawValue }
        try results.write(to: output)
        print("simulated \(results.departmentChecks) department checks of \(results.visits) visits: "
              + "\(results.problems) found a problem (\(results.serious) serious); wrote \(output)/"
              + "\(SimulatedResults.findingsFile), \(output)/\(SimulatedResults.disposalsFile)")
    }

    /// The plan directory named by `--plan`: the directory itself, or the directory of the plan.csv given.
    static func planDirectory(_ plan: String) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: plan, isDirectory: &isDirectory), !isDirectory.boolValue else { return plan }
        return URL(fileURLWithPath: plan).deletingLastPathComponent().path
    }
}
