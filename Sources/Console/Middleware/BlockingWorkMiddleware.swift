import Foundation
import Hummingbird
import NIOPosix

/// Runs the rest of each request — the other middleware and the handler — on the console's pool for blocking
/// work (``requestPool``) instead of Swift's cooperative pool.
///
/// Why: the workspace's calls are synchronous. On SQLite they block in the engine; on PostgreSQL each statement
/// blocks its caller until the reply (`PostgresSession`, `wait()`). Hummingbird runs handlers on the cooperative
/// pool, which has one thread per core and also carries the server's connections: two requests waiting on the
/// database would stop every other request on a 2-core machine. A job that waits on a pool thread holds no
/// cooperative thread, and never an event loop (where postgres-nio's replies arrive, and where `wait()` would
/// trap). Must be the first middleware, so that nothing of the request blocks elsewhere.
public struct BlockingWorkMiddleware: RouterMiddleware {
    public typealias Context = ConsoleContext
    static let executor = ThreadPoolTaskExecutor(pool: requestPool)

    /// The pool requests run on: its own, not `NIOThreadPool.singleton`, which has one thread per core and also
    /// carries the CPU-bound password checks (bcrypt, ``Passwords``). Requests mostly wait — on SQLite's locks
    /// or PostgreSQL's replies — so there are more threads than cores, and a burst of logins queued on the
    /// singleton never holds a page back. Started once, never shut down (it lives as long as the process).
    static let requestPool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: max(8, 4 * ProcessInfo.processInfo.activeProcessorCount))
        pool.start()
        return pool
    }()

    public func handle(_ request: Request, context: ConsoleContext,
                       next: (Request, ConsoleContext) async throws -> Response) async throws -> Response {
        try await withTaskExecutorPreference(Self.executor) { try await next(request, context) }
    }
}

/// A task executor that runs each job on a thread of `pool`.
final class ThreadPoolTaskExecutor: TaskExecutor {
    let pool: NIOThreadPool

    init(pool: NIOThreadPool) { self.pool = pool }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        // The pool is never shut down, so every job runs (`state` is `.active`).
        pool.submit { _ in job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
