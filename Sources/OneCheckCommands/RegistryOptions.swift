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
        subcommands: [RegistryFeaturesCommand.self, RegistryClassesCommand.self, RegistryMovesCommand.self,
                      RegistryAuditCommand.self]
    )
    public init() {}
}

struct RegistryFeaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Next period's features from the registry: an entities file to score, or the raw closed-loop features.",
        discussion: """
            --period P --output FILE writes entity_id,district,scenario and the feature columns of the imported \
            city, with findings_<element>_3y, history_days_since_last_check and credit_penalties_5y brought forward \
            to the first day of P from the registry's checks: `onecheck score --model models/default.json --input \
            FILE` scores it unchanged. --as-of DAY --out FILE writes the raw features (checks, findings by element, \
            days since the last check, open disposals, penalties, grade after joint sanctions).
            """)
    @OptionGroup var options: WorkspaceOptions
    @Option(help: "The next period, a quarter like 2026Q2 (entities file for `onecheck score`).") var period: String?
    @Option(help: "With --period: the entities CSV to write.") var output: String?
    @Option(help: "First day of the next period, YYYY-MM-DD (raw features).") var asOf: String?
    @Option(help: "Joint-sanctions look-back window in days (raw features).") var window: Int = JointSanctions.defaultWindowDays
    @Option(help: "With --as-of: the raw features CSV to write.") var out: String?

    func validate() throws {
        switch (period, output, asOf, out) {
        case let (period?, _?, nil, nil):
            if CalendarDate(periodStart: period) == nil {
                throw ValidationError("--period \"\(period)\" is not valid; expected \(CalendarDate.expectedPeriod)")
            }
        case (nil, nil, _?, _?): break
        default: throw ValidationError("give either --period P --output FILE, or --as-of DAY --out FILE")
        }
    }

    func run() throws {
        let workspace = try options.open()
        if let period, let output {
            let summary = try workspace.exportScoringEntities(period: period, to: URL(fileURLWithPath: output))
            print("wrote \(summary.entities) entities for \(period) to \(output) "
                  + "(\(summary.entitiesWithRegistryHistory) with registry history)")
        } else if let asOf, let out {
            let day = try parseDate(asOf, option: "--as-of")
            try workspace.exportFeatures(asOf: day, windowDays: window, to: URL(fileURLWithPath: out))
        }
    }
}

struct RegistryMovesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "moves",
        abstract: "How each department's grades moved between two periods of imported scores.",
        discussion: "One line per department: entities graded in both periods, how many moved up, stayed, moved "
            + "down, and how many of those under joint sanctions moved up (or stayed at D).")
    @OptionGroup var options: WorkspaceOptions
    @Option(help: "The earlier period.") var from: String
    @Option(help: "The later period.") var to: String
    @Option(help: "Joint-sanctions look-back window in days.") var window: Int = JointSanctions.defaultWindowDays

    func validate() throws {
        for (name, value) in [("--from", from), ("--to", to)] where CalendarDate(periodStart: value) == nil {
            throw ValidationError("\(name) \"\(value)\" is not valid; expected \(CalendarDate.expectedPeriod)")
        }
    }

    func run() throws {
        let moves = try options.open().gradeMoves(from: from, to: to, windowDays: window)
        print("department,entities,up,same,down,sanctioned,sanctioned_raised")
        for m in moves {
            print("\(m.department),\(m.entities),\(m.up),\(m.same),\(m.down),\(m.sanctioned),\(m.sanctionedRaised)")
        }
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
