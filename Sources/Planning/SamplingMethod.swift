/// The fixed-size samplers, by their command-line names.
public enum SamplingMethod: String, CaseIterable, Sendable, Codable {
    /// ``ConditionalPoissonSampler``: maximum entropy, O(M·m) fit.
    case conditionalPoisson = "cps"
    /// ``PivotalSampler``: ordered pivotal, O(N).
    case pivotal
    /// ``SystematicSampler``: systematic on a random order, O(N).
    case systematic

    /// A sampler of this method for `design`.
    /// - Throws: ``SamplingError`` when the conditional Poisson fit fails.
    public func makeSampler(design: FixedSizeDesign) throws -> any FixedSizeSampler {
        switch self {
        case .conditionalPoisson: return try ConditionalPoissonSampler(design: design)
        case .pivotal: return PivotalSampler(design: design)
        case .systematic: return SystematicSampler(design: design)
        }
    }
}
