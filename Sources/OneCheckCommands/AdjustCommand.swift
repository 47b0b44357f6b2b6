import ArgumentParser
import Planning
import Supervision

/// `onecheck adjust`: replaces a closed entity or an unavailable inspector from the reserve (issue 4, item 11).
public struct AdjustCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "adjust",
        abstract: "Adjust a plan (closed entity, unavailable inspector) without re-rolling the draw.",
        discussion: """
            The plan is first re-derived from the manifest and inputs (found as `onecheck verify` finds them) \
            and must equal --plan. A closed entity's check is replaced, per department, by the next entity of \
            the reserve order fixed at planning time; an unavailable inspector is replaced on each of their \
            checks. The adjustment is appended to the manifest, so `onecheck verify` reproduces the adjusted \
            plan. Repeating an adjustment changes nothing.
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
    @OptionGroup var inputs: RecordedInputOptions
    @Option(name: .long, help: ArgumentHelp("Output directory for the adjusted plan.", valueName: "DIR"))
    var output: String

    public init() {}

    public func validate() throws {
        if (closed == nil) == (unavailable == nil) {
            throw ValidationError("give exactly one of --closed ENTITY and --unavailable INSPECTOR")
        }
        if closed == "" || unavailable == "" { throw ValidationError("--closed and --unavailable take a non-empty id") }
    }

    public func run() throws {
        let adjustment: PlanAdjustment = closed.map { .closed(entity: EntityID($0)) }
            ?? .unavailable(inspector: InspectorID(unavailable!))
        let run = try Planner.adjust(manifest: manifest, plan: plan, adjustment: adjustment, locator: inputs.locator,
                                     output: PlanDirectory(path: output))
        print(run.summary, terminator: "")
        ProcessLifetime.keep(run)
    }
}
