import ArgumentParser
import Foundation
import Planning
import Registry
import Supervision

/// `onecheck verify`: re-derives a plan from its manifest and inputs (issue 4, item 6); with a workspace, writes the
/// quota report with the checks completed so far (issue 19, item 6).
public struct VerifyCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Re-derive a plan from its manifest and inputs; print identical or the first difference.",
        discussion: """
            Each input is the file given on the command line, else the file at the path the manifest records \
            (relative to the manifest's directory; for a manifest of format v1, relative to the directory the \
            plan was made in), else the file of --inputs-dir with the recorded SHA-256. Their SHA-256 must \
            match the manifest; the plan is then drawn again with the recorded algorithm version, seed and \
            parameters, the recorded adjustments are replayed, and --plan, the manifest and the other files beside \
            the manifest are compared line by line. Exit status 1 on any difference. With --workspace and \
            --completed-report, a verified plan's quota report is written to that file with a completed_checks \
            column: per department and grade, the plan's checks (adjustments applied) with findings recorded in \
            the workspace.
            """
    )

    @Option(name: .long, help: ArgumentHelp("The plan's manifest.", valueName: "manifest.json"))
    var manifest: String
    @Option(name: .long, help: ArgumentHelp("The plan to check.", valueName: "plan.csv"))
    var plan: String
    @OptionGroup var inputs: RecordedInputOptions
    @Option(name: [.customShort("w"), .long], help: ArgumentHelp(
        "A workspace holding the plan's results (with --completed-report).", valueName: "workspace"))
    var workspace: String?
    @Option(name: .customLong("completed-report"), help: ArgumentHelp(
        "Write the quota report with the checks completed in --workspace to this file.", valueName: "FILE"))
    var completedReport: String?

    public init() {}

    public func validate() throws {
        if (workspace == nil) != (completedReport == nil) {
            throw ValidationError("--workspace and --completed-report go together")
        }
    }

    public func run() throws {
        let (outcome, checked) = try PlanVerification.verified(manifestPath: manifest, planPath: plan,
                                                                locator: inputs.locator)
        ProcessLifetime.keep(checked)
        print(outcome)
        if outcome != .identical { throw ExitCode(1) }
        guard let workspace, let completedReport else { return }
        let period = checked.plan.parameters.period
        let facts = try Workspace.open(at: workspace, access: .readOnly).store.read { reader in
            try reader.checkFacts(CheckSelection(period: period, outcomes: true))
        }
        var withResults = Set<DirectoryMembership>()
        for fact in facts where (fact.outcomes?.findings.total ?? 0) > 0 {
            withResults.insert(DirectoryMembership(department: fact.department, entity: EntityID(fact.entity.rawValue)))
        }
        let completed = PlanOutputs.completedChecks(checked.plan, inputs: checked.inputs, withResults: withResults)
        let text = PlanOutputs.quotaReportCSV(checked.plan, completed: completed)
        try Data(text.utf8).write(to: URL(fileURLWithPath: completedReport), options: .atomic)
        print("completed checks: \(completed.values.reduce(0, +)) of \(checked.plan.checks.reduce(0) { $0 + $1.departments.count }) "
            + "planned department checks have results in \(workspace); quota report written to \(completedReport)")
    }
}
