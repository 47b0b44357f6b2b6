import Foundation
import Supervision
import Tables
import Testing
import TestSupport
@testable import Planning

/// Manifest format v3 (issue 18 §1): π in inclusion.csv named by its SHA-256, a small manifest, inputs hashed in the
/// pass that reads them, and a verification that streams every file.
@Suite("Manifest v3")
struct ManifestV3Tests {
    @Test("a v3 plan: no π in the manifest, inclusion.csv holds exactly the plan's π, and the plan verifies")
    func writtenAndVerified() throws {
        let (plan, _, _, output, directory) = try PlanDirectoryTests.written()
        defer { directory.remove() }
        let manifestPath = output.path(of: PlanDirectory.manifestFile)
        let manifest = try PlanDirectoryTests.text(manifestPath)
        #expect(manifest.hasPrefix("{\n  \"format\": \"onecheck.plan.manifest.v3\",\n"))
        #expect(!manifest.contains("\"inclusion\"") && manifest.contains("\"inclusion.csv\": \""))
        #expect(manifest.hasSuffix("  }\n}\n"))
        let text = try PlanDirectoryTests.text(output.path(of: PlanDirectory.inclusionFile))
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "entity_id," + plan.inclusion.map(\.department.rawValue).joined(separator: ","))
        // Every (department, entity in scope) once, π read back bit for bit.
        let table = try InclusionFile.read(output.path(of: PlanDirectory.inclusionFile), displayName: "inclusion.csv",
                                           observer: nil)
        #expect(table.departments.map(\.department) == plan.inclusion.map(\.department))
        for (read, design) in zip(table.departments, plan.inclusion) {
            #expect(read.entities == design.entities)
            #expect(read.probabilities.map(\.bitPattern) == design.probabilities.map(\.bitPattern))
        }
        #expect(try PlanVerification.verify(manifestPath: manifestPath, planPath: output.path(of: PlanDirectory.planFile),
                                            locator: InputLocator()) == .identical)
    }

    @Test("the same inputs and seed give byte-identical inclusion.csv and manifest.json")
    func deterministic() throws {
        let (_, _, _, first, a) = try PlanDirectoryTests.written()
        defer { a.remove() }
        let (_, _, _, second, b) = try PlanDirectoryTests.written()
        defer { b.remove() }
        for name in [PlanDirectory.inclusionFile, PlanDirectory.planFile] {
            #expect(try Data(contentsOf: URL(fileURLWithPath: first.path(of: name)))
                == Data(contentsOf: URL(fileURLWithPath: second.path(of: name))))
        }
        // The manifests differ only in the inputs' paths (each plan's own temporary directory): none here.
        #expect(try PlanDirectoryTests.text(first.path(of: PlanDirectory.manifestFile))
            == PlanDirectoryTests.text(second.path(of: PlanDirectory.manifestFile)))
    }

    @Test("an edited inclusion.csv is refused as a draw naming the file, even when the edit makes it unreadable")
    func editedInclusion() throws {
        let (_, _, _, output, directory) = try PlanDirectoryTests.written()
        defer { directory.remove() }
        let path = output.path(of: PlanDirectory.inclusionFile)
        let text = try PlanDirectoryTests.text(path)
        for edited in [text.replacingOccurrences(of: "\n", with: "\nnot,a,row\n", options: [], range: text.range(of: "\n")),
                       text + "ZZZZ,0.5,,\n"] {
            try edited.write(toFile: path, atomically: true, encoding: .utf8)
            do {
                _ = try output.readDraw()
                Issue.record("an edited inclusion.csv was read")
            } catch let PlanDirectoryError.fileChanged(file, _, recorded, found) {
                #expect(file == path && recorded != found)
            }
            let outcome = try PlanVerification.verify(manifestPath: output.path(of: PlanDirectory.manifestFile),
                                                      planPath: output.path(of: PlanDirectory.planFile),
                                                      locator: InputLocator())
            guard case let .different(file, _, _, _) = outcome else { Issue.record("verified: \(outcome)"); return }
            #expect(file == path)
        }
    }

    @Test("a malformed inclusion.csv is refused at its line and column")
    func malformedInclusion() throws {
        let directory = try TemporaryDirectory("inclusion")
        defer { directory.remove() }
        let path = directory.file("inclusion.csv").path
        for (text, line, column) in [("entity_id,fire,market\nE1,0.5,\nE0,,0.25\n", 3, 1),
                                     ("entity_id,fire,market\nE1,1.5,\n", 2, 2),
                                     ("entity_id,market,fire\nE1,0.5,\n", 1, 1),
                                     ("entity_id,fire,market\nE1,x,\n", 2, 2)] {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            do {
                _ = try InclusionFile.read(path, displayName: path, observer: nil)
                Issue.record("accepted: \(text)")
            } catch let error as TableError {
                #expect(error.file == path && error.line == line && error.column == column, "\(error)")
            }
        }
    }

    /// `Tests/Fixtures/plan-v2/`: written with manifest format v2 (π in the manifest).
    @Test("a committed v2 plan is still read as a draw, π from its manifest")
    func v2ReadAsDraw() throws {
        let copy = try TemporaryDirectory("plan-v2")
        defer { copy.remove() }
        let source = SharedData.bundled("Tests/Fixtures/plan-v2/plan-2026Q1").path
        try FileManager.default.copyItem(atPath: source, toPath: copy.file("plan").path)
        let draw = try PlanDirectory(path: copy.file("plan").path).readDraw()
        #expect(draw.manifest.format == .v2 && !draw.visits.isEmpty)
        for visit in draw.visits {
            for department in visit.departments {
                #expect((draw.inclusion.probability(department: department, entity: visit.entity) ?? 0) > 0)
            }
        }
    }

    /// `Tests/Fixtures/plan-v3/`: written by this format's first build (its make_fixture.sh).
    @Test("a committed v3 plan verifies and is read as a draw, π from inclusion.csv")
    func committedV3Plan() throws {
        let manifest = SharedData.bundled("Tests/Fixtures/plan-v3/plan-2026Q1/manifest.json").path
        let plan = SharedData.bundled("Tests/Fixtures/plan-v3/plan-2026Q1/plan.csv").path
        #expect(try PlanVerification.verify(manifestPath: manifest, planPath: plan, locator: InputLocator()) == .identical)
        let draw = try PlanDirectory(path: SharedData.bundled("Tests/Fixtures/plan-v3/plan-2026Q1").path).readDraw()
        #expect(draw.manifest.format == .v3 && !draw.visits.isEmpty)
        let first = try #require(draw.visits.first)
        #expect((draw.inclusion.probability(department: first.departments[0], entity: first.entity) ?? 0) > 0)
    }

    @Test("the inputs' digests computed while reading equal those of a separate pass")
    func hashedWhileRead() throws {
        let (_, _, paths, output, directory) = try PlanDirectoryTests.written()
        defer { directory.remove() }
        var seen: FrameCommitment?
        let (_, frame) = try PlanInputs.readHashing(paths, algorithm: .current) { seen = $0 }
        #expect(frame == (try paths.commitment()) && seen == frame)
        #expect(frame.inputs.count == paths.named.count)
        // A reader that stops before the end: the rest is hashed from the file.
        let digest = ReadingDigest()
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: paths.scores)))
        bytes.prefix(bytes.count / 3).withUnsafeBytes { digest.observe($0) }
        #expect(try digest.finish(path: paths.scores) == FrameCommitment.sha256Hex(bytes))
        _ = output
    }

    @Test("an input edited after planning is named as changed before its rows are read")
    func changedInput() throws {
        let (_, _, paths, output, directory) = try PlanDirectoryTests.written()
        defer { directory.remove() }
        try (try PlanDirectoryTests.text(paths.quotas) + "market,Z,oops,,\n").write(toFile: paths.quotas, atomically: true,
                                                                                   encoding: .utf8)
        do {
            _ = try PlanVerification.verify(manifestPath: output.path(of: PlanDirectory.manifestFile),
                                            planPath: output.path(of: PlanDirectory.planFile), locator: InputLocator())
            Issue.record("a changed input verified")
        } catch {
            #expect("\(error)".contains("input quotas has SHA-256"), "\(error)")
        }
    }

    @Test("the streamed line comparison gives the outcome of comparing the whole texts, in any pieces")
    func streamedComparison() throws {
        let directory = try TemporaryDirectory("lines")
        defer { directory.remove() }
        let path = directory.file("found.txt").path
        let texts = ["", "a", "a\n", "a\nb\n", "a\nb", "a\nbc\n\n", "x\ny\nz\n", "a\nb\nc"]
        for expected in texts {
            for found in texts {
                try found.write(toFile: path, atomically: true, encoding: .utf8)
                let whole = PlanVerification.compare(file: "f", expected: expected, found: found)
                for piece in 1...3 {
                    var comparison = try #require(LineComparison(path: path, file: "f"))
                    defer { comparison.close() }
                    let bytes = Array(expected.utf8)
                    var start = 0
                    while start < bytes.count {
                        let end = min(bytes.count, start + piece)
                        try bytes[start..<end].withUnsafeBytes { try comparison.feed($0) }
                        start = end
                    }
                    #expect(try comparison.finish() == whole, "expected \(expected.debugDescription), found \(found.debugDescription)")
                }
            }
        }
    }

    @Test("two inclusion rows are the same within the tolerance only with the same id and the same empty fields")
    func sameRow() {
        func same(_ a: String, _ b: String) -> Bool {
            InclusionFile.sameRow(Substring(a), Substring(b), departments: 2, tolerance: 1e-12)
        }
        #expect(same("E1,0.25,", "E1,0.2500000000001,"))
        #expect(!same("E1,0.25,", "E1,0.2500001,"))
        #expect(!same("E1,0.25,", "E2,0.25,"))
        #expect(!same("E1,0.25,", "E1,,0.25"))
        #expect(!same("E1,0.25,", "E1,0.25,0"))
        #expect(same("\"a,b\",0.5,1.0", "\"a,b\",0.5,1.0"))
    }
}
