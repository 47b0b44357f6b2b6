import ArgumentParser
import LinearAlgebra

/// The `onecheck` command: one subcommand per job.
public struct OneCheck: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "onecheck",
        abstract: "Risk scoring and double-random inspection targeting for joint supervision.",
        subcommands: [
            // Analysts and modellers
            ScoreCommand.self, FitCommand.self, EvaluateCommand.self, TuneCommand.self, BacktestCommand.self,
            GenerateCommand.self, SimulateCommand.self,
            // Planners and auditors
            PlanCommand.self, CommitCommand.self, VerifyCommand.self, AdjustCommand.self, SampleCommand.self,
            // The shared registry
            InitCommand.self, ImportCommand.self, ExportCommand.self, PublishCommand.self, IndicatorsCommand.self,
            RegistryCommand.self,
            // The console
            ServeCommand.self, UserCommand.self, ReportCommand.self,
        ]
    )
    public init() {}

    /// Runs the command line. OpenBLAS's idle workers are stopped first: most commands call no BLAS, and the few
    /// that do start them again on their first threaded call (see ``BLASThreads/stopIdleWorkers()``).
    public static func main() {
        BLASThreads.stopIdleWorkers()
        main(nil)
    }
}
