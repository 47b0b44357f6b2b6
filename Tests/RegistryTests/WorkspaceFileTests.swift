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

/// The SQLite workspace file (issue 14, items 11 and 12): a file that is not a workspace is refused exactly as it
/// was found; a read-only store never writes; a second writer waits a bounded time, then fails with a message
/// that names the workspace.
@Suite("Workspace file", .serialized)
struct WorkspaceFileTests {
    /// The bytes of `path` and which of its SQLite companion files exist.
    static func state(_ path: String) throws -> (bytes: Data, companions: [String]) {
        (try Data(contentsOf: URL(fileURLWithPath: path)),
         ["-wal", "-shm", "-journal"].filter { FileManager.default.fileExists(atPath: path + $0) })
    }

    static func refusal(_ path: String, _ access: WorkspaceAccess) -> RegistryError? {
        do {
            _ = try Workspace.open(at: path, access: access)
            Issue.record("\(path) was opened")
        } catch let error as RegistryError {
            return error
        } catch {
            Issue.record("\(path): \(error)")
        }
        return nil
    }

    /// An empty file stays empty (SQLite would make it a database), for writing and reading commands alike.
    @Test func anEmptyFileIsRefusedAndLeftEmpty() throws {
        let dir = try TemporaryDirectory("workspace-file")
        defer { dir.remove() }
        let path = dir.file("empty.onecheck").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        for access in [WorkspaceAccess.readWrite, .readOnly] {
            #expect(Self.refusal(path, access) == .notAWorkspace(path: path, reason: "an empty file"))
            let (bytes, companions) = try Self.state(path)
            #expect(bytes.isEmpty && companions.isEmpty, "\(bytes.count) bytes, \(companions)")
        }
    }

    /// An SQLite database of another application is refused byte for byte unchanged: not switched to WAL mode, no
    /// `-wal` or `-shm` file made beside it.
    @Test func aForeignDatabaseIsRefusedUnchanged() throws {
        let dir = try TemporaryDirectory("workspace-file")
        defer { dir.remove() }
        let path = dir.file("other.sqlite").path
        do {
            let queue = try DatabaseQueue(path: path)
            try queue.write { db in try db.execute(sql: "CREATE TABLE t(x); INSERT INTO t VALUES (1)") }
            try queue.close()
        }
        let before = try Self.state(path)
        #expect(before.companions.isEmpty)
        for access in [WorkspaceAccess.readWrite, .readOnly] {
            guard case let .notAWorkspace(refused, reason)? = Self.refusal(path, access) else {
                Issue.record("not refused as a foreign file")
                continue
            }
            #expect(refused == path && reason.contains("without a OneCheck application id"))
            let after = try Self.state(path)
            #expect(after.bytes == before.bytes && after.companions.isEmpty, "\(after.companions)")
        }
        let message = RegistryError.notAWorkspace(path: path, reason: "x").description
        #expect(message.hasPrefix(path) && message.contains("nothing was changed"))
    }

    /// A text file and a directory are refused with what they are, not with SQLite's "file is not a database".
    @Test func otherFilesAreRefusedByWhatTheyAre() throws {
        let dir = try TemporaryDirectory("workspace-file")
        defer { dir.remove() }
        let text = dir.file("notes.txt").path
        try "entity_id,grade\n".write(toFile: text, atomically: true, encoding: .utf8)
        #expect(Self.refusal(text, .readWrite) == .notAWorkspace(path: text, reason: "not an SQLite database"))
        #expect(try String(contentsOfFile: text, encoding: .utf8) == "entity_id,grade\n")
        #expect(Self.refusal(dir.url.path, .readOnly) == .notAWorkspace(path: dir.url.path, reason: "a directory"))
    }

    /// A store opened read-only reads, and refuses every write without touching the file.
    @Test func aReadOnlyStoreNeverWrites() throws {
        let city = try Fixtures.City(entities: 6)
        defer { city.directory.remove() }
        let path = try city.workspace().location
        let reader = try Workspace.open(at: path, access: .readOnly)
        #expect(reader.store.isReadOnly)
        #expect(try reader.auditLog().count == 4)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(throws: RegistryError.workspaceReadOnly(path: path, reason: "it was opened for reading only")) {
            try reader.importCSV(.departments, from: city.directory.file("departments.csv"))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    // MARK: - A second writer

    static let holdDatabase = "ONECHECK_REGISTRY_HOLD_DB"
    static let holdMarker = "ONECHECK_REGISTRY_HOLD_MARKER"
    static let holdSeconds = "ONECHECK_REGISTRY_HOLD_SECONDS"

    /// Starts this test binary again as a process that holds the workspace's write lock for `seconds` (or until
    /// killed), and returns once it holds it.
    static func holdWriteLock(on path: String, seconds: Double, marker: URL) throws -> Process {
        let child = Process()
        child.executableURL = try ReliabilityTests.testBinary()
        child.arguments = ["--testing-library", "swift-testing", "--filter", "holdWriteLockUntilKilled"]
        var environment = ProcessInfo.processInfo.environment
        environment[holdDatabase] = path
        environment[holdMarker] = marker.path
        environment[holdSeconds] = String(seconds)
        child.environment = environment
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        try child.run()
        let deadline = Date().addingTimeInterval(120)
        while !FileManager.default.fileExists(atPath: marker.path), child.isRunning, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
        }
        guard FileManager.default.fileExists(atPath: marker.path) else {
            kill(child.processIdentifier, SIGKILL)
            throw RegistryError.invalidArgument(name: "child", value: "\(child.terminationStatus)", expected: "a lock holder")
        }
        return child
    }

    /// The child side: takes the write lock (`BEGIN IMMEDIATE`), signals, holds it.
    @Test(.enabled(if: ProcessInfo.processInfo.environment[holdDatabase] != nil))
    func holdWriteLockUntilKilled() throws {
        let environment = ProcessInfo.processInfo.environment
        let queue = try DatabaseQueue(path: environment[Self.holdDatabase]!)
        let seconds = Double(environment[Self.holdSeconds] ?? "") ?? 3600
        try queue.inTransaction(.immediate) { db in
            try db.execute(sql: "INSERT INTO workspace_settings(key, value) VALUES ('held', 'yes')")
            _ = FileManager.default.createFile(atPath: environment[Self.holdMarker]!, contents: Data())
            Thread.sleep(forTimeInterval: seconds)
            return .rollback
        }
    }

    /// While another process holds the write lock, a writer waits `wait` seconds, then fails with
    /// `RegistryError.workspaceBusy` naming the workspace — not SQLite's "database is locked" — and nothing of its
    /// import is written. Reads go on meanwhile.
    @Test func aSecondWriterWaitsItsTimeThenFailsByName() throws {
        let city = try Fixtures.City(entities: 6)
        defer { city.directory.remove() }
        let path = try city.workspace().location
        let child = try Self.holdWriteLock(on: path, seconds: 3600, marker: city.directory.file("held"))
        defer { kill(child.processIdentifier, SIGKILL); child.waitUntilExit() }
        let started = Date()
        do {
            let writer = try Workspace.open(at: path, access: .readWrite(wait: 0.5))
            try writer.importCSV(.departments, from: city.directory.file("departments.csv"))
            Issue.record("the import wrote while another process held the lock")
        } catch let error as RegistryError {
            let waited = Date().timeIntervalSince(started)
            #expect(error == .workspaceBusy(path: path, waited: 0.5))
            #expect(waited >= 0.45 && waited < 10, "waited \(waited) s")
            #expect(error.description.hasPrefix(path) && error.description.contains("another onecheck process")
                    && error.description.contains("--wait"), "\(error)")
        }
        let reader = try Workspace.open(at: path, access: .readOnly)
        #expect(try reader.auditLog().count == 4)
    }

    /// A writer whose wait outlasts the other process's transaction goes ahead once the lock is released.
    @Test func aWriterWithinItsWaitGoesAhead() throws {
        let city = try Fixtures.City(entities: 6)
        defer { city.directory.remove() }
        let path = try city.workspace().location
        let child = try Self.holdWriteLock(on: path, seconds: 1, marker: city.directory.file("held"))
        defer { kill(child.processIdentifier, SIGKILL); child.waitUntilExit() }
        let started = Date()
        let writer = try Workspace.open(at: path, access: .readWrite(wait: 60))
        try writer.importCSV(.departments, from: city.directory.file("departments.csv"))
        #expect(Date().timeIntervalSince(started) > 0.2, "the import did not wait for the lock")
        #expect(try writer.auditLog().count == 5)
    }
}
