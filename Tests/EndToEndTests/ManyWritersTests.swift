import Foundation
import Synchronization
import Testing
import TestSupport

/// Many departments writing to one registry at once (issue 18 §2): 8 `onecheck` processes, one per department,
/// each recording 10,000 findings and 10,000 disposals in 10 imports of each, while a 9th records a draw. No row
/// may be lost or duplicated, no process may fail (PostgreSQL retries its serialization failures; SQLite's writers
/// wait their turn), and the end state must be that of the same imports run one after another.
@Suite("many writers", .serialized)
struct ManyWritersTests {
    static let departments = (1...8).map { "D\($0)" }
    static let itemsPerDepartment = 4
    static let checksPerDepartment = 2_500
    static let batches = 10

    enum Store: String, CaseIterable, CustomTestStringConvertible {
        case sqlite, postgres
        var testDescription: String { rawValue }

        static var enabled: [Store] {
            let env = ProcessInfo.processInfo.environment
            return !(env["ONECHECK_TEST_POSTGRES_URL"] ?? "").isEmpty || env["CI"] != nil ? [.sqlite, .postgres] : [.sqlite]
        }

        /// A new workspace location: a file in `dir`, or a new database in the test server.
        func newWorkspace(_ dir: TemporaryDirectory, _ name: String) throws -> String {
            switch self {
            case .sqlite: return dir.file(name + ".onecheck").path
            case .postgres:
                guard let server = ProcessInfo.processInfo.environment["ONECHECK_TEST_POSTGRES_URL"], !server.isEmpty else {
                    Issue.record("ONECHECK_TEST_POSTGRES_URL is not set under CI: run the suite through `make test`")
                    throw CancellationError()
                }
                let database = "onecheck_w_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
                let created = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/psql"),
                                                    [server, "-v", "ON_ERROR_STOP=1", "-qc", "CREATE DATABASE \(database)"])
                try #require(created.status == 0, "\(created.stderr)")
                var components = try #require(URLComponents(string: server))
                components.path = "/" + database
                return try #require(components.string)
            }
        }
    }

    /// The files of the setup, the draw and each department's batches.
    struct Files {
        var setup: [(kind: String, path: String)] = []
        var draw: String = ""
        var batches: [String: [(findings: String, disposals: String)]] = [:]
    }

    static func write(_ lines: [String], _ dir: TemporaryDirectory, _ name: String) throws -> String {
        let url = dir.file(name)
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    static func makeFiles(_ dir: TemporaryDirectory) throws -> Files {
        var files = Files()
        let codes = RegistryCommandTests.codes(checksPerDepartment, seed: 18)
        files.setup.append(("departments", try write(["code,name"] + departments.map { "\($0),Department \($0)" }, dir,
                                                     "departments.csv")))
        files.setup.append(("scenarios", try write(["code,name,lead_department", "S,Shops,D1", "T,Trucks,D2"], dir,
                                                   "scenarios.csv")))
        files.setup.append(("items", try write(["code,department,scenario,name,element,measure"] + departments.flatMap { d in
            (1...itemsPerDepartment).map { "\(d)-I\($0),\(d),S,Item \($0),rules,on_site" }
        }, dir, "items.csv")))
        files.setup.append(("entities", try write(["credit_code,name,scenario,credit_grade,departments"] + codes.map {
            "\($0),Entity \($0),S,B,\(departments.joined(separator: ";"))"
        }, dir, "entities.csv")))
        let header = "plan,scenario,period,seed,check_id,entity,department,inclusion_probability,checked_on"
        files.setup.append(("plan", try write([header] + departments.flatMap { d in
            codes.enumerated().map { i, code in "P1,S,2026Q1,1,\(d)-C\(i),\(code),\(d),0.5,2026-02-10" }
        }, dir, "plan-s.csv")))
        // The draw recorded while the departments write: another scenario's plan, over the same entities.
        files.draw = try write([header] + codes.enumerated().map { i, code in
            "P2,T,2026Q1,2,T-C\(i),\(code),D2,0.25,2026-03-03"
        }, dir, "plan-t.csv")
        let perBatch = checksPerDepartment / batches
        for d in departments {
            files.batches[d] = try (0..<batches).map { b in
                let checks = (b * perBatch..<(b + 1) * perBatch).map { "\(d)-C\($0)" }
                let findings = try write(["check_id,item,outcome,penalty"] + checks.flatMap { c in
                    (1...itemsPerDepartment).map { "\(c),\(d)-I\($0),minor,\($0 * 10)" }
                }, dir, "\(d)-findings-\(b).csv")
                let disposals = try write(["check_id,item,action,opened_on"] + checks.flatMap { c in
                    (1...itemsPerDepartment).map { "\(c),\(d)-I\($0),rectify,2026-02-11" }
                }, dir, "\(d)-disposals-\(b).csv")
                return (findings, disposals)
            }
        }
        return files
    }

    static func run(_ arguments: [String]) throws -> CommandResult {
        let result = try OneCheckBinary.run(arguments)
        #expect(result.status == 0, "onecheck \(arguments.prefix(3).joined(separator: " ")): \(result.stderr)")
        return result
    }

    /// One department's imports, in order.
    static func department(_ d: String, _ files: Files, _ workspace: String) -> [[String]] {
        files.batches[d]!.flatMap { batch in
            [["import", "findings", batch.findings, "-w", workspace, "--wait", "600"],
             ["import", "disposals", batch.disposals, "-w", workspace, "--wait", "600"]]
        }
    }

    /// The workspace's tables as `onecheck export` writes them, without the audit log's times.
    static func state(_ workspace: String, _ dir: TemporaryDirectory, _ name: String) throws -> [String: String] {
        let out = dir.file(name).path
        try run(["export", "-w", workspace, "--to", out])
        var tables: [String: String] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: out) where file.hasSuffix(".csv") {
            tables[file] = try String(contentsOfFile: out + "/" + file, encoding: .utf8)
        }
        if let audit = tables["audit_log.csv"] {
            // seq,at,action,…: the lines as a multiset without `at` (the order of concurrent writers is theirs).
            let lines = audit.split(separator: "\n").dropFirst().map { line -> String in
                var fields = line.split(separator: ",", omittingEmptySubsequences: false)
                fields.removeFirst(2)
                return fields.joined(separator: ",")
            }
            tables["audit_log.csv"] = lines.sorted().joined(separator: "\n")
            let seqs = audit.split(separator: "\n").dropFirst().compactMap { Int($0.split(separator: ",").first ?? "") }
            #expect(seqs == Array(1...seqs.count), "the audit log's sequence numbers are 1…n without gaps")
        }
        return tables
    }

    @Test(arguments: Store.enabled) func departmentsWriteAtOnce(store: Store) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let files = try Self.makeFiles(dir)
        let concurrent = try store.newWorkspace(dir, "concurrent"), serial = try store.newWorkspace(dir, "serial")
        for workspace in [concurrent, serial] {
            try Self.run(["init", workspace])
            for (kind, path) in files.setup { try Self.run(["import", kind, path, "-w", workspace]) }
        }

        // Serially: the draw, then each department in turn.
        try Self.run(["import", "plan", files.draw, "-w", serial])
        for d in Self.departments { for arguments in Self.department(d, files, serial) { try Self.run(arguments) } }

        // At once: 8 departments and the draw, each a thread running its processes one after another.
        let failures = Mutex<[String]>([])
        var jobs = Self.departments.map { Self.department($0, files, concurrent) }
        jobs.insert([["import", "plan", files.draw, "-w", concurrent, "--wait", "600"]], at: 4)
        let done = DispatchGroup()
        for job in jobs {
            done.enter()
            let thread = Thread {
                for arguments in job {
                    do {
                        let result = try OneCheckBinary.run(arguments)
                        if result.status != 0 { failures.withLock { $0.append("\(arguments[1]): \(result.stderr)") } }
                    } catch {
                        failures.withLock { $0.append("\(arguments[1]): \(error)") }
                    }
                }
                done.leave()
            }
            thread.start()
        }
        done.wait()
        #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0 }.prefix(3))")

        let after = try Self.state(concurrent, dir, "concurrent-export"), expected = try Self.state(serial, dir, "serial-export")
        let findings = after["findings.csv"]?.split(separator: "\n").count ?? 0
        let disposals = after["disposals.csv"]?.split(separator: "\n").count ?? 0
        let checks = after["checks.csv"]?.split(separator: "\n").count ?? 0
        #expect(findings == 1 + Self.departments.count * Self.checksPerDepartment * Self.itemsPerDepartment)
        #expect(disposals == 1 + Self.departments.count * Self.checksPerDepartment * Self.itemsPerDepartment)
        #expect(checks == 1 + (Self.departments.count + 1) * Self.checksPerDepartment)
        #expect(Set(after.keys) == Set(expected.keys))
        for (table, text) in expected { #expect(after[table] == text, "\(table) differs from the serial run") }
    }
}
