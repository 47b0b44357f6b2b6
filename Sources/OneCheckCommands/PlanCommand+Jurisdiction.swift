import ArgumentParser
import Planning
import Registry
import Supervision

extension JurisdictionCode: ExpressibleByArgument {
    /// A well-formed code (``Jurisdiction/isWellFormed(_:)``); anything else is refused by the argument parser.
    public init?(argument: String) {
        guard Jurisdiction.isWellFormed(argument) else { return nil }
        self.init(argument)
    }

    public static var defaultCompletionKind: CompletionKind { .default }
}

extension PlanCommand {
    /// `plan --jurisdiction J` from files: J's frame written from `paths` into `directory`.
    /// - Returns: the frame's paths and the summary's line about it.
    static func jurisdictionFrame(_ jurisdiction: JurisdictionCode, paths: PlanInputPaths, directory: String) throws
        -> (paths: PlanInputPaths, header: String) {
        let written = try JurisdictionFrame.write(paths, jurisdiction: jurisdiction, to: directory)
        let header = "jurisdiction \(jurisdiction): \(written.entities) entities (\(written.otherEntities) of other "
            + "jurisdictions left out), \(written.inspectors) inspectors, \(written.quotas) quotas, frame in \(directory)\n"
        return (written.paths, header)
    }

    /// `plan --workspace W --jurisdiction J`: refuses a jurisdiction of which the workspace holds no entity, no
    /// inspector or no quota (nothing to plan, or nothing to plan it with), as the files' frame does.
    /// - Throws: `ValidationError` naming the workspace, the jurisdiction and what it lacks.
    static func requireJurisdiction(_ jurisdiction: JurisdictionCode, in inputs: PlanningInputs, workspace: String) throws {
        for (rows, count) in [("entities", inputs.entities.count), ("inspectors", inputs.roster.count),
                              ("quotas", inputs.quotas.count)] where count == 0 {
            throw ValidationError("the workspace \(workspace) has no \(rows) of jurisdiction \(jurisdiction) "
                + "(jurisdictions are stored by import city from the files' jurisdiction column)")
        }
    }
}
