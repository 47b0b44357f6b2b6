import Foundation
import Testing
import TestSupport

/// `--encoding` and `--max-field-bytes` on every command that reads CSV (issue 14, items 8 and 9), one shared
/// option group: a GB18030 or Latin-1 file is transcoded while reading, and a field over the limit is refused.
@Suite struct InputEncodingCommandTests {
    struct Files {
        let dir: TemporaryDirectory
        init() throws { dir = try TemporaryDirectory("encoding-e2e") }
        func write(_ name: String, _ bytes: [UInt8]) throws { try Data(bytes).write(to: dir.file(name)) }
        func run(_ arguments: [String]) throws -> CommandResult { try OneCheckBinary.run(arguments, in: dir.url) }
        func text(_ name: String) -> String? { try? String(contentsOf: dir.file(name), encoding: .utf8) }
    }

    /// 市场 (market) in GB18030.
    static let market: [UInt8] = [0xCA, 0xD0, 0xB3, 0xA1]

    @Test func importTranscodesGB18030AndRefusesAFieldOverTheLimit() throws {
        let f = try Files()
        defer { f.dir.remove() }
        #expect(try f.run(["init", "ws.sqlite"]).status == 0)
        try f.write("departments.csv", Array("code,name\nmarket,".utf8) + Self.market + [0x0A])
        let plain = try f.run(["import", "-w", "ws.sqlite", "departments", "departments.csv"])
        #expect(plain.status == 1)
        #expect(plain.stderr.contains("departments.csv:2:2 (column \"name\"): invalid UTF-8 (bytes CA D0); expected UTF-8 text"),
                "\(plain.stderr)")
        let legacy = try f.run(["import", "-w", "ws.sqlite", "departments", "departments.csv", "--encoding", "gb18030"])
        #expect(legacy.status == 0, "\(legacy.stderr)")
        #expect(try f.run(["export", "-w", "ws.sqlite", "--to", "export"]).status == 0)
        #expect(f.text("export/departments.csv") == "code,name,risk_head\nmarket,市场,\n")

        try f.write("long.csv", Array("code,name\nfire,Fire and rescue service\n".utf8))
        let limited = try f.run(["import", "-w", "ws.sqlite", "departments", "long.csv", "--max-field-bytes", "8"])
        #expect(limited.status == 1)
        #expect(limited.stderr == "Error: long.csv:2:2 (column \"name\"): a field is longer than 8 bytes, starting \"Fire and rescue service…\"; "
                + "expected at most 8 bytes in a field\n",
                "\(limited.stderr)")
        let bad = try f.run(["import", "-w", "ws.sqlite", "departments", "long.csv", "--max-field-bytes", "0"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("--max-field-bytes must be at least 1 (found 0)."), "\(bad.stderr)")
    }

    @Test func fitAndEvaluateReadLatin1() throws {
        let f = try Files()
        defer { f.dir.remove() }
        // The district "Gießen" in Latin-1 (ß = 0xDF): a category level, stored in the model as UTF-8.
        let csv = FitCommandTests.syntheticCSV(rows: 200).replacingOccurrences(of: "north", with: "Gie\u{DF}en")
        try f.write("data.csv", Array(csv.unicodeScalars.map { UInt8($0.value) }))
        let plain = try f.run(FitCommandTests.fitArguments + ["--output", "m.json"])
        #expect(plain.status == 1)
        #expect(plain.stderr.contains("invalid UTF-8"), "\(plain.stderr)")
        let fit = try f.run(FitCommandTests.fitArguments + ["--output", "m.json", "--encoding", "latin1"])
        #expect(fit.status == 0, "\(fit.stderr)")
        #expect(f.text("m.json")?.contains("\"Gießen\"") == true)
        let evaluate = try f.run(["evaluate", "--model", "m.json", "--input", "data.csv", "--target", "violation",
                                  "--positive", "yes", "--encoding", "latin1"])
        #expect(evaluate.status == 0, "\(evaluate.stderr)")
        #expect(evaluate.stdout.contains("data         data.csv: 200 rows"), "\(evaluate.stdout)")
    }

    @Test func sampleTakesTheSameOptions() throws {
        let f = try Files()
        defer { f.dir.remove() }
        try f.write("units.csv", Array("id,size\n".utf8) + Self.market + Array(",10\nB,20\nC,30\n".utf8))
        let r = try f.run(["sample", "--input", "units.csv", "--n", "3", "--seed", "s", "--encoding", "gb18030"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.split(separator: "\n").sorted() == ["B", "C", "市场"])
    }
}
