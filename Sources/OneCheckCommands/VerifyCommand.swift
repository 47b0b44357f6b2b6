import ArgumentParser
import Foundation
import Planning

/// `onecheck verify`: re-derives a plan from its manifest and inputs (issue 4, item 6).
public struct VerifyCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Re-derive a plan from its manifest and inputs; print identical or the first difference.",
        discussion: """
            Input files default to the paths recorded in the manifest. Their SHA-256 must match the manifest; \
            the plan is then drawn again from the recorded seed and parameters, the recorded adjustments are \
            replayed, and plan.csv and the manifest are compared line by line. Exit status 1 on any difference.
            """
    )

    @Option(name: .long, help: ArgumentHelp("The plan's manifest.", valueName: "manifest.json"))
    var manifest: String
    @Option(name: .long, help: ArgumentHelp("The plan to check.", valueName: "plan.csv"))
    var plan: String
    @OptionGroup var files: PlanInputOptions

    public init() {}

    public func run() throws {
        let checked = try PlanVerification.check(manifestPath: manifest, planPath: plan, paths: files.paths(recorded:))
        var outcome = checked.outcome
        if outcome == .identical, let text = FileManager.default.contents(atPath: manifest) {
            outcome = PlanVerification.compare(
                file: manifest,
                expected: PlanManifest.render(checked.plan, paths: checked.manifest.inputPaths ?? checked.paths,
                                              frame: checked.frame),
                found: String(decoding: text, as: UTF8.self))
        }
        print(outcome)
        if outcome != .identical { throw ExitCode(1) }
    }
}
