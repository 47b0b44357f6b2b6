import ArgumentParser
import Foundation
import Registry
import Supervision

/// `onecheck import …`: upsert into the workspace in one transaction, all rows or none. Each kind of source is
/// its own subcommand with only the options it takes (the workspace options are the parent's); `import KIND FILE` for a single table is the default.
public struct ImportCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import into the workspace in one transaction (all rows or none).",
        discussion: """
            Rows are upserted by key, so importing twice changes nothing; a plan or draw is refused (and logged) \
            if the scenario already has a plan for the period (in the draw's jurisdiction, or one of the whole \
            workspace). While another onecheck process writes to the \
            workspace, the import waits up to --wait seconds, then fails without changing anything.
            """,
        subcommands: [ImportTableCommand.self, ImportCityCommand.self, ImportDrawCommand.self,
                      ImportScoresCommand.self],
        defaultSubcommand: ImportTableCommand.self)
    /// `--workspace` and `--wait`, given before or after the subcommand's name.
    @OptionGroup var options: WritingWorkspaceOptions
    /// `--encoding` and `--max-field-bytes` for the files of every kind of import.
    @OptionGroup var text: TextInputOptions
    public init() {}
}

/// `onecheck import [table] KIND FILE`: one table's CSV file.
struct ImportTableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "table",
        abstract: "One table's CSV file (the default: `import KIND FILE`).",
        discussion: "KIND is one of \(ImportKind.allCases.map(\.rawValue).joined(separator: ", ")); formats: "
            + "Sources/Registry/UseCases/ImportKind.swift.")
    @ParentCommand var parent: ImportCommand
    @Argument(help: ArgumentHelp("The table FILE holds.", valueName: "KIND")) var kind: ImportKind
    @Argument(help: ArgumentHelp("The CSV file.", valueName: "FILE")) var file: String

    func run() throws {
        let summary = try parent.options.openForWriting().importCSV(kind, from: URL(fileURLWithPath: file))
        print("imported \(summary.rows) \(kind.rawValue) row\(summary.rows == 1 ? "" : "s") from \(summary.file)")
    }
}

/// `onecheck import city DIR`: a whole city directory.
struct ImportCityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "city",
        abstract: "A whole city directory (`onecheck generate`, datasets/).",
        discussion: """
            Departments, scenarios (lead + partners = each entity's directory), items, entities (with their \
            features, for scoring from the registry), inspectors, caps and quotas, with the city's own column names. \
            Each entity's grade comes from --scores, else --default-grade.
            """)
    @ParentCommand var parent: ImportCommand
    @Argument(help: ArgumentHelp("The city directory.", valueName: "DIR")) var directory: String
    @Option(help: ArgumentHelp("Scores of the city's entities (credit_grade, else supervision_class).",
                               valueName: "scores.csv"))
    var scores: String?
    @Option(help: "Grade of entities when --scores is not given (A–D).", transform: OptionValue.grade)
    var defaultGrade: Grade = .b
    @Option(help: "The day the entities' features describe, YYYY-MM-DD.", transform: OptionValue.date)
    var featuresAsOf: CalendarDate = CalendarDate(year: 2025, month: 1, day: 1)!

    func run() throws {
        let summary = try parent.options.openForWriting().importCity(
            from: URL(fileURLWithPath: directory),
            options: CityImportOptions(scores: scores.map { URL(fileURLWithPath: $0) }, defaultGrade: defaultGrade,
                                       featuresAsOf: featuresAsOf))
        let counts = summary.rows.map { "\($0.rows) \($0.file.replacingOccurrences(of: ".csv", with: ""))" }
        print("imported city \(directory): " + counts.joined(separator: ", ")
              + "; \(summary.memberships) directory memberships, \(summary.quotas) quotas")
    }
}

/// `onecheck import draw DIR`: a plan directory as the period's checks.
struct ImportDrawCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "draw",
        abstract: "An output directory of `onecheck plan`, recorded as the period's checks.",
        discussion: """
            Every file is checked against the manifest's SHA-256 digests first. One check per department of each \
            visit, id <check_id>-<department>, π from inclusion.csv (from the manifest for a v2 plan). A \
            jurisdiction's plan (`plan --jurisdiction J`) is recorded as J's, plan ids <period>-<scenario>@J, beside \
            the other jurisdictions' plans of the period; its entities must be J's.
            """)
    @ParentCommand var parent: ImportCommand
    @Argument(help: ArgumentHelp("The plan directory.", valueName: "DIR")) var directory: String

    func run() throws {
        let summary = try parent.options.openForWriting().importDraw(planDirectory: URL(fileURLWithPath: directory))
        print("recorded draw \(summary.period)" + (summary.jurisdiction.map { " of jurisdiction \($0)" } ?? "")
              + ": \(summary.visits) visits as \(summary.checks) department checks in \(summary.plans) scenario plans")
    }
}

/// `onecheck import scores FILE --period P`: each department's grades for a period.
struct ImportScoresCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scores",
        abstract: "A scores file of `onecheck score` as each department's grades for --period.",
        discussion: """
            Joint sanctions are applied: a serious finding in the --window days before the period raises the \
            entity one class for every department.
            """)
    @ParentCommand var parent: ImportCommand
    @Argument(help: ArgumentHelp("The scores file.", valueName: "FILE")) var file: String
    @Option(help: "The period the scores are for, a quarter like 2026Q2.", transform: OptionValue.period)
    var period: Period
    @Option(help: "Joint-sanctions look-back window in days.") var window: Int = JointSanctions.defaultWindowDays

    func validate() throws {
        if window < 0 { throw ValidationError("--window must be ≥ 0") }
    }

    func run() throws {
        let summary = try parent.options.openForWriting().importScores(from: URL(fileURLWithPath: file), period: period,
                                                                 windowDays: window)
        print("imported scores for \(summary.period): \(summary.grades) department grades of \(summary.rows) "
              + "entities; \(summary.sanctionedEntities) entities under joint sanctions, \(summary.raisedGrades) "
              + "grades raised")
    }
}
