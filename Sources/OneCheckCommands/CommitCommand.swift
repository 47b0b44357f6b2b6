import ArgumentParser
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

    public func validate() throws { _ = try files.paths }

    public func run() throws {
        try RunFiles.check(outputs: [("--output", output)], inputs: files.named)
        let commitment = try Planner.commit(inputs: files.paths, output: output)
        print("frame \(output): \(commitment.inputs.count) inputs, algorithm \(commitment.algorithmVersion)")
    }
}
