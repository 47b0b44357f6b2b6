import ArgumentParser
import Foundation
import Registry
import Supervision

/// What `onecheck import` reads: one table's CSV file (`ImportKind`), or a whole city directory, a plan
/// directory (a draw), or a scores file.
enum ImportTarget: Equatable, ExpressibleByArgument {
    case table(ImportKind)
    case city, draw, scores

    init?(argument: String) {
        switch argument {
        case "city": self = .city
        case "draw": self = .draw
        case "scores": self = .scores
        default:
            guard let kind = ImportKind(rawValue: argument) else { return nil }
            self = .table(kind)
        }
    }

    static var allValueStrings: [String] { ImportKind.allCases.map(\.rawValue) + ["city", "draw", "scores"] }
}

/// `onecheck import KIND PATH`: upsert into the workspace, all or nothing.
public struct ImportCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import into the workspace in one transaction (all rows or none).",
        discussion: """
            KIND is a table (\(ImportKind.allCases.map(\.rawValue).joined(separator: ", "))) and PATH its CSV file \
            (formats: Sources/Registry/ImportKind.swift), or:
              city DIR     a whole synthetic-city directory (`onecheck generate`, datasets/) with its own column \
            names: departments, scenarios (lead + partners = each entity's directory), items, entities (with their \
            features, for scoring from the registry), inspectors, caps, quotas. Grade from --scores, else --default-grade.
              draw DIR     an output directory of `onecheck plan` (plan.csv + manifest.json): one check per \
            department of each visit, id <check_id>-<department>, π from the manifest.
              scores FILE  a scores file of `onecheck score` as each department's grades for --period, with joint \
            sanctions applied (a serious finding in the --window days before the period raises the entity one \
            class for every department).
            Rows are upserted by key, so importing twice changes nothing; a plan or draw is refused (and logged) \
            if the scenario already has a plan for the period. While another onecheck process writes to the \
            workspace, the import waits up to --wait seconds, then fails without changing anything.
            """)
    @OptionGroup var options: WritingWorkspaceOptions
    @Argument(help: ArgumentHelp("What PATH holds.", valueName: "KIND")) var kind: ImportTarget
    @Argument(help: ArgumentHelp("The CSV file, or the directory for city and draw.", valueName: "PATH")) var file: String
    @Option(help: ArgumentHelp("city: scores of the city's entities (credit_grade, else supervision_class).", valueName: "scores.csv"))
    var scores: String?
    @Option(help: "city: grade of entities when --scores is not given (A–D).", transform: OptionValue.grade)
    var defaultGrade: Grade = .b
    @Option(help: "city: the day the entities' features describe, YYYY-MM-DD.", transform: OptionValue.date)
    var featuresAsOf: CalendarDate = CalendarDate(year: 2025, month: 1, day: 1)!
    @Option(help: "scores: the period the scores are for, a quarter like 2026Q2.", transform: OptionValue.period)
    var period: Period?
    @Option(help: "scores: joint-sanctions look-back window in days.") var window: Int = JointSanctions.defaultWindowDays
    public init() {}

    public func validate() throws {
        if kind != .city && scores != nil { throw ValidationError("--scores is only for `import city`") }
        if kind == .scores {
            guard period != nil else { throw ValidationError("`import scores` needs --period, a quarter like 2026Q2") }
        } else if period != nil {
            throw ValidationError("--period is only for `import scores`")
        }
        if window < 0 { throw ValidationError("--window must be ≥ 0") }
    }

    public func run() throws {
        let workspace = try options.openForWriting()
        let url = URL(fileURLWithPath: file)
        switch kind {
        case let .table(kind):
            let summary = try workspace.importCSV(kind, from: url)
            print("imported \(summary.rows) \(kind.rawValue) row\(summary.rows == 1 ? "" : "s") from \(summary.file)")
        case .city:
            let summary = try workspace.importCity(from: url, options: CityImportOptions(
                scores: scores.map { URL(fileURLWithPath: $0) }, defaultGrade: defaultGrade, featuresAsOf: featuresAsOf))
            let counts = summary.rows.map { "\($0.rows) \($0.file.replacingOccurrences(of: ".csv", with: ""))" }
            print("imported city \(file): " + counts.joined(separator: ", ")
                  + "; \(summary.memberships) directory memberships, \(summary.quotas) quotas")
        case .draw:
            let summary = try workspace.importDraw(planDirectory: url)
            print("recorded draw \(summary.period): \(summary.visits) visits as \(summary.checks) department checks "
                  + "in \(summary.plans) scenario plans")
        case .scores:
            let summary = try workspace.importScores(from: url, period: period!, windowDays: window)
            print("imported scores for \(summary.period): \(summary.grades) department grades of \(summary.rows) entities; "
                  + "\(summary.sanctionedEntities) entities under joint sanctions, \(summary.raisedGrades) grades raised")
        }
    }
}
