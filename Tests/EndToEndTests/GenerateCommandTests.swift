import Foundation
import Testing
import TestSupport

/// `onecheck generate` run as a user would.
@Suite struct GenerateCommandTests {
    @Test func sameSeedGivesIdenticalFilesAndTheModelScoresThem() throws {
        let dir = try TemporaryDirectory("generate-e2e")
        defer { dir.remove() }
        for name in ["a", "b"] {
            let r = try OneCheckBinary.run(["generate", "--entities", "300", "--seed", "11", "--output",
                                            dir.file(name).path, "--quiet"])
            #expect(r.status == 0, "\(r.stderr)")
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.file("a").path).sorted()
        #expect(files.contains("entities.csv") && files.contains("inspectors.csv") && files.contains("true-model.json"))
        for f in files {
            #expect(try Data(contentsOf: dir.file("a/\(f)")) == Data(contentsOf: dir.file("b/\(f)")), "\(f) differs")
        }
        let scored = try OneCheckBinary.run(["score", "--model", dir.file("a/true-model.json").path, "--input",
                                             dir.file("a/entities.csv").path, "--output", dir.file("s.csv").path])
        #expect(scored.status == 0, "\(scored.stderr)")
        #expect(scored.stdout.hasPrefix("scored 300 entities"))
    }

    @Test func badArgumentsAreRefusedWithoutOutput() throws {
        let dir = try TemporaryDirectory("generate-bad")
        defer { dir.remove() }
        let r = try OneCheckBinary.run(["generate", "--entities", "0", "--seed", "1", "--output", dir.file("x").path])
        #expect(r.status != 0)
        #expect(r.stderr.contains("--entities"))
        let s = try OneCheckBinary.run(["generate", "--entities", "10", "--seed", "minus one", "--output", dir.file("y").path])
        #expect(s.status != 0)
        #expect(s.stderr.contains("seed"))
        #expect(!FileManager.default.fileExists(atPath: dir.file("x").path))
        #expect(!FileManager.default.fileExists(atPath: dir.file("y").path))
    }
}
