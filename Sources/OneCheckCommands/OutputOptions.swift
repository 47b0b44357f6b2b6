import ArgumentParser
import Foundation
import Tables

/// The command line's side of `OutputTarget`: every command names its outputs and inputs here, and the outputs
/// are checked before anything is read — none may be one of the run's inputs, or another output of the run (by
/// device and inode, so also through symbolic and hard links), and each must be something OneCheck writes to.
enum RunFiles {
    /// Checks `outputs` against `inputs` and each other.
    /// - Parameters:
    ///   - outputs: each output's option and path; `nil` paths (options not given) are skipped.
    ///   - inputs: each input's option and path; `nil` paths are skipped.
    /// - Throws: `OutputError` naming the output and what it collides with.
    static func check(outputs: [(option: String, path: String?)], inputs: [(option: String, path: String?)]) throws {
        let inputs = inputs.compactMap { input in input.path.map { (option: input.option, path: $0) } }
        var checked: [(option: String, path: String)] = []
        for output in outputs {
            guard let path = output.path else { continue }
            let target = try OutputTarget(path)
            try target.refuse(inputs: inputs)
            for other in checked where target.isSameFile(as: try OutputTarget(other.path)) {
                throw other.path == "-" ? OutputError.standardOutputTaken
                    : OutputError.namesAnotherOutput(output: path, other: "\(other.option) \(other.path)")
            }
            checked.append((output.option, path))
        }
        // Before the command prints anything: its messages go to standard error from here on.
        if checked.contains(where: { $0.path == "-" }) { try OutputFile.reserveStandardOutput() }
    }

    /// The file URL library calls take for an output path: `-` (standard output) becomes
    /// `OutputTarget.standardOutputPath`, which `OutputTarget` reads as standard output again.
    static func url(_ path: String) -> URL {
        URL(fileURLWithPath: path == "-" ? OutputTarget.standardOutputPath : path)
    }

    /// Refuses an output directory (a set of files, `OutputSet`) that holds one of the run's inputs.
    static func check(outputDirectory: (option: String, path: String), inputs: [(option: String, path: String?)]) throws {
        try OutputSet.refuse(directory: outputDirectory.path,
                             inputs: inputs.compactMap { input in input.path.map { (option: input.option, path: $0) } })
    }
}

/// `--encoding` and `--max-field-bytes`: how every table file a command reads is decoded. Shared by every command
/// that reads CSV; the choice is made once, when the command line is validated, before anything is read, and holds
/// for all the run's table files (`TextDefaults`).
struct TextInputOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The input files' text encoding: utf8 (default; invalid bytes are refused with their line and column), gb18030 or latin1 (transcoded while reading).", valueName: "encoding"))
    var encoding: TextEncoding = .utf8

    @Option(name: .customLong("max-field-bytes"), help: ArgumentHelp("The longest field accepted, in bytes; a longer one is refused at once.", valueName: "bytes"))
    var maxFieldBytes: Int = TextDefaults.standard.maxFieldBytes

    func validate() throws {
        guard maxFieldBytes >= 1 else {
            throw ValidationError("--max-field-bytes must be at least 1 (found \(maxFieldBytes)).")
        }
        TextDefaults.current = TextDefaults(encoding: encoding, maxFieldBytes: maxFieldBytes)
    }
}

extension TextEncoding: ExpressibleByArgument {}

extension PlanInputOptions {
    /// The input files given, each with its option, for `RunFiles`.
    var named: [(option: String, path: String?)] {
        given.sorted { $0.key < $1.key }.map { (option: "--\($0.key)", path: $0.value) }
    }
}
