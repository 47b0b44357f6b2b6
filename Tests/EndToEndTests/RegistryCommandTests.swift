import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The registry commands as a user runs them: init, import, draw, findings, disposals, publish, indicators,
/// next period's features, export — and the failure modes (bad rows, newer schema, SIGKILL mid-import).
@Suite("onecheck registry commands", .serialized)
struct RegistryCommandTests {
    /// A valid GB 32100-2015 code from a seeded sequence (SplitMix64), computed independently of the library.
    static func codes(_ count: Int, seed: UInt64) -> [String] {
        let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
        let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
        var rng = SeededGenerator(seed: seed)
        func next() -> UInt64 { rng.next() }
        var seen = Set<String>(), result: [String] = []
        while result.count < count {
            var values = [9, 1] + (0..<15).map { _ in Int(next() % 31) }
            let sum = zip(values, weights).map { $0 * $1 }.reduce(0, +)
            values.append((31 - sum % 31) % 31)
            let code = String(values.map { alphabet[$0] })
            if seen.insert(code).inserted { result.append(code) }
        }
        return result
    }

    static func write(_ text: String, _ dir: TemporaryDirectory, _ name: String) throws -> String {
        let url = dir.file(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @discardableResult
    static func run(_ arguments: [String]) throws -> CommandResult {
        let result = try OneCheckBinary.run(arguments)
        #expect(result.status == 0, "onecheck \(arguments.joined(separator: " ")): \(result.stderr)")
        return result
    }

    /// Sets up a workspace with two departments, one scenario, items and `entities` entities.
    static func directory(_ dir: TemporaryDirectory, entities: [String]) throws -> String {
        let ws = dir.file("city.onecheck").path
        try run(["init", ws])
        try run(["import", "-w", ws, "departments", write("code,name\nMKT,Market\nFIRE,Fire\n", dir, "d.csv")])
        try run(["import", "-w", ws, "scenarios", write("code,name,lead_department\nREST,Restaurants,MKT\n", dir, "s.csv")])
        try run(["import", "-w", ws, "items", write("""
            code,department,scenario,name,element,measure
            M1,MKT,REST,Health certificates,people,on_site
            F1,FIRE,REST,Exits,environment,on_site

            """, dir, "i.csv")])
        var text = "credit_code,name,scenario,credit_grade,legal_representative,departments\n"
        for (i, code) in entities.enumerated() { text += "\(code),Shop \(i),REST,\(["A", "B", "C", "D"][i % 4]),Person \(i),MKT;FIRE\n" }
        try run(["import", "-w", ws, "entities", write(text, dir, "e.csv")])
        return ws
    }

    @Test func wholeCycle() throws {
        let dir = try TemporaryDirectory("registry-cli")
        defer { dir.remove() }
        let codes = Self.codes(6, seed: 1)
        let ws = try Self.directory(dir, entities: codes)
        var plan = "plan,scenario,period,seed,check_id,entity,department,inclusion_probability,checked_on\n"
        for i in 0..<3 {
            plan += "P1,REST,2026Q1,99,M\(i),\(codes[i]),MKT,0.5,2026-02-02\nP1,REST,2026Q1,99,F\(i),\(codes[i]),FIRE,0.25,2026-02-02\n"
        }
        let planFile = try Self.write(plan, dir, "plan.csv")
        try Self.run(["import", "-w", ws, "plan", planFile])
        let again = try OneCheckBinary.run(["import", "-w", ws, "plan", planFile])
        #expect(again.status != 0 && again.stderr.contains("already drawn"))
        try Self.run(["import", "-w", ws, "findings", Self.write("""
            check_id,item,outcome,penalty
            M0,M1,serious,1000
            F0,F1,compliant,
            M1,M1,compliant,
            F1,F1,minor,

            """, dir, "f.csv")])
        try Self.run(["import", "-w", ws, "disposals", Self.write("check_id,item,action,opened_on,closed_on\nM0,M1,fine,2026-02-03,2026-02-10\nF1,F1,rectify,2026-02-03,\n", dir, "x.csv")])
        let publish = try Self.run(["publish", "-w", ws, "--on", "2026-02-20", "--out", dir.file("public.csv").path])
        #expect(publish.stdout.contains("published 4 new results"))
        let disclosure = try String(contentsOfFile: dir.file("public.csv").path, encoding: .utf8)
        #expect(!disclosure.contains("Person") && disclosure.split(separator: "\n").count == 5)
        let overdue = try Self.run(["publish", "overdue", "-w", ws, "--as-of", "2026-03-05"])
        #expect(overdue.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",")[0] } == ["F2", "M2"])
        let indicators = try Self.run(["indicators", "-w", ws]).stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(indicators.count == 3)
        let header = indicators[0], mkt = indicators[2]
        let value = { (name: String) in String(mkt[header.firstIndex(of: Substring(name))!]) }
        #expect(value("department") == "MKT" && value("performed_checks") == "2" && value("coverage") == "0.333333")
        #expect(value("estimated_problem_entities") == "2.000" && value("disposal_rate") == "1.000000")
        try Self.run(["registry", "features", "-w", ws, "--as-of", "2026-04-01", "--out", dir.file("features.csv").path])
        let features = try String(contentsOfFile: dir.file("features.csv").path, encoding: .utf8)
        #expect(features.contains("\(codes[0]),REST,A,B,"))  // joint sanction: A raised to B
        let classes = try Self.run(["registry", "classes", "-w", ws, "--as-of", "2026-04-01"]).stdout
        #expect(classes.contains("FIRE,\(codes[0]),B") && classes.contains("MKT,\(codes[0]),B"))
        try Self.run(["export", "-w", ws, "--to", dir.file("export").path])
        #expect(FileManager.default.fileExists(atPath: dir.file("export/audit_log.csv").path))
        let audit = try Self.run(["registry", "audit", "-w", ws]).stdout
        #expect(audit.contains("\tdraw\t") && audit.contains("\tredraw_refused\t"))
    }

    @Test func badRowFailsWithLocationAndChangesNothing() throws {
        let dir = try TemporaryDirectory("registry-cli")
        defer { dir.remove() }
        let codes = Self.codes(3, seed: 2)
        let ws = try Self.directory(dir, entities: codes)
        var bad = Array(codes[2])
        bad[17] = bad[17] == "0" ? "1" : "0"
        let file = try Self.write("credit_code,name,scenario,credit_grade\n\(Self.codes(1, seed: 3)[0]),New,REST,A\n\(String(bad)),Bad,REST,A\n", dir, "bad.csv")
        let result = try OneCheckBinary.run(["import", "-w", ws, "entities", file])
        #expect(result.status != 0)
        #expect(result.stderr.contains("bad.csv:3:1 (column \"credit_code\")") && result.stderr.contains("check character"))
        try Self.run(["export", "-w", ws, "--to", dir.file("after").path])
        let entities = try String(contentsOfFile: dir.file("after/entities.csv").path, encoding: .utf8)
        #expect(entities.split(separator: "\n").count == 4)
    }

    /// `onecheck import` killed with SIGKILL while its transaction is writing leaves the workspace as before.
    @Test func sigkillDuringImportLeavesTheWorkspaceAsBefore() throws {
        let dir = try TemporaryDirectory("registry-cli")
        defer { dir.remove() }
        let ws = try Self.directory(dir, entities: Self.codes(5, seed: 4))
        try Self.run(["export", "-w", ws, "--to", dir.file("before").path])
        var text = "credit_code,name,scenario,credit_grade,departments\n"
        for (i, code) in Self.codes(150_000, seed: 5).enumerated() { text += "\(code),Shop \(i),REST,B,MKT;FIRE\n" }
        let file = try Self.write(text, dir, "large.csv")

        let child = Process()
        child.executableURL = OneCheckBinary.url
        child.arguments = ["import", "-w", ws, "entities", file]
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        try child.run()
        // Kill once the open transaction has spilled uncommitted pages into the WAL file.
        var walSize = 0
        while child.isRunning && walSize < 2 << 20 {
            walSize = ((try? FileManager.default.attributesOfItem(atPath: ws + "-wal"))?[.size] as? Int) ?? 0
            usleep(2_000)
        }
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        try #require(child.terminationReason == .uncaughtSignal, "the import finished before it could be killed")
        try Self.run(["export", "-w", ws, "--to", dir.file("after").path])
        for table in ["entities", "directory_memberships", "audit_log"] {
            let before = try String(contentsOfFile: dir.file("before/\(table).csv").path, encoding: .utf8)
            let after = try String(contentsOfFile: dir.file("after/\(table).csv").path, encoding: .utf8)
            #expect(before == after, "\(table)")
        }
    }

    @Test func newerSchemaIsRefusedWithAClearMessage() throws {
        let dir = try TemporaryDirectory("registry-cli")
        defer { dir.remove() }
        let ws = dir.file("w.onecheck").path
        try Self.run(["init", ws])
        // Bump the stored version as a newer build would (SQLite's header: user_version at byte 60, big-endian).
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: ws))
        try handle.seek(toOffset: 60)
        try handle.write(contentsOf: Data([0, 0, 0, 99]))
        try handle.close()
        let result = try OneCheckBinary.run(["indicators", "-w", ws])
        #expect(result.status != 0 && result.stderr.contains("schema version 99") && result.stderr.contains("upgrade onecheck"))
    }

    /// A workspace with a draw, findings and a publication, for the read-only and busy tests.
    static func cycle(_ dir: TemporaryDirectory) throws -> String {
        let codes = Self.codes(4, seed: 6)
        let ws = try Self.directory(dir, entities: codes)
        var plan = "plan,scenario,period,seed,check_id,entity,department,inclusion_probability,checked_on\n"
        for i in 0..<2 { plan += "P1,REST,2026Q1,99,M\(i),\(codes[i]),MKT,0.5,2026-02-02\nP1,REST,2026Q1,99,F\(i),\(codes[i]),FIRE,0.25,2026-02-02\n" }
        try Self.run(["import", "-w", ws, "plan", Self.write(plan, dir, "plan.csv")])
        try Self.run(["import", "-w", ws, "findings", Self.write("check_id,item,outcome,penalty\nM0,M1,serious,1000\nF0,F1,minor,\n", dir, "f.csv")])
        try Self.run(["publish", "-w", ws, "--on", "2026-02-20", "--out", dir.file("public.csv").path])
        return ws
    }

    /// Read-only commands open the workspace read-only: they work on a read-only file in a read-only directory,
    /// write nothing beside it (no -wal, no -shm), and a writing command is refused with the workspace's name
    /// (issue 14, item 11). As root, permissions do not bind, so the commands run as the unprivileged user
    /// `nobody` (setpriv); as any other user, the modes alone make the file read-only.
    @Test func readOnlyCommandsWorkOnAReadOnlyWorkspace() throws {
        let dir = try TemporaryDirectory("registry-cli")
        defer {
            chmod(dir.file("ro").path, 0o755)
            dir.remove()
        }
        let original = try Self.cycle(dir)
        let expected = try Self.run(["indicators", "-w", original]).stdout
        try FileManager.default.createDirectory(at: dir.file("ro"), withIntermediateDirectories: true)
        let ws = dir.file("ro/city.onecheck").path
        try FileManager.default.copyItem(atPath: original, toPath: ws)
        try FileManager.default.createDirectory(at: dir.file("out"), withIntermediateDirectories: true)
        chmod(dir.file("out").path, 0o777)
        chmod(ws, 0o444)
        chmod(dir.file("ro").path, 0o555)
        let before = try Data(contentsOf: URL(fileURLWithPath: ws))

        var prefix: [String] = []
        var executable = OneCheckBinary.url
        if getuid() == 0 {
            let setpriv = URL(fileURLWithPath: "/usr/bin/setpriv")
            try #require(FileManager.default.isExecutableFile(atPath: setpriv.path),
                         "running as root needs setpriv to run the commands as an unprivileged user")
            prefix = ["--reuid=65534", "--regid=65534", "--clear-groups", executable.path]
            executable = setpriv
        }
        func run(_ arguments: [String]) throws -> CommandResult {
            try ProcessRunner.run(executable, prefix + arguments, in: dir.file("out"))
        }
        let indicators = try run(["indicators", "-w", ws])
        #expect(indicators.status == 0 && indicators.stdout == expected, "\(indicators.stderr)")
        let export = try run(["export", "-w", ws, "--to", dir.file("out/export").path])
        #expect(export.status == 0, "\(export.stderr)")
        #expect(try String(contentsOf: dir.file("out/export/checks.csv"), encoding: .utf8).split(separator: "\n").count == 5)
        for arguments in [["registry", "features", "-w", ws, "--as-of", "2026-04-01", "--out", dir.file("out/f.csv").path],
                          ["publish", "overdue", "-w", ws, "--as-of", "2026-03-05"], ["registry", "audit", "-w", ws]] {
            let result = try run(arguments)
            #expect(result.status == 0, "\(arguments[0]) \(arguments[1]): \(result.stderr)")
        }
        let write = try run(["import", "-w", ws, "departments", Self.write("code,name\nX,Y\n", dir, "x.csv")])
        #expect(write.status != 0 && write.stderr.contains(ws) && write.stderr.contains("cannot be written"), "\(write.stderr)")
        #expect(!write.stderr.contains("SQLite error"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.file("ro").path) == ["city.onecheck"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: ws)) == before)
    }

    /// A second writer waits --wait seconds for the one holding the workspace, then fails with a message that names
    /// the workspace and says another import holds it — not SQLite's "database is locked" (issue 14, item 12).
    @Test func aSecondWriterIsToldWhoHoldsTheWorkspace() throws {
        let dir = try TemporaryDirectory("registry-cli")
        defer { dir.remove() }
        let ws = try Self.directory(dir, entities: Self.codes(3, seed: 8))
        var text = "credit_code,name,scenario,credit_grade,departments\n"
        for (i, code) in Self.codes(150_000, seed: 9).enumerated() { text += "\(code),Shop \(i),REST,B,MKT;FIRE\n" }
        let file = try Self.write(text, dir, "large.csv")
        let departments = try Self.write("code,name\nEDU,Education\n", dir, "d2.csv")

        let first = Process()
        first.executableURL = OneCheckBinary.url
        first.arguments = ["import", "-w", ws, "entities", file]
        first.standardOutput = FileHandle.nullDevice
        first.standardError = FileHandle.nullDevice
        try first.run()
        // The first import has opened the workspace once its WAL file is written (GRDB writes into it on opening);
        // it begins its transaction, taking the write lock, right after, and holds it while it checks 150,000 rows.
        var walSize = 0
        while first.isRunning && walSize == 0 {
            walSize = ((try? FileManager.default.attributesOfItem(atPath: ws + "-wal"))?[.size] as? Int) ?? 0
            usleep(2_000)
        }
        usleep(300_000)
        try #require(first.isRunning, "the first import finished before the second could try")
        let started = Date()
        let second = try OneCheckBinary.run(["import", "-w", ws, "--wait", "0.5", "departments", departments])
        let waited = Date().timeIntervalSince(started)
        let stillRunning = first.isRunning
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)
        try #require(stillRunning, "the first import finished while the second waited")
        #expect(second.status != 0)
        #expect(second.stderr.contains(ws) && second.stderr.contains("another onecheck process")
                && second.stderr.contains("--wait"), "\(second.stderr)")
        #expect(!second.stderr.contains("database is locked") && !second.stderr.contains("SQLite error"))
        #expect(waited >= 0.4 && waited < 30, "waited \(waited) s")
        // Once the first import is done, the same import goes through.
        try Self.run(["import", "-w", ws, "--wait", "0.5", "departments", departments])
    }

    /// Typed options say what they expected.
    @Test func periodsAndDaysAreCheckedAsOptions() throws {
        let dir = try TemporaryDirectory("registry-cli")
        defer { dir.remove() }
        let ws = try Self.directory(dir, entities: Self.codes(2, seed: 10))
        let period = try OneCheckBinary.run(["registry", "features", "-w", ws, "--period", "2026-04", "--output", dir.file("n.csv").path])
        #expect(period.status != 0 && period.stderr.contains("\"2026-04\" is not valid; expected a quarter like 2026Q2"))
        // A control character in the value is echoed escaped, never sent to the terminal as is.
        let escape = try OneCheckBinary.run(["registry", "features", "-w", ws, "--period", "2026\u{1b}[2J", "--output", dir.file("n.csv").path])
        #expect(escape.status != 0 && escape.stderr.contains("\"2026\\u{1b}[2J\" is not valid") && !escape.stderr.contains("\u{1b}"),
                "\(escape.stderr)")
        let day = try OneCheckBinary.run(["publish", "overdue", "-w", ws, "--as-of", "2026-02-30"])
        #expect(day.status != 0 && day.stderr.contains("expected a date YYYY-MM-DD"))
        let wait = try OneCheckBinary.run(["import", "-w", ws, "--wait", "-1", "departments", dir.file("d.csv").path])
        #expect(wait.status != 0 && wait.stderr.contains("--wait"))
    }

    /// `import city|draw|scores|table` are subcommands: each takes only its own options, and the workspace
    /// options work before or after the subcommand's name.
    @Test func importSubcommandsTakeOnlyTheirOwnOptions() throws {
        let dir = try TemporaryDirectory("registry-cli")
        defer { dir.remove() }
        let ws = try Self.directory(dir, entities: Self.codes(2, seed: 11))
        let departments = try Self.write("code,name\nX,Y\n", dir, "x.csv")
        let before = try OneCheckBinary.run(["import", "-w", ws, "departments", departments])
        let after = try OneCheckBinary.run(["import", "table", "departments", "--workspace", ws, departments])
        #expect(before.status == 0 && after.status == 0 && after.stdout.contains("imported 1 departments row"))
        let foreign = try OneCheckBinary.run(["import", "draw", "-w", ws, dir.url.path, "--scores", departments])
        #expect(foreign.status == 64 && foreign.stderr.contains("--scores"))
        let period = try OneCheckBinary.run(["import", "-w", ws, "departments", departments, "--period", "2026Q1"])
        #expect(period.status == 64 && period.stderr.contains("--period"))
        let missing = try OneCheckBinary.run(["import", "scores", "-w", ws, departments])
        #expect(missing.status == 64 && missing.stderr.contains("--period"))
    }
}
