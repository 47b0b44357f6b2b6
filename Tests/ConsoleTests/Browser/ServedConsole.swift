import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The console served for real by `onecheck serve` on a loopback port chosen by the system, for the browser, serve and
/// TLS tests: the binary a user runs, in a process of its own.
///
/// Why a process and not the console in the test process: the console answers on Swift's cooperative pool, which
/// in the test process is two threads on two cores shared with every other test, and tests that run the binary
/// wait on it there. A page the browser asked for then waited behind them — once for longer than the browser
/// driver's 120 s. A server of its own has its own pool, as in use.
final class ServedConsole {
    struct Failure: Error, CustomStringConvertible { var description: String }

    let process: Process
    let port: Int
    let scheme: String
    /// The server's standard error, kept for the failure messages.
    let log: URL

    /// Starts `onecheck serve -w workspace --listen 127.0.0.1:0 arguments…` in `directory` and waits for the line
    /// that names its address; a server that fails to start ends its output instead, and the error quotes its log.
    init(workspace: String, in directory: URL, _ arguments: [String] = [], scheme: String = "http") async throws {
        let process = Process()
        process.executableURL = OneCheckBinary.url
        process.arguments = ["serve", "-w", workspace, "--listen", "127.0.0.1:0"] + arguments
        process.currentDirectoryURL = directory
        let log = directory.appendingPathComponent("serve-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let out = Pipe()
        process.standardOutput = out
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        // The first line on standard output names the address; later output is drained so the server never blocks
        // on a full pipe. Read on a thread of its own, for the reason above.
        let line: String? = await withCheckedContinuation { continuation in
            Thread {
                var data = Data(), answered = false
                while true {
                    let chunk = out.fileHandleForReading.availableData
                    if chunk.isEmpty { break }
                    if !answered {
                        data += chunk
                        if let end = data.firstIndex(of: UInt8(ascii: "\n")) {
                            continuation.resume(returning: String(decoding: data[..<end], as: UTF8.self))
                            answered = true
                        }
                    }
                }
                if !answered { continuation.resume(returning: nil) }
            }.start()
        }
        let prefix = "console: \(scheme)://127.0.0.1:"
        guard let line, line.hasPrefix(prefix), let port = Int(line.dropFirst(prefix.count).prefix { $0.isNumber }) else {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            let stderr = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            throw Failure(description: "onecheck serve did not start: \(line ?? "no output"); \(stderr.suffix(2000))")
        }
        self.process = process
        self.port = port
        self.scheme = scheme
        self.log = log
    }

    func url(_ path: String, scheme: String? = nil) -> String { "\(scheme ?? self.scheme)://127.0.0.1:\(port)\(path)" }

    /// A server left running by a test that threw before ``stop()`` is not left behind.
    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Stops the server: SIGTERM, then SIGKILL after 10 s.
    func stop() async {
        process.terminate()
        for _ in 0..<100 where process.isRunning { try? await Task.sleep(nanoseconds: 100_000_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
