import ArgumentParser
import Foundation
import Supervision
import SyntheticCity

/// `onecheck generate`: writes a deterministic synthetic city (entities, inspection history, planning inputs and
/// the true and default models) into a directory, with ``CityGenerator/generate(_:into:)``.
public struct GenerateCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate a deterministic synthetic city drawn from a known true model.",
        discussion: """
            Writes into DIR: \(CityGenerator.fileNames.joined(separator: ", ")).
            The same --entities and --seed give byte-identical files on any machine. Files are written to \
            temporary names and renamed into place only when all are complete, so a failed run leaves no \
            half-written output. Columns are described in datasets/README.md.
            """
    )

    @Option(name: .long, help: ArgumentHelp(
        "Number of entities (rows of entities.csv), 1…\(CityConfiguration.maximumEntities).", valueName: "N"))
    public var entities: Int

    @Option(name: .long, help: ArgumentHelp(
        "City seed, a whole number 0…\(UInt64.max). Same seed and N ⇒ same files.", valueName: "S"))
    public var seed: UInt64

    @Option(name: .long, help: ArgumentHelp(
        "Output directory (created if missing; existing files of the same names are replaced).", valueName: "DIR"))
    public var output: String

    @Option(name: .long, help: ArgumentHelp(
        "Entities per parallel work unit; affects speed and memory only, never the output.", valueName: "K"))
    public var chunkSize: Int = 8192

    @Option(name: .long, help: ArgumentHelp(
        "Split the city into N jurisdictions (J01…): contiguous entity ranges, each with its own roster and quotas; entities.csv, inspectors.csv and quotas.csv get a jurisdiction column.",
        valueName: "N"))
    public var jurisdictions: Int?

    @Option(name: .long, help: ArgumentHelp(
        "With --jurisdictions: write only this jurisdiction's rows (the same rows the whole city's files give it).",
        valueName: "code"))
    public var jurisdiction: JurisdictionCode?

    @Flag(name: .long, help: "Do not print the summary on standard error.")
    public var quiet = false

    public init() {}

    /// The city the options ask for.
    var city: CityConfiguration {
        CityConfiguration(entities: entities, seed: seed, chunkSize: chunkSize, jurisdictions: jurisdictions,
                          onlyJurisdiction: jurisdiction)
    }

    public func validate() throws {
        guard CityConfiguration.entityRange.contains(entities) else {
            throw ValidationError("--entities must be between 1 and \(CityConfiguration.maximumEntities), found \(entities)")
        }
        guard !output.isEmpty else { throw ValidationError("--output must name a directory, found an empty path") }
        // The output, or the nearest of its ancestors that exists, must be a directory.
        var path = URL(fileURLWithPath: output)
        while path.path != "/" && !FileManager.default.fileExists(atPath: path.path) { path.deleteLastPathComponent() }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw ValidationError("--output '\(output)': '\(path.path)' is an existing file, expected a directory")
        }
        guard chunkSize >= 1 else { throw ValidationError("--chunk-size must be at least 1, found \(chunkSize)") }
        if jurisdiction != nil && jurisdictions == nil {
            throw ValidationError("--jurisdiction goes with --jurisdictions N")
        }
        do { try city.validate() } catch let error as SyntheticCityError {
            throw ValidationError("--jurisdictions: \(error)")
        }
    }

    public func run() throws {
        let start = DispatchTime.now().uptimeNanoseconds
        let summary = try CityGenerator.generate(city, into: URL(fileURLWithPath: output, isDirectory: true))
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        if !quiet {
            let part = jurisdiction.map { "jurisdiction \($0) of " } ?? ""
            let split = jurisdictions.map { " in \($0) jurisdictions" } ?? ""
            var lines = ["generated \(part)a city of \(entities) entities\(split) (seed \(seed)) in \(output) in "
                         + String(format: "%.2f", seconds) + " s:"]
            for name in CityGenerator.fileNames {
                lines.append("  \(name): \(summary.rows[name] ?? 0) \(name.hasSuffix(".json") ? "model" : "rows")")
            }
            FileHandle.standardError.write((lines.joined(separator: "\n") + "\n").data(using: .utf8)!)
        }
    }
}
