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
    /// draws with the recorded algorithm, seed and parameters, and replays the recorded adjustments.
    ///
    /// Every algorithm this build implements is re-derived with its own rules (``PlanAlgorithm``): a plan drawn
    /// by an earlier version still verifies.
    /// - Throws: ``PlanError/manifestMismatch(_:)`` when the algorithm version is unknown, or an input's
    ///   SHA-256 differs from the one recorded (naming the input), before any drawing.
    public static func rederive(manifest: PlanManifest, paths: PlanInputPaths) throws
        -> (plan: Plan, inputs: PlanInputs, frame: FrameCommitment) {
        guard let algorithm = PlanAlgorithm(version: manifest.algorithmVersion) else {
            throw PlanError.manifestMismatch(
                "algorithm version \(manifest.algorithmVersion); this build implements "
                    + PlanAlgorithm.allCases.map(\.version).joined(separator: " and "))
        }
        let frame = try paths.commitment(algorithm: algorithm)
        if let difference = manifest.frame.firstDifference(from: frame) {
            throw PlanError.manifestMismatch(difference.description)
        }
        if let jurisdiction = manifest.parameters.jurisdiction {
            try JurisdictionFrame.requireMembership(paths, jurisdiction: jurisdiction.jurisdiction)
        }
        let inputs = try PlanInputs.read(paths)
        var parameters = manifest.parameters
        parameters.algorithm = algorithm
        var plan = try PlanBuilder.build(inputs, parameters: parameters)
        for adjustment in manifest.adjustments { try plan.apply(adjustment, inputs: inputs) }
        return (plan, inputs, frame)
    }

    /// Compares two texts line by line; `equivalent` may accept two different lines (nil: none).
    public static func compare(file: String, expected: String, found: String,
                               equivalent: ((Substring, Substring) -> Bool)? = nil) -> Outcome {
        let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let b = found.split(separator: "\n", omittingEmptySubsequences: false)
        for line in 0..<max(a.count, b.count) {
            let x = line < a.count ? a[line] : "<end of file>"
            let y = line < b.count ? b[line] : "<end of file>"
            if x != y && !(line < a.count && line < b.count && equivalent?(x, y) == true) {
                return .different(file: file, line: line + 1, expected: String(x), found: String(y))
            }
        }
        return .identical
    }

    /// How far a recorded π may be from the re-derived one in a fixed-size plan's manifest.
    ///
    /// Why: the design's exact π is a numerical integral that calls the platform's `exp`, `log` and `cos`, whose
    /// last bit may differ between C libraries; the draw itself (ranking values, sizes) uses only the SHA-256
    /// numbers and IEEE arithmetic, and is compared byte for byte. The integral's own error is about 1e-12.
    public static let inclusionTolerance = 1e-12

    /// Whether two manifest lines are the same `[entity, π]` entry with π within ``inclusionTolerance``.
    static func sameInclusionEntry(_ a: Substring, _ b: Substring) -> Bool {
        /// `      ["id", π]` with an optional final comma: the part before π, π, and whether the comma is there.
        func split(_ line: Substring) -> (key: Substring, value: Double, comma: Bool)? {
            let comma = line.hasSuffix(",")
            let body = comma ? line.dropLast() : line
            guard body.hasPrefix("      [\""), body.hasSuffix("]"), let separator = body.lastIndex(of: ",") else { return nil }
            let number = body[body.index(after: separator)..<body.index(before: body.endIndex)].drop { $0 == " " }
            guard let value = Double(number), value.isFinite else { return nil }
            return (body[..<separator], value, comma)
        }
        guard let x = split(a), let y = split(b) else { return false }
        return x.key == y.key && x.comma == y.comma && abs(x.value - y.value) <= inclusionTolerance
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
    /// The manifest is re-rendered in its own format (a v1 manifest as v1) with the input paths it records; in a
    /// fixed-size plan a recorded π may differ from the re-derived one by ``inclusionTolerance``.
    public static func verify(manifestPath: String, planPath: String, locator: InputLocator) throws -> Outcome {
        try verified(manifestPath: manifestPath, planPath: planPath, locator: locator).outcome
    }

    /// ``verify(manifestPath:planPath:locator:)`` with the re-derived plan and its inputs, for what is reported about
    /// a verified plan (the completed checks of its quota report).
    public static func verified(manifestPath: String, planPath: String, locator: InputLocator) throws
        -> (outcome: Outcome, checked: CheckedPlan) {
        let checked = try check(manifestPath: manifestPath, planPath: planPath, locator: locator)
        return (try compareDirectory(checked, manifestPath: manifestPath), checked)
    }

    /// The manifest and the files beside it compared with the re-derived plan of `checked`.
    static func compareDirectory(_ checked: CheckedPlan, manifestPath: String) throws -> Outcome {
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
            let equivalent: ((Substring, Substring) -> Bool)? =
                plan.parameters.algorithm.drawsFixedSizes ? { sameInclusionEntry($0, $1) } : nil
            let outcome = compare(file: manifestPath, expected: manifestText, found: String(decoding: data, as: UTF8.self),
                                  equivalent: equivalent)
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
