import ArgumentParser
import Foundation
import Planning

/// `onecheck plan`: the double-random work plan of one period (issue 4, items 1, 3–7).
public struct PlanCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Draw the period's joint checks, inspectors and days from the public seed.",
        discussion: """
            π per (entity, department) is proportional to the department's risk probability within each grade, \
            sums to the agreed quota, is capped at 1 (grades with certain=1 are always checked) and floored at \
            --floor-fraction times the stratum's ratio. Departments draw with one permanent random number per \
            entity, so their selections merge into joint checks; inspectors and days are then drawn. Writes \
            plan.csv, targets.csv (public), quota-report.csv, workload.csv and manifest.json into --output, \
            each atomically, and prints a summary. Formats: Sources/Planning/PLAN_FORMATS.md.
            """
    )

    @OptionGroup var files: PlanInputOptions
    @Option(name: .long, help: "The period, a quarter like 2026Q1.")
    var period: String
    @Option(name: .long, help: "The public seed string announced before the draw.")
    var seed: String
    @Option(name: .long, help: ArgumentHelp("A frame from `onecheck commit`: refuse inputs whose hashes differ.", valueName: "frame.json"))
    var frame: String?
    @Option(name: .long, help: "Floor of π as a fraction of the stratum's sampling ratio (no blind spot).")
    var floorFraction: Double = 0.1
    @Option(name: .long, help: "Largest probability of sending a given inspector to a given entity.")
    var maxPairing: Double = 0.5
    @Option(name: .long, help: "Reserve entities kept per department for adjustments.")
    var reserve: Int = 20
    @Option(name: .long, help: "Output directory.")
    var output: String

    public init() {}

    public func validate() throws {
        if seed.isEmpty { throw ValidationError("--seed must be the non-empty public seed string") }
        if PlanPeriod(period) == nil { throw ValidationError("--period \"\(period)\": expected a quarter like 2026Q1") }
        if !(floorFraction >= 0 && floorFraction <= 1) { throw ValidationError("--floor-fraction must be in [0, 1]") }
        if !(maxPairing > 0 && maxPairing <= 1) { throw ValidationError("--max-pairing must be in (0, 1]") }
        if reserve < 0 { throw ValidationError("--reserve must be ≥ 0") }
    }

    public func run() throws {
        let paths = try files.paths()
        let commitment = try paths.commitment()
        if let frame {
            let committed = try CommitCommand.readFrame(path: frame)
            if let difference = committed.firstDifference(from: commitment) {
                throw PlanError.frameMismatch(difference)
            }
        }
        let inputs = try PlanInputs.read(paths)
        let parameters = PlanParameters(period: period, seed: seed, floorFraction: floorFraction,
                                        maxPairingProbability: maxPairing, reserveSize: reserve)
        let plan = try PlanBuilder.build(inputs, parameters: parameters)
        try PlanWriter.write(plan, inputs: inputs, paths: paths, frame: commitment, to: output)
        print(PlanOutputs.summary(plan, roster: inputs.roster), terminator: "")
    }
}
