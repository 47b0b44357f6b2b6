import Foundation
import Planning
import Tables
import Testing
import TestSupport

/// The whole closed loop through the built binary, on a generated city of 2000 entities: init → import city →
/// score → plan → import the draw (and a refused re-draw) → simulated findings and disposals → publish →
/// indicators → next period's features → score → import scores with joint sanctions.
@Suite("registry closed loop on a generated city", .serialized)
struct RegistryCycleTests {
    /// Runs `onecheck arguments…` in `directory` and expects success.
    @discardableResult
    static func run(_ arguments: [String], in directory: TemporaryDirectory) throws -> CommandResult {
        let result = try OneCheckBinary.run(arguments, in: directory.url)
        #expect(result.status == 0, "onecheck \(arguments.joined(separator: " ")): \(result.stderr)")
        return result
    }

    static func table(_ directory: TemporaryDirectory, _ name: String) throws -> CSVTable {
        try CSVTable.read(directory.file(name))
    }

    /// The files whose bytes must not depend on anything but the inputs and seeds.
    static let deterministicOutputs = [
        "scores.csv", "plan/plan.csv", "plan/manifest.json", "sim/findings.csv", "sim/disposals.csv",
        "disclosure.csv", "indicators.csv", "next.csv", "next-scores.csv", "export/department_grades.csv",
        "export/checks.csv", "export/findings.csv", "export/entity_features.csv", "moves.csv",
    ]

    /// One full cycle in a fresh directory; returns the directory and the outputs of the commands checked below.
    static func cycle() throws -> (TemporaryDirectory, [String: CommandResult]) {
        let d = try TemporaryDirectory("registry-cycle")
        var out: [String: CommandResult] = [:]
        try run(["generate", "--entities", "2000", "--seed", "5", "--output", "city", "--quiet"], in: d)
        try run(["score", "--model", "city/default-model.json", "--input", "city/entities.csv", "--output", "scores.csv",
                 "--threads", "1", "--no-progress"], in: d)
        try run(["init", "ws.sqlite"], in: d)
        out["city"] = try run(["import", "-w", "ws.sqlite", "city", "city", "--scores", "scores.csv"], in: d)
        try run(["import", "-w", "ws.sqlite", "scores", "scores.csv", "--period", "2026Q1"], in: d)
        try run(["plan", "--scores", "scores.csv", "--entities", "city/entities.csv", "--quotas", "city/quotas.csv",
                 "--inspectors", "city/inspectors.csv", "--departments", "city/departments.csv",
                 "--scenarios", "city/scenarios.csv", "--items", "city/items.csv", "--caps", "city/caps.csv",
                 "--period", "2026Q1", "--seed", "public seed 42", "--output", "plan"], in: d)
        out["draw"] = try run(["import", "-w", "ws.sqlite", "draw", "plan"], in: d)
        out["redraw"] = try OneCheckBinary.run(["import", "-w", "ws.sqlite", "draw", "plan"], in: d.url)
        out["simulate"] = try run(["simulate", "--plan", "plan", "--entities", "city/entities.csv", "--items", "city/items.csv",
                                   "--truth", "city/true-model.json", "--seed", "9", "--output", "sim"], in: d)
        try run(["import", "-w", "ws.sqlite", "findings", "sim/findings.csv"], in: d)
        try run(["import", "-w", "ws.sqlite", "disposals", "sim/disposals.csv"], in: d)
        for day in ["2026-02-27", "2026-03-31"] {
            try run(["publish", "results", "-w", "ws.sqlite", "--on", day, "--out", "disclosure.csv"], in: d)
        }
        try run(["indicators", "-w", "ws.sqlite", "--out", "indicators.csv"], in: d)
        out["features"] = try run(["registry", "features", "-w", "ws.sqlite", "--period", "2026Q2", "--output", "next.csv"], in: d)
        try run(["score", "--model", "city/default-model.json", "--input", "next.csv", "--output", "next-scores.csv",
                 "--threads", "1", "--no-progress"], in: d)
        out["scores2"] = try run(["import", "-w", "ws.sqlite", "scores", "next-scores.csv", "--period", "2026Q2"], in: d)
        let moves = try run(["registry", "moves", "-w", "ws.sqlite", "--from", "2026Q1", "--to", "2026Q2"], in: d)
        try moves.stdout.write(to: d.file("moves.csv"), atomically: true, encoding: .utf8)
        out["audit"] = try run(["registry", "audit", "-w", "ws.sqlite"], in: d)
        try run(["export", "-w", "ws.sqlite", "--to", "export"], in: d)
        return (d, out)
    }

    @Test("the cycle runs, sanctions raise every department's class, and a second run is byte-identical")
    func wholeCycle() throws {
        let (d, out) = try Self.cycle()
        defer { d.remove() }

        // Directory: 2000 entities, each in its scenario's lead + partners.
        #expect(out["city"]!.stdout.contains("2000 entities"), "\(out["city"]!.stdout)")
        let features = try Self.table(d, "export/entity_features.csv")
        #expect(features.rowCount == 2000)

        // The draw: every plan.csv row becomes one check per department; the re-draw is refused and audited.
        let plan = try Self.table(d, "plan/plan.csv")
        let departmentsColumn = try plan.requireColumns(["departments"])[0]
        let selections = plan.rows.reduce(0) { $0 + $1[departmentsColumn].split(separator: ";").count }
        let checks = try Self.table(d, "export/checks.csv")
        #expect(plan.rowCount > 0 && checks.rowCount == selections)
        #expect(out["draw"]!.stdout.contains("\(plan.rowCount) visits as \(selections) department checks"))
        #expect(out["redraw"]!.status != 0 && out["redraw"]!.stderr.contains("already drawn"))
        #expect(out["audit"]!.stdout.split(separator: "\n").filter { $0.contains("\tredraw_refused\t") }.count == 1)
        let scenarios = Set(try plan.strings(named: "scenario"))
        #expect(out["audit"]!.stdout.split(separator: "\n").filter { $0.contains("\tdraw\t") }.count == scenarios.count,
                "one draw per scenario, none from the refused re-draw")

        // Findings: serious ones exist; each such entity is raised for every department of its directory.
        let findings = try Self.table(d, "export/findings.csv")
        let f = try findings.requireColumns(["check_id", "outcome"])
        let c = try checks.requireColumns(["id", "entity"])
        let entityOfCheck = Dictionary(uniqueKeysWithValues: checks.rows.map { ($0[c[0]], $0[c[1]]) })
        let sanctioned = Set(findings.rows.filter { $0[f[1]] == "serious" }.map { entityOfCheck[$0[f[0]]]! })
        #expect(!sanctioned.isEmpty)
        let grades = try Self.table(d, "export/department_grades.csv")
        let g = try grades.requireColumns(["period", "department", "entity", "grade"])
        var before: [String: String] = [:], after: [String: String] = [:]
        for row in grades.rows {
            let key = row[g[1]] + "/" + row[g[2]]
            if row[g[0]] == "2026Q1" { before[key] = row[g[3]] } else { after[key] = row[g[3]] }
        }
        #expect(before.count == after.count && !before.isEmpty)
        var checkedPairs = 0
        for (key, old) in before where sanctioned.contains(String(key.split(separator: "/")[1])) {
            let new = after[key]!
            #expect(new > old || new == "D", "\(key): \(old) → \(new) despite a serious finding")
            checkedPairs += 1
        }
        #expect(checkedPairs >= sanctioned.count)
        #expect(out["scores2"]!.stdout.contains("\(sanctioned.count) entities under joint sanctions"))
        let moves = try Self.table(d, "moves.csv")
        let m = try moves.requireColumns(["sanctioned", "sanctioned_raised"])
        #expect(moves.rows.allSatisfy { $0[m[0]] == $0[m[1]] } && moves.rowCount > 0)

        // Next period's features: a checked entity's days since the last check count from its check day.
        let next = try Self.table(d, "next.csv")
        let n = try next.requireColumns(["entity_id", "history_days_since_last_check"])
        let p = try plan.requireColumns(["entity_id", "date"])
        let visit = plan.rows[0]
        let row = next.rows.first { $0[n[0]] == visit[p[0]] }!
        let checkedOn = ISO8601DateFormatter().date(from: visit[p[1]] + "T00:00:00Z")!
        let start = ISO8601DateFormatter().date(from: "2026-04-01T00:00:00Z")!
        #expect(Int(row[n[1]]) == Int((start.timeIntervalSince(checkedOn) / 86400).rounded()))
        #expect(out["features"]!.stdout.contains("2000 entities for 2026Q2"))

        // Indicators: one row per scenario × department with checks, rates within [0, 1].
        let indicators = try Self.table(d, "indicators.csv")
        #expect(indicators.rowCount > 0)
        for name in ["coverage", "discovery_rate", "disposal_rate", "data_sharing_rate", "disclosure_rate"] {
            for value in try indicators.strings(named: name) where !value.isEmpty {
                let x = Double(value)!
                #expect(x >= 0 && x <= 1, "\(name) = \(x)")
            }
        }
        let coverage = try indicators.strings(named: "coverage").compactMap(Double.init)
        #expect(coverage.contains { $0 > 0 })
        #expect(try indicators.strings(named: "estimated_problem_rate").compactMap(Double.init).allSatisfy { $0 >= 0 && $0.isFinite })

        // Determinism: the same inputs and seeds give the same bytes.
        let (again, _) = try Self.cycle()
        defer { again.remove() }
        for name in Self.deterministicOutputs {
            #expect(try Data(contentsOf: d.file(name)) == Data(contentsOf: again.file(name)), "\(name) differs between runs")
        }
    }

    @Test("a draw whose entity is not in the department's directory is refused with its line")
    func badDraw() throws {
        let d = try TemporaryDirectory("registry-cycle-bad")
        defer { d.remove() }
        try Self.run(["generate", "--entities", "300", "--seed", "3", "--output", "city", "--quiet"], in: d)
        try Self.run(["init", "ws.sqlite"], in: d)
        try Self.run(["import", "-w", "ws.sqlite", "city", "city"], in: d)
        let entities = try Self.table(d, "city/entities.csv")
        let id = try entities.strings(named: "entity_id")[0], scenario = try entities.strings(named: "scenario")[0]
        // A department that does not supervise the entity's scenario.
        let scenarios = try Self.table(d, "city/scenarios.csv")
        let s = try scenarios.requireColumns(["scenario", "lead", "partners"])
        let row = scenarios.rows.first { $0[s[0]] == scenario }!
        let supervising = Set([row[s[1]]] + row[s[2]].split(separator: ";").map(String.init))
        let outsider = try Self.table(d, "city/departments.csv").strings(named: "department").first { !supervising.contains($0) }!
        // A plan directory as `plan` writes it (manifest v2 with the digest of every file), naming the outsider.
        try FileManager.default.createDirectory(at: d.file("plan"), withIntermediateDirectories: true)
        let files = [
            "plan.csv": "check_id,entity_id,scenario,departments,items,inspectors,date\n"
                + "2026Q1-\(id),\(id),\(scenario),\(row[s[1]]);\(outsider),,,2026-02-02\n",
            "targets.csv": "period,check_id,entity_id,scenario,departments\n",
            "quota-report.csv": "department,grade,quota,entities,agreed_checks,realised_checks,agreed_ratio,"
                + "realised_ratio,certainty,floored\n",
            "workload.csv": "department,inspectors,checks,minimum,maximum,mean,cv\n",
        ]
        for (name, text) in files { try text.write(to: d.file("plan/" + name), atomically: true, encoding: .utf8) }
        let digests = files.keys.sorted().map { "\"\($0)\": \"\(FrameCommitment.sha256Hex(Array(files[$0]!.utf8)))\"" }
        try """
            {
              "format": "onecheck.plan.manifest.v2",
              "algorithm_version": "\(FrameCommitment.currentAlgorithmVersion)",
              "period": "2026Q1",
              "seed": "s",
              "parameters": {"floor_fraction": 0.1, "max_pairing_probability": 0.5, "reserve_size": 0},
              "inputs": {},
              "files": {\(digests.joined(separator: ", "))},
              "adjustments": [],
              "reserves": {},
              "inclusion": {"\(row[s[1]])": [["\(id)", 0.5]], "\(outsider)": [["\(id)", 0.5]]}
            }

            """.write(to: d.file("plan/manifest.json"), atomically: true, encoding: .utf8)
        let result = try OneCheckBinary.run(["import", "-w", "ws.sqlite", "draw", "plan"], in: d.url)
        #expect(result.status != 0)
        #expect(result.stderr.contains("plan.csv:2:4") && result.stderr.contains("directory holds"), "\(result.stderr)")
    }

    /// Issue 14, item 5: a hand-edited plan.csv is refused by `import draw` (its digest differs from the manifest's),
    /// nothing is recorded, and the real draw can still be recorded afterwards — a forgery cannot lock it out.
    @Test("a hand-edited plan is refused and does not lock out the real draw")
    func editedPlanIsRefused() throws {
        let d = try TemporaryDirectory("registry-edited-plan")
        defer { d.remove() }
        try Self.run(["generate", "--entities", "400", "--seed", "8", "--output", "city", "--quiet"], in: d)
        try Self.run(["score", "--model", "city/default-model.json", "--input", "city/entities.csv", "--output", "scores.csv",
                      "--no-progress"], in: d)
        try Self.run(["init", "ws.sqlite"], in: d)
        try Self.run(["import", "-w", "ws.sqlite", "city", "city", "--scores", "scores.csv"], in: d)
        try Self.run(["plan", "--scores", "scores.csv", "--entities", "city/entities.csv", "--quotas", "city/quotas.csv",
                      "--inspectors", "city/inspectors.csv", "--departments", "city/departments.csv",
                      "--scenarios", "city/scenarios.csv", "--items", "city/items.csv", "--caps", "city/caps.csv",
                      "--period", "2026Q1", "--seed", "s", "--output", "plan"], in: d)
        let original = try String(contentsOf: d.file("plan/plan.csv"), encoding: .utf8)
        var lines = original.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Move the first visit to another day of the quarter (its date is the last field).
        lines[1] = String(lines[1].dropLast(2)) + (lines[1].hasSuffix("02") ? "03" : "02")
        try lines.joined(separator: "\n").write(to: d.file("plan/plan.csv"), atomically: true, encoding: .utf8)
        let forged = try OneCheckBinary.run(["import", "-w", "ws.sqlite", "draw", "plan"], in: d.url)
        #expect(forged.status != 0)
        #expect(forged.stderr.contains("plan.csv") && forged.stderr.contains("SHA-256"), "\(forged.stderr)")
        let audit = try Self.run(["registry", "audit", "-w", "ws.sqlite"], in: d).stdout
        #expect(!audit.contains("\tdraw\t") && !audit.contains("redraw_refused"), "\(audit)")
        try original.write(to: d.file("plan/plan.csv"), atomically: true, encoding: .utf8)
        try Self.run(["import", "-w", "ws.sqlite", "draw", "plan"], in: d)
    }
}
