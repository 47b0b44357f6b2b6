import ArgumentParser
import Planning
import Registry
import Supervision

/// `onecheck plan`: the double-random work plan of one period (issue 4, items 1, 3–7).
public struct PlanCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Draw the period's joint checks, inspectors and days from the public seed.",
        discussion: """
            The target π per (entity, department) is proportional to the department's risk probability within \
            each grade, sums to the agreed quota, is capped at 1 (grades with certain=1 are always checked) and \
            floored at --floor-fraction times the stratum's ratio. Every department × grade draws exactly its agreed \
            size (a ratio's size rounded by a public coin) by Pareto order sampling on one permanent random number \
            per entity, so the departments' selections merge into joint checks; yearly caps bound the numbers an \
            entity may be drawn with. inclusion.csv records the design's exact inclusion probabilities. Inspectors \
            and days are then drawn. Writes plan.csv, targets.csv (public), quota-report.csv, workload.csv, \
            inclusion.csv and manifest.json into --output, replacing an earlier plan there as a whole, and prints a summary naming \
            any stratum planned below its agreed size. The inputs are files, or --workspace W: the period's grades \
            (joint sanctions applied), quotas, roster and this year's recorded checks, written as files into \
            --frame-dir (default: <output>-frame) and recorded in the manifest. Formats: \
            Sources/Planning/PLAN_FORMATS.md.
            """
    )

    @OptionGroup var files: PlanInputOptions
    @Option(name: [.customShort("w"), .long], help: ArgumentHelp(
        "Plan from this workspace instead of files: the directory, the period's grades, quotas, caps, roster and this year's checks.",
        valueName: "workspace"))
    var workspace: String?
    @Option(name: .customLong("frame-dir"), help: ArgumentHelp(
        "With --workspace: the directory the inputs read from it are written to (default: <output>-frame).",
        valueName: "DIR"))
    var frameDirectory: String?
    @Option(name: .long, help: ArgumentHelp("The period, a quarter like 2026Q1.", valueName: "YYYYQn"))
    var period: Period
    @Option(name: .long, help: ArgumentHelp("The public seed string announced before the draw (not empty).", valueName: "text"))
    var seed: PublicSeed
    @Option(name: .long, help: ArgumentHelp("A frame from `onecheck commit`: refuse inputs whose hashes differ.", valueName: "frame.json"))
    var frame: String?
    @Option(name: .long, help: ArgumentHelp("Floor of π as a fraction of the stratum's sampling ratio (no blind spot).", valueName: "0…1"))
    var floorFraction: Fraction = Fraction(argument: "0.1")!
    @Option(name: .long, help: ArgumentHelp("Largest probability of sending a given inspector to a given entity.", valueName: "(0…1]"))
    var maxPairing: Fraction = Fraction(argument: "0.5")!
    @Option(name: .long, help: "Reserve entities kept per department for adjustments.")
    var reserve: Int = 20
    @Option(name: .long, help: ArgumentHelp("Output directory (a new one, or one written by plan or adjust).", valueName: "DIR"))
    var output: String
    @Option(name: .long, help: ArgumentHelp(
        "Plan one jurisdiction: its entities, roster and quotas (the inputs' jurisdiction column), drawn with the seed derived from --seed and the code (RANDOMNESS.md §8); its inputs are written into --frame-dir.",
        valueName: "code"))
    var jurisdiction: JurisdictionCode?

    public init() {}

    public func validate() throws {
        if workspace != nil {
            if let given = files.given.keys.sorted().first {
                throw ValidationError("--workspace reads every input from the workspace; --\(given) cannot be given with it")
            }
        } else {
            if frameDirectory != nil && jurisdiction == nil {
                throw ValidationError("--frame-dir goes with --workspace or --jurisdiction")
            }
            _ = try files.paths
        }
        if maxPairing.value == 0 { throw ValidationError("--max-pairing must be in (0, 1]") }
        if reserve < 0 { throw ValidationError("--reserve must be ≥ 0") }
    }

    public func run() throws {
        try RunFiles.check(outputDirectory: ("--output", output), inputs: files.named + [("--frame", frame)])
        var parameters = PlanParameters(period: period, seed: seed.text, floorFraction: floorFraction.value,
                                        maxPairingProbability: maxPairing.value, reserveSize: reserve)
        var paths: PlanInputPaths
        var header = ""
        let frameDirectory = frameDirectory ?? WorkspaceFrame.defaultDirectory(forOutput: output)
        if let workspace {
            // With --jurisdiction only J's part of the workspace is read (one partition on PostgreSQL), and the
            // frame written is J's: what filtering the whole frame by J would give, without reading the rest.
            let inputs = try Workspace.open(at: workspace, access: .readOnly)
                .planningInputs(for: period, of: jurisdiction.map { .jurisdiction($0) } ?? .all)
            if let jurisdiction { try Self.requireJurisdiction(jurisdiction, in: inputs, workspace: workspace) }
            let written = try WorkspaceFrame.write(inputs, to: frameDirectory)
            paths = written.paths
            header = "frame from \(workspace) for \(period)\(jurisdiction.map { ", jurisdiction \($0)" } ?? ""): "
                + "\(inputs.entities.count) entities, \(inputs.grades.count) departments graded, "
                + "\(inputs.roster.count) inspectors, \(inputs.quotas.count) quotas, "
                + "\(written.visitsDone) visits recorded earlier this year; written to \(frameDirectory)\n"
        } else {
            paths = try files.paths
        }
        if let jurisdiction {
            let derived = JurisdictionSeed(publicSeed: parameters.seed, jurisdiction: jurisdiction)
            (parameters.seed, parameters.jurisdiction) = (derived.seedText, derived)
            if workspace == nil {
                let written = try Self.jurisdictionFrame(jurisdiction, paths: paths, directory: frameDirectory)
                paths = written.paths
                header += written.header
            }
            header += "jurisdiction \(jurisdiction): seed \(derived.seedText) (\(JurisdictionSeed.derivation) of the public seed)\n"
        }
        let run = try Planner.plan(inputs: paths, parameters: parameters, committedFrame: frame,
                                   output: PlanDirectory(path: output))
        print(header + run.summary, terminator: "")
        ProcessLifetime.keep(run)
    }
}
