import ArgumentParser
import Console
import Foundation
import Synchronization
import Planning
import Supervision

/// `onecheck serve`: the console on a workspace.
public struct ServeCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the console (web interface) on a workspace.",
        discussion: """
            Plain HTTP on 127.0.0.1:8080 by default; --tls-cert and --tls-key (PEM) serve HTTPS directly. Public \
            pages need no login; planners, department officers and admins log in with accounts made by \
            `onecheck user add`. --plans names the folder of plan directories (announcements, manifests, the \
            planner's review and lock); with --city and --scores the planner can also commit a frame and draw. \
            --model names the model whose points per feature and reasons (as `score --reasons`) the entity page \
            shows; with --monitor-baseline and --monitor-current (and --monitor-outcomes) the model page also shows \
            the figures of `onecheck monitor` as charts, computed once when the console starts.
            """)
    @OptionGroup var options: WorkspaceOptions
    @Option(help: ArgumentHelp("Address to listen on.", valueName: "HOST:PORT")) var listen = "127.0.0.1:8080"
    @Option(help: ArgumentHelp("TLS certificate chain (PEM).", valueName: "cert.pem")) var tlsCert: String?
    @Option(help: ArgumentHelp("TLS private key (PEM).", valueName: "key.pem")) var tlsKey: String?
    @Option(help: ArgumentHelp("Folder of plan directories.", valueName: "DIR")) var plans: String?
    @Option(help: ArgumentHelp("City folder with the planner's inputs (entities, quotas, inspectors…).", valueName: "DIR"))
    var city: String?
    @Option(help: ArgumentHelp("Scores file for drawing from the console.", valueName: "scores.csv")) var scores: String?
    @Option(help: ArgumentHelp("Today for overdue lists (default: the clock's day, UTC).", valueName: "YYYY-MM-DD"),
            transform: OptionValue.date)
    var today: CalendarDate?
    @Option(help: ArgumentHelp("Model file the entity page explains (points per feature, reasons).", valueName: "model.json"))
    var model: String?
    @Option(help: ArgumentHelp("Reasons shown per department head on the entity page.", valueName: "K")) var reasons = 3
    @Option(help: ArgumentHelp("Reference entities for the model page's monitoring.", valueName: "A.csv"))
    var monitorBaseline: String?
    @Option(help: ArgumentHelp("Current entities for the model page's monitoring.", valueName: "B.csv"))
    var monitorCurrent: String?
    @Option(help: ArgumentHelp("Outcomes by id for the monitoring's calibration.", valueName: "F.csv"))
    var monitorOutcomes: String?
    public init() {}

    public func validate() throws {
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
        if (city == nil) != (scores == nil) { throw ValidationError("--city and --scores go together") }
        if city != nil && plans == nil { throw ValidationError("--city needs --plans, the folder the draws are written to") }
        _ = try ConsoleConfiguration.listenAddress(listen)
        if (monitorBaseline == nil) != (monitorCurrent == nil) {
            throw ValidationError("--monitor-baseline and --monitor-current go together")
        }
        if model == nil && (monitorBaseline != nil || monitorOutcomes != nil) {
            throw ValidationError("--monitor-baseline, --monitor-current and --monitor-outcomes need --model")
        }
        if monitorOutcomes != nil && monitorBaseline == nil {
            throw ValidationError("--monitor-outcomes needs --monitor-baseline and --monitor-current")
        }
        if !(1...50).contains(reasons) { throw ValidationError("--reasons \(reasons) is not valid; expected 1 to 50") }
    }

    public func run() throws {
        let address = try ConsoleConfiguration.listenAddress(listen)
        var inputs: PlanInputPaths?
        if let city, let scores {
            let file = { (name: String) in URL(fileURLWithPath: city).appendingPathComponent(name).path }
            inputs = PlanInputPaths(scores: scores, entities: file("entities.csv"), quotas: file("quotas.csv"),
                                    inspectors: file("inspectors.csv"), departments: file("departments.csv"),
                                    scenarios: file("scenarios.csv"), items: file("items.csv"), caps: file("caps.csv"))
        }
        let console = try Console(configuration: ConsoleConfiguration(
            workspacePath: options.workspace, host: address.host, port: address.port, tlsCertificate: tlsCert,
            tlsKey: tlsKey, plansDirectory: plans, today: today, planInputs: inputs,
            modelInputs: model.map { ModelInputs(model: $0, baseline: monitorBaseline, current: monitorCurrent,
                                                 outcomes: monitorOutcomes, reasons: reasons) }))
        let scheme = tlsCert == nil ? "http" : "https"
        let workspace = options.workspace
        let app = try console.application { channel in
            let port = channel.localAddress?.port ?? address.port
            // Through FileHandle, which writes at once: the C `stdout` stream is global mutable state.
            let line = "console: \(scheme)://\(address.host.contains(":") ? "[\(address.host)]" : address.host):\(port)/ "
                + "(workspace \(workspace)); Ctrl-C stops it\n"
            FileHandle.standardOutput.write(Data(line.utf8))
        }
        try runBlocking { try await app.runService() }
    }
}


/// Runs an async body from a synchronous command and waits for it.
func runBlocking(_ body: @escaping @Sendable () async throws -> Void) throws {
    final class Outcome: Sendable { let error = Mutex<(any Error)?>(nil) }
    let outcome = Outcome()
    let done = DispatchSemaphore(value: 0)
    Task {
        do { try await body() } catch { outcome.error.withLock { $0 = error } }
        done.signal()
    }
    done.wait()
    if let error = outcome.error.withLock({ $0 }) { throw error }
}
