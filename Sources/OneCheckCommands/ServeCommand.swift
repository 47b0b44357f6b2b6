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
            planner's review and lock); with --city and --scores the planner can also commit a frame and draw.
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
    public init() {}

    public func validate() throws {
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
        if (city == nil) != (scores == nil) { throw ValidationError("--city and --scores go together") }
        if city != nil && plans == nil { throw ValidationError("--city needs --plans, the folder the draws are written to") }
        _ = try ConsoleConfiguration.listenAddress(listen)
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
            tlsKey: tlsKey, plansDirectory: plans, today: today, planInputs: inputs))
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
