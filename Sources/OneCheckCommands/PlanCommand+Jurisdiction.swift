import ArgumentParser
import Planning
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
    /// `plan --jurisdiction J`: the jurisdiction's frame written from `paths` into `directory`, and the parameters
    /// with J's derived seed (``JurisdictionSeed``) in place of the public seed.
    /// - Returns: the frame's paths, the parameters, and the line the summary starts with.
    static func jurisdictionPlan(_ jurisdiction: JurisdictionCode, paths: PlanInputPaths, parameters: PlanParameters,
                                 frameDirectory directory: String) throws
        -> (paths: PlanInputPaths, parameters: PlanParameters, header: String) {
        let derived = JurisdictionSeed(publicSeed: parameters.seed, jurisdiction: jurisdiction)
        var parameters = parameters
        parameters.seed = derived.seedText
        parameters.jurisdiction = derived
        let written = try JurisdictionFrame.write(paths, jurisdiction: jurisdiction, to: directory)
        let header = "jurisdiction \(jurisdiction): \(written.entities) entities (\(written.otherEntities) of other "
            + "jurisdictions left out), \(written.inspectors) inspectors, \(written.quotas) quotas, frame in \(directory); "
            + "seed \(derived.seedText) (\(JurisdictionSeed.derivation) of the public seed)\n"
        return (written.paths, parameters, header)
    }
}
