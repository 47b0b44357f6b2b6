import ArgumentParser
import Foundation
import Registry

/// `--workspace PATH`, shared by every command that works on a registry.
struct WorkspaceOptions: ParsableArguments {
    @Option(name: [.customShort("w"), .long], help: "The workspace file created by `onecheck init`.")
    var workspace: String = "onecheck.db"

    func open() throws -> Workspace { try Workspace.open(at: workspace) }
}

extension ImportKind: ExpressibleByArgument {}

/// Parses a `YYYY-MM-DD` option value.
func parseDate(_ text: String, option: String) throws -> CalendarDate {
    guard let date = CalendarDate(text) else {
        throw ValidationError("\(option) \"\(text)\" is not valid; expected \(CalendarDate.expectedForm)")
    }
    return date
}

/// Reads a holiday list: one `YYYY-MM-DD` per line; blank lines and `#` comments ignored.
func readHolidays(_ path: String?) throws -> Set<CalendarDate> {
    guard let path else { return [] }
    let text = try String(contentsOfFile: path, encoding: .utf8)
    var days: Set<CalendarDate> = []
    for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first?
            .trimmingCharacters(in: .whitespaces) ?? ""
        if line.isEmpty { continue }
        guard let day = CalendarDate(line) else {
            throw ValidationError("\(path):\(index + 1): \"\(line)\" is not valid; expected \(CalendarDate.expectedForm)")
        }
        days.insert(day)
    }
    return days
}

/// `onecheck registry …`: looking into the closed loop.
public struct RegistryCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "registry",
        abstract: "Next period's features and classes, and the audit log, from the workspace.",
        subcommands: [RegistryFeaturesCommand.self, RegistryClassesCommand.self, RegistryAuditCommand.self]
    )
    public init() {}
}

struct RegistryFeaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Write each entity's features for the period starting --as-of (history before it only).")
    @OptionGroup var options: WorkspaceOptions
    @Option(help: "First day of the next period, YYYY-MM-DD.") var asOf: String
    @Option(help: "Joint-sanctions look-back window in days.") var window: Int = JointSanctions.defaultWindowDays
    @Option(help: "Output CSV file.") var out: String

    func run() throws {
        let day = try parseDate(asOf, option: "--as-of")
        try options.open().exportFeatures(asOf: day, windowDays: window, to: URL(fileURLWithPath: out))
    }
}

struct RegistryClassesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classes",
        abstract: "Print each department's class (after joint sanctions) for each entity of its directory, as CSV.")
    @OptionGroup var options: WorkspaceOptions
    @Option(help: "First day of the next period, YYYY-MM-DD.") var asOf: String
    @Option(help: "Joint-sanctions look-back window in days.") var window: Int = JointSanctions.defaultWindowDays

    func run() throws {
        let day = try parseDate(asOf, option: "--as-of")
        var text = "department,entity,grade\n"
        for c in try options.open().nextPeriodClasses(asOf: day, windowDays: window) {
            text += "\(c.department),\(c.entity),\(c.grade)\n"
        }
        print(text, terminator: "")
    }
}

struct RegistryAuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Print the append-only audit log, oldest first.")
    @OptionGroup var options: WorkspaceOptions

    func run() throws {
        for entry in try options.open().auditLog() {
            print("\(entry.seq ?? 0)\t\(entry.at)\t\(entry.action)\t\(entry.scenario)\t\(entry.period)\t\(entry.detail)")
        }
    }
}
