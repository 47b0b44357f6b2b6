import ArgumentParser
import Registry

/// `onecheck init PATH`: create an empty workspace.
public struct InitCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a workspace: an SQLite file holding the shared record of the supervision cycle.")
    @Argument(help: "The workspace file to create (must not exist).") var path: String
    public init() {}

    public func run() throws {
        _ = try Workspace.create(at: path)
        print("created workspace \(path) (schema version \(Workspace.schemaVersion))")
    }
}
