import ArgumentParser

/// The `onecheck` command: one subcommand per job.
public struct OneCheck: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "onecheck",
        abstract: "Risk scoring and double-random inspection targeting for joint supervision.",
        subcommands: [ScoreCommand.self, GenerateCommand.self, SampleCommand.self]
    )
    public init() {}
}
