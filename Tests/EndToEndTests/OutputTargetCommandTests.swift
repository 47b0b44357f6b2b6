#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import TestSupport

/// Every command writes its outputs one way (issue 14, items 1 and 2), run as a user would: `-` is standard
/// output, a FIFO or character device is written in place, a symbolic link keeps pointing at its replaced target,
/// a directory or socket is refused by name, and an output that is one of the run's inputs is refused before
/// anything is read. Special files are made in a temporary directory (`mknod` only as root), never in `/dev`.
@Suite struct OutputTargetCommandTests {
    static let input = "entity_id,scenario,complaints\nE1,hotel,4\nE2,restaurant,0\n"
    static let scores = """
        entity_id,risk_fire_score,risk_fire_probability,risk_fire_grade,supervision_class
        E1,0.500000,0.62245933,D,D
        E2,-1.500000,0.18242552,A,A

        """
    static let summary = "scored 2 entities into %@\nsupervision class: A 1 (50.0 %), B 0 (0.0 %), C 0 (0.0 %), D 1 (50.0 %)\n"

    struct Files {
        let dir: TemporaryDirectory
        init() throws {
            dir = try TemporaryDirectory("outputs-e2e")
            try ScoreCommandTests.modelJSON.write(to: dir.file("model.json"), atomically: true, encoding: .utf8)
            try OutputTargetCommandTests.input.write(to: dir.file("entities.csv"), atomically: true, encoding: .utf8)
        }
        func path(_ name: String) -> String { dir.file(name).path }
        func run(_ arguments: [String]) throws -> CommandResult { try OneCheckBinary.run(arguments, in: dir.url) }
        func score(output: String, input: String = "entities.csv", model: String = "model.json") throws -> CommandResult {
            try run(["score", "--model", model, "--input", input, "--output", output, "--no-progress"])
        }
        var listing: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: dir.url.path)) ?? []).sorted() }
        func text(_ name: String) -> String? { try? String(contentsOfFile: path(name), encoding: .utf8) }
        func type(_ name: String) -> mode_t {
            var status = stat()
            return lstat(path(name), &status) == 0 ? status.st_mode & S_IFMT : 0
        }
    }

    @Test func dashWritesTheScoresToStandardOutputAndTheSummaryToStandardError() throws {
        let f = try Files()
        defer { f.dir.remove() }
        let r = try f.score(output: "-")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == Self.scores)
        #expect(r.stderr == Self.summary.replacingOccurrences(of: "%@", with: "-"))
        #expect(f.listing == ["entities.csv", "model.json"])
    }

    @Test func aFIFOIsWrittenInPlaceAndStaysAFIFO() throws {
        let f = try Files()
        defer { f.dir.remove() }
        #expect(mkfifo(f.path("scores.fifo"), 0o644) == 0)
        let received = Received()
        let reader = Thread {
            received.data = readToEnd(f.path("scores.fifo"))
            received.done.signal()
        }
        reader.start()
        let r = try f.score(output: "scores.fifo")
        #expect(received.wait(forReaderOf: f.path("scores.fifo"), seconds: 30), "nothing was written to the FIFO")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(String(decoding: received.data, as: UTF8.self) == Self.scores)
        #expect(f.type("scores.fifo") == S_IFIFO)
        #expect(f.listing == ["entities.csv", "model.json", "scores.fifo"])
    }

    @Test func aCharacterDeviceIsWrittenInPlaceAndStaysADevice() throws {
        let f = try Files()
        defer { f.dir.remove() }
        guard geteuid() == 0 else { return }  // mknod needs root; the FIFO test covers the rule otherwise
        #expect(mknod(f.path("null"), S_IFCHR | 0o666, device(1, 3)) == 0)
        let r = try f.score(output: "null")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(f.type("null") == S_IFCHR)
        #expect(f.listing == ["entities.csv", "model.json", "null"])
        // A full device: the write error names the output, exit 1, the node stays.
        #expect(mknod(f.path("full"), S_IFCHR | 0o666, device(1, 7)) == 0)
        let full = try f.score(output: "full")
        #expect(full.status == 1)
        #expect(full.stderr == "Error: full: input/output failed: No space left on device\n")
        #expect(f.type("full") == S_IFCHR)
    }

    @Test func aSymbolicLinkKeepsPointingAtItsReplacedTarget() throws {
        let f = try Files()
        defer { f.dir.remove() }
        try "old\n".write(to: f.dir.file("target.csv"), atomically: true, encoding: .utf8)
        #expect(symlink("target.csv", f.path("scores.csv")) == 0)
        let r = try f.score(output: "scores.csv")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(f.type("scores.csv") == S_IFLNK)
        #expect(f.text("target.csv") == Self.scores)
        #expect(f.listing == ["entities.csv", "model.json", "scores.csv", "target.csv"])
    }

    @Test func aDirectoryOrSocketIsRefusedByName() throws {
        let f = try Files()
        defer { f.dir.remove() }
        try FileManager.default.createDirectory(at: f.dir.file("out"), withIntermediateDirectories: false)
        let r = try f.score(output: "out")
        #expect(r.status == 1)
        #expect(r.stderr == "Error: out: is a directory; expected a regular file, a new path, a character device, a FIFO or - (standard output)\n")
        #expect(r.stdout.isEmpty)
        let indicators = try f.run(["indicators", "--workspace", "nowhere.sqlite", "--out", "out"])
        #expect(indicators.status == 1)
        #expect(indicators.stderr.hasPrefix("Error: out: is a directory;"), "\(indicators.stderr)")
        #expect(f.listing == ["entities.csv", "model.json", "out"])
    }

    @Test func anOutputNamingAnInputIsRefusedBeforeAnythingIsRead() throws {
        let f = try Files()
        defer { f.dir.remove() }
        let model = try Data(contentsOf: f.dir.file("model.json"))
        let entities = try Data(contentsOf: f.dir.file("entities.csv"))
        #expect(link(f.path("entities.csv"), f.path("hard.csv")) == 0)
        #expect(symlink("model.json", f.path("soft.json")) == 0)
        let cases: [(output: String, message: String)] = [
            ("model.json", "Error: model.json: is the same file as the input --model model.json; expected an output path that is not one of the run's inputs (nothing was read or written)\n"),
            ("./entities.csv", "Error: ./entities.csv: is the same file as the input --input entities.csv; expected an output path that is not one of the run's inputs (nothing was read or written)\n"),
            ("hard.csv", "Error: hard.csv: is the same file as the input --input entities.csv; expected an output path that is not one of the run's inputs (nothing was read or written)\n"),
            ("soft.json", "Error: soft.json: is the same file as the input --model model.json; expected an output path that is not one of the run's inputs (nothing was read or written)\n"),
        ]
        for c in cases {
            let r = try f.score(output: c.output)
            #expect(r.status == 1, "\(c.output)")
            #expect(r.stderr == c.message)
        }
        #expect(try Data(contentsOf: f.dir.file("model.json")) == model)
        #expect(try Data(contentsOf: f.dir.file("entities.csv")) == entities)
        #expect(try Data(contentsOf: f.dir.file("hard.csv")) == entities)
        #expect(f.listing == ["entities.csv", "hard.csv", "model.json", "soft.json"])
    }

    @Test func fitAndTuneRefuseAnOutputThatIsTheDataOrAnotherOutput() throws {
        let f = try Files()
        defer { f.dir.remove() }
        try FitCommandTests.syntheticCSV(rows: 60).write(to: f.dir.file("data.csv"), atomically: true, encoding: .utf8)
        let data = try Data(contentsOf: f.dir.file("data.csv"))
        let fit = try f.run(FitCommandTests.fitArguments + ["--output", "data.csv"])
        #expect(fit.status == 1)
        #expect(fit.stderr == "Error: data.csv: is the same file as the input --input data.csv; expected an output path that is not one of the run's inputs (nothing was read or written)\n")
        let tune = try f.run(["tune", "--input", "data.csv", "--target", "violation", "--positive", "yes",
                              "--output", "m.json", "--report", "./m.json"])
        #expect(tune.status == 1)
        #expect(tune.stderr == "Error: ./m.json: is the same file as the output --output m.json; expected a separate file for each output\n")
        #expect(try Data(contentsOf: f.dir.file("data.csv")) == data)
        #expect(f.listing == ["data.csv", "entities.csv", "model.json"])
        // The model to standard output, the fit's report to standard error.
        let piped = try f.run(FitCommandTests.fitArguments + ["--output", "-"])
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(piped.stdout.hasPrefix("{") && piped.stdout.hasSuffix("}\n"))
        #expect(piped.stderr.contains("model      -"))
        #expect(f.listing == ["data.csv", "entities.csv", "model.json"])
    }

    @Test func registryOutputsRefuseTheWorkspace() throws {
        let f = try Files()
        defer { f.dir.remove() }
        #expect(try f.run(["init", "ws.sqlite"]).status == 0)
        let before = try Data(contentsOf: f.dir.file("ws.sqlite"))
        let message = "Error: ws.sqlite: is the same file as the input --workspace ws.sqlite; expected an output path that is not one of the run's inputs (nothing was read or written)\n"
        for arguments in [["indicators", "-w", "ws.sqlite", "--out", "ws.sqlite"],
                          ["registry", "features", "-w", "ws.sqlite", "--period", "2026Q2", "--output", "ws.sqlite"],
                          ["publish", "results", "-w", "ws.sqlite", "--on", "2026-04-01", "--out", "ws.sqlite"]] {
            let r = try f.run(arguments)
            #expect(r.status == 1, "\(arguments)")
            #expect(r.stderr == message, "\(arguments)")
        }
        #expect(try Data(contentsOf: f.dir.file("ws.sqlite")) == before)
        // export's directory may not hold the workspace.
        try FileManager.default.createDirectory(at: f.dir.file("exp"), withIntermediateDirectories: false)
        #expect(try f.run(["init", "exp/ws.sqlite"]).status == 0)
        let export = try f.run(["export", "-w", "exp/ws.sqlite", "--to", "exp"])
        #expect(export.status == 1)
        #expect(export.stderr == "Error: exp: is the same file as the input --workspace exp/ws.sqlite; expected an output path that is not one of the run's inputs (nothing was read or written)\n")
    }

    @Test func commitRefusesAFrameThatIsAnInput() throws {
        let f = try Files()
        defer { f.dir.remove() }
        for name in ["scores.csv", "entities2.csv", "quotas.csv", "inspectors.csv"] {
            try "x\n".write(to: f.dir.file(name), atomically: true, encoding: .utf8)
        }
        let r = try f.run(["commit", "--scores", "scores.csv", "--entities", "entities2.csv", "--quotas", "quotas.csv",
                           "--inspectors", "inspectors.csv", "--output", "quotas.csv"])
        #expect(r.status == 1)
        #expect(r.stderr == "Error: quotas.csv: is the same file as the input --quotas quotas.csv; expected an output path that is not one of the run's inputs (nothing was read or written)\n")
        #expect(f.text("quotas.csv") == "x\n")
    }
}
