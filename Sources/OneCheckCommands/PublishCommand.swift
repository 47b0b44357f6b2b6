import ArgumentParser
import Foundation
import Registry
import Supervision

/// `onecheck publish …`: disclosure of results and their deadlines.
public struct PublishCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Publish check results (no personal data) and list results past their 20-working-day deadline.",
        subcommands: [PublishResultsCommand.self, PublishOverdueCommand.self],
        defaultSubcommand: PublishResultsCommand.self)
    public init() {}
}

struct PublishResultsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "results",
        abstract: "Mark unpublished results as published on --on and write the disclosure file.")
    @OptionGroup var options: WritingWorkspaceOptions
    @Option(help: "Publication day, YYYY-MM-DD.", transform: OptionValue.date) var on: CalendarDate
    @Option(help: "Only this scenario.") var scenario: String?
    @Option(help: "Only this period, a quarter like 2026Q1.", transform: OptionValue.period) var period: Period?
    @Option(help: "File of public holidays (one YYYY-MM-DD per line) skipped when counting working days.")
    var holidays: String?
    @Option(help: "The disclosure CSV to write.") var out: String

    func run() throws {
        let calendar = DisclosureCalendar(holidays: try readHolidays(holidays))
        let count = try options.openForWriting().publish(on: on, scenario: scenario.map(ScenarioCode.init),
                                                         period: period, calendar: calendar, to: URL(fileURLWithPath: out))
        print("published \(count) new result\(count == 1 ? "" : "s"); disclosure file \(out)")
    }
}

struct PublishOverdueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "overdue", abstract: "Print results unpublished past their deadline, or published late, as CSV.")
    @OptionGroup var options: WorkspaceOptions
    @Option(help: "The day to judge on, YYYY-MM-DD.", transform: OptionValue.date) var asOf: CalendarDate
    @Option(help: "File of public holidays (one YYYY-MM-DD per line).") var holidays: String?

    func run() throws {
        let calendar = DisclosureCalendar(holidays: try readHolidays(holidays))
        var text = "check_id,department,entity,checked_on,deadline,published_on,status\n"
        for r in try options.openForReading().overdueResults(asOf: asOf, calendar: calendar) {
            text += "\(r.checkId),\(r.department),\(r.entity),\(r.checkedOn),\(r.deadline),"
                + "\(r.publishedOn?.description ?? ""),\(r.status.rawValue)\n"
        }
        print(text, terminator: "")
    }
}
