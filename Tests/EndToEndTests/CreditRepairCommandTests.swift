import Foundation
import Testing
import TestSupport

/// Credit repair as a user runs it: `import penalties|repairs`, `repair decide` refused within the minimum window
/// and accepted after it, `repair records` saying when each record stops counting, and the features, classes and
/// disclosure file that no longer use a repaired record.
@Suite("onecheck repair", .serialized)
struct CreditRepairCommandTests {
    typealias CLI = RegistryCommandTests

    /// A workspace with plan P1 (REST, 2026Q1, 2026-02-02): M0 and F0 check entity 0 (grade A) jointly, M1 checks
    /// entity 1. M0 finds M1 serious with a 1000 yuan fine; F0 finds F1 (environment) minor, decided as a minor
    /// penalty on 2026-02-02; M1 finds M1 compliant.
    static func workspace(_ dir: TemporaryDirectory) throws -> (ws: String, codes: [String]) {
        let codes = CLI.codes(3, seed: 17)
        let ws = try CLI.directory(dir, entities: codes)
        try CLI.run(["import", "-w", ws, "plan", CLI.write("""
            plan,scenario,period,seed,check_id,entity,department,inclusion_probability,checked_on
            P1,REST,2026Q1,s,M0,\(codes[0]),MKT,0.5,2026-02-02
            P1,REST,2026Q1,s,F0,\(codes[0]),FIRE,0.5,2026-02-02
            P1,REST,2026Q1,s,M1,\(codes[1]),MKT,0.5,2026-02-02

            """, dir, "plan.csv")])
        try CLI.run(["import", "-w", ws, "findings", CLI.write("""
            check_id,item,outcome,penalty
            M0,M1,serious,1000
            F0,F1,minor,
            M1,M1,compliant,

            """, dir, "findings.csv")])
        try CLI.run(["import", "-w", ws, "penalties",
                     CLI.write("check_id,item,severity,decided_on\nF0,F1,minor,2026-02-02\n", dir, "penalties.csv")])
        return (ws, codes)
    }

    /// The rows of a CSV text keyed by the values of columns `check_id` and `item`.
    static func records(_ text: String) -> [String: [String: String]] {
        let lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard let header = lines.first else { return [:] }
        var result: [String: [String: String]] = [:]
        for line in lines.dropFirst() {
            let row = Dictionary(uniqueKeysWithValues: zip(header, line))
            result["\(row["check_id"]!)/\(row["item"]!)"] = row
        }
        return result
    }

    @Test func aRepairIsRefusedEarlyAndThenStopsTheRecordCounting() throws {
        let dir = try TemporaryDirectory("repair-cli")
        defer { dir.remove() }
        let (ws, codes) = try Self.workspace(dir)

        // Serious M0/M1 from 2026-02-02: its one-year minimum runs through 2027-02-02.
        let early = try OneCheckBinary.run(["repair", "decide", "-w", ws, "--check", "M0", "--item", "M1", "--on", "2027-02-02",
                                            "--by", "Market bureau", "--reason", "rectified"])
        #expect(early.status != 0)
        #expect(early.stderr.contains("repaired_on \"2027-02-02\" is not valid; expected a day from 2027-02-03 through "
                                      + "2029-02-02 for the serious penalty record M0/M1"), "\(early.stderr)")
        // Minor F0/F1: repairable from the day after its decision.
        let repaired = try CLI.run(["repair", "decide", "-w", ws, "--check", "F0", "--item", "F1", "--on", "2026-02-03",
                                    "--by", "Fire brigade", "--reason", "exit cleared"])
        #expect(repaired.stdout.contains("recorded the repair of F0/F1 on 2026-02-03"))

        let listed = Self.records(try CLI.run(["repair", "records", "-w", ws, "--as-of", "2026-04-01"]).stdout)
        #expect(listed.keys.sorted() == ["F0/F1", "M0/M1"])
        let m0 = try #require(listed["M0/M1"]), f0 = try #require(listed["F0/F1"])
        #expect(m0["severity"] == "serious" && m0["severity_source"] == "presumed" && m0["status"] == "in_force")
        #expect(m0["repairable_from"] == "2027-02-03" && m0["published_through"] == "2029-02-02"
                && m0["stops_counting_on"] == "2029-02-03")
        #expect(f0["severity"] == "minor" && f0["severity_source"] == "recorded" && f0["status"] == "repaired")
        #expect(f0["repaired_on"] == "2026-02-03" && f0["repaired_by"] == "Fire brigade" && f0["stops_counting_on"] == "2026-02-03")
        #expect(!(try CLI.run(["repair", "records", "-w", ws, "--as-of", "2026-04-01"]).stdout.contains("exit cleared")))
        // The day before the repair, entity 0's minor record is still in force.
        let before = Self.records(try CLI.run(["repair", "records", "-w", ws, "--entity", codes[0], "--as-of", "2026-02-02"]).stdout)
        #expect(before["F0/F1"]?["status"] == "in_force")
        #expect(Self.records(try CLI.run(["repair", "records", "-w", ws, "--entity", codes[1], "--as-of", "2026-02-02"]).stdout).isEmpty)

        // The next period's raw features no longer count the repaired environment finding; the serious one stays.
        try CLI.run(["registry", "features", "-w", ws, "--as-of", "2026-04-01", "--out", dir.file("features.csv").path])
        let features = try String(contentsOfFile: dir.file("features.csv").path, encoding: .utf8)
        #expect(features.contains("\(codes[0]),REST,A,B,2,1,0,0,0,0,1,58,0,1000.0\n"), "\(features)")

        // The disclosure file leaves out F0, whose only record is repaired, and keeps the others.
        try CLI.run(["publish", "-w", ws, "--on", "2026-02-20", "--out", dir.file("public.csv").path])
        let disclosure = try String(contentsOfFile: dir.file("public.csv").path, encoding: .utf8)
        #expect(disclosure.split(separator: "\n").map { $0.split(separator: ",")[0] } == ["check_id", "M0", "M1"])
        let audit = try CLI.run(["registry", "audit", "-w", ws]).stdout
        #expect(audit.contains("\tcredit_repair\t") && audit.contains("F0/F1 on 2026-02-03"))
    }

    @Test func badInputIsRefusedWithItsPlace() throws {
        let dir = try TemporaryDirectory("repair-cli")
        defer { dir.remove() }
        let (ws, codes) = try Self.workspace(dir)
        try CLI.run(["export", "-w", ws, "--to", dir.file("before").path])

        let compliant = try OneCheckBinary.run(["import", "-w", ws, "penalties",
                                                CLI.write("check_id,item,severity\nM1,M1,general\n", dir, "p.csv")])
        #expect(compliant.status != 0 && compliant.stderr.contains("p.csv:2:2 (column \"item\")")
                && compliant.stderr.contains("(a penalty record)"), "\(compliant.stderr)")
        let early = try OneCheckBinary.run(["import", "-w", ws, "repairs", CLI.write(
            "check_id,item,repaired_on,decided_by,reason\nF0,F1,2026-02-03,Brigade,ok\nM0,M1,2026-06-01,Bureau,ok\n", dir, "r.csv")])
        #expect(early.status != 0 && early.stderr.contains("r.csv:3:3 (column \"repaired_on\")")
                && early.stderr.contains("from 2027-02-03"), "\(early.stderr)")
        let badDay = try OneCheckBinary.run(["repair", "decide", "-w", ws, "--check", "F0", "--item", "F1", "--on",
                                             "2026-02-30", "--by", "x", "--reason", "y"])
        #expect(badDay.status != 0 && badDay.stderr.contains("a date YYYY-MM-DD"))
        let noReason = try OneCheckBinary.run(["repair", "decide", "-w", ws, "--check", "F0", "--item", "F1", "--on",
                                               "2026-02-03", "--by", "x", "--reason", " "])
        #expect(noReason.status != 0 && noReason.stderr.contains("--reason"))
        let unknown = try OneCheckBinary.run(["repair", "decide", "-w", ws, "--check", "M1", "--item", "M1", "--on",
                                              "2026-02-03", "--by", "x", "--reason", "y"])
        #expect(unknown.status != 0 && unknown.stderr.contains("M1/M1"))
        let badCode = try OneCheckBinary.run(["repair", "records", "-w", ws, "--entity", "12345", "--as-of", "2026-04-01"])
        #expect(badCode.status != 0 && badCode.stderr.contains("\"12345\" is not valid"))

        // Nothing of the refused commands reached the workspace but the penalty decision imported before.
        try CLI.run(["export", "-w", ws, "--to", dir.file("after").path])
        for table in ["penalty_decisions", "credit_repairs", "findings"] {
            #expect(try String(contentsOfFile: dir.file("after/\(table).csv").path, encoding: .utf8)
                    == String(contentsOfFile: dir.file("before/\(table).csv").path, encoding: .utf8), "\(table)")
        }
        // A written listing lands whole at --out.
        try CLI.run(["repair", "records", "-w", ws, "--entity", codes[0], "--as-of", "2026-04-01", "--out",
                     dir.file("records.csv").path])
        #expect(try String(contentsOfFile: dir.file("records.csv").path, encoding: .utf8).split(separator: "\n").count == 3)
    }
}
