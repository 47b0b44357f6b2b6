import Foundation
import OneCheckUtilities
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
        let rederived = try rederive(manifest: manifest, paths: paths,
                                     whileStaffing: nil as (@Sendable ([DepartmentInclusion]) -> Void)?)
        return (rederived.plan, rederived.inputs, rederived.frame)
    }

    /// ``rederive(manifest:paths:)`` with `whileStaffing` run beside the plan's staffing
    /// (``PlanBuilder/build(_:parameters:whileStaffing:)``), given the re-derived π.
    static func rederive<Beside: Sendable>(manifest: PlanManifest, paths: PlanInputPaths,
                                           whileStaffing: (@Sendable ([DepartmentInclusion]) throws -> Beside)?) throws
        -> (plan: Plan, inputs: PlanInputs, frame: FrameCommitment, beside: Beside?) {
        guard let algorithm = PlanAlgorithm(version: manifest.algorithmVersion) else {
            throw PlanError.manifestMismatch(
                "algorithm version \(manifest.algorithmVersion); this build implements "
                    + PlanAlgorithm.allCases.map(\.version).joined(separator: " and "))
        }
        func check(_ frame: FrameCommitment) throws {
            if let difference = manifest.frame.firstDifference(from: frame) {
                throw PlanError.manifestMismatch(difference.description)
            }
        }
        let inputs: PlanInputs, frame: FrameCommitment
        if let jurisdiction = manifest.parameters.jurisdiction {
            // The digests, then every row's jurisdiction, are checked before the files are read as inputs (whose
            // own errors would otherwise hide a file of another jurisdiction).
            frame = try paths.commitment(algorithm: algorithm)
            try check(frame)
            try JurisdictionFrame.requireMembership(paths, jurisdiction: jurisdiction.jurisdiction)
            inputs = try PlanInputs.read(paths)
        } else {
            // Hashed while read (one pass), compared with the manifest before anything is drawn.
            (inputs, frame) = try PlanInputs.readHashing(paths, algorithm: algorithm, check: check)
        }
        var parameters = manifest.parameters
        parameters.algorithm = algorithm
        var (plan, beside) = try PlanBuilder.build(inputs, parameters: parameters, whileStaffing: whileStaffing)
        for adjustment in manifest.adjustments { try plan.apply(adjustment, inputs: inputs) }
        return (plan, inputs, frame, beside)
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
        /// The SHA-256 of plan.csv as re-derived (of `plan` before any change made to it after the check), so that
        /// `verify` does not render that file a second time for the manifest.
        let derivedPlanDigest: String
    }

    /// Reads the manifest at `manifestPath`, finds its inputs with `locator`, re-derives the plan and compares the
    /// plan file at `planPath` with it — the first step of both `verify` and `adjust`.
    /// - Throws: ``PlanDirectoryError`` for an unreadable manifest, ``PlanError`` for an input that cannot be
    ///   found, an unreadable plan file, or a plan that cannot be re-derived.
    public static func check(manifestPath: String, planPath: String, locator: InputLocator) throws -> CheckedPlan {
        let (manifest, paths, (derived, inputs, frame)) = try rederive(manifestPath: manifestPath, locator: locator)
        let (outcome, digest) = try comparePlanFile(derived, path: planPath)
        return CheckedPlan(manifest: manifest, manifestPath: manifestPath, paths: paths, plan: derived, inputs: inputs,
                           frame: frame, outcome: outcome, derivedPlanDigest: digest)
    }

    /// The manifest at `manifestPath`, the input paths `locator` finds for it, and the plan re-derived from them.
    private static func rederive(manifestPath: String, locator: InputLocator) throws
        -> (PlanManifest, PlanInputPaths, (plan: Plan, inputs: PlanInputs, frame: FrameCommitment)) {
        let manifest = try PlanDirectory.readManifest(at: manifestPath)
        let paths = try locator.paths(for: manifest, at: manifestPath)
        return (manifest, paths, try rederive(manifest: manifest, paths: paths))
    }

    /// plan.csv at `path` compared line by line with `plan`'s, streamed: the outcome and the re-derived text's SHA-256.
    /// - Throws: ``PlanError/manifestMismatch(_:)`` when the file cannot be read.
    private static func comparePlanFile(_ plan: Plan, path: String) throws -> (Outcome, String) {
        var comparison = LineComparison(path: path, file: path)
        guard comparison != nil else { throw PlanError.manifestMismatch("plan \(path) cannot be read") }
        defer { comparison?.close() }
        let digest = try compare(PlanDirectory.planEmitter(plan), with: &comparison)
        return (try comparison!.finish(), digest)
    }

    /// Feeds what `emit` produces to `comparison`, when there is one, hashing it on the way: a re-derived file
    /// compared and hashed in one pass.
    /// - Returns: the SHA-256 of the bytes `emit` produced, in hexadecimal.
    private static func compare(_ emit: PlanDirectory.FileEmitter, with comparison: inout LineComparison?) throws
        -> String {
        var hasher = FrameCommitment.Hasher()
        try emit { bytes in
            hasher.update(bytes)
            try comparison?.feed(bytes)
        }
        return hasher.finalizeHex()
    }

    /// `onecheck verify`: the plan file, then the manifest, then the other files of the plan directory that lie
    /// beside the manifest (targets.csv, quota-report.csv, workload.csv), each compared line by line with the
    /// re-derived plan; the first difference, or ``Outcome/identical``.
    ///
    /// The manifest is re-rendered in its own format (a v1 manifest as v1, v2 as v2) with the input paths it
    /// records; in a fixed-size plan a recorded π (the manifest's table, or inclusion.csv in v3) may differ from
    /// the re-derived one by ``inclusionTolerance``.
    public static func verify(manifestPath: String, planPath: String, locator: InputLocator) throws -> Outcome {
        try verified(manifestPath: manifestPath, planPath: planPath, locator: locator).outcome
    }

    /// ``verify(manifestPath:planPath:locator:)`` with the re-derived plan and its inputs, for what is reported about
    /// a verified plan (the completed checks of its quota report).
    public static func verified(manifestPath: String, planPath: String, locator: InputLocator) throws
        -> (outcome: Outcome, checked: CheckedPlan) {
        let manifest = try PlanDirectory.readManifest(at: manifestPath)
        let paths = try locator.paths(for: manifest, at: manifestPath)
        let directory = PlanDirectory(path: InputLocator.directory(of: manifestPath))
        // inclusion.csv (a v3 plan's largest file, streamed) is compared on another thread while the plan is
        // staffed (the π are drawn by then; adjustments do not change them); plan.csv then the other files'
        // texts afterwards. What inclusion.csv's side finds, error or outcome, is looked at only when plan.csv is
        // identical: the same outcome as comparing the files one after the other.
        let algorithm = PlanAlgorithm(version: manifest.algorithmVersion) ?? manifest.parameters.algorithm
        let (plan, inputs, frame, inclusion) = try rederive(manifest: manifest, paths: paths) { designs in
            manifest.format.inclusionInManifest
                ? nil : Result { try compareInclusion(designs, algorithm: algorithm, directory: directory) }
        }
        // plan.csv is compared on one thread while the other files' texts are rendered on another; the texts are
        // looked at only when plan.csv is identical.
        let ((outcome, digest), rendered) = try concurrently({ try comparePlanFile(plan, path: planPath) }, {
            try PlanDirectory.csvFiles(plan, roster: inputs.roster).filter { $0.name != PlanDirectory.planFile }
                .map { ($0.name, try PlanDirectory.text(of: $0.emit)) }
        })
        let texts = outcome != .identical ? [] : rendered
        let checked = CheckedPlan(manifest: manifest, manifestPath: manifestPath, paths: paths, plan: plan,
                                  inputs: inputs, frame: frame, outcome: outcome, derivedPlanDigest: digest)
        guard outcome == .identical else { return (outcome, checked) }
        return (try compareDirectory(checked, texts: texts, inclusion: (inclusion ?? nil)?.get(), directory: directory), checked)
    }

    /// The manifest and the files beside it compared with the re-derived plan of `checked` (whose plan.csv is
    /// identical), each streamed line by line (``LineComparison``): no file's whole text is held.
    ///
    /// In a v3 plan, inclusion.csv has been compared already (`inclusion`; its outcome is reported after the
    /// manifest's): when it is within ``inclusionTolerance`` of the re-derived π, the manifest is expected to
    /// record the file's own SHA-256, which then differs from the re-derived bytes' only by the last bits of π;
    /// when it is not, its first differing row is the outcome (unless another line of the manifest differs first).
    /// - Parameter texts: the other CSV files of the directory, by name, as re-derived.
    private static func compareDirectory(_ checked: CheckedPlan, texts: [(String, String)], inclusion: (Outcome, String)?,
                                         directory: PlanDirectory) throws -> Outcome {
        let plan = checked.plan
        let format = checked.manifest.format
        let manifestPath = checked.manifestPath
        var files: [String: String] = [PlanDirectory.planFile: checked.derivedPlanDigest]
        for (name, text) in texts { files[name] = FrameCommitment.sha256Hex(utf8: text) }
        var inclusionOutcome = Outcome.identical
        if let inclusion {
            (inclusionOutcome, files[PlanDirectory.inclusionFile]) = inclusion
            // A π out of tolerance is reported at its own row of inclusion.csv, not as the manifest's digest line
            // that follows from it: the manifest is compared as if it recorded the file it names.
            if inclusionOutcome != .identical, let recorded = checked.manifest.files[PlanDirectory.inclusionFile] {
                files[PlanDirectory.inclusionFile] = recorded
            }
        }
        let manifestText = PlanManifest.render(
            plan, algorithmVersion: checked.frame.algorithmVersion,
            inputs: checked.manifest.inputs.mapValues { .init(path: $0.path, sha256: $0.sha256) }, files: files,
            format: format)
        let equivalent: ((Substring, Substring) -> Bool)? =
            plan.parameters.algorithm.drawsFixedSizes && format.inclusionInManifest ? { sameInclusionEntry($0, $1) } : nil
        if var comparison = LineComparison(path: manifestPath, file: manifestPath, equivalent: equivalent) {
            defer { comparison.close() }
            try comparison.feed(manifestText)
            let outcome = try comparison.finish()
            guard outcome == .identical else { return outcome }
        }
        guard inclusionOutcome == .identical else { return inclusionOutcome }
        for (name, text) in texts {
            let path = directory.path(of: name)
            guard var comparison = LineComparison(path: path, file: path) else { continue }
            defer { comparison.close() }
            try comparison.feed(text)
            let outcome = try comparison.finish()
            guard outcome == .identical else { return outcome }
        }
        return .identical
    }

    /// inclusion.csv beside the manifest compared with the re-derived π, streamed: the outcome, and the SHA-256
    /// the manifest must record for it — the file's own when it is equivalent, else the re-derived bytes'.
    static func compareInclusion(_ designs: [DepartmentInclusion], algorithm: PlanAlgorithm,
                                 directory: PlanDirectory) throws -> (Outcome, String) {
        let path = directory.path(of: PlanDirectory.inclusionFile)
        let departments = designs.count
        let tolerance = algorithm.drawsFixedSizes ? inclusionTolerance : 0
        var comparison = LineComparison(path: path, file: path, equivalent: {
            InclusionFile.sameRow($0, $1, departments: departments, tolerance: tolerance)
        })
        defer { comparison?.close() }
        let derived = try compare(PlanDirectory.inclusionEmitter(designs), with: &comparison)
        guard var opened = comparison else {
            let header = InclusionFile.header(designs).joined(separator: ",")
            return (.different(file: path, line: 1, expected: header, found: "<no such file>"), derived)
        }
        let outcome = try opened.finish()
        return (outcome, outcome == .identical ? opened.foundDigest : derived)
    }
}
