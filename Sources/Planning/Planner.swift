#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import OneCheckUtilities
import Supervision
import Tables

/// The planner's jobs, one function per command of the command line (`plan`, `commit`, `verify`, `adjust`): each
/// reads its files, does the work and writes its outputs, so the command line only parses options.
public enum Planner {
    /// A plan made (or adjusted) and written, with the summary `onecheck plan` prints.
    public struct Run: Sendable {
        public let plan: Plan
        /// The inputs the plan was drawn from.
        public let inputs: PlanInputs
        public let summary: String
    }

    /// `onecheck plan`: reads the inputs, draws the plan and writes the plan directory.
    ///
    /// The output directory is checked first (it must be a directory holding only a plan's files, or not exist),
    /// then the inputs are read and hashed in one pass and, with `committedFrame`, compared with the frame `commit`
    /// wrote before the seed was known, before the plan is drawn.
    /// - Throws: `Tables.OutputError`, ``PlanError`` (`frameMismatch` and the drawing errors), `TableError`.
    public static func plan(inputs paths: PlanInputPaths, parameters: PlanParameters, committedFrame: String?,
                            output: PlanDirectory) throws -> Run {
        let set = try output.openSet()
        let committed = try committedFrame.map { try FrameCommitment.read(path: $0) }
        // The inputs are hashed while they are read; the frame is compared before anything is drawn.
        let (inputs, commitment) = try PlanInputs.readHashing(paths, algorithm: .current) { frame in
            if let difference = committed?.firstDifference(from: frame) { throw PlanError.frameMismatch(difference) }
        }
        // inclusion.csv is written while the plan is staffed (on one thread): it needs only the drawn π.
        let (plan, inclusion) = try PlanBuilder.build(inputs, parameters: parameters,
                                                      whileStaffing: output.stageInclusion(into: set))
        // The summary (it counts every inspector's checks) on another thread while the files are written.
        let summary = BackgroundWork { PlanOutputs.summary(plan, roster: inputs.roster) }
        do {
            try output.write(plan, inputs: inputs, inputFiles: paths, frame: commitment, into: set,
                             stagedInclusion: inclusion)
        } catch {
            _ = try? summary.value()
            throw error
        }
        return Run(plan: plan, inputs: inputs, summary: try summary.value())
    }

    /// `onecheck commit`: writes the frame of `paths` (algorithm version and the inputs' SHA-256) to `output`.
    public static func commit(inputs paths: PlanInputPaths, output: String) throws -> FrameCommitment {
        let commitment = try paths.commitment()
        try replaceFile(at: output, with: commitment.jsonText())
        return commitment
    }

    /// `onecheck verify`; see ``PlanVerification/verify(manifestPath:planPath:locator:)``.
    public static func verify(manifest: String, plan: String, locator: InputLocator) throws -> PlanVerification.Outcome {
        try PlanVerification.verify(manifestPath: manifest, planPath: plan, locator: locator)
    }

    /// `onecheck adjust`: re-derives the plan (which must equal `plan`), applies `adjustment` and writes the
    /// adjusted plan directory to `output`, its manifest recording every adjustment so far.
    /// - Throws: ``PlanError/manifestMismatch(_:)`` naming the first difference when `plan` is not the plan the
    ///   manifest describes, and whatever ``Plan/apply(_:inputs:)`` throws.
    public static func adjust(manifest: String, plan planPath: String, adjustment: PlanAdjustment, locator: InputLocator,
                              output: PlanDirectory) throws -> Run {
        let set = try output.openSet()
        var checked = try PlanVerification.check(manifestPath: manifest, planPath: planPath, locator: locator)
        guard checked.outcome == .identical else { throw PlanError.manifestMismatch(checked.outcome.description) }
        try checked.plan.apply(adjustment, inputs: checked.inputs)
        try output.write(checked.plan, inputs: checked.inputs, inputFiles: checked.paths, frame: checked.frame, into: set)
        let summary = "applied: \(adjustment); \(checked.plan.adjustments.count) adjustment(s) recorded\n"
            + PlanOutputs.summary(checked.plan, roster: checked.inputs.roster)
        return Run(plan: checked.plan, inputs: checked.inputs, summary: summary)
    }

    /// Writes `text` to `path` as `OutputTarget` says: a regular file through a temporary file beside it and a
    /// rename, so a reader sees the old file or the new one; a device, FIFO or `-` directly.
    static func replaceFile(at path: String, with text: String) throws {
        try OutputTarget(path).write(text: text)
    }
}

extension FrameCommitment {
    /// The frame as `onecheck commit` writes it: `{"algorithmVersion": …, "inputs": {role: sha256}}`, keys sorted,
    /// two-space indentation, a final line break.
    public func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    /// Reads a frame written by `onecheck commit`.
    /// - Throws: ``PlanError/manifestMismatch(_:)`` for a missing or malformed file.
    public static func read(path: String) throws -> FrameCommitment {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PlanError.manifestMismatch("frame \(path) cannot be read")
        }
        do { return try JSONDecoder().decode(FrameCommitment.self, from: data) } catch {
            throw PlanError.manifestMismatch("\(path) is not a frame written by `onecheck commit` (\(error))")
        }
    }
}
