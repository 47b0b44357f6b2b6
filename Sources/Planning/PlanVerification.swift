import Foundation
import Supervision

/// Re-derives a plan from its manifest and inputs, and compares the plan directory's files with the result.
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
    public static func rederive(manifest: PlanManifest, paths: PlanInputPaths) throws
        -> (plan: Plan, inputs: PlanInputs, frame: FrameCommitment) {
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
    public struct CheckedPlan: Sendable {
        public let manifest: PlanManifest
        public let manifestPath: String
        public let paths: PlanInputPaths
        public var plan: Plan
        public let inputs: PlanInputs
        public let frame: FrameCommitment
        public let outcome: Outcome
    }

    /// Reads the manifest at `manifestPath`, finds its inputs with `locator`, re-derives the plan and compares the
    /// plan file at `planPath` with it — the first step of both `verify` and `adjust`.
    /// - Throws: ``PlanDirectoryError`` for an unreadable manifest, ``PlanError`` for an input that cannot be
    ///   found, an unreadable plan file, or a plan that cannot be re-derived.
    public static func check(manifestPath: String, planPath: String, locator: InputLocator) throws -> CheckedPlan {
        let manifest = try PlanDirectory.readManifest(at: manifestPath)
        let paths = try locator.paths(for: manifest, at: manifestPath)
        let (derived, inputs, frame) = try rederive(manifest: manifest, paths: paths)
        guard let data = FileManager.default.contents(atPath: planPath) else {
            throw PlanError.manifestMismatch("plan \(planPath) cannot be read")
        }
        let outcome = compare(file: planPath, expected: PlanOutputs.planCSV(derived), found: String(decoding: data, as: UTF8.self))
        return CheckedPlan(manifest: manifest, manifestPath: manifestPath, paths: paths, plan: derived, inputs: inputs,
                           frame: frame, outcome: outcome)
    }

    /// `onecheck verify`: the plan file, then the manifest, then the other files of the plan directory that lie
    /// beside the manifest (targets.csv, quota-report.csv, workload.csv), each compared line by line with the
    /// re-derived plan; the first difference, or ``Outcome/identical``.
    ///
    /// The manifest is re-rendered in its own format (a v1 manifest as v1) with the input paths it records.
    public static func verify(manifestPath: String, planPath: String, locator: InputLocator) throws -> Outcome {
        let checked = try check(manifestPath: manifestPath, planPath: planPath, locator: locator)
        guard checked.outcome == .identical else { return checked.outcome }
        let plan = checked.plan
        let texts: [(String, String)] = [
            (PlanDirectory.planFile, PlanOutputs.planCSV(plan)),
            (PlanDirectory.targetsFile, PlanOutputs.targetsCSV(plan)),
            (PlanDirectory.quotaReportFile, PlanOutputs.quotaReportCSV(plan)),
            (PlanDirectory.workloadFile, PlanOutputs.workloadCSV(plan, roster: checked.inputs.roster)),
        ]
        var files: [String: String] = [:]
        for (name, text) in texts { files[name] = FrameCommitment.sha256Hex(utf8: text) }
        let manifestText = PlanManifest.render(
            plan, algorithmVersion: checked.frame.algorithmVersion,
            inputs: checked.manifest.inputs.mapValues { .init(path: $0.path, sha256: $0.sha256) }, files: files,
            format: checked.manifest.format)
        if let data = FileManager.default.contents(atPath: manifestPath) {
            let outcome = compare(file: manifestPath, expected: manifestText, found: String(decoding: data, as: UTF8.self))
            guard outcome == .identical else { return outcome }
        }
        let directory = PlanDirectory(path: InputLocator.directory(of: manifestPath))
        for (name, text) in texts.dropFirst() {
            let path = directory.path(of: name)
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            let outcome = compare(file: path, expected: text, found: String(decoding: data, as: UTF8.self))
            guard outcome == .identical else { return outcome }
        }
        return .identical
    }
}
