import Foundation
import Planning
import Tables
import Testing
import TestSupport

/// `onecheck plan --workspace W --period P` through the built binary (issue 19, item 7): the inputs come from the
/// registry, are written as a frame the manifest records, the plan verifies without the workspace, and a later
/// quarter's frame carries the checks recorded before it.
@Suite("plan from a workspace", .serialized)
struct PlanWorkspaceTests {
    @discardableResult
    static func run(_ arguments: [String], in directory: TemporaryDirectory) throws -> CommandResult {
        let result = try OneCheckBinary.run(arguments, in: directory.url)
        #expect(result.status == 0, "onecheck \(arguments.joined(separator: " ")): \(result.stderr)")
        return result
    }

    @Test("two quarters planned from the registry: frame recorded, verify identical, Q1's visits counted in Q2")
    func twoQuarters() throws {
        let d = try TemporaryDirectory("plan-workspace")
        defer { d.remove() }
        try Self.run(["generate", "--entities", "1500", "--seed", "11", "--output", "city", "--quiet"], in: d)
        try Self.run(["score", "--model", "city/default-model.json", "--input", "city/entities.csv", "--output",
                      "scores.csv", "--threads", "1", "--no-progress"], in: d)
        try Self.run(["init", "ws.sqlite"], in: d)
        try Self.run(["import", "-w", "ws.sqlite", "city", "city", "--scores", "scores.csv"], in: d)

        // A period without imported scores is refused, naming what to do.
        let refused = try OneCheckBinary.run(["plan", "-w", "ws.sqlite", "--period", "2026Q1", "--seed", "s",
                                              "--output", "plan-q1"], in: d.url)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("no grades of department") && refused.stderr.contains("import scores"),
                "\(refused.stderr)")
        // File inputs and --workspace do not mix.
        let mixed = try OneCheckBinary.run(["plan", "-w", "ws.sqlite", "--scores", "scores.csv", "--period", "2026Q1",
                                            "--seed", "s", "--output", "plan-q1"], in: d.url)
        #expect(mixed.status != 0 && mixed.stderr.contains("--scores cannot be given with it"), "\(mixed.stderr)")

        try Self.run(["import", "-w", "ws.sqlite", "scores", "scores.csv", "--period", "2026Q1"], in: d)
        let q1 = try Self.run(["plan", "-w", "ws.sqlite", "--period", "2026Q1", "--seed", "seed one",
                               "--output", "plan-q1"], in: d)
        #expect(q1.stdout.contains("frame from ws.sqlite for 2026Q1: 1500 entities"), "\(q1.stdout)")
        #expect(q1.stdout.contains("0 visits recorded earlier this year"))
        let manifest = try String(contentsOf: d.file("plan-q1/manifest.json"), encoding: .utf8)
        #expect(manifest.contains("\"scores\": {\"path\": \"../plan-q1-frame/scores.csv\""), "\(manifest.prefix(1200))")
        #expect(manifest.contains("\"algorithm_version\": \"onecheck.plan.v3+onecheck.random.v1\""))
        let verified = try Self.run(["verify", "--manifest", "plan-q1/manifest.json", "--plan", "plan-q1/plan.csv"], in: d)
        #expect(verified.stdout.contains("identical"), "\(verified.stdout)")
        // The same inputs as files give the same plan, byte for byte.
        let frame = "plan-q1-frame/"
        try Self.run(["plan", "--scores", frame + "scores.csv", "--entities", frame + "entities.csv",
                      "--quotas", frame + "quotas.csv", "--inspectors", frame + "inspectors.csv",
                      "--departments", frame + "departments.csv", "--scenarios", frame + "scenarios.csv",
                      "--items", frame + "items.csv", "--caps", frame + "caps.csv", "--done", frame + "checks-done.csv",
                      "--period", "2026Q1", "--seed", "seed one", "--output", "plan-q1-files"], in: d)
        #expect(try Data(contentsOf: d.file("plan-q1/plan.csv")) == Data(contentsOf: d.file("plan-q1-files/plan.csv")))
        try Self.run(["import", "-w", "ws.sqlite", "draw", "plan-q1"], in: d)

        // Q2: the frame lists Q1's visits; each of them counts against the caps.
        try Self.run(["import", "-w", "ws.sqlite", "scores", "scores.csv", "--period", "2026Q2"], in: d)
        let q2 = try Self.run(["plan", "-w", "ws.sqlite", "--period", "2026Q2", "--seed", "seed two",
                               "--output", "plan-q2"], in: d)
        let plan1 = try CSVTable.read(d.file("plan-q1/plan.csv"))
        let done = try CSVTable.read(d.file("plan-q2-frame/checks-done.csv"))
        #expect(done.rowCount == plan1.rowCount, "one row per Q1 visit")
        #expect(q2.stdout.contains("\(plan1.rowCount) visits recorded earlier this year"), "\(q2.stdout)")
        let entity1 = try plan1.requireColumns(["entity_id"])[0], entityDone = try done.requireColumns(["entity_id"])[0]
        #expect(Set(plan1.rows.map { $0[entity1] }) == Set(done.rows.map { $0[entityDone] }))
        #expect(try Self.run(["verify", "--manifest", "plan-q2/manifest.json", "--plan", "plan-q2/plan.csv"], in: d)
            .stdout.contains("identical"))
    }
}
