import Foundation
import Testing
import TestSupport

/// `onecheck sample` run as a process, as an auditor would.
/// Requires `SampleCommand` to be registered in `OneCheck.configuration.subcommands`.
@Suite("onecheck sample")
struct SampleCommandTests {
    static func onecheck(_ arguments: [String]) throws -> CommandResult {
        try OneCheckBinary.run(arguments)
    }

    static func write(_ text: String, to url: URL) throws {
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    @Test("one draw prints n distinct ids, the same for shuffled rows, with certainty units")
    func singleDraw() throws {
        let directory = try TemporaryDirectory("sample")
        defer { directory.remove() }
        let rows = (0..<30).map { "unit-\($0),\($0 == 7 ? 1000 : 1 + $0 % 5)" }
        try Self.write("id,size\n" + rows.joined(separator: "\n") + "\n", to: directory.file("a.csv"))
        try Self.write("id,size\r\n" + rows.reversed().joined(separator: "\r\n"), to: directory.file("b.csv"))
        for method in ["cps", "pivotal", "systematic"] {
            let a = try Self.onecheck(["sample", "--input", directory.file("a.csv").path, "--n", "6",
                                       "--seed", "2026-11-29 lottery", "--method", method])
            let b = try Self.onecheck(["sample", "--input", directory.file("b.csv").path, "--n", "6",
                                       "--seed", "2026-11-29 lottery", "--method", method])
            #expect(a.status == 0, "\(a.stderr)")
            let ids = a.stdout.split(separator: "\n").map(String.init)
            #expect(ids.count == 6 && Set(ids).count == 6)
            #expect(ids.contains("unit-7"))
            #expect(a.stdout == b.stdout)
        }
    }

    @Test("replicates print id,pi,count with counts summing to R·n")
    func replicates() throws {
        let directory = try TemporaryDirectory("sample")
        defer { directory.remove() }
        try Self.write("id,pi\nx,0.5\ny,0.25\nz,0.25\nw,1\n", to: directory.file("pi.csv"))
        let run = try Self.onecheck(["sample", "--input", directory.file("pi.csv").path, "--seed", "s",
                                     "--replicates", "400", "--method", "pivotal"])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "id,pi,count")
        let rows = lines.dropFirst().map { $0.split(separator: ",").map(String.init) }
        #expect(rows.map { $0[0] } == ["w", "x", "y", "z"])
        #expect(rows.map { $0[1] } == ["1.0", "0.5", "0.25", "0.25"])
        #expect(rows.compactMap { Int($0[2]) }.reduce(0, +) == 800)
        #expect(rows[0][2] == "400")
        #expect(run.stderr.hasPrefix("# replicates=400 X2="))
    }

    @Test("bad input names file, line, column, value and the expected form")
    func badInput() throws {
        let directory = try TemporaryDirectory("sample")
        defer { directory.remove() }
        let file = directory.file("bad.csv")
        try Self.write("id,size\na,1\nb,-3\n", to: file)
        let run = try Self.onecheck(["sample", "--input", file.path, "--n", "1", "--seed", "s"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("\(file.path):3:2 (column \"size\"): \"-3\" is not valid; expected a size ≥ 0"))

        try Self.write("id,size\na,1\na,2\n", to: file)
        let duplicate = try Self.onecheck(["sample", "--input", file.path, "--n", "1", "--seed", "s"])
        #expect(duplicate.status != 0)
        #expect(duplicate.stderr.contains("\(file.path):3:1 (column \"id\"): duplicate key \"a\" (first on line 2)"))

        try Self.write("id,weight\na,1\n", to: file)
        let header = try Self.onecheck(["sample", "--input", file.path, "--n", "1", "--seed", "s"])
        #expect(header.status != 0 && header.stderr.contains("expected a header id,size or id,pi"))

        let invalid = try Self.onecheck(["sample", "--input", file.path, "--n", "1", "--seed", "s", "--method", "brewer"])
        #expect(invalid.status != 0 && invalid.stderr.contains("--method \"brewer\" is not one of: cps, pivotal, systematic"))

        try Self.write("id,pi\na,0.5\nb,0.7\n", to: file)
        let sum = try Self.onecheck(["sample", "--input", file.path, "--seed", "s"])
        #expect(sum.status != 0 && sum.stderr.contains("sum to 1.2"))
    }
}
