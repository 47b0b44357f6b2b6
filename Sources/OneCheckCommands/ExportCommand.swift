import ArgumentParser
import Foundation
import Registry

/// `onecheck export --to DIR`: every table to CSV.
public struct ExportCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write every workspace table to DIR/<table>.csv (atomically, from one consistent snapshot).",
        discussion: "The files replace DIR's previous export as a whole; DIR may hold only export files. The workspace is "
            + "opened read-only.")
    @OptionGroup var options: WorkspaceOptions
    @Option(help: "The output directory (created if needed).") var to: String
    public init() {}

    public func run() throws {
        let files = try options.openForReading().exportAll(to: URL(fileURLWithPath: to, isDirectory: true))
        print("exported \(files.count) tables to \(to)")
    }
}
