import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// One connection to the server, used synchronously: the single place where the registry's synchronous protocol
/// meets postgres-nio's event-loop API.
///
/// Every call sends its statement on NIO's event loops and blocks the calling thread on the reply (`wait()`); the
/// work itself never runs on the caller's thread, so a caller on a thread of Swift's cooperative pool blocks only
/// itself. A session is used by one thread at a time (the transaction that owns it) and is not `Sendable`.
struct PostgresSession {
    let connection: PostgresConnection
    let logger: Logger

    private static let logger = Logger(label: "onecheck.registry.postgres")

    /// Opens a connection to `location`.
    static func connect(_ location: PostgresLocation) throws -> PostgresSession {
        var configuration: PostgresConnection.Configuration
        if let directory = location.socketDirectory {
            configuration = .init(unixSocketPath: directory + "/.s.PGSQL.\(location.port)", username: location.user,
                                  password: location.password, database: location.database)
        } else {
            configuration = .init(host: location.host, port: location.port, username: location.user,
                                  password: location.password, database: location.database, tls: try tls(location))
        }
        configuration.options.connectTimeout = .seconds(10)
        let eventLoop = MultiThreadedEventLoopGroup.singleton.next()
        let connection = try PostgresConnection.connect(on: eventLoop, configuration: configuration, id: 1,
                                                        logger: logger).wait()
        return PostgresSession(connection: connection, logger: logger)
    }

    private static func tls(_ location: PostgresLocation) throws -> PostgresConnection.Configuration.TLS {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch location.tls {
        case .disable: return .disable
        case .prefer, .require: tls.certificateVerification = .none
        case .verifyFull:
            tls.certificateVerification = .fullVerification
            if let root = location.rootCertificate { tls.trustRoots = .file(root) }
        }
        let context = try NIOSSLContext(configuration: tls)
        return location.tls == .prefer ? .prefer(context) : .require(context)
    }

    func close() {
        try? connection.close().wait()
    }

    /// Runs one statement and returns its rows.
    @discardableResult
    func query(_ sql: String, _ binds: [PostgresBind] = []) throws -> [PostgresRow] {
        var bindings = PostgresBindings(capacity: binds.count)
        for bind in binds { bind.append(to: &bindings) }
        return try connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger).wait().rows
    }

    /// `COPY table(columns) FROM STDIN` with `data` in PostgreSQL's text format (tab-separated, `\N` for NULL,
    /// see ``PostgresCopyText``).
    ///
    /// postgres-nio offers COPY only as `async`. Its task runs on the connection's event loop (a task executor
    /// over it, below) and is awaited through a promise like every other statement — never on Swift's cooperative
    /// pool, whose few threads may all be callers blocked in `wait()`.
    func copy(into table: String, columns: [String], data: ByteBuffer) throws {
        let connection = connection, logger = logger
        let promise = connection.eventLoop.makePromise(of: Void.self)
        Task(executorPreference: EventLoopTaskExecutor(connection.eventLoop)) {
            do {
                try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
                    try await writer.write(data)
                }
                promise.succeed()
            } catch {
                promise.fail(error)
            }
        }
        try promise.futureResult.wait()
    }
}

/// A task executor that runs jobs on one NIO event loop.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

/// A bound argument.
enum PostgresBind {
    case text(String?)
    case integer(Int?)
    case real(Double?)
    case texts([String])
    case integers([Int])
    case reals([Double])

    func append(to bindings: inout PostgresBindings) {
        switch self {
        case let .text(value): bindings.append(value)
        case let .integer(value): bindings.append(value)
        case let .real(value): bindings.append(value)
        case let .texts(values): bindings.append(values)
        case let .integers(values): bindings.append(values)
        case let .reals(values): bindings.append(values)
        }
    }
}

extension PostgresBind: ExpressibleByStringLiteral {
    init(stringLiteral value: String) { self = .text(value) }
}

/// Reading cells by position, with the registry's storage failure when a value does not decode.
extension PostgresRow {
    func cell(_ index: Int) -> PostgresCell {
        self[self.index(startIndex, offsetBy: index)]
    }

    func isNull(_ index: Int) -> Bool { cell(index).bytes == nil }

    func string(_ index: Int) throws -> String {
        let cell = cell(index)
        guard cell.bytes != nil else { throw StoredValueError(table: "result", column: cell.columnName, value: "NULL") }
        return try cell.decode(String.self)
    }

    func optionalString(_ index: Int) throws -> String? { isNull(index) ? nil : try string(index) }

    func int(_ index: Int) throws -> Int {
        let cell = cell(index)
        guard cell.bytes != nil else { throw StoredValueError(table: "result", column: cell.columnName, value: "NULL") }
        return try cell.decode(Int.self)
    }

    func optionalInt(_ index: Int) throws -> Int? { isNull(index) ? nil : try int(index) }

    func double(_ index: Int) throws -> Double {
        let cell = cell(index)
        guard cell.bytes != nil else { throw StoredValueError(table: "result", column: cell.columnName, value: "NULL") }
        return try cell.decode(Double.self)
    }

    func optionalDouble(_ index: Int) throws -> Double? { isNull(index) ? nil : try double(index) }

    func bool(_ index: Int) throws -> Bool { try cell(index).decode(Bool.self) }

    /// A value parsed from its text by `parse` (dates, periods, grades, codes), or a storage failure naming it.
    func parsed<Value>(_ index: Int, in table: String, _ parse: (String) -> Value?) throws -> Value {
        let text = try string(index)
        guard let value = parse(text) else {
            throw StoredValueError(table: table, column: cell(index).columnName, value: text)
        }
        return value
    }

    /// The cell as the export writes it.
    func stored(_ index: Int) throws -> StoredValue {
        let cell = cell(index)
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8: return .integer(Int64(try cell.decode(Int.self)))
        case .float4, .float8: return .real(try cell.decode(Double.self))
        case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
        default: return .text(try cell.decode(String.self))
        }
    }
}

/// PostgreSQL's COPY text format: one line per row, fields separated by tabs, `\N` for NULL, and backslash,
/// tab, newline and carriage return escaped.
struct PostgresCopyText {
    private(set) var buffer = ByteBuffer()
    private(set) var rows = 0

    mutating func field(_ value: String?, last: Bool = false) {
        if let value {
            var needsEscape = false
            for byte in value.utf8 where byte == 0x5C || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                needsEscape = true
                break
            }
            if needsEscape {
                var escaped = ""
                for character in value.unicodeScalars {
                    switch character {
                    case "\\": escaped += "\\\\"
                    case "\t": escaped += "\\t"
                    case "\n": escaped += "\\n"
                    case "\r": escaped += "\\r"
                    default: escaped.unicodeScalars.append(character)
                    }
                }
                buffer.writeString(escaped)
            } else {
                buffer.writeString(value)
            }
        } else {
            buffer.writeStaticString("\\N")
        }
        if last {
            buffer.writeInteger(UInt8(0x0A))
            rows += 1
        } else {
            buffer.writeInteger(UInt8(0x09))
        }
    }
}
