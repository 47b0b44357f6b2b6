/// The sampling algorithm of a plan, recorded in its manifest as `algorithm_version` and fixed by `commit`.
///
/// A plan is always re-derived with the algorithm it was drawn with, so a plan drawn by an earlier build still
/// verifies. Each version is specified in `RANDOMNESS.md` (sections 6 and 7) with test vectors.
public enum PlanAlgorithm: String, Sendable, CaseIterable, Equatable {
    /// Coordinated Poisson sampling on permanent random numbers: department `d` selects entity `i` in quarter `k`
    /// when `frac(u_i − k/4) < π_id`. Each π is exact and equals its target; the number of checks of a stratum is
    /// random around the agreed one.
    case poissonV2 = "onecheck.plan.v2"
    /// Coordinated Pareto πps order sampling on the same quarter-shifted numbers: every department × grade stratum
    /// draws exactly its agreed size (a ratio rounded by a public coin), yearly caps are eligibility bounds on the
    /// numbers, and the manifest records the design's exact inclusion probabilities.
    case paretoV3 = "onecheck.plan.v3"

    /// What `plan` draws with.
    public static let current = PlanAlgorithm.paretoV3

    /// The version string recorded in manifests and frames: sampling and randomness together,
    /// e.g. `onecheck.plan.v3+onecheck.random.v1`.
    public var version: String { rawValue + "+" + VerifiableRandom.version }

    /// The algorithm of a recorded version string, or nil for one this build does not implement.
    public init?(version: String) {
        guard let known = Self.allCases.first(where: { $0.version == version }) else { return nil }
        self = known
    }

    /// Whether every stratum is drawn at a fixed size (and its manifest records the design's exact π).
    public var drawsFixedSizes: Bool { self == .paretoV3 }
}
