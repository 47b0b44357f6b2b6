import Foundation
import Testing
import TestSupport

/// The demo cycle (scripts/demo-cycle.sh: score, import, plan, draw, findings, publication, indicators, features,
/// the next period's plan from the registry, monitoring, credit repair, reports) writes the same files on both
/// registry engines (issue 18 §2): run once on an SQLite workspace and once on a fresh PostgreSQL database, in the
/// same output directory (outputs may name their paths), every file but the SQLite workspace itself is compared
/// byte for byte.
///
/// It runs the whole cycle twice with the debug binary (about 8 minutes on the shared 2-core machine), so it is not
/// part of `make test`: `ONECHECK_TEST_DEMO_ENGINES=1` runs it (with a PostgreSQL server, as `make test` starts).
@Suite("demo cycle on both engines", .enabled(if: ProcessInfo.processInfo.environment["ONECHECK_TEST_DEMO_ENGINES"] != nil
                                              && ManyWritersTests.Store.enabled.contains(.postgres)))
struct DemoCycleEnginesTests {
    @Test func everyOutputFileIsIdentical() throws {
        let dir = try TemporaryDirectory("demo-engines")
        defer { dir.remove() }
        let out = dir.file("out")
        let database = try ManyWritersTests.Store.postgres.newWorkspace(dir, "demo")
        var trees: [String: [String: Data]] = [:]
        for (engine, workspace) in [("sqlite", out.appendingPathComponent("workspace.sqlite").path), ("postgres", database)] {
            let run = try ProcessRunner.run(URL(fileURLWithPath: "/bin/bash"),
                                            ["scripts/demo-cycle.sh", OneCheckBinary.url.path, out.path, workspace],
                                            in: SharedData.repositoryRoot)
            try #require(run.status == 0, "demo cycle on \(engine) failed:\n\(run.stderr)\n\(run.stdout.suffix(2_000))")
            trees[engine] = try Self.files(under: out).filter { !$0.key.hasPrefix("workspace.sqlite") }
            try FileManager.default.moveItem(at: out, to: dir.file(engine))
        }
        let sqlite = try #require(trees["sqlite"]), postgres = try #require(trees["postgres"])
        #expect(sqlite.count > 20, "\(sqlite.keys.sorted())")
        #expect(Set(sqlite.keys) == Set(postgres.keys))
        for name in sqlite.keys.sorted() {
            guard let a = sqlite[name], let b = postgres[name], a != b else { continue }
            Issue.record("\(name) differs between the engines: \(Self.firstDifference(a, b))")
        }
    }

    /// Every regular file under `root`, by its path relative to `root`.
    static func files(under root: URL) throws -> [String: Data] {
        var result: [String: Data] = [:]
        let enumerator = try #require(FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]))
        for case let url as URL in enumerator where try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true {
            let relative = String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1))
            result[relative] = try Data(contentsOf: url)
        }
        return result
    }

    /// The first line where two texts differ, both versions shown (or the byte offset of binary data).
    static func firstDifference(_ a: Data, _ b: Data) -> String {
        let linesA = String(decoding: a, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let linesB = String(decoding: b, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(linesA.count, linesB.count) {
            let x = i < linesA.count ? String(linesA[i]) : "(end)", y = i < linesB.count ? String(linesB[i]) : "(end)"
            if x != y { return "line \(i + 1): sqlite \(x.prefix(300)) | postgres \(y.prefix(300))" }
        }
        return "\(a.count) bytes against \(b.count)"
    }
}
