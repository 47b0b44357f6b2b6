import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import LinearAlgebra
import OneCheckUtilities
import Tables

/// The `onecheck` command: one subcommand per job.
public struct OneCheck: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "onecheck",
        abstract: "Risk scoring and double-random inspection targeting for joint supervision.",
        subcommands: [
            // Analysts and modellers
            ScoreCommand.self, FitCommand.self, EvaluateCommand.self, TuneCommand.self, BacktestCommand.self,
            MonitorCommand.self, ExportModelCommand.self,
            GenerateCommand.self, SimulateCommand.self,
            // Planners and auditors
            PlanCommand.self, CommitCommand.self, VerifyCommand.self, AdjustCommand.self, SampleCommand.self,
            // The shared registry
            InitCommand.self, ImportCommand.self, ExportCommand.self, PublishCommand.self, IndicatorsCommand.self,
            RegistryCommand.self, RepairCommand.self,
            // The console
            ServeCommand.self, UserCommand.self, ReportCommand.self,
        ]
    )
    public init() {}

    /// Runs the command line. OpenBLAS's idle workers are stopped first: most commands call no BLAS, and the few
    /// that do start them again on their first threaded call (see ``BLASThreads/stopIdleWorkers()``).
    ///
    /// Before any command runs: SIGINT, SIGTERM and SIGHUP remove the run's temporary files and staging
    /// directories and exit 130, 143, 129 (``TemporaryFiles/removeOnTerminationSignals()``; earlier outputs are
    /// untouched), and a file-size limit reached while writing (`ulimit -f`) is an ordinary write error — the
    /// outputs are then abandoned as on a full disk — instead of a kill by SIGXFSZ that would leave them.
    ///
    /// An error's message goes to standard error with its control characters (other than LF and tab) escaped
    /// (``QuotedText/terminalSafe(_:)``): ArgumentParser quotes a refused option value as typed, and a value
    /// holding an escape sequence must not reach the terminal as one. Help (whatever ends with exit code 0) is
    /// printed as ArgumentParser prints it.
    public static func main() {
        TemporaryFiles.removeOnTerminationSignals()
        signal(SIGXFSZ, SIG_IGN)
        BLASThreads.stopIdleWorkers()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            guard code != .success else { exit(withError: error) }
            let message = fullMessage(for: error)
            if !message.isEmpty { FileHandle.standardError.write(Data((QuotedText.terminalSafe(message) + "\n").utf8)) }
            Glibc.exit(code.rawValue)
        }
    }
}
