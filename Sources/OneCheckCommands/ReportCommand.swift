import ArgumentParser
import Console
import Foundation
import Registry
import Supervision

/// `onecheck report`: the console's views as one self-contained HTML file.
public struct ReportCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Write a console view as one self-contained HTML file (inline CSS and SVG).",
        subcommands: [ReportPlanCommand.self, ReportIndicatorsCommand.self])
    public init() {}
}

/// The language option of the reports.
struct ReportLanguage: ParsableArguments {
    @Option(help: "Language: zh or en.") var lang: String = "zh"

    func validate() throws {
        guard Language(rawValue: lang) != nil else { throw ValidationError(OptionValue.invalid(lang, "zh or en")) }
    }

    var language: Language { Language(rawValue: lang)! }
}

/// Writes `html` to `path` through a temporary file and a rename: no half-written report, no clobbered file on
/// failure.
func writeReport(_ html: String, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
    do {
        try Data(html.utf8).write(to: temporary)
        guard rename(temporary.path, url.path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(errno))])
        }
    } catch {
        try? FileManager.default.removeItem(at: temporary)
        throw ValidationError("\(path): cannot write the report (\((error as NSError).localizedDescription))")
    }
}

struct ReportPlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "plan", abstract: "The review of a plan directory.")
    @Argument(help: ArgumentHelp("A plan directory (`onecheck plan --output`).", valueName: "DIR")) var directory: String
    @Option(help: ArgumentHelp("The HTML file to write.", valueName: "plan.html")) var output: String
    @Option(name: [.customShort("w"), .long], help: "A workspace, for each inspector's department (optional).")
    var workspace: String?
    @OptionGroup var language: ReportLanguage

    func run() throws {
        let ws = try workspace.map { try Workspace.open(at: $0, access: .readOnly) }
        try writeReport(try Reports.plan(directory: directory, workspace: ws, language: language.language), to: output)
        print("wrote \(output)")
    }
}

struct ReportIndicatorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "indicators", abstract: "The planner's dashboard.")
    @OptionGroup var options: WorkspaceOptions
    @Option(help: ArgumentHelp("The HTML file to write.", valueName: "ind.html")) var output: String
    @Option(help: ArgumentHelp("Overdue results as of this day.", valueName: "YYYY-MM-DD"), transform: OptionValue.date)
    var asOf: CalendarDate?
    @OptionGroup var language: ReportLanguage

    func run() throws {
        let day = asOf ?? Self.todayUTC()
        try writeReport(try Reports.indicators(workspace: options.openForReading(), asOf: day, language: language.language),
                        to: output)
        print("wrote \(output)")
    }

    static func todayUTC() -> CalendarDate {
        let parts = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: Date())
        return CalendarDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    }
}
