import Console
import Foundation
import Hummingbird
import NIOCore

/// The console served for real on a loopback port chosen by the system, for the browser and TLS tests.
final class LiveConsole: Sendable {
    let task: Task<Void, any Error>
    let port: Int

    init(_ console: Console) async throws {
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        let app = try console.application { channel in
            continuation.yield(channel.localAddress?.port ?? 0)
            continuation.finish()
        }
        // A server that fails to start (a port taken) ends the stream, so the wait below cannot hang.
        task = Task {
            defer { continuation.finish() }
            try await app.runService()
        }
        var iterator = stream.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            task.cancel()
            throw WebDriver.Failure(description: "the console did not start")
        }
        self.port = port
    }

    func url(_ path: String, scheme: String = "http") -> String { "\(scheme)://127.0.0.1:\(port)\(path)" }

    func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}
