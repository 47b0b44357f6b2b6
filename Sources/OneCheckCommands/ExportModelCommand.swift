import ArgumentParser
import Foundation
import Scoring
import Tables

/// `onecheck export-model M --format pmml|sql [--output PATH]`: the model for another system.
struct ExportModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-model",
        abstract: "Write a model as PMML 4.4 (one document per head) or as one standard SQL SELECT.",
        discussion: """
            --format pmml writes the directory --output with <head>.pmml for every head (replaced as a whole; \
            without --output, a model with one head is written to standard output): a \
            Scorecard with reason codes (pointsBelow, max baseline) for heads with points whose features are all \
            binned or categorical, a RegressionModel (logit link) for the others. Their predicted value is the \
            head's points, or its probability (its score for identity heads).

            --format sql writes to the file --output (or to standard output) one SELECT over the table --table \
            (default: entities) that gives \
            the columns of onecheck score without pass-through: numeric columns as numbers, a missing value as \
            NULL. It runs in SQLite (with its math functions EXP and LN, built in since 3.35) and PostgreSQL.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case pmml, sql }

    @Argument(help: ArgumentHelp("The model file (JSON, see models/MODEL_FORMAT.md).", valueName: "model.json"))
    var model: String

    @Option(name: .long, help: "pmml or sql.")
    var format: Format

    @Option(name: .long, help: ArgumentHelp("pmml: the output directory; sql: the output file (default: standard output).", valueName: "path"))
    var output: String?

    @Option(name: .long, help: ArgumentHelp("sql: the input table's name.", valueName: "name"))
    var table: String = "entities"

    func validate() throws {
        if table.isEmpty { throw ValidationError("--table must not be empty.") }
        if format == .pmml && table != "entities" { throw ValidationError("--table applies to --format sql only.") }
        if output?.isEmpty == true { throw ValidationError("--output must not be empty.") }
    }

    func run() throws {
        let url = URL(fileURLWithPath: model)
        let compiled = try CompiledModel(ScoringModel.load(from: url), file: url.lastPathComponent)
        switch format {
        case .pmml:
            guard let output else {
                guard compiled.heads.count == 1 else {
                    throw ValidationError("\(url.lastPathComponent) has \(compiled.heads.count) heads, one PMML document each: "
                        + "give --output DIR for the directory to write them into.")
                }
                print(ModelExport.pmml(compiled, head: 0), terminator: "")
                return
            }
            let names = compiled.heads.map { $0.name + ".pmml" }
            let set = try OutputSet(directory: output, members: names)
            do {
                for (h, name) in names.enumerated() {
                    try Data(ModelExport.pmml(compiled, head: h).utf8).write(to: URL(fileURLWithPath: set.path(of: name)))
                }
                try set.commit()
            } catch {
                set.abandon()
                throw error
            }
            let kinds = compiled.heads.indices.map { h in
                "\(compiled.heads[h].name) (\(ModelExport.isScorecard(compiled, head: h) ? "Scorecard" : "RegressionModel"))"
            }
            print("wrote \(names.count) PMML 4.4 document\(names.count == 1 ? "" : "s") to \(output): "
                + kinds.joined(separator: ", "))
        case .sql:
            let select = ModelExport.sql(compiled, table: table)
            guard let output else { print(select, terminator: ""); return }
            try Data(select.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
            print("wrote one SELECT over table \(table) to \(output)")
        }
    }
}
