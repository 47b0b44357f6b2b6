#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization

/// Everything that can be read from `path` until its end (for a FIFO: until every writer has closed it).
public func readToEnd(_ path: String) -> Data {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { return Data() }
    defer { close(fd) }
    var data = Data()
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = read(fd, &buffer, buffer.count)
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { return data }
        data.append(contentsOf: buffer[..<n])
    }
}

/// What a reader thread received from a FIFO.
public final class Received: Sendable {
    private let bytes = Mutex(Data())
    /// The bytes read; set by the reader thread before `done` is signalled, read after.
    public var data: Data {
        get { bytes.withLock { $0 } }
        set { bytes.withLock { $0 = newValue } }
    }
    public let done = DispatchSemaphore(value: 0)
    public init() {}

    /// Waits up to `seconds` for the reader of the FIFO at `path`; if no writer came (a program that replaced the
    /// FIFO instead of writing to it), opens it once for writing so the reader sees its end. Returns whether the
    /// reader finished on its own.
    public func wait(forReaderOf path: String, seconds: Double = 60) -> Bool {
        if done.wait(timeout: .now() + seconds) == .success { return true }
        let fd = open(path, O_WRONLY | O_NONBLOCK)
        if fd >= 0 { close(fd) }
        _ = done.wait(timeout: .now() + 5)
        return false
    }
}

/// A device number of a small major and minor (the encoding `makedev` gives them on Linux), for `mknod` in a
/// temporary directory (as root): `device(1, 3)` is a null device, `device(1, 7)` a full one.
public func device(_ major: UInt32, _ minor: UInt32) -> dev_t { dev_t((major & 0xfff) << 8 | (minor & 0xff)) }
