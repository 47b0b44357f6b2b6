import ArgumentParser
import Foundation
import Planning

/// `onecheck commit`: fixes the frame before the seed exists (issue 4, item 6).
public struct CommitCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "commit",
        abstract: "Fix the planning frame (input hashes, algorithm version) before the seed is known.",
        discussion: """
            Writes frame.json: {"algorithmVersion": …, "inputs": {role: SHA-256 of the file's bytes}}. \
            `onecheck plan --frame frame.json` then refuses inputs whose hashes differ.
            """
    )

    @OptionGroup var files: PlanInputOptions
    @Option(name: .long, help: ArgumentHelp("Where to write the frame.", valueName: "frame.json"))
    var output: String

    public init() {}

    public func run() throws {
        let commitment = try files.paths().commitment()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let text = String(decoding: try encoder.encode(commitment), as: UTF8.self) + "\n"
        try PlanOutputs.writeAtomically(text, to: output)
        print("frame \(output): \(commitment.inputs.count) inputs, algorithm \(commitment.algorithmVersion)")
    }

    static func readFrame(path: String) throws -> FrameCommitment {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PlanError.manifestMismatch("frame \(path) cannot be read")
        }
        do { return try JSONDecoder().decode(FrameCommitment.self, from: data) } catch {
            throw PlanError.manifestMismatch("\(path) is not a frame written by `onecheck commit` (\(error))")
        }
    }
}
