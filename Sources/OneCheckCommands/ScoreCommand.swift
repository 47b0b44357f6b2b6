import ArgumentParser
import Foundation
import Scoring
import Tables

/// `onecheck score`: batch-score every entity of a CSV file with a model file.
struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score every entity of a CSV file: per head the linear score, probability, points and grade, then the supervision class.",
        discussion: """
            Writes one output row per input row, in input order: the model's id column, any pass-through columns, \
            then for each head <head>_score, <head>_probability (logistic heads), <head>_points (heads with points \
            scaling) and <head>_grade (heads with grade bands), then supervision_class when the model defines one.

            The output is written to a temporary file and renamed into place at the end: on any error (a missing \
            column, a value that is not a number, an unseen category, a duplicate id, …) the command names the file, \
            line and column, exits non-zero and leaves no output file behind.
            """
    )

    @Option(name: .long, help: ArgumentHelp("The model file (JSON, see models/MODEL_FORMAT.md).", valueName: "model.json"))
    var model: String

    @Option(name: .long, help: ArgumentHelp("The entities CSV: a header row, the model's id column and every feature column.", valueName: "entities.csv"))
    var input: String

    @Option(name: .long, help: ArgumentHelp("Where to write the scores CSV (replaced atomically).", valueName: "scores.csv"))
    var output: String

    @Option(name: .long, parsing: .upToNextOption,
            help: ArgumentHelp("Input columns to copy to the output after the id (e.g. --pass-through district scenario).", valueName: "column"))
    var passThrough: [String] = []

    @Flag(name: .long, help: "Copy every input column that is neither the id nor a feature to the output.")
    var passThroughExtra = false

    @Option(name: .long, help: ArgumentHelp("The input's text encoding: utf8 (default; invalid bytes are refused with their line and column), gb18030 or latin1 (transcoded while reading).", valueName: "encoding"))
    var encoding: TextEncoding = .utf8

    @Option(name: .long, help: ArgumentHelp("Worker threads (default: the number of available cores).", valueName: "n"))
    var threads: Int?

    @Option(name: .customLong("block-mib"), help: ArgumentHelp("Input bytes per block, in MiB; bounds memory.", valueName: "MiB"))
    var blockMiB: Int = 2

    @Flag(name: .long, inversion: .prefixedNo,
          help: "Show progress on standard error (default: only when standard error is a terminal).")
    var progress: Bool?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1 (found \(threads)).") }
        guard blockMiB >= 1, blockMiB <= 1024 else { throw ValidationError("--block-mib must be between 1 and 1024 (found \(blockMiB)).") }
        var named = Set<String>()
        for column in passThrough where !named.insert(column).inserted {
            throw ValidationError("--pass-through names the column \"\(column)\" twice; give each column once.")
        }
        if !passThrough.isEmpty && passThroughExtra {
            throw ValidationError("Use either --pass-through COLUMNS or --pass-through-extra, not both.")
        }
        if URL(fileURLWithPath: input).standardizedFileURL == URL(fileURLWithPath: output).standardizedFileURL {
            throw ValidationError("--output must differ from --input (\(input)).")
        }
    }

    func run() throws {
        let compiled = try CompiledModel(ScoringModel.load(from: URL(fileURLWithPath: model)),
                                         file: URL(fileURLWithPath: model).lastPathComponent)
        var options = ScoreOptions()
        if let threads { options.threads = threads }
        options.blockBytes = blockMiB << 20
        options.encoding = encoding
        options.passThrough = passThroughExtra ? .extraColumns : (passThrough.isEmpty ? .none : .columns(passThrough))
        let showProgress = progress ?? (isatty(STDERR_FILENO) == 1)
        let meter = ProgressMeter(enabled: showProgress, unit: "entities")
        let summary = try ScoreJob.run(model: compiled, input: URL(fileURLWithPath: input),
                                       output: URL(fileURLWithPath: output), options: options,
                                       progress: { meter.update($0) })
        meter.finish(summary.rows)
        print("scored \(summary.rows) entities into \(output)")
        if !summary.classCounts.isEmpty {
            let parts = summary.classCounts.map { entry in
                "\(entry.label) \(entry.count) (\(DecimalFormatting.fixed(100 * Double(entry.count) / Double(max(1, summary.rows)), decimals: 1)) %)"
            }
            print("supervision class: " + parts.joined(separator: ", "))
        }
    }
}

extension TextEncoding: ExpressibleByArgument {}
