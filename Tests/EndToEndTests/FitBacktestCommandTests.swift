import Foundation
import Testing
import TestSupport

/// `onecheck backtest`: fit on the training period, reorder the test period by score.
@Suite struct FitBacktestCommandTests {
    static func value(_ output: String, _ label: String) -> Double? {
        output.split(separator: "\n").first { $0.hasPrefix(label + " ") }
            .flatMap { Double($0.dropFirst(label.count).trimmingCharacters(in: .whitespaces).split(separator: " ")[0]) }
    }

    @Test func perfectRankingMovesEveryPositiveToTheFront() throws {
        // Training: risk = hazard level; test: 4 days × 2 inspections, positives scheduled last.
        var csv = "visit,day,hazard,test,found\n"
        for i in 0..<60 { csv += "T\(i),2014-01-\(String(format: "%02d", 1 + i % 28)),\(i % 6),0,\(i % 6 >= 3 ? (i % 5 == 0 ? 0 : 1) : (i % 7 == 0 ? 1 : 0))\n" }
        let test = [("2014-03-01", 0, 0), ("2014-03-01", 1, 0), ("2014-03-02", 1, 0), ("2014-03-02", 0, 0),
                    ("2014-03-03", 0, 0), ("2014-03-03", 1, 0), ("2014-03-04", 5, 1), ("2014-03-04", 5, 1)]
        for (k, t) in test.enumerated() { csv += "E\(k),\(t.0),\(t.1),1,\(t.2)\n" }
        let dir = try TemporaryDirectory("backtest-e2e")
        defer { dir.remove() }
        try csv.write(to: dir.file("visits.csv"), atomically: true, encoding: .utf8)
        let r = try OneCheckBinary.run(["backtest", "--input", dir.file("visits.csv").path, "--target", "found",
                                        "--positive", "1", "--id", "visit", "--date", "day", "--test-column", "test"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("test period     8 inspections, 2 positive"), "\(r.stdout)")
        // Both positives move from day 4 to day 1: 3 days earlier each.
        #expect(Self.value(r.stdout, "days earlier") == 3)
        #expect(Self.value(r.stdout, "AUC") == 1)
        #expect(r.stdout.contains("first half      0.000 of positives as scheduled, 1.000 by score"))
    }

    @Test func badDateNamesLineAndColumn() throws {
        let dir = try TemporaryDirectory("backtest-e2e")
        defer { dir.remove() }
        try "visit,day,hazard,test,found\nA,2014-01-01,1,0,1\nB,2014-02-30,0,0,0\n"
            .write(to: dir.file("visits.csv"), atomically: true, encoding: .utf8)
        let r = try OneCheckBinary.run(["backtest", "--input", dir.file("visits.csv").path, "--target", "found",
                                        "--positive", "1", "--date", "day", "--test-column", "test"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("visits.csv:3:2") && r.stderr.contains("2014-02-30"), "\(r.stderr)")
    }

    static let chicago = "chicago-food/chicago_food_model_table.csv"

    @Test(.enabled(if: SharedData.shouldRun(chicago)))
    func chicagoWithAndWithoutInspector() throws {
        let path = try SharedData.url(Self.chicago).path
        let base = ["backtest", "--input", path, "--target", "criticalFound", "--positive", "1", "--id", "Inspection_ID",
                    "--date", "Inspection_Date", "--test-column", "Test"]
        let with = try OneCheckBinary.run(base + ["--exclude", "License,criticalCount", "--categorical", "Inspector"])
        let without = try OneCheckBinary.run(base + ["--exclude", "License,criticalCount,Inspector"])
        #expect(with.status == 0 && without.status == 0, "\(with.stderr) \(without.stderr)")
        let daysWith = try #require(Self.value(with.stdout, "days earlier"))
        let daysWithout = try #require(Self.value(without.stdout, "days earlier"))
        // The city reports 7.44 days with its Inspector-based model; without Inspector the gain is much smaller.
        #expect(abs(daysWith - 7.44) < 0.5)
        #expect(daysWithout > 0 && daysWithout < daysWith)
        #expect(abs(try #require(Self.value(with.stdout, "AUC")) - 0.67) < 0.02)
        #expect(abs(try #require(Self.value(without.stdout, "AUC")) - 0.57) < 0.02)
    }
}
