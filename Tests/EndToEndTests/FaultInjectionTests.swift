#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import TestSupport

/// Faults injected into whole runs (issue 14, "Proof"): a file-size limit (`ulimit -f`, a full disk without a
/// mount), and SIGINT, SIGTERM, SIGHUP and SIGKILL at known points of `score`, `plan` and `import` — each run
/// reads an input from a FIFO the test feeds, so it is stopped while it waits for bytes the test has not sent.
/// Each test asserts the exit, the message, and which files exist with which bytes.
@Suite("Fault injection", .serialized)
struct FaultInjectionTests {
    init() { signal(SIGPIPE, SIG_IGN) }  // feeding a FIFO whose reader was killed is an error, not a kill

    /// The names in `directory`, sorted.
    static func listing(_ directory: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
    }

    /// Runs `onecheck arguments…` under `bash -c 'ulimit -f BLOCKS'` (1 KiB blocks).
    static func runLimited(_ blocks: Int, _ arguments: [String], in directory: URL) throws -> CommandResult {
        try ProcessRunner.run(URL(fileURLWithPath: "/bin/bash"),
                              ["-c", "ulimit -f \(blocks); exec \"$0\" \"$@\"", OneCheckBinary.url.path] + arguments,
                              in: directory)
    }

    // MARK: - A run fed through a FIFO

    /// `onecheck` running with one input read from a FIFO that the test writes.
    final class FedRun {
        let process = Process()
        let log: URL
        private var feed: Int32 = -1

        init(_ arguments: [String], in directory: URL, fifo: String, log: URL) throws {
            #expect(mkfifo(directory.appendingPathComponent(fifo).path, 0o600) == 0)
            self.log = log
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            process.executableURL = OneCheckBinary.url
            process.arguments = arguments
            process.currentDirectoryURL = directory
            process.standardOutput = FileHandle.nullDevice
            process.standardError = try FileHandle(forWritingTo: log)
            try process.run()
            // Open the FIFO once the run opens it (it has then passed its option checks and is reading).
            let path = directory.appendingPathComponent(fifo).path
            let deadline = Date().addingTimeInterval(60)
            while feed < 0 && process.isRunning && Date() < deadline {
                feed = open(path, O_WRONLY | O_NONBLOCK)
                if feed < 0 { usleep(1000) }
            }
            try #require(feed >= 0, "the run never opened \(fifo): \(String(decoding: (try? Data(contentsOf: log)) ?? Data(), as: UTF8.self))")
            _ = fcntl(feed, F_SETFL, fcntl(feed, F_GETFL) & ~O_NONBLOCK)
        }

        /// Writes all of `bytes` (returns once the run has read all but a pipe buffer of them).
        func send(_ bytes: [UInt8]) {
            var offset = 0
            while offset < bytes.count {
                let n = bytes[offset...].withUnsafeBytes { write(feed, $0.baseAddress!, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return }
                offset += n
            }
        }

        /// Waits until `condition` holds (or the run ends, or 60 s pass); returns whether it held with the run alive.
        func wait(until condition: () -> Bool) -> Bool {
            let deadline = Date().addingTimeInterval(60)
            while process.isRunning && Date() < deadline {
                if condition() { return process.isRunning }
                usleep(1000)
            }
            return false
        }

        /// Sends `signal`, closes the feed and waits for the end: the exit status, or the killing signal. A run
        /// still alive 30 s after the signal (one that ignores it) is killed with SIGKILL, which the caller's
        /// expectation then reports.
        func stop(_ signal: Int32) -> (reason: Process.TerminationReason, status: Int32, stderr: String) {
            kill(process.processIdentifier, signal)
            let deadline = Date().addingTimeInterval(30)
            while process.isRunning && Date() < deadline { usleep(1000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            close(feed)
            feed = -1
            return (process.terminationReason, process.terminationStatus,
                    String(decoding: (try? Data(contentsOf: log)) ?? Data(), as: UTF8.self))
        }

        deinit {
            if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
            if feed >= 0 { close(feed) }
        }
    }

    /// The exit a shell expects for each signal the run handles, and SIGKILL's.
    static let signals: [(signal: Int32, status: Int32?)] = [(SIGINT, 130), (SIGTERM, 143), (SIGHUP, 129), (SIGKILL, nil)]

    static func expectStopped(_ stopped: (reason: Process.TerminationReason, status: Int32, stderr: String),
                              _ expected: Int32?, sourceLocation: SourceLocation = #_sourceLocation) {
        if let expected {
            #expect(stopped.reason == .exit && stopped.status == expected, "\(stopped)", sourceLocation: sourceLocation)
        } else {
            #expect(stopped.reason == .uncaughtSignal && stopped.status == SIGKILL, "\(stopped)", sourceLocation: sourceLocation)
        }
    }

    // MARK: - score

    /// `rows` entities, about 22 bytes each.
    static func entities(_ range: Range<Int>) -> [UInt8] {
        var text = range.lowerBound == 0 ? "entity_id,scenario,complaints\n" : ""
        for k in range { text += "E\(String(k + 1_000_000)),\(k % 3 == 0 ? "hotel" : "restaurant"),\(k % 7)\n" }
        return Array(text.utf8)
    }

    /// Scores read from a FIFO in 1 MiB blocks, stopped: before the first block is complete (no output file yet),
    /// after the first block, and after several; each by SIGINT, SIGTERM, SIGHUP and SIGKILL. The previous
    /// scores stay byte for byte; a handled signal leaves no temporary file, SIGKILL at most its hidden one.
    @Test(arguments: [0, 1, 4])
    func scoreStoppedByASignal(blocksBeforeTheStop: Int) throws {
        let directory = try TemporaryDirectory("fault-score")
        let logs = try TemporaryDirectory("fault-logs")
        defer { directory.remove(); logs.remove() }
        try ScoreCommandTests.modelJSON.write(to: directory.file("model.json"), atomically: true, encoding: .utf8)
        let previous = Data("entity_id,risk_fire_score\nOLD,1\n".utf8)
        try previous.write(to: directory.file("scores.csv"))
        let rowsPerMiB = (1 << 20) / 22
        for (signal, status) in Self.signals {
            let fifo = "entities-\(signal).fifo"
            let known = Self.listing(directory.url)
            let run = try FedRun(["score", "--model", "model.json", "--input", fifo, "--output", "scores.csv",
                                  "--block-mib", "1", "--threads", "1", "--no-progress"],
                                 in: directory.url, fifo: fifo, log: logs.file("stderr-\(signal)"))
            let temporary = ".scores.csv.tmp-\(run.process.processIdentifier)"
            if blocksBeforeTheStop == 0 {
                run.send(Self.entities(0..<1000))  // less than a block: the header is not read yet
            } else {
                run.send(Self.entities(0..<(blocksBeforeTheStop * rowsPerMiB + rowsPerMiB / 2)))
                // The output of the blocks read so far is being written to the temporary file.
                let size = { () -> Int in
                    (try? FileManager.default.attributesOfItem(atPath: directory.file(temporary).path)[.size] as? Int) ?? 0
                }
                #expect(run.wait { size() > (blocksBeforeTheStop - 1) * rowsPerMiB * 25 + 1000 },
                        "the run never wrote the first \(blocksBeforeTheStop) block(s)")
            }
            let stopped = run.stop(signal)
            Self.expectStopped(stopped, status)
            #expect(try Data(contentsOf: directory.file("scores.csv")) == previous)
            let left = Set(Self.listing(directory.url)).subtracting(known).subtracting([fifo])
            if status != nil || blocksBeforeTheStop == 0 {
                #expect(left.isEmpty, "left behind: \(left)")
            } else {
                #expect(left == [temporary], "left behind: \(left)")
                unlink(directory.file(temporary).path)
            }
        }
    }

    @Test("on a full disk (a file-size limit) score exits 1 naming the output; the previous scores stay, no temporary file is left")
    func scoreOnAFullDisk() throws {
        let directory = try TemporaryDirectory("fault-score-full")
        defer { directory.remove() }
        try ScoreCommandTests.modelJSON.write(to: directory.file("model.json"), atomically: true, encoding: .utf8)
        try Data(Self.entities(0..<40_000)).write(to: directory.file("entities.csv"))  // about 2.5 MB of scores
        let previous = Data("entity_id,risk_fire_score\nOLD,1\n".utf8)
        try previous.write(to: directory.file("scores.csv"))
        let known = Self.listing(directory.url)
        let limited = try Self.runLimited(512, ["score", "--model", "model.json", "--input", "entities.csv",
                                                "--output", "scores.csv", "--no-progress"], in: directory.url)
        #expect(limited.status == 1)
        #expect(limited.stderr == "Error: scores.csv: input/output failed: File too large\n")
        #expect(limited.stdout.isEmpty)
        #expect(try Data(contentsOf: directory.file("scores.csv")) == previous)
        #expect(Self.listing(directory.url) == known)
    }

    // MARK: - export

    @Test("on a full disk export exits 1; the previous export stays whole and no staging directory is left")
    func exportOnAFullDisk() throws {
        let directory = try TemporaryDirectory("fault-export")
        defer { directory.remove() }
        let run = { (arguments: [String]) throws -> CommandResult in try OneCheckBinary.run(arguments, in: directory.url) }
        #expect(try run(["init", "ws.sqlite"]).status == 0)
        try Self.departments(0..<100).write(to: directory.file("few.csv"))
        #expect(try run(["import", "-w", "ws.sqlite", "departments", "few.csv"]).status == 0)
        #expect(try run(["export", "-w", "ws.sqlite", "--to", "export"]).status == 0)
        let before = try PlanCommandTests.snapshot(directory.file("export"))
        try Self.departments(0..<20_000).write(to: directory.file("many.csv"))
        #expect(try run(["import", "-w", "ws.sqlite", "departments", "many.csv"]).status == 0)
        let known = Self.listing(directory.url)
        let limited = try Self.runLimited(64, ["export", "-w", "ws.sqlite", "--to", "export"], in: directory.url)
        #expect(limited.status == 1)
        #expect(limited.stderr.hasPrefix("Error: ") && limited.stderr.contains("departments.csv")
                && limited.stderr.contains("File too large"), "\(limited.stderr)")
        #expect(try PlanCommandTests.snapshot(directory.file("export")) == before)
        // SQLite's -wal and -shm files are left by any read-only open of a writable workspace (not by the fault).
        #expect(Self.listing(directory.url).filter { !$0.hasPrefix("ws.sqlite-") } == known)
    }

    // MARK: - import

    static func departments(_ range: Range<Int>) -> Data {
        var text = "code,name\n"
        for k in range { text += "dep\(String(k + 10_000_000)),Department number \(k)\n" }
        return Data(text.utf8)
    }

    /// An import read from a FIFO, stopped after 20 MB of rows: the workspace file keeps its bytes and a fresh
    /// export equals the one before; nothing but SQLite's own -wal and -shm files is added.
    @Test func importStoppedByASignalChangesNothing() throws {
        let directory = try TemporaryDirectory("fault-import")
        let logs = try TemporaryDirectory("fault-logs")
        defer { directory.remove(); logs.remove() }
        let run = { (arguments: [String]) throws -> CommandResult in try OneCheckBinary.run(arguments, in: directory.url) }
        #expect(try run(["init", "ws.sqlite"]).status == 0)
        try Self.departments(0..<3).write(to: directory.file("few.csv"))
        #expect(try run(["import", "-w", "ws.sqlite", "departments", "few.csv"]).status == 0)
        #expect(try run(["export", "-w", "ws.sqlite", "--to", "before"]).status == 0)
        let exported = try PlanCommandTests.snapshot(directory.file("before"))
        let rows = Array(Self.departments(0..<500_000))  // about 20 MB
        for (signal, status) in Self.signals {
            let workspace = try Data(contentsOf: directory.file("ws.sqlite"))
            let fifo = "departments-\(signal).fifo"
            let feed = try FedRun(["import", "-w", "ws.sqlite", "departments", fifo], in: directory.url, fifo: fifo,
                                  log: logs.file("stderr-\(signal)"))
            feed.send(rows)
            #expect(feed.process.isRunning, "the import ended before it was stopped")
            Self.expectStopped(feed.stop(signal), status)
            #expect(try Data(contentsOf: directory.file("ws.sqlite")) == workspace)
            try? FileManager.default.removeItem(at: directory.file("after"))
            #expect(try run(["export", "-w", "ws.sqlite", "--to", "after"]).status == 0)
            #expect(try PlanCommandTests.snapshot(directory.file("after")) == exported)
            let extra = Set(Self.listing(directory.url)).subtracting(["ws.sqlite", "ws.sqlite-wal", "ws.sqlite-shm",
                                                                      "few.csv", "before", "after"])
            #expect(extra.allSatisfy { $0.hasSuffix(".fifo") }, "left behind: \(extra)")
        }
    }

    // MARK: - workspace files that are not workspaces

    /// An empty file and a text file named as the workspace: `import` and `export` refuse them, exit 1, and leave
    /// them byte for byte, with no SQLite file made beside them and no export written.
    @Test func foreignWorkspaceFilesAreRefusedUnchanged() throws {
        let directory = try TemporaryDirectory("fault-foreign")
        defer { directory.remove() }
        try Self.departments(0..<3).write(to: directory.file("few.csv"))
        for (name, bytes) in [("empty.sqlite", Data()), ("notes.sqlite", Data("not a database\n".utf8))] {
            try bytes.write(to: directory.file(name))
            for arguments in [["import", "-w", name, "departments", "few.csv"], ["export", "-w", name, "--to", "export"]] {
                let r = try OneCheckBinary.run(arguments, in: directory.url)
                #expect(r.status == 1, "\(arguments)")
                #expect(r.stderr.hasPrefix("Error: \(name)") && r.stderr.contains("not a OneCheck workspace"),
                        "\(arguments): \(r.stderr)")
                #expect(try Data(contentsOf: directory.file(name)) == bytes)
            }
        }
        #expect(Self.listing(directory.url) == ["empty.sqlite", "few.csv", "notes.sqlite"])
    }

    // MARK: - plan

    /// `plan` with its scores read from a FIFO, stopped while it reads them: its staging directory exists then.
    /// The previous plan stays whole; a handled signal removes the staging directory.
    @Test func planStoppedByASignalWhileReading() throws {
        let directory = try PlanCommandTests.city()
        let logs = try TemporaryDirectory("fault-logs")
        defer { directory.remove(); logs.remove() }
        let first = try OneCheckBinary.run(PlanCommandTests.plan(seed: "first"), in: directory.url)
        #expect(first.status == 0, "\(first.stderr)")
        let before = try PlanCommandTests.snapshot(directory.file("out"))
        let scores = Array(try Data(contentsOf: directory.file("scores.csv")))
        for (signal, status) in Self.signals {
            let known = Self.listing(directory.url)
            let fifo = "scores-\(signal).fifo"
            let arguments = PlanCommandTests.plan(seed: "second").map { $0 == "scores.csv" ? fifo : $0 }
            let run = try FedRun(arguments, in: directory.url, fifo: fifo, log: logs.file("stderr-\(signal)"))
            run.send(Array(scores.prefix(scores.count / 2)))
            let staging = ".out.staging-\(run.process.processIdentifier)"
            #expect(run.wait { FileManager.default.fileExists(atPath: directory.file(staging).path) })
            Self.expectStopped(run.stop(signal), status)
            #expect(try PlanCommandTests.snapshot(directory.file("out")) == before)
            let left = Set(Self.listing(directory.url)).subtracting(known).subtracting([fifo])
            #expect(left == (status == nil ? [staging] : []), "left behind: \(left)")
            if status == nil { try FileManager.default.removeItem(at: directory.file(staging)) }
        }
    }
}
