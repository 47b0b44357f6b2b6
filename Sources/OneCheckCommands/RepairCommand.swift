import ArgumentParser
import Foundation
import Registry
import Supervision
import Tables

/// `onecheck repair …`: credit repair and publication windows of penalty records (Sources/Registry/CREDIT_REPAIR.md).
public struct RepairCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "repair",
        abstract: "Credit repair: record a repair decision, and list penalty records with when they stop counting.",
        discussion: """
            A penalty record (a minor, serious or fined finding) is published and used from its decision day for a \
            window fixed by its severity — minor up to 3 months, general 3 months to 1 year, serious 1 to 3 years — \
            and may be repaired only after the minimum. Severities and decision days are imported with `onecheck \
            import penalties FILE`, repairs in bulk with `onecheck import repairs FILE`.
            """,
        subcommands: [RepairDecideCommand.self, RepairRecordsCommand.self])
    public init() {}
}

struct RepairDecideCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decide",
        abstract: "Record one credit-repair decision; refused before the end of the record's minimum window.")
    @OptionGroup var options: WritingWorkspaceOptions
    @Option(help: "The check of the penalty record.") var check: String
    @Option(help: "The item of the penalty record.") var item: String
    @Option(help: "The day of the repair decision, YYYY-MM-DD: the first day the record no longer counts.",
            transform: OptionValue.date)
    var on: CalendarDate
    @Option(help: "Who decided the repair (authority or officer).") var by: String
    @Option(help: "Why the record is repaired.") var reason: String

    func validate() throws {
        if check.isEmpty || item.isEmpty { throw ValidationError("--check and --item name a penalty record; give both") }
        if by.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--by must name who decided") }
        if reason.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--reason must say why") }
    }

    func run() throws {
        try options.openForWriting().recordRepairs([CreditRepair(
            checkId: CheckID(check), item: ItemCode(item), repairedOn: on, decidedBy: by, reason: reason)])
        print("recorded the repair of \(check)/\(item) on \(on): it no longer counts from that day")
    }
}

struct RepairRecordsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "records",
        abstract: "List penalty records as CSV with their window, status and the day they stop counting.",
        discussion: """
            Columns: \(Workspace.penaltyRecordColumns.joined(separator: ",")). severity_source is `recorded` \
            (imported) or `presumed` (serious for a serious finding, else general); status is in_force, repaired \
            or expired on --as-of; stops_counting_on is the repair day, else the day after published_through.
            """)
    @OptionGroup var options: WorkspaceOptions
    @Option(help: "Only this entity's records (its unified social credit code).") var entity: String?
    @Option(help: "The day to judge on, YYYY-MM-DD.", transform: OptionValue.date) var asOf: CalendarDate
    @Option(help: "Write the CSV here (atomically) instead of printing it.") var out: String?

    func validate() throws {
        if let entity {
            do { _ = try CreditCode(validating: entity) } catch {
                throw ValidationError(OptionValue.invalid(entity, CreditCode.expectedForm))
            }
        }
    }

    func run() throws {
        let code = try entity.map { try CreditCode(validating: $0) }
        let rows = try options.openForReading().penaltyRecordsCSV(of: code, asOf: asOf)
        if let out {
            let writer = try CSVWriter(url: URL(fileURLWithPath: out))
            do {
                for row in rows { try writer.appendRow(row) }
                try writer.commit()
            } catch {
                writer.abandon()
                throw error
            }
        } else {
            var text = ""
            for row in rows { text += row.map { CSVRowBuffer.field($0) }.joined(separator: ",") + "\n" }
            print(text, terminator: "")
        }
    }
}
