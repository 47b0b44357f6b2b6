import ArgumentParser
import Planning

/// `onecheck verify`: re-derives a plan from its manifest and inputs (issue 4, item 6).
public struct VerifyCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Re-derive a plan from its manifest and inputs; print identical or the first difference.",
        discussion: """
            Each input is the file given on the command line, else the file at the path the manifest records \
            (relative to the manifest's directory; for a manifest of format v1, relative to the directory the \
            plan was made in), else the file of --inputs-dir with the recorded SHA-256. Their SHA-256 must \
            match the manifest; the plan is then drawn again from the recorded seed and parameters, the \
            recorded adjustments are replayed, and --plan, the manifest and the other files beside the \
            manifest are compared line by line. Exit status 1 on any difference.
            """
    )

    @Option(name: .long, help: ArgumentHelp("The plan's manifest.", valueName: "manifest.json"))
    var manifest: String
    @Option(name: .long, help: ArgumentHelp("The plan to check.", valueName: "plan.csv"))
    var plan: String
    @OptionGroup var inputs: RecordedInputOptions

    public init() {}

    public func run() throws {
        let outcome = try Planner.verify(manifest: manifest, plan: plan, locator: inputs.locator)
        print(outcome)
        if outcome != .identical { throw ExitCode(1) }
    }
}
