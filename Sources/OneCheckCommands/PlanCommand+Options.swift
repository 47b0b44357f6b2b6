import ArgumentParser
import Foundation
import Planning

/// The input files shared by `plan`, `commit`, `verify` and `adjust` (formats: Sources/Planning/PLAN_FORMATS.md).
struct PlanInputOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Scores from `onecheck score`: entity_id, <head>_probability, <head>_grade.", valueName: "scores.csv"))
    var scores: String?
    @Option(name: .long, help: ArgumentHelp("Entity directory: entity_id, scenario.", valueName: "entities.csv"))
    var entities: String?
    @Option(name: .long, help: ArgumentHelp("Agreed quotas: department, grade, ratio, count, certain.", valueName: "quotas.csv"))
    var quotas: String?
    @Option(name: .long, help: ArgumentHelp("Inspector roster: inspector_id, department, qualified_items, cap_per_period, …", valueName: "inspectors.csv"))
    var inspectors: String?
    @Option(name: .long, help: ArgumentHelp("Departments: department, risk_head (default head risk_<department>).", valueName: "departments.csv"))
    var departments: String?
    @Option(name: .long, help: ArgumentHelp("Scenarios: scenario, lead, partners (default: every department supervises every entity).", valueName: "scenarios.csv"))
    var scenarios: String?
    @Option(name: .long, help: ArgumentHelp("Items: item, department, scenario (the check content inspectors must be qualified for).", valueName: "items.csv"))
    var items: String?
    @Option(name: .long, help: ArgumentHelp("Caps: scope (all or a department), max_checks_per_year.", valueName: "caps.csv"))
    var caps: String?

    /// The paths given, falling back on `recorded` (from a manifest) for the files not given.
    func paths(recorded: PlanInputPaths? = nil) throws -> PlanInputPaths {
        guard let scores = scores ?? recorded?.scores, let entities = entities ?? recorded?.entities,
              let quotas = quotas ?? recorded?.quotas, let inspectors = inspectors ?? recorded?.inspectors else {
            throw ValidationError("--scores, --entities, --quotas and --inspectors are required")
        }
        return PlanInputPaths(
            scores: scores, entities: entities, quotas: quotas, inspectors: inspectors,
            departments: departments ?? recorded?.departments, scenarios: scenarios ?? recorded?.scenarios,
            items: items ?? recorded?.items, caps: caps ?? recorded?.caps)
    }
}

/// Writes the plan's files into `directory`, each atomically; the manifest last.
enum PlanWriter {
    static func write(_ plan: Plan, inputs: PlanInputs, paths: PlanInputPaths, frame: FrameCommitment, to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let base = URL(fileURLWithPath: directory)
        try PlanOutputs.writeAtomically(PlanOutputs.planCSV(plan), to: base.appendingPathComponent("plan.csv").path)
        try PlanOutputs.writeAtomically(PlanOutputs.targetsCSV(plan), to: base.appendingPathComponent("targets.csv").path)
        try PlanOutputs.writeAtomically(PlanOutputs.quotaReportCSV(plan), to: base.appendingPathComponent("quota-report.csv").path)
        try PlanOutputs.writeAtomically(PlanOutputs.workloadCSV(plan, roster: inputs.roster),
                                        to: base.appendingPathComponent("workload.csv").path)
        try PlanOutputs.writeAtomically(PlanManifest.render(plan, paths: paths, frame: frame),
                                        to: base.appendingPathComponent("manifest.json").path)
    }
}
