import Foundation
import Testing
import TestSupport

/// `onecheck plan`, `commit`, `verify` and `adjust` run as processes on a small generated city.
/// Requires PlanCommand, CommitCommand, VerifyCommand and AdjustCommand in `OneCheck.configuration.subcommands`.
@Suite("onecheck plan, commit, verify, adjust", .serialized)
struct PlanCommandTests {
    static func onecheck(_ arguments: [String], in directory: TemporaryDirectory) throws -> CommandResult {
        try OneCheckBinary.run(arguments, in: directory.url)
    }

    static let inputs = ["--scores", "scores.csv", "--entities", "city/entities.csv", "--quotas", "city/quotas.csv",
                         "--inspectors", "city/inspectors.csv", "--departments", "city/departments.csv",
                         "--scenarios", "city/scenarios.csv", "--items", "city/items.csv", "--caps", "city/caps.csv"]

    /// A generated and scored city of 500 entities in a fresh directory.
    static func city() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory("plan-e2e")
        let generated = try onecheck(["generate", "--entities", "500", "--seed", "5", "--output", "city"], in: directory)
        #expect(generated.status == 0, "\(generated.stderr)")
        let scored = try onecheck(["score", "--model", "city/default-model.json", "--input", "city/entities.csv",
                                   "--output", "scores.csv", "--threads", "1", "--no-progress"], in: directory)
        #expect(scored.status == 0, "\(scored.stderr)")
        return directory
    }

    static func contents(_ directory: TemporaryDirectory, _ name: String) throws -> Data {
        try Data(contentsOf: directory.file(name))
    }

    @Test("plan twice gives byte-identical files; verify says identical, then names a tampered line")
    func planAndVerify() throws {
        let directory = try Self.city()
        defer { directory.remove() }
        for output in ["a", "b"] {
            let run = try Self.onecheck(["plan"] + Self.inputs + ["--period", "2026Q2", "--seed", "lottery 1 2 3", "--output", output],
                                        in: directory)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.hasPrefix("period 2026Q2: "))
        }
        for name in ["plan.csv", "targets.csv", "quota-report.csv", "workload.csv", "manifest.json"] {
            #expect(try Self.contents(directory, "a/" + name) == Self.contents(directory, "b/" + name))
        }
        let targets = String(decoding: try Self.contents(directory, "a/targets.csv"), as: UTF8.self)
        #expect(targets.hasPrefix("period,check_id,entity_id,scenario,departments\n") && !targets.contains("-3101"))
        let verified = try Self.onecheck(["verify", "--manifest", "a/manifest.json", "--plan", "a/plan.csv"], in: directory)
        #expect(verified.status == 0 && verified.stdout == "identical\n", "\(verified.stderr)")

        var lines = String(decoding: try Self.contents(directory, "a/plan.csv"), as: UTF8.self).split(separator: "\n").map(String.init)
        lines[2] = lines[2].replacingOccurrences(of: ",2026-", with: ",2027-")
        try (lines.joined(separator: "\n") + "\n").write(to: directory.file("tampered.csv"), atomically: true, encoding: .utf8)
        let tampered = try Self.onecheck(["verify", "--manifest", "a/manifest.json", "--plan", "tampered.csv"], in: directory)
        #expect(tampered.status != 0)
        #expect(tampered.stdout.hasPrefix("tampered.csv differs at line 3"))

        let adjusted = try Self.onecheck(["adjust", "--manifest", "a/manifest.json", "--plan", "a/plan.csv",
                                          "--closed", String(lines[1].split(separator: ",")[1]), "--output", "adj"], in: directory)
        #expect(adjusted.status == 0, "\(adjusted.stderr)")
        let again = try Self.onecheck(["adjust", "--manifest", "a/manifest.json", "--plan", "a/plan.csv",
                                       "--closed", String(lines[1].split(separator: ",")[1]), "--output", "adj2"], in: directory)
        #expect(again.status == 0)
        #expect(try Self.contents(directory, "adj/plan.csv") == Self.contents(directory, "adj2/plan.csv"))
        let reverified = try Self.onecheck(["verify", "--manifest", "adj/manifest.json", "--plan", "adj/plan.csv"], in: directory)
        #expect(reverified.stdout == "identical\n", "\(reverified.stderr)")
    }

    @Test("a committed frame refuses a changed input; bad quotas name file and line")
    func frameAndBadInput() throws {
        let directory = try Self.city()
        defer { directory.remove() }
        let committed = try Self.onecheck(["commit"] + Self.inputs + ["--output", "frame.json"], in: directory)
        #expect(committed.status == 0, "\(committed.stderr)")
        let quotas = directory.file("city/quotas.csv")
        let original = try String(contentsOf: quotas, encoding: .utf8)
        try original.replacingOccurrences(of: "market,A,0.010,,0", with: "market,A,0.020,,0")
            .write(to: quotas, atomically: true, encoding: .utf8)
        let refused = try Self.onecheck(["plan", "--frame", "frame.json"] + Self.inputs
                                        + ["--period", "2026Q1", "--seed", "s", "--output", "out"], in: directory)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("input quotas has SHA-256"))
        #expect(!FileManager.default.fileExists(atPath: directory.file("out/plan.csv").path))

        try original.replacingOccurrences(of: "market,A,0.010,,0", with: "market,A,0.010,5,0")
            .write(to: quotas, atomically: true, encoding: .utf8)
        let bad = try Self.onecheck(["plan"] + Self.inputs + ["--period", "2026Q1", "--seed", "s", "--output", "out"], in: directory)
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("quotas.csv:2:") && bad.stderr.contains("exactly one of ratio, count, certain=1"), "\(bad.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.file("out/plan.csv").path))
    }
}
