import ArgumentParser
import Foundation
import Registry

/// `onecheck init PATH|URL`: create an empty workspace (an SQLite file, or the schema in a PostgreSQL database).
public struct InitCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a workspace: an SQLite file, or a PostgreSQL database, holding the shared record of the "
            + "supervision cycle.")
    @Argument(help: ArgumentHelp("The workspace file to create (must not exist), or a postgres:// URL of an existing "
                                 + "database without a workspace (default: $\(Workspace.locationVariable)).",
                                 valueName: "PATH|URL"))
    var path: String?
    @Option(name: [.customShort("w"), .customLong("workspace")], help: "The same as PATH|URL.")
    var workspace: String?
    public init() {}

    public func validate() throws {
        if path != nil && workspace != nil { throw ValidationError("give the workspace once: PATH|URL or --workspace") }
        if location == nil {
            throw ValidationError("missing the workspace to create: PATH|URL, --workspace, or $\(Workspace.locationVariable)")
        }
    }

    private var location: String? {
        path ?? workspace ?? ProcessInfo.processInfo.environment[Workspace.locationVariable]
    }

    public func run() throws {
        // Named by the store: a URL without its password.
        let created = try Workspace.create(at: location!)
        print("created workspace \(created.location) (schema version \(Workspace.schemaVersion))")
    }
}
