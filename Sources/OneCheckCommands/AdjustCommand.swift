import ArgumentParser
import Foundation
import Planning

/// `onecheck adjust`: replaces a closed entity or an unavailable inspector from the reserve (issue 4, item 11).
public struct AdjustCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "adjust",
        abstract: "Adjust a plan (closed entity, unavailable inspector) without re-rolling the draw.",
        discussion: """
            The plan is first re-derived from the manifest and inputs and must equal --plan. A closed entity's \
            check is replaced, per department, by the next entity of the reserve order fixed at planning time; \
            an unavailable inspector is replaced on each of their checks. The adjustment is appended to the \
            manifest, so `onecheck verify` reproduces the adjusted plan. Repeating an adjustment changes nothing.
            """
    )

    @Option(name: .long, help: ArgumentHelp("The plan's manifest.", valueName: "manifest.json"))
    var manifest: String
    @Option(name: .long, help: ArgumentHelp("The current plan.", valueName: "plan.csv"))
    var plan: String
    @Option(name: .long, help: ArgumentHelp("An entity that has closed.", valueName: "entity-id"))
    var closed: String?
    @Option(name: .long, help: ArgumentHelp("An inspector who is unavailable.", valueName: "inspector-id"))
    var unavailable: String?
    @OptionGroup var files: PlanInputOptions
    @Option(name: .long, help: "Output directory for the adjusted plan.")
    var output: String

    public init() {}

    public func validate() throws {
        if (closed == nil) == (unavailable == nil) {
            throw ValidationError("give exactly one of --closed ENTITY and --unavailable INSPECTOR")
        }
    }

    public func run() throws {
        var checked = try PlanVerification.check(manifestPath: manifest, planPath: plan, paths: files.paths(recorded:))
        guard checked.outcome == .identical else { throw PlanError.manifestMismatch(checked.outcome.description) }
        let adjustment: PlanAdjustment = closed.map { .closed(entity: $0) } ?? .unavailable(inspector: unavailable!)
        try checked.plan.apply(adjustment, inputs: checked.inputs)
        try PlanWriter.write(checked.plan, inputs: checked.inputs, paths: checked.manifest.inputPaths ?? checked.paths,
                             frame: checked.frame, to: output)
        print("applied: \(adjustment); \(checked.plan.adjustments.count) adjustment(s) recorded")
        print(PlanOutputs.summary(checked.plan, roster: checked.inputs.roster), terminator: "")
    }
}
