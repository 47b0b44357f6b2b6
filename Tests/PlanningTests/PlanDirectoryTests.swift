import Foundation
import Supervision
import Tables
import Testing
import TestSupport
@testable import Planning

/// The plan directory's contract: one set written as a whole, a manifest that records every file's digest and
/// names its inputs relative to itself, and a reader that refuses any file changed after planning.
@Suite("Plan directory")
struct PlanDirectoryTests {
    /// A plan of the fixture written to `<temporary>/out`.
    static func written(seed: String = "2026-01-02 lottery 07 19 23")
        throws -> (Plan, PlanInputs, PlanInputPaths, PlanDirectory, TemporaryDirectory) {
        let (plan, inputs, paths, directory) = try PlanBuilderTests.plan(seed: seed)
        let output = PlanDirectory(path: directory.file("out").path)
        try output.write(plan, inputs: inputs, inputFiles: paths, frame: try paths.commitment())
        return (plan, inputs, paths, output, directory)
    }

    static func text(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    @Test("the set is written whole, and read back as the draw: visits with their lines, π per department")
    func roundTrip() throws {
        let (plan, _, _, output, directory) = try Self.written()
        defer { directory.remove() }
        #expect(try FileManager.default.contentsOfDirectory(atPath: output.path).sorted() == PlanDirectory.members.sorted())
        #expect(try Self.text(output.path(of: PlanDirectory.planFile)) == PlanOutputs.planCSV(plan))
        #expect(try Self.text(output.path(of: PlanDirectory.targetsFile)) == PlanOutputs.targetsCSV(plan))
        #expect(try Self.text(output.path(of: PlanDirectory.quotaReportFile)) == PlanOutputs.quotaReportCSV(plan))

        let draw = try output.readDraw()
        #expect(draw.period == plan.parameters.period && draw.seed == plan.parameters.seed)
        #expect(draw.manifest.format == .v3 && draw.manifest.parameters == plan.parameters)
        #expect(draw.visits.count == plan.checks.count && !plan.checks.isEmpty)
        for (line, (visit, check)) in zip(draw.visits, plan.checks).enumerated() {
            #expect(visit.line == line + 2 && visit.checkID == check.checkID && visit.entity == check.entity)
            #expect(visit.scenario == check.scenario && visit.departments == check.departments)
            #expect(visit.items == check.items && visit.inspectors == check.inspectors && visit.date == check.date)
        }
        #expect(draw.inclusion.departments.map(\.department) == plan.inclusion.map(\.department))
        for design in plan.inclusion {
            for (entity, pi) in zip(design.entities, design.probabilities) {
                #expect(draw.inclusion.probability(department: design.department, entity: entity) == pi)
            }
        }
        #expect(draw.inclusion.probability(department: "market", entity: "nobody") == nil)
        #expect(draw.inclusion.probability(department: "police", entity: plan.checks[0].entity) == nil)
        let error = draw.error(.unknownCategory, visit: draw.visits[1], column: "inspectors", value: "x", expected: "y")
        #expect(error.file.hasSuffix("out/plan.csv") && error.line == 3 && error.column == 6)
    }

    /// Issue 14, item 5: a hand-edited file of the set is refused before it is used, naming the file.
    @Test("a file changed after planning is refused, naming it; a missing file too",
          arguments: [PlanDirectory.planFile, PlanDirectory.targetsFile, PlanDirectory.quotaReportFile,
                      PlanDirectory.workloadFile, PlanDirectory.inclusionFile])
    func tamperedFile(name: String) throws {
        let (_, _, _, output, directory) = try Self.written()
        defer { directory.remove() }
        let path = output.path(of: name)
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count - 3] ^= 0x01  // one bit of the last line
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        do {
            _ = try output.readDraw()
            Issue.record("a changed \(name) was accepted")
        } catch let PlanDirectoryError.fileChanged(file, manifest, recorded, found) {
            #expect(file == path && manifest == output.path(of: PlanDirectory.manifestFile) && recorded != found)
            #expect("\(PlanDirectoryError.fileChanged(file: file, manifest: manifest, recorded: recorded, found: found))"
                .contains("was changed after planning"))
        }
        try FileManager.default.removeItem(atPath: path)
        #expect(throws: PlanDirectoryError.missingFile(path: path)) { try output.readDraw() }
    }

    @Test("a v1 manifest still verifies, but is not read as a draw: it records no digests")
    func versionOne() throws {
        let (plan, inputs, paths, output, directory) = try Self.written()
        defer { directory.remove() }
        // What earlier builds wrote: format v1, no files table, the input paths as given to `plan`.
        let frame = try paths.commitment()
        let v1 = PlanManifest.render(
            plan, algorithmVersion: frame.algorithmVersion,
            inputs: Dictionary(uniqueKeysWithValues: paths.named.map { ($0.role, .init(path: $0.path, sha256: frame.inputs[$0.role]!)) }),
            files: [:], format: .v1)
        #expect(v1.hasPrefix("{\n  \"format\": \"onecheck.plan.manifest.v1\",\n") && !v1.contains("\"files\""))
        let manifestPath = output.path(of: PlanDirectory.manifestFile)
        try v1.write(toFile: manifestPath, atomically: true, encoding: .utf8)
        #expect(try PlanVerification.verify(manifestPath: manifestPath, planPath: output.path(of: PlanDirectory.planFile),
                                            locator: InputLocator()) == .identical)
        #expect(throws: PlanDirectoryError.self) { try output.readDraw() }
        do { _ = try output.readDraw() } catch { #expect("\(error)".contains("records no digests")) }
        _ = inputs
    }

    @Test("verify names the first line of a changed file beside the manifest")
    func verifyComparesTheSet() throws {
        let (_, _, _, output, directory) = try Self.written()
        defer { directory.remove() }
        let manifestPath = output.path(of: PlanDirectory.manifestFile), planPath = output.path(of: PlanDirectory.planFile)
        #expect(try PlanVerification.verify(manifestPath: manifestPath, planPath: planPath, locator: InputLocator()) == .identical)
        let workload = output.path(of: PlanDirectory.workloadFile)
        var lines = try Self.text(workload).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[2] = lines[2].replacingOccurrences(of: ",", with: ";")
        try lines.joined(separator: "\n").write(toFile: workload, atomically: true, encoding: .utf8)
        guard case let .different(file, line, _, _) = try PlanVerification.verify(
            manifestPath: manifestPath, planPath: planPath, locator: InputLocator()) else {
            Issue.record("a changed workload.csv verified"); return
        }
        #expect(file == workload && line == 3)
    }

    /// `plan` writes inclusion.csv while the plan is staffed (``PlanBuilder``'s `whileStaffing`): the set is the one
    /// written file after file, and a plan refused while being staffed leaves nothing of it behind.
    @Test("Planner.plan writes the set the sequential writer writes; a plan that cannot be staffed leaves the previous set")
    func inclusionWrittenWhileStaffing() throws {
        let (_, _, paths, sequential, directory) = try Self.written()
        defer { directory.remove() }
        let parameters = PlanParameters(period: Period("2026Q1")!, seed: "2026-01-02 lottery 07 19 23")
        let concurrent = PlanDirectory(path: directory.file("planned").path)
        _ = try Planner.plan(inputs: paths, parameters: parameters, committedFrame: nil, output: concurrent)
        for name in PlanDirectory.members where name != PlanDirectory.manifestFile {
            #expect(try Self.text(concurrent.path(of: name)) == Self.text(sequential.path(of: name)), "\(name)")
        }
        // The manifests differ only in where the inputs are, relative to each directory (both are siblings).
        #expect(try Self.text(concurrent.path(of: PlanDirectory.manifestFile))
                == Self.text(sequential.path(of: PlanDirectory.manifestFile)))

        var understaffed = PlanFixture()
        understaffed.inspectorsPerDepartment = 1
        let other = try TemporaryDirectory("plan")
        defer { other.remove() }
        let understaffedPaths = try understaffed.write(to: other)
        let before = try PlanDirectory.members.map { try Self.text(concurrent.path(of: $0)) }
        #expect { _ = try Planner.plan(inputs: understaffedPaths, parameters: parameters, committedFrame: nil,
                                       output: concurrent) } throws: { "\($0)".contains("cannot staff the plan") }
        #expect(try PlanDirectory.members.map { try Self.text(concurrent.path(of: $0)) } == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).filter { $0.hasPrefix(".") }.isEmpty)
    }

    /// Issue 14, item 6: inputs are recorded relative to the manifest, so the directory tree can move.
    @Test("inputs are recorded relative to the manifest; a moved tree still verifies; --inputs-dir finds inputs by SHA-256")
    func relativeInputs() throws {
        let (_, _, paths, output, directory) = try Self.written()
        defer { directory.remove() }
        let manifest = try PlanDirectory.readManifest(at: output.path(of: PlanDirectory.manifestFile))
        #expect(manifest.inputs["scores"]?.path == "../scores.csv" && manifest.inputs["quotas"]?.path == "../quotas.csv")
        #expect(manifest.inputs.count == paths.named.count)

        // The whole tree moved elsewhere: the recorded paths still resolve from the manifest.
        let moved = try TemporaryDirectory("moved")
        defer { moved.remove() }
        let tree = moved.file("tree").path
        try FileManager.default.moveItem(atPath: directory.url.path, toPath: tree)
        try FileManager.default.createDirectory(atPath: directory.url.path, withIntermediateDirectories: true)
        let manifestPath = tree + "/out/manifest.json", planPath = tree + "/out/plan.csv"
        #expect(try PlanVerification.verify(manifestPath: manifestPath, planPath: planPath, locator: InputLocator()) == .identical)

        // The inputs moved apart from the plan: not found, unless a directory holding them is given.
        let inputs = moved.file("inputs").path
        try FileManager.default.createDirectory(atPath: inputs, withIntermediateDirectories: true)
        for (role, path) in paths.named {
            let name = URL(fileURLWithPath: path).lastPathComponent
            // Renamed, so only the digest can find them; a decoy with the recorded name but other bytes comes first.
            try FileManager.default.moveItem(atPath: tree + "/" + name, toPath: inputs + "/renamed-" + role)
        }
        try "decoy\n".write(toFile: inputs + "/scores.csv", atomically: true, encoding: .utf8)
        do {
            _ = try PlanVerification.verify(manifestPath: manifestPath, planPath: planPath, locator: InputLocator())
            Issue.record("inputs found where there are none")
        } catch let error as PlanError {
            guard case let .inputNotFound(role, recorded, _, searched) = error else { Issue.record("\(error)"); return }
            #expect(role == "caps" && recorded == "../caps.csv" && searched == nil)
            #expect("\(error)".contains("--inputs-dir DIR"))
        }
        let locator = InputLocator(searchDirectory: inputs)
        #expect(try PlanVerification.verify(manifestPath: manifestPath, planPath: planPath, locator: locator) == .identical)
        let found = try locator.paths(for: try PlanDirectory.readManifest(at: manifestPath), at: manifestPath)
        #expect(found.scores == inputs + "/renamed-scores" && found.quotas == inputs + "/renamed-quotas")
        // A file given on the command line wins over the recorded path and the search.
        let given = InputLocator(overrides: ["scores": inputs + "/scores.csv"], searchDirectory: inputs)
        #expect(try given.paths(for: try PlanDirectory.readManifest(at: manifestPath), at: manifestPath).scores
            == inputs + "/scores.csv")
    }

    @Test("a seed with quotes, backslashes, control characters and CJK text survives the manifest")
    func seedText() throws {
        let seed = "彩票 \"07\" \\ 19\t23\n\u{1}end"
        let (plan, _, _, output, directory) = try Self.written(seed: seed)
        defer { directory.remove() }
        let manifest = try PlanDirectory.readManifest(at: output.path(of: PlanDirectory.manifestFile))
        #expect(manifest.parameters.seed == seed && manifest.parameters == plan.parameters)
        #expect(try output.readDraw().seed == seed)
    }

    @Test("a malformed manifest is refused at its line and column", arguments: [
        ("  \"seed\": \"2026-01-02 lottery 07 19 23\",", "  \"seed\": lottery,", 5, 11, "a string"),
        ("  \"period\": \"2026Q1\",", "  \"period\": \"2026Q5\",", 4, 13, "a quarter like"),
        ("\"reserve_size\": 20}", "\"reserve_size\": 20.5}", 6, 89, "a whole number"),
        ("  \"adjustments\": [", "  \"adjustment\": [", 23, 3, "unknown key \"adjustment\""),
        ("  \"format\": \"onecheck.plan.manifest.v3\",", "  \"format\": \"onecheck.plan.manifest.v4\",", 0, 0, "v4"),
        ("  \"reserves\": {", "  \"inclusion\": {},\n  \"reserves\": {", 1, 1, "an \"inclusion\" key in a onecheck.plan.manifest.v3"),
    ])
    func malformedManifest(change: (String, String, Int, Int, String)) throws {
        let (_, _, _, output, directory) = try Self.written()
        defer { directory.remove() }
        let path = output.path(of: PlanDirectory.manifestFile)
        let text = try Self.text(path)
        #expect(text.contains(change.0))
        try text.replacingOccurrences(of: change.0, with: change.1).write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try PlanDirectory.readManifest(at: path)
            Issue.record("accepted: \(change.1)")
        } catch let error as PlanDirectoryError {
            if case let .malformedManifest(file, line, column, _, _) = error {
                #expect(file == path && line == change.2 && column == change.3, "\(error)")
            } else {
                #expect(change.2 == 0, "\(error)")
            }
            #expect("\(error)".contains(change.4), "\(error)")
        }
    }

    @Test("a truncated manifest, text after it and a repeated key are refused")
    func truncatedManifest() throws {
        let (_, _, _, output, directory) = try Self.written()
        defer { directory.remove() }
        let path = output.path(of: PlanDirectory.manifestFile)
        let text = try Self.text(path)
        for broken in [String(text.prefix(text.utf8.count / 2)), text + "{}", text.replacingOccurrences(
            of: "  \"seed\":", with: "  \"period\": \"2026Q1\",\n  \"seed\":")] {
            try broken.write(toFile: path, atomically: true, encoding: .utf8)
            #expect(throws: PlanDirectoryError.self) { try PlanDirectory.readManifest(at: path) }
        }
    }

    /// Issue 14, items 3 and 4: a writer killed with SIGKILL cannot clean up; the next writer does.
    @Test("a staging directory left by a dead writer is removed by the next write; a live writer's is kept")
    func staleStaging() throws {
        let (plan, inputs, paths, output, directory) = try Self.written()
        defer { directory.remove() }
        let dead = directory.file(".out.staging-999999").path, live = directory.file(".out.staging-1").path
        for stale in [dead, live] {
            try FileManager.default.createDirectory(atPath: stale, withIntermediateDirectories: false)
            try "half a plan".write(toFile: stale + "/plan.csv", atomically: false, encoding: .utf8)
        }
        try output.write(plan, inputs: inputs, inputFiles: paths, frame: try paths.commitment())
        #expect(!FileManager.default.fileExists(atPath: dead))
        #expect(FileManager.default.fileExists(atPath: live + "/plan.csv"))  // pid 1 is alive: not ours to remove
    }

    @Test("a destination holding other files is refused before anything is written")
    func foreignFiles() throws {
        let (plan, inputs, paths, output, directory) = try Self.written()
        defer { directory.remove() }
        let before = try Self.text(output.path(of: PlanDirectory.manifestFile))
        try "mine".write(toFile: output.path(of: "notes.txt"), atomically: true, encoding: .utf8)
        #expect(throws: OutputError.foreignFiles(directory: output.path, names: ["notes.txt"])) {
            try output.write(plan, inputs: inputs, inputFiles: paths, frame: try paths.commitment())
        }
        #expect(try Self.text(output.path(of: PlanDirectory.manifestFile)) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).filter { $0.hasPrefix(".") }.isEmpty)
    }
}
