import Foundation
import GRDB
import Registry
import Supervision
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Crash safety and concurrency of the workspace file.
@Suite("Reliability", .serialized)
struct ReliabilityTests {
    static let childDatabase = "ONECHECK_REGISTRY_CHILD_DB"
    static let childCSV = "ONECHECK_REGISTRY_CHILD_CSV"
    static let childMarker = "ONECHECK_REGISTRY_CHILD_MARKER"

    /// Writes `count` valid entities (seeded) to `url`.
    static func writeEntities(_ count: Int, seed: UInt64, to url: URL) throws {
        var rng = SeededGenerator(seed: seed)
        var text = "credit_code,name,scenario,credit_grade,departments\n"
        text.reserveCapacity(count * 64)
        for i in 0..<count {
            text += "\(Fixtures.creditCode(&rng)),Shop \(i),REST,\(["A", "B", "C", "D"][i % 4]),MKT;FIRE\n"
        }
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    /// Readers in other connections keep reading, without waiting, while an import's write transaction is
    /// open, and see the state before it; after the commit they see the new state.
    @Test func readersSeeTheLastCommitWhileAWriterWrites() throws {
        let city = try Fixtures.City(entities: 30)
        defer { city.directory.remove() }
        _ = try city.workspace()
        let writer = try Workspace.open(at: city.workspacePath)
        let reader = try Engine.sqlite(try Workspace.open(at: city.workspacePath, access: .readOnly))
        let file = city.directory.file("batch.csv")
        try Self.writeEntities(5_000, seed: 5, to: file)
        let counts = Counts()
        try writer.importCSV(.entities, from: file, options: ImportOptions(blockSize: 16 << 10, progress: { written in
            // Read from another thread through another pool, as another process would. A thread of its own, not
            // a Dispatch queue: on a loaded machine the shared pool can be busy with other tests for longer than
            // the wait, which would measure the pool, not the reader.
            let done = DispatchSemaphore(value: 0)
            let thread = Thread {
                let seen = try? reader.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM entities") }
                counts.append(written: written, seen: seen ?? -1)
                done.signal()
            }
            thread.start()
            if done.wait(timeout: .now() + 30) == .timedOut { counts.append(written: written, seen: -2) }
        }))
        let observed = counts.values
        #expect(observed.count >= 5)
        #expect(observed.allSatisfy { $0.seen == 30 }, "\(observed.prefix(3))")
        #expect(observed.last?.written == 5_000)
        let after = try reader.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM entities") }
        #expect(after == 5_030)
    }

    final class Counts: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [(written: Int, seen: Int)] = []
        func append(written: Int, seen: Int) { lock.lock(); list.append((written, seen)); lock.unlock() }
        var values: [(written: Int, seen: Int)] { lock.lock(); defer { lock.unlock() }; return list }
    }

    /// A process killed with SIGKILL in the middle of a large import leaves the workspace exactly as before.
    ///
    /// The child is this test binary again, running only `importUntilKilled`: it imports a large file with a
    /// tiny page cache (so uncommitted pages spill into the WAL file), signals after a few blocks and then
    /// keeps the transaction open until it is killed.
    @Test func sigkillMidImportLeavesTheWorkspaceUnchanged() throws {
        let city = try Fixtures.City(entities: 50)
        defer { city.directory.remove() }
        let before: [String: [String]]
        do { before = try Fixtures.snapshot(try city.workspace()) }
        let file = city.directory.file("large.csv")
        try Self.writeEntities(60_000, seed: 11, to: file)
        let marker = city.directory.file("marker")

        let child = Process()
        child.executableURL = try Self.testBinary()
        child.arguments = ["--testing-library", "swift-testing", "--filter", "importUntilKilled"]
        var environment = ProcessInfo.processInfo.environment
        environment[Self.childDatabase] = city.workspacePath
        environment[Self.childCSV] = file.path
        environment[Self.childMarker] = marker.path
        child.environment = environment
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        try child.run()
        let deadline = Date().addingTimeInterval(120)
        while !FileManager.default.fileExists(atPath: marker.path), child.isRunning, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
        try #require(FileManager.default.fileExists(atPath: marker.path), "the child never reached the import")
        let walSize = (try? FileManager.default.attributesOfItem(atPath: city.workspacePath + "-wal")[.size] as? Int) ?? 0
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        #expect(child.terminationReason == .uncaughtSignal && child.terminationStatus == SIGKILL)
        // The interrupted transaction had already written uncommitted pages to the WAL file.
        #expect(walSize > 1 << 20, "WAL size \(walSize)")

        let reopened = try Workspace.open(at: city.workspacePath)
        #expect(try Fixtures.snapshot(reopened) == before)
        let integrity = try Engine.sqlite(reopened).read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") }
        #expect(integrity == "ok")
        // And the workspace still works: the same file imports completely.
        try reopened.importCSV(.entities, from: file)
        #expect(try Engine.sqlite.count(reopened, "entities") == 60_050)
    }

    /// The child side of `sigkillMidImportLeavesTheWorkspaceUnchanged`; disabled unless spawned by it.
    @Test(.enabled(if: ProcessInfo.processInfo.environment[childDatabase] != nil))
    func importUntilKilled() throws {
        let environment = ProcessInfo.processInfo.environment
        let workspace = try Workspace.open(at: environment[Self.childDatabase]!)
        try Engine.sqlite(workspace).writeWithoutTransaction { db in try db.execute(sql: "PRAGMA cache_size = 32") }
        let marker = environment[Self.childMarker]!
        try workspace.importCSV(.entities, from: URL(fileURLWithPath: environment[Self.childCSV]!),
                                options: ImportOptions(blockSize: 64 << 10, progress: { written in
            guard written >= 20_000 else { return }
            _ = FileManager.default.createFile(atPath: marker, contents: Data())
            while true { Thread.sleep(forTimeInterval: 1) }  // hold the transaction open until killed
        }))
        Issue.record("the import finished; it should have been killed")
    }

    /// The test binary, for re-running it as a child.
    static func testBinary() throws -> URL {
        let url = URL(fileURLWithPath: CommandLine.arguments[0])
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw RegistryError.invalidArgument(name: "test binary", value: url.path, expected: "an executable")
        }
        return url
    }
}
