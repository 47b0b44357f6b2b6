import ArgumentParser
import Foundation
import Registry
import Tables

/// `onecheck indicators`: the evaluation rates per scenario, department and period (see INDICATORS.md).
public struct IndicatorsCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "indicators",
        abstract: "Coverage, problem discovery (raw and Horvitz–Thompson), disposal, data sharing and disclosure rates.",
        discussion: "One CSV row per scenario, department and period with a plan. Definitions: Sources/Registry/INDICATORS.md.")
    @OptionGroup var options: WorkspaceOptions
    @Option(help: "Write the CSV here instead of standard output.") var out: String?
    public init() {}

    public func run() throws {
        let rows = Workspace.indicatorRows(try options.openForReading().indicators())
        if let out {
            try writeCSV(rows, to: out)
        } else {
            for row in rows { print(row.joined(separator: ",")) }
        }
    }
}

/// Writes small CSV reports atomically.
func writeCSV(_ rows: [[String]], to path: String) throws {
    let writer = try CSVWriter(path: path)
    for row in rows { try writer.appendRow(row) }
    try writer.commit()
}
