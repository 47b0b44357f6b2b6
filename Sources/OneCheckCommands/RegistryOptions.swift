import ArgumentParser
import Foundation
import OneCheckUtilities
import Registry
import Supervision

/// `--workspace PATH`, shared by every command that works on a registry. Commands that only read open the
/// workspace read-only: they never write the file, and work on a read-only file in a read-only directory.
struct WorkspaceOptions: ParsableArguments {
    @Option(name: [.customShort("w"), .customLong("workspace")],
            help: ArgumentHelp("The workspace created by `onecheck init`: a file, or a postgres:// URL (default: "
                               + "$\(Workspace.locationVariable), else onecheck.db).", valueName: "PATH|URL"))
    var workspaceOption: String?

    /// The workspace's location: the option, else the environment's (a URL with its password stays out of the
    /// process list), else `onecheck.db`.
    var workspace: String {
        workspaceOption ?? ProcessInfo.processInfo.environment[Workspace.locationVariable] ?? "onecheck.db"
    }

    /// Opens the workspace for reading only.
    func openForReading() throws -> Workspace { try Workspace.open(at: workspace, access: .readOnly) }
}

/// `--workspace PATH --wait SECONDS`, for commands that write to the workspace.
struct WritingWorkspaceOptions: ParsableArguments {
    @OptionGroup var location: WorkspaceOptions
    @Option(help: ArgumentHelp("How long to wait while another onecheck process writes to the workspace, before "
                               + "giving up.", valueName: "SECONDS"))
    var wait: Double = Workspace.defaultWait

    func validate() throws {
        guard wait.isFinite && wait >= 0 else { throw ValidationError("--wait must be a number of seconds ≥ 0") }
    }

    /// Opens the workspace for writing; an older schema is migrated.
    func openForWriting() throws -> Workspace {
        try Workspace.open(at: location.workspace, access: .readWrite(wait: wait))
    }
}

extension ImportKind: ExpressibleByArgument {}

/// Typed option values, refused with the form that was expected.
enum OptionValue {
    @Sendable static func date(_ text: String) throws -> CalendarDate {
        guard let date = CalendarDate(text) else { throw ValidationError(invalid(text, CalendarDate.expectedForm)) }
        return date
    }

    @Sendable static func period(_ text: String) throws -> Period {
        guard let period = Period(text) else { throw ValidationError(invalid(text, Period.expectedForm)) }
        return period
    }

    @Sendable static func grade(_ text: String) throws -> Grade {
        guard let grade = Grade(label: text) else { throw ValidationError(invalid(text, Grade.expectedForm)) }
        return grade
    }

    static func invalid(_ text: String, _ expected: String) -> String { "\(QuotedText.quoted(text, limit: 40)) is not valid; expected \(expected)" }
}

/// Reads a holiday list: one `YYYY-MM-DD` per line; blank lines and `#` comments ignored.
func readHolidays(_ path: String?) throws -> Set<CalendarDate> {
    guard let path else { return [] }
    let text: String
    do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
        throw ValidationError("\(path): cannot read the holiday list (\((error as NSError).localizedDescription))")
    }
    var days: Set<CalendarDate> = []
    for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first?
            .trimmingCharacters(in: .whitespaces) ?? ""
        if line.isEmpty { continue }
        guard let day = CalendarDate(line) else {
            throw ValidationError("\(path):\(index + 1): \(OptionValue.invalid(line, CalendarDate.expectedForm))")
        }
        days.insert(day)
    }
    return days
}

/// `onecheck registry …`: looking into the closed loop.
public struct RegistryCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "registry",
        abstract: "Next period's features, reasons and classes, and the audit log, from the workspace.",
        subcommands: [RegistryFeaturesCommand.self, RegistryReasonsCommand.self, RegistryClassesCommand.self,
                      RegistryMovesCommand.self, RegistryAuditCommand.self]
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
    @Option(help: "The next period, a quarter like 2026Q2 (entities file for `onecheck score`).", transform: OptionValue.period)
    var period: Period?
    @Option(help: "With --period: the entities CSV to write.") var output: String?
    @Option(help: "First day of the next period, YYYY-MM-DD (raw features).", transform: OptionValue.date)
    var asOf: CalendarDate?
    @Option(help: "Joint-sanctions look-back window in days (raw features).") var window: Int = JointSanctions.defaultWindowDays
    @Option(help: "With --as-of: the raw features CSV to write.") var out: String?

    func validate() throws {
        switch (period, output, asOf, out) {
        case (_?, _?, nil, nil), (nil, nil, _?, _?): break
        default: throw ValidationError("give either --period P --output FILE, or --as-of DAY --out FILE")
        }
        if window < 0 { throw ValidationError("--window must be ≥ 0") }
    }

    func run() throws {
        try RunFiles.check(outputs: [("--output", output), ("--out", out)], inputs: [("--workspace", options.workspace)])
        let workspace = try options.openForReading()
        if let period, let output {
            let summary = try workspace.exportScoringEntities(period: period, to: RunFiles.url(output))
            print("wrote \(summary.entities) entities for \(period) to \(output) "
                  + "(\(summary.entitiesWithRegistryHistory) with registry history)")
        } else if let asOf, let out {
            try workspace.exportFeatures(asOf: asOf, windowDays: window, to: RunFiles.url(out))
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
    @Option(help: "The earlier period.", transform: OptionValue.period) var from: Period
    @Option(help: "The later period.", transform: OptionValue.period) var to: Period
    @Option(help: "Joint-sanctions look-back window in days.") var window: Int = JointSanctions.defaultWindowDays

    func validate() throws {
        if window < 0 { throw ValidationError("--window must be ≥ 0") }
    }

    func run() throws {
        let moves = try options.openForReading().gradeMoves(from: from, to: to, windowDays: window)
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
    @Option(help: "First day of the next period, YYYY-MM-DD.", transform: OptionValue.date) var asOf: CalendarDate
    @Option(help: "Joint-sanctions look-back window in days.") var window: Int = JointSanctions.defaultWindowDays

    func validate() throws {
        if window < 0 { throw ValidationError("--window must be ≥ 0") }
    }

    func run() throws {
        var text = "department,entity,grade\n"
        for c in try options.openForReading().nextPeriodClasses(asOf: asOf, windowDays: window) {
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
        for entry in try options.openForReading().auditLog() {
            print("\(entry.seq ?? 0)\t\(entry.at)\t\(entry.action.rawValue)\t\(entry.scenario)\t\(entry.period)\t\(entry.detail)")
        }
    }
}
