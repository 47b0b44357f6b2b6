import ArgumentParser
import Foundation
import Registry

/// `onecheck import KIND FILE`: upsert a CSV file into the workspace, all or nothing.
public struct ImportCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a CSV file into the workspace in one transaction (all rows or none).",
        discussion: "KIND is one of: \(ImportKind.allCases.map(\.rawValue).joined(separator: ", ")). "
            + "Rows are upserted by key, so importing a file twice changes nothing; a plan file is a draw and "
            + "is refused (and logged) if the scenario already has a plan for the period.")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "What the file holds.") var kind: ImportKind
    @Argument(help: "The CSV file.") var file: String
    public init() {}

    public func run() throws {
        let summary = try options.open().importCSV(kind, from: URL(fileURLWithPath: file))
        print("imported \(summary.rows) \(kind.rawValue) row\(summary.rows == 1 ? "" : "s") from \(summary.file)")
    }
}
