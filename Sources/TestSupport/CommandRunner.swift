import Foundation
import Synchronization

/// Runs the built `onecheck` binary, as a user would, and captures what it prints.
public struct CommandResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

public enum OneCheckBinary {
    /// The `onecheck` executable next to the test bundle (`.build/<config>/onecheck`).
    public static var url: URL {
        // The test runner lives in the products directory (Linux: `<Package>PackageTests.xctest` is an executable
        // there; macOS: inside the .xctest bundle one level deeper).
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("onecheck")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir.deleteLastPathComponent()
        }
        return SharedData.repositoryRoot.appendingPathComponent(".build/debug/onecheck")
    }

    /// Runs `onecheck arguments…` with an optional working directory and returns its status and output.
    @discardableResult
    public static func run(_ arguments: [String], in directory: URL? = nil) throws -> CommandResult {
        try ProcessRunner.run(url, arguments, in: directory)
    }
}

public enum ProcessRunner {
    /// Runs `executable arguments…` and returns its exit status and what it printed.
    public static func run(_ executable: URL, _ arguments: [String], in directory: URL? = nil,
                           environment: [String: String]? = nil) throws -> CommandResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if let environment { process.environment = environment }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Drain both pipes concurrently, so a chatty child cannot block on a full pipe; on a thread of its own, as
        // Dispatch's few global threads may be busy with other tests' parallel work for a long while.
        let box = OutputBox()
        let drained = DispatchSemaphore(value: 0)
        Thread {
            let data = out.fileHandleForReading.readDataToEndOfFile()
            box.data.withLock { $0 = data }
            drained.signal()
        }.start()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        drained.wait()
        process.waitUntilExit()
        return CommandResult(status: process.terminationStatus, stdout: String(decoding: box.data.withLock { $0 }, as: UTF8.self),
                             stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Standard output read on another thread, handed back under a lock.
    private final class OutputBox: Sendable { let data = Mutex(Data()) }
}
