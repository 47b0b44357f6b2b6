import ArgumentParser
import Planning
import Supervision

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
            replacing an earlier plan there as a whole, and prints a summary. Formats: \
            Sources/Planning/PLAN_FORMATS.md.
            """
    )

    @OptionGroup var files: PlanInputOptions
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

    public init() {}

    public func validate() throws {
        _ = try files.paths
        if maxPairing.value == 0 { throw ValidationError("--max-pairing must be in (0, 1]") }
        if reserve < 0 { throw ValidationError("--reserve must be ≥ 0") }
    }

    public func run() throws {
        try RunFiles.check(outputDirectory: ("--output", output), inputs: files.named + [("--frame", frame)])
        let parameters = PlanParameters(period: period, seed: seed.text, floorFraction: floorFraction.value,
                                        maxPairingProbability: maxPairing.value, reserveSize: reserve)
        let run = try Planner.plan(inputs: files.paths, parameters: parameters, committedFrame: frame,
                                   output: PlanDirectory(path: output))
        print(run.summary, terminator: "")
    }
}
