import ArgumentParser
import Foundation
import Planning
import Tables

/// `onecheck sample`: the auditor's sampler (issue 4, item 8).
///
/// Reads a units list (`id,size` or `id,pi`), draws a fixed-size sample from the public seed and
/// prints the selected ids, one per line in UTF-8 byte order; with `--replicates R` prints
/// `id,pi,count` over replicates `0 ..< R` and a goodness-of-fit line on standard error.
public struct SampleCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Draw a verifiable fixed-size sample from a units list (auditor's sampler).",
        discussion: """
            The units list is a CSV file with the header `id,size` (π proportional to size, capped at 1, \
            Σπ = n) or `id,pi` (π given; their sum is n). Every random number is SHA-256 of the seed, \
            purpose "onecheck.sample", entity "replicate-r" and a counter (Sources/Planning/RANDOMNESS.md), \
            so anyone can re-derive the draw. Row order does not matter: units are sorted by id.

            One draw prints the selected ids, one per line. With --replicates R it prints id,pi,count over \
            replicates 0..<R, and on standard error a goodness-of-fit line: Pearson X² of the counts \
            against R·π over the units with 0 < π < 1, its degrees of freedom, p-value and max |z|.
            """
    )

    @Option(name: .long, help: "Units list: CSV with header id,size or id,pi.")
    var input: String

    @OptionGroup var text: TextInputOptions

    @Option(name: .customLong("n"), help: "Sample size (required for id,size; checked against Σπ for id,pi).")
    var sampleSize: Int?

    @Option(name: .long, help: ArgumentHelp("The public seed string announced before the draw (not empty).", valueName: "text"))
    var seed: PublicSeed

    @Option(name: .long, help: "Sampling method: cps (conditional Poisson, the default), pivotal or systematic.",
            transform: { try SampleCommand.method($0) })
    var method: SamplingMethod = .conditionalPoisson

    @Option(name: .long, help: "Number of seeded replicates; prints id,pi,count instead of one sample.")
    var replicates: Int?

    public init() {}

    public func validate() throws {
        if let n = sampleSize, n < 0 {
            throw ValidationError("--n must be a non-negative integer, got \(n)")
        }
        if let r = replicates, r < 1 {
            throw ValidationError("--replicates must be a positive integer, got \(r)")
        }
    }

    /// The method named `name`, or an error listing the methods.
    static func method(_ name: String) throws -> SamplingMethod {
        guard let method = SamplingMethod(rawValue: name) else {
            let names = SamplingMethod.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("--method \"\(name)\" is not one of: \(names)")
        }
        return method
    }

    public func run() throws {
        let frame = try AuditFrame(unitsList: input, sampleSize: sampleSize)
        var output = ""
        if let replicates {
            let counts = try frame.selectionCounts(method: method, seed: seed.text, replicates: replicates)
            output.reserveCapacity(32 * frame.ids.count)
            output += "id,pi,count\n"
            for (index, id) in frame.ids.enumerated() {
                output += "\(CSVRowBuffer.field(id)),\(frame.design.probabilities[index]),\(counts[index])\n"
            }
            let fit = frame.goodnessOfFit(counts: counts, replicates: replicates)
            FileHandle.standardError.write(Data(Self.describe(fit).utf8))
        } else {
            for id in try frame.draw(method: method, seed: seed.text) {
                output += CSVRowBuffer.field(id) + "\n"
            }
        }
        FileHandle.standardOutput.write(Data(output.utf8))
    }

    /// `# replicates=… X2=… df=… p=… max|z|=…`, or a note that every draw is the same.
    static func describe(_ fit: AuditFrame.GoodnessOfFit?) -> String {
        guard let fit else { return "# no uncertain units: every draw is the same\n" }
        return "# replicates=\(fit.replicates) X2=\(fit.pearson) df=\(fit.degreesOfFreedom) p=\(fit.pValue) max|z|=\(fit.maxZ)\n"
    }
}
