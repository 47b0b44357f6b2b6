import ArgumentParser
import Foundation
import Registry

/// `onecheck export --to DIR`: every table to CSV.
public struct ExportCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write every workspace table to DIR/<table>.csv (atomically, from one consistent snapshot).")
    @OptionGroup var options: WorkspaceOptions
    @Option(help: "The output directory (created if needed).") var to: String
    public init() {}

    public func run() throws {
        let files = try options.open().exportAll(to: URL(fileURLWithPath: to, isDirectory: true))
        print("exported \(files.count) tables to \(to)")
    }
}
