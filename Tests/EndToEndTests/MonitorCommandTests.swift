import Foundation
import Tables
import Testing
import TestSupport

/// `onecheck monitor` run as a user runs it: the bundled city against a copy in which one feature moved, with and
/// without outcomes; refusals leave the previous output as it was.
@Suite struct MonitorCommandTests {
    static let model = SharedData.bundled("models/default.json").path

    /// The first `n` entities of the bundled city, with `transform` applied to each data row's fields.
    static func entities(_ n: Int, to url: URL, _ transform: (inout [String], [String]) -> Void = { _, _ in }) throws {
        let text = try String(contentsOf: SharedData.bundled("datasets/entities.csv"), encoding: .utf8)
        let lines = text.split(separator: "\n").prefix(n + 1)
        let header = lines.first!.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        var out = lines.first! + "\n"
        for line in lines.dropFirst() {
            var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            transform(&fields, header)
            out += fields.joined(separator: ",") + "\n"
        }
        try out.write(to: url, atomically: true, encoding: .utf8)
    }

    @Test func aMovedFeatureIsFlaggedAndTheFilesAreWritten() throws {
        let dir = try TemporaryDirectory("monitor-command")
        defer { dir.remove() }
        try Self.entities(3000, to: dir.file("a.csv"))
        // Every other entity has 50 more staff: people_staff_count moves, and every head with it.
        var row = 0
        try Self.entities(3000, to: dir.file("b.csv")) { fields, header in
            let c = header.firstIndex(of: "people_staff_count")!
            if row % 2 == 0 { fields[c] = "\(Int(fields[c])! + 50)" }
            row += 1
        }
        let r = try OneCheckBinary.run(["monitor", "--model", Self.model, "--baseline", dir.file("a.csv").path,
                                        "--current", dir.file("b.csv").path, "--output", dir.file("report").path])
        try #require(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("3000 in both"))
        let stability = try CSVTable.read(dir.file("report/stability.csv"))
        let kind = try #require(stability.columnIndex(named: "kind")), subject = stability.columnIndex(named: "subject")!
        let index = stability.columnIndex(named: "index")!, flag = stability.columnIndex(named: "flag")!
        let staff = try #require(stability.rows.first { $0[kind] == "csi" && $0[subject] == "people_staff_count" })
        #expect(Double(staff[index])! >= 0.25 && staff[flag] == "action", "\(staff)")
        #expect(stability.rows.filter { $0[kind] == "csi" && $0[subject] != "people_staff_count" }
            .allSatisfy { Double($0[index])! == 0 && $0[flag] == "stable" })
        #expect(r.stdout.contains("people_staff_count"))
        // A second run gives the same bytes.
        let first = try Data(contentsOf: dir.file("report/stability-bins.csv"))
        let again = try OneCheckBinary.run(["monitor", "--model", Self.model, "--baseline", dir.file("a.csv").path,
                                            "--current", dir.file("b.csv").path, "--output", dir.file("report").path])
        #expect(again.status == 0 && again.stdout == r.stdout)
        #expect(try Data(contentsOf: dir.file("report/stability-bins.csv")) == first)
    }

    @Test func outcomesGiveDiscriminationAndCalibrationAndBadOutcomesAreRefused() throws {
        let dir = try TemporaryDirectory("monitor-outcomes")
        defer { dir.remove() }
        try Self.entities(1500, to: dir.file("a.csv"))
        var ids: [String] = []
        try Self.entities(1500, to: dir.file("b.csv")) { fields, _ in ids.append(fields[0]) }
        // Outcome of the credit head: an event for every fourth entity (no relation to the score, AUC near 0.5).
        var outcomes = "entity_id,credit\n"
        for (i, id) in ids.enumerated() { outcomes += "\(id),\(i % 4 == 0 ? "1" : "0")\n" }
        try outcomes.write(to: dir.file("f.csv"), atomically: true, encoding: .utf8)
        let arguments = ["monitor", "--model", Self.model, "--baseline", dir.file("a.csv").path,
                         "--current", dir.file("b.csv").path, "--outcomes", dir.file("f.csv").path,
                         "--output", dir.file("report").path]
        let r = try OneCheckBinary.run(arguments)
        try #require(r.status == 0, "\(r.stderr)")
        let discrimination = try CSVTable.read(dir.file("report/discrimination.csv"))
        #expect(discrimination.rows.map { $0[0] } == ["credit"])
        let b = discrimination.columnIndex(named: "baseline_auc")!, c = discrimination.columnIndex(named: "current_auc")!
        // Same entities and outcomes on both sides: the same AUC, no drift.
        #expect(discrimination.rows[0][b] == discrimination.rows[0][c])
        let calibration = try CSVTable.read(dir.file("report/calibration.csv"))
        #expect(calibration.rowCount == 20)
        let before = try Data(contentsOf: dir.file("report/stability.csv"))

        // A bad outcome: refused with file, line and column; the previous report stays as it was.
        try (outcomes + "\(ids[0])x,maybe\n").write(to: dir.file("f.csv"), atomically: true, encoding: .utf8)
        let bad = try OneCheckBinary.run(arguments)
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("f.csv:1502") && bad.stderr.contains("maybe"), "\(bad.stderr)")
        #expect(try Data(contentsOf: dir.file("report/stability.csv")) == before)
        #expect(FileManager.default.fileExists(atPath: dir.file("report/discrimination.csv").path))
    }
}
