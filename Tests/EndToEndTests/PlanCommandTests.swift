#if canImport(Glibc)
import Glibc
#endif
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

    /// A generated and scored city of `entities` entities in a fresh directory.
    static func city(entities: Int = 500) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory("plan-e2e")
        let generated = try onecheck(["generate", "--entities", "\(entities)", "--seed", "5", "--output", "city"], in: directory)
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

    // MARK: - The plan directory as one set (issue 14, items 3–6)

    /// The files of a directory by name.
    static func snapshot(_ directory: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            files[name] = try Data(contentsOf: directory.appendingPathComponent(name))
        }
        return files
    }

    static func entries(_ directory: TemporaryDirectory) throws -> Set<String> {
        Set(try FileManager.default.contentsOfDirectory(atPath: directory.url.path))
    }

    static func plan(seed: String, output: String = "out") -> [String] {
        ["plan"] + inputs + ["--period", "2026Q2", "--seed", seed, "--output", output]
    }

    @Test("on a full disk (a file-size limit) plan exits 1, the previous plan stays whole and no temporary file is left")
    func fullDisk() throws {
        let directory = try Self.city()
        defer { directory.remove() }
        let first = try Self.onecheck(Self.plan(seed: "first"), in: directory)
        #expect(first.status == 0, "\(first.stderr)")
        let before = try Self.snapshot(directory.file("out"))
        let entries = try Self.entries(directory)
        // A limit that holds the new plan's other CSV files but not its π (inclusion.csv, the largest file, written
        // after them): the set fails on its last large file.
        let limit = before["inclusion.csv"]!.count * 3 / 4 / 1024
        let largestCSV = before.filter { $0.key != "manifest.json" && $0.key != "inclusion.csv" }.map(\.value.count).max()!
        try #require(2 * largestCSV < limit * 1024, "the city is too small to put the limit between the files")
        let limited = try ProcessRunner.run(
            URL(fileURLWithPath: "/bin/bash"),
            ["-c", "ulimit -f \(limit); exec \"$0\" \"$@\"", OneCheckBinary.url.path] + Self.plan(seed: "second"),
            in: directory.url)
        #expect(limited.status == 1, "\(limited.stderr)")
        #expect(limited.stderr.contains("out/inclusion.csv") && limited.stderr.contains("File too large"), "\(limited.stderr)")
        #expect(try Self.snapshot(directory.file("out")) == before)
        let left = try Self.entries(directory)
        #expect(left == entries, "left behind: \(left.subtracting(entries).sorted())")
    }

    /// Starts `plan`, waits until it writes its first output file, and sends `signal`; returns the exit.
    static func interruptedPlan(in directory: TemporaryDirectory, signal: Int32) throws
        -> (reason: Process.TerminationReason, status: Int32, inWrite: Bool) {
        let process = Process()
        process.executableURL = OneCheckBinary.url
        process.arguments = plan(seed: "interrupted")
        process.currentDirectoryURL = directory.url
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let known = try entries(directory), knownOutputs = try entries(directory).contains("out")
            ? Set(try FileManager.default.contentsOfDirectory(atPath: directory.file("out").path)) : []
        try process.run()
        // Writing has begun when a file appears: a temporary file beside the old outputs, or a file in a new
        // staging directory beside the output directory.
        var writing = false
        while process.isRunning && !writing {
            for name in try entries(directory).subtracting(known) {
                let inside = (try? FileManager.default.contentsOfDirectory(atPath: directory.file(name).path)) ?? []
                if !inside.isEmpty { writing = true }
            }
            let outputs = Set((try? FileManager.default.contentsOfDirectory(atPath: directory.file("out").path)) ?? [])
            if !outputs.subtracting(knownOutputs).isEmpty { writing = true }
            if !writing { usleep(500) }
        }
        let inWrite = writing && process.isRunning
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        return (process.terminationReason, process.terminationStatus, inWrite)
    }

    @Test("SIGTERM or SIGKILL while plan writes: the previous plan stays whole; SIGTERM leaves nothing behind, and the next plan removes what SIGKILL left")
    func interruptedWrite() throws {
        let directory = try Self.city(entities: 50_000)
        defer { directory.remove() }
        let first = try Self.onecheck(Self.plan(seed: "first"), in: directory)
        #expect(first.status == 0, "\(first.stderr)")
        let before = try Self.snapshot(directory.file("out"))
        let entries = try Self.entries(directory)

        let terminated = try Self.interruptedPlan(in: directory, signal: SIGTERM)
        #expect(terminated.inWrite, "plan finished before it was signalled")
        #expect(terminated.reason == .exit && terminated.status == 143)
        #expect(try Self.snapshot(directory.file("out")) == before)
        let afterTerm = try Self.entries(directory)
        #expect(afterTerm == entries, "left behind: \(afterTerm.subtracting(entries).sorted())")

        let killed = try Self.interruptedPlan(in: directory, signal: SIGKILL)
        #expect(killed.inWrite, "plan finished before it was signalled")
        #expect(killed.reason == .uncaughtSignal && killed.status == SIGKILL)
        #expect(try Self.snapshot(directory.file("out")) == before)
        let again = try Self.onecheck(Self.plan(seed: "first"), in: directory)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try Self.snapshot(directory.file("out")) == before)
        #expect(try Self.entries(directory) == entries)
    }

    @Test("a staging directory left by a writer killed in the middle of a file (its temporary file inside) is removed by the next plan")
    func killedMidFileStagingIsRemoved() throws {
        let directory = try Self.city()
        defer { directory.remove() }
        let first = try Self.onecheck(Self.plan(seed: "first"), in: directory)
        #expect(first.status == 0, "\(first.stderr)")
        let entries = try Self.entries(directory)
        // The pid of a process that has ended: its staging directory is a dead writer's.
        let ended = Process()
        ended.executableURL = URL(fileURLWithPath: "/bin/true")
        try ended.run()
        ended.waitUntilExit()
        let staging = directory.file(".out.staging-\(ended.processIdentifier)")
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: false)
        try "check_id".write(to: staging.appendingPathComponent("targets.csv"), atomically: false, encoding: .utf8)
        try "check_id,ent".write(to: staging.appendingPathComponent(".plan.csv.tmp-\(ended.processIdentifier)"),
                                 atomically: false, encoding: .utf8)
        let again = try Self.onecheck(Self.plan(seed: "first"), in: directory)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try Self.entries(directory) == entries)
    }

    @Test("verify works from any working directory, and finds moved inputs with --inputs-dir")
    func verifyElsewhere() throws {
        let directory = try Self.city()
        defer { directory.remove() }
        let planned = try Self.onecheck(Self.plan(seed: "lottery 4 5 6"), in: directory)
        #expect(planned.status == 0, "\(planned.stderr)")
        let elsewhere = try TemporaryDirectory("elsewhere")
        defer { elsewhere.remove() }
        let manifest = directory.file("out/manifest.json").path, plan = directory.file("out/plan.csv").path
        let verified = try OneCheckBinary.run(["verify", "--manifest", manifest, "--plan", plan], in: elsewhere.url)
        #expect(verified.status == 0 && verified.stdout == "identical\n", "\(verified.stderr)")

        // The inputs collected in one directory, the city moved away: found by their SHA-256.
        let collected = elsewhere.file("inputs")
        try FileManager.default.createDirectory(at: collected, withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: directory.file("scores.csv"), to: collected.appendingPathComponent("scores.csv"))
        for name in ["entities", "quotas", "inspectors", "departments", "scenarios", "items", "caps"] {
            try FileManager.default.moveItem(at: directory.file("city/\(name).csv"),
                                             to: collected.appendingPathComponent("\(name)-copy.csv"))
        }
        let lost = try OneCheckBinary.run(["verify", "--manifest", manifest, "--plan", plan], in: elsewhere.url)
        #expect(lost.status != 0 && lost.stderr.contains("--inputs-dir"), "\(lost.stderr)")
        let found = try OneCheckBinary.run(["verify", "--manifest", manifest, "--plan", plan, "--inputs-dir", "inputs"],
                                           in: elsewhere.url)
        #expect(found.status == 0 && found.stdout == "identical\n", "\(found.stderr)")
    }

    @Test("a hand-edited plan.csv is refused by the plan directory's reader (simulate), naming the file")
    func tamperedPlanRefused() throws {
        let directory = try Self.city()
        defer { directory.remove() }
        let planned = try Self.onecheck(Self.plan(seed: "lottery 7 8 9"), in: directory)
        #expect(planned.status == 0, "\(planned.stderr)")
        let simulate = ["simulate", "--plan", "out", "--entities", "city/entities.csv", "--items", "city/items.csv",
                        "--truth", "city/true-model.json", "--seed", "7", "--output", "simulated"]
        let honest = try Self.onecheck(simulate, in: directory)
        #expect(honest.status == 0, "\(honest.stderr)")
        var lines = String(decoding: try Self.contents(directory, "out/plan.csv"), as: UTF8.self)
            .split(separator: "\n").map(String.init)
        // Another day in the period for the first check: still a well-formed plan.
        let date = String(lines[1].split(separator: ",", omittingEmptySubsequences: false)[6])
        lines[1] = lines[1].replacingOccurrences(of: date, with: date == "2026-06-30" ? "2026-06-29" : "2026-06-30")
        try (lines.joined(separator: "\n") + "\n").write(to: directory.file("out/plan.csv"), atomically: true, encoding: .utf8)
        let forged = try Self.onecheck(simulate, in: directory)
        #expect(forged.status != 0)
        #expect(forged.stderr.contains("out/plan.csv: SHA-256") && forged.stderr.contains("changed after planning"),
                "\(forged.stderr)")
    }
}
