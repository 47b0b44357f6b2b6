import Foundation

/// Re-derives a plan from its manifest and inputs (issue 4, item 6).
public enum PlanVerification {
    /// The outcome of a verification.
    public enum Outcome: Sendable, Equatable, CustomStringConvertible {
        case identical
        /// The first difference: which file, which line (1-based), what was expected and what was found.
        case different(file: String, line: Int, expected: String, found: String)

        public var description: String {
            switch self {
            case .identical: return "identical"
            case let .different(file, line, expected, found):
                return "\(file) differs at line \(line): re-derived \"\(expected)\", found \"\(found)\""
            }
        }
    }

    /// Rebuilds the plan the manifest describes: checks the algorithm version and the input hashes,
    /// draws with the recorded seed and parameters, and replays the recorded adjustments.
    ///
    /// - Throws: ``PlanError/manifestMismatch(_:)`` when the algorithm version differs, or an input's
    ///   SHA-256 differs from the one recorded (naming the input), before any drawing.
    public static func rederive(manifest: PlanManifest, paths: PlanInputPaths) throws -> (plan: Plan, inputs: PlanInputs, frame: FrameCommitment) {
        guard manifest.algorithmVersion == FrameCommitment.currentAlgorithmVersion else {
            throw PlanError.manifestMismatch(
                "algorithm version \(manifest.algorithmVersion); this build implements \(FrameCommitment.currentAlgorithmVersion)")
        }
        let frame = try paths.commitment()
        if let difference = manifest.frame.firstDifference(from: frame) {
            throw PlanError.manifestMismatch(difference.description)
        }
        let inputs = try PlanInputs.read(paths)
        var plan = try PlanBuilder.build(inputs, parameters: manifest.parameters)
        for adjustment in manifest.adjustments { try plan.apply(adjustment, inputs: inputs) }
        return (plan, inputs, frame)
    }

    /// Compares two texts line by line.
    public static func compare(file: String, expected: String, found: String) -> Outcome {
        let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let b = found.split(separator: "\n", omittingEmptySubsequences: false)
        for line in 0..<max(a.count, b.count) {
            let x = line < a.count ? String(a[line]) : "<end of file>"
            let y = line < b.count ? String(b[line]) : "<end of file>"
            if x != y { return .different(file: file, line: line + 1, expected: x, found: y) }
        }
        return .identical
    }

    /// A plan file checked against its manifest: the manifest, the input paths used, the re-derived plan (with
    /// the manifest's adjustments), its inputs and frame, and how the plan file compares with it.
    public struct CheckedPlan {
        public let manifest: PlanManifest
        public let paths: PlanInputPaths
        public var plan: Plan
        public let inputs: PlanInputs
        public let frame: FrameCommitment
        public let outcome: Outcome
    }

    /// Reads the manifest at `manifestPath`, re-derives the plan from the inputs that `paths` chooses (given the
    /// recorded ones), and compares the plan file at `planPath` with it — the first step of both `verify`
    /// and `adjust`.
    /// - Throws: ``PlanError`` for an unreadable manifest or plan file, or when the plan cannot be re-derived.
    public static func check(manifestPath: String, planPath: String,
                             paths choose: (PlanInputPaths?) throws -> PlanInputPaths) throws -> CheckedPlan {
        let recorded = try PlanManifest.read(path: manifestPath)
        let paths = try choose(recorded.inputPaths)
        let (derived, inputs, frame) = try rederive(manifest: recorded, paths: paths)
        guard let data = FileManager.default.contents(atPath: planPath) else {
            throw PlanError.manifestMismatch("plan \(planPath) cannot be read")
        }
        let outcome = compare(file: planPath, expected: PlanOutputs.planCSV(derived), found: String(decoding: data, as: UTF8.self))
        return CheckedPlan(manifest: recorded, paths: paths, plan: derived, inputs: inputs, frame: frame, outcome: outcome)
    }
}
