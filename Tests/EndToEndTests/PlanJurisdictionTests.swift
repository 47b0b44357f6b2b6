import Foundation
import Testing
import TestSupport

/// `onecheck generate --jurisdictions`, `plan --jurisdiction` and `verify` of a jurisdiction's plan, run as
/// processes (issue 18 §3).
@Suite("onecheck plan --jurisdiction", .serialized)
struct PlanJurisdictionTests {
    static func onecheck(_ arguments: [String], in directory: TemporaryDirectory) throws -> CommandResult {
        try OneCheckBinary.run(arguments, in: directory.url)
    }

    static func inputs(_ city: String, scores: String) -> [String] {
        ["--scores", scores, "--entities", "\(city)/entities.csv", "--quotas", "\(city)/quotas.csv",
         "--inspectors", "\(city)/inspectors.csv", "--departments", "\(city)/departments.csv",
         "--scenarios", "\(city)/scenarios.csv", "--items", "\(city)/items.csv", "--caps", "\(city)/caps.csv"]
    }

    static let seed = "lottery 1 2 3"
    /// RANDOMNESS.md §8 of (`lottery 1 2 3`, `J02`), computed with Python's hashlib.
    static let j02Seed = "04766886c475b53f"

    /// A city of 1,200 entities in 3 jurisdictions, generated and scored, and J02 generated alone and scored.
    static func cities() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory("plan-jurisdiction")
        for (output, extra) in [("city", [String]()), ("j02", ["--jurisdiction", "J02"])] {
            let generated = try onecheck(["generate", "--entities", "1200", "--seed", "5", "--jurisdictions", "3",
                                          "--output", output, "--quiet"] + extra, in: directory)
            #expect(generated.status == 0, "\(generated.stderr)")
            let scored = try onecheck(["score", "--model", "\(output)/default-model.json", "--input", "\(output)/entities.csv",
                                       "--output", "\(output)-scores.csv", "--threads", "1", "--no-progress"], in: directory)
            #expect(scored.status == 0, "\(scored.stderr)")
        }
        return directory
    }

    /// A new workspace of `store` holding the city and its scores for 2026Q2, imported by the commands.
    static func importedWorkspace(_ store: ManyWritersTests.Store, in directory: TemporaryDirectory, _ name: String)
        throws -> String {
        let workspace = try store.newWorkspace(directory, name)
        for arguments in [["init", workspace], ["import", "-w", workspace, "city", "city", "--scores", "city-scores.csv"],
                          ["import", "-w", workspace, "scores", "city-scores.csv", "--period", "2026Q2"]] {
            let run = try onecheck(arguments, in: directory)
            #expect(run.status == 0, "\(store) \(arguments.dropFirst()): \(run.stderr)")
        }
        return workspace
    }

    static func text(_ directory: TemporaryDirectory, _ name: String) throws -> String {
        try String(contentsOf: directory.file(name), encoding: .utf8)
    }

    @Test("a jurisdiction's plan holds only its entities, records its derived seed, verifies, and is the same from its own files")
    func planVerifyAndAlone() throws {
        let directory = try Self.cities()
        defer { directory.remove() }
        let run = try Self.onecheck(["plan"] + Self.inputs("city", scores: "city-scores.csv")
                                    + ["--period", "2026Q2", "--seed", Self.seed, "--jurisdiction", "J02", "--output", "p"],
                                    in: directory)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("jurisdiction J02: 400 entities (800 of other jurisdictions left out)"), "\(run.stdout)")
        let manifest = try Self.text(directory, "p/manifest.json")
        #expect(manifest.contains("\n  \"seed\": \"\(Self.j02Seed)\",\n  \"jurisdiction\": {\"code\": \"J02\", "
            + "\"public_seed\": \"\(Self.seed)\", \"derivation\": \"onecheck.jurisdiction-seed.v1\"},\n"))
        #expect(manifest.contains("\"path\": \"../p-frame/entities.csv\""))

        // Only J02's entities and inspectors appear.
        var j02 = Set<Substring>()
        for line in try Self.text(directory, "city/entities.csv").split(separator: "\n").dropFirst()
        where line.split(separator: ",", omittingEmptySubsequences: false)[3] == "J02" {
            j02.insert(line.prefix { $0 != "," })
        }
        let plan = try Self.text(directory, "p/plan.csv").split(separator: "\n")
        #expect(plan.count > 10)
        let header = plan[0].split(separator: ",").map(String.init)
        let entity = try #require(header.firstIndex(of: "entity_id"))
        let inspectors = try #require(header.firstIndex(of: "inspectors"))
        for row in plan.dropFirst() {
            let fields = row.split(separator: ",", omittingEmptySubsequences: false)
            #expect(j02.contains(fields[entity]))
            #expect(fields[inspectors].split(separator: ";").allSatisfy { $0.hasPrefix("J02-") }, "\(fields[inspectors])")
        }

        let verified = try Self.onecheck(["verify", "--manifest", "p/manifest.json", "--plan", "p/plan.csv"], in: directory)
        #expect(verified.status == 0 && verified.stdout == "identical\n", "\(verified.stdout) \(verified.stderr)")

        // J02 generated alone, scored alone, planned alone: the same plan, nothing copied into its frame.
        let alone = try Self.onecheck(["plan"] + Self.inputs("j02", scores: "j02-scores.csv")
                                      + ["--period", "2026Q2", "--seed", Self.seed, "--jurisdiction", "J02", "--output", "q"],
                                      in: directory)
        #expect(alone.status == 0, "\(alone.stderr)")
        #expect(alone.stdout.hasPrefix("jurisdiction J02: 400 entities (0 of other jurisdictions left out)"))
        for name in ["plan.csv", "targets.csv", "quota-report.csv", "workload.csv"] {
            #expect(try Self.text(directory, "p/" + name) == Self.text(directory, "q/" + name), "\(name) differs")
        }
        #expect(try Self.text(directory, "q/manifest.json").contains("\"path\": \"../j02/entities.csv\""))
        let verifiedAlone = try Self.onecheck(["verify", "--manifest", "q/manifest.json", "--plan", "q/plan.csv"], in: directory)
        #expect(verifiedAlone.stdout == "identical\n", "\(verifiedAlone.stderr)")
    }

    @Test("verify refuses a manifest whose seed is not the jurisdiction's, and inputs of another jurisdiction")
    func verifyRefusals() throws {
        let directory = try Self.cities()
        defer { directory.remove() }
        let run = try Self.onecheck(["plan"] + Self.inputs("city", scores: "city-scores.csv")
                                    + ["--period", "2026Q2", "--seed", Self.seed, "--jurisdiction", "J02", "--output", "p"],
                                    in: directory)
        #expect(run.status == 0, "\(run.stderr)")
        let manifest = try Self.text(directory, "p/manifest.json")

        // Another code with the same seed: the derivation does not give the recorded seed.
        try manifest.replacingOccurrences(of: "{\"code\": \"J02\"", with: "{\"code\": \"J01\"")
            .write(to: directory.file("p/manifest.json"), atomically: true, encoding: .utf8)
        let recoded = try Self.onecheck(["verify", "--manifest", "p/manifest.json", "--plan", "p/plan.csv"], in: directory)
        #expect(recoded.status != 0)
        #expect(recoded.stderr.contains("is not the seed of jurisdiction J01"), "\(recoded.stderr)")

        // The whole city's entities given in place of the frame's: refused (its digest is not the recorded one).
        try manifest.write(to: directory.file("p/manifest.json"), atomically: true, encoding: .utf8)
        let foreign = try Self.onecheck(["verify", "--manifest", "p/manifest.json", "--plan", "p/plan.csv",
                                         "--entities", "city/entities.csv"], in: directory)
        #expect(foreign.status != 0)
        #expect(foreign.stderr.contains("input entities has SHA-256"), "\(foreign.stderr)")
    }

    @Test("a plan of a city of several jurisdictions without --jurisdiction is refused; an unknown one names the file")
    func refusals() throws {
        let directory = try Self.cities()
        defer { directory.remove() }
        let whole = try Self.onecheck(["plan"] + Self.inputs("city", scores: "city-scores.csv")
                                      + ["--period", "2026Q2", "--seed", Self.seed, "--output", "w"], in: directory)
        #expect(whole.status != 0)
        #expect(whole.stderr.contains("quotas.csv") && whole.stderr.contains("--jurisdiction"), "\(whole.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.file("w").path))

        let unknown = try Self.onecheck(["plan"] + Self.inputs("city", scores: "city-scores.csv")
                                        + ["--period", "2026Q2", "--seed", Self.seed, "--jurisdiction", "J09", "--output", "u"],
                                        in: directory)
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("city/entities.csv") && unknown.stderr.contains("J09"), "\(unknown.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.file("u/plan.csv").path))

        let malformed = try Self.onecheck(["plan"] + Self.inputs("city", scores: "city-scores.csv")
                                          + ["--period", "2026Q2", "--seed", Self.seed, "--jurisdiction", "J 1", "--output", "m"],
                                          in: directory)
        #expect(malformed.status != 0)
        #expect(malformed.stderr.contains("jurisdiction"), "\(malformed.stderr)")
    }
}

extension PlanJurisdictionTests {
    /// On each engine (PostgreSQL's entity tables partitioned by jurisdiction, schema version 8), the same plan.
    @Test("plan --workspace --jurisdiction: only J's part is read; the frame is J's, the plan the same as from J's files")
    func fromWorkspace() throws {
        let directory = try Self.cities()
        defer { directory.remove() }
        // The reference: J02 planned from the city's files (its frame filtered from the whole files).
        let fromFiles = try Self.onecheck(["plan"] + Self.inputs("city", scores: "city-scores.csv")
                                          + ["--period", "2026Q2", "--seed", Self.seed, "--jurisdiction", "J02", "--output", "p"],
                                          in: directory)
        #expect(fromFiles.status == 0, "\(fromFiles.stderr)")
        var plans: [ManyWritersTests.Store: [Data]] = [:]
        for store in ManyWritersTests.Store.enabled {
            let workspace = try Self.importedWorkspace(store, in: directory, "ws")
            let output = "wp-\(store)"
            let run = try Self.onecheck(["plan", "-w", workspace, "--period", "2026Q2", "--seed", Self.seed,
                                         "--jurisdiction", "J02", "--output", output], in: directory)
            #expect(run.status == 0, "\(store): \(run.stderr)")
            #expect(run.stdout.contains("jurisdiction J02: 400 entities, "), "\(run.stdout)")
            #expect(run.stdout.contains("jurisdiction J02: seed \(Self.j02Seed) "), "\(run.stdout)")
            let manifest = try Self.text(directory, "\(output)/manifest.json")
            #expect(manifest.contains("\"path\": \"../\(output)-frame/entities.csv\""), "\(manifest.prefix(1500))")
            #expect(manifest.contains("\"seed\": \"\(Self.j02Seed)\""))
            let verified = try Self.onecheck(["verify", "--manifest", "\(output)/manifest.json", "--plan", "\(output)/plan.csv"],
                                             in: directory)
            #expect(verified.stdout == "identical\n", "\(store): \(verified.stdout) \(verified.stderr)")
            // One frame, J02's: its entities and inspectors only; no frame of the whole workspace.
            let entities = try Self.text(directory, "\(output)-frame/entities.csv").split(separator: "\n")
            #expect(entities.first == "entity_id,scenario,jurisdiction" && entities.count == 401)
            #expect(entities.dropFirst().allSatisfy { $0.hasSuffix(",J02") })
            let inspectors = try Self.text(directory, "\(output)-frame/inspectors.csv").split(separator: "\n").dropFirst()
            #expect(!inspectors.isEmpty && inspectors.allSatisfy { $0.hasPrefix("J02-") && $0.hasSuffix(",J02") })
            #expect(!FileManager.default.fileExists(atPath: directory.file("\(output)-frame-J02").path))
            let names = ["plan.csv", "targets.csv", "quota-report.csv", "workload.csv", "inclusion.csv"]
            for name in names {
                #expect(try Self.text(directory, "\(output)/\(name)") == Self.text(directory, "p/\(name)"), "\(store): \(name)")
            }
            plans[store] = try names.map { try Data(contentsOf: directory.file("\(output)/\($0)")) }
                + [try Data(contentsOf: directory.file("\(output)-frame/entities.csv"))]

            // A jurisdiction the workspace does not hold: refused, nothing written.
            let unknown = try Self.onecheck(["plan", "-w", workspace, "--period", "2026Q2", "--seed", Self.seed,
                                             "--jurisdiction", "J09", "--output", "u-\(store)"], in: directory)
            #expect(unknown.status != 0)
            #expect(unknown.stderr.contains("no entities of jurisdiction J09"), "\(unknown.stderr)")
            #expect(!FileManager.default.fileExists(atPath: directory.file("u-\(store)").path))
            #expect(!FileManager.default.fileExists(atPath: directory.file("u-\(store)-frame").path))
        }
        if let postgres = plans[.postgres] { #expect(postgres == plans[.sqlite]) }
    }
}
