import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.1 client for JSON requests to a server on 127.0.0.1 (chromedriver), over a blocking socket
/// run on a thread of its own: never on the concurrency pool (two threads here, which tests that run the binary
/// hold while they wait on it) nor on Dispatch's global queue, whose few threads (about one per core) the in-process
/// plans of other tests also use (`concurrentPerform`). A read waits there for chromedriver, which waits for the
/// console (``ServedConsole``, a process of its own), so the wait holds no thread another test needs.
///
/// Why not URLSession: on this Linux Foundation every request to chromedriver fails with NSURLErrorDomain -1
/// "Failed writing header" (seen with both the async and the completion-handler APIs), while curl talks to it fine.
enum LoopbackHTTP {
    struct Failure: Error, CustomStringConvertible { var description: String }

    static func request(port: Int, method: String, path: String, body: Data?, timeout: Int = 120) async throws -> (Int, Data) {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result { try blockingRequest(port: port, method: method, path: path, body: body, timeout: timeout) })
            }.start()
        }
    }

    static func blockingRequest(port: Int, method: String, path: String, body: Data?, timeout: Int) throws -> (Int, Data) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket") }
        defer { close(fd) }
        var time = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure(description: "connect to 127.0.0.1:\(port) failed") }
        let payload = body ?? Data()
        var request = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        request += "Content-Type: application/json; charset=utf-8\r\nContent-Length: \(payload.count)\r\n\r\n"
        let bytes = Array(request.utf8) + Array(payload)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { throw Failure(description: "send failed") }
            sent += n
        }
        var response = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        // Read until the body is complete (Content-Length, or the last chunk): chromedriver keeps the connection open.
        func complete() -> Bool {
            guard let split = find([13, 10, 13, 10], in: response) else { return false }
            let head = String(decoding: response[..<split], as: UTF8.self).lowercased()
            if let line = head.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
               let length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) {
                return response.count - split - 4 >= length
            }
            if head.contains("transfer-encoding: chunked") { return response.suffix(5).elementsEqual([48, 13, 10, 13, 10]) }
            return false
        }
        while !complete() {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n < 0 { throw Failure(description: "no answer from 127.0.0.1:\(port) within \(timeout) s") }
            if n == 0 { break }
            response += buffer[0..<n]
        }
        guard let split = find([13, 10, 13, 10], in: response) else { throw Failure(description: "no HTTP header") }
        let head = String(decoding: response[..<split], as: UTF8.self)
        var content = Array(response[(split + 4)...])
        let status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
        if head.lowercased().contains("transfer-encoding: chunked") { content = dechunk(content) }
        return (status, Data(content))
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
        return nil
    }

    static func dechunk(_ body: [UInt8]) -> [UInt8] {
        var out = [UInt8](), i = 0
        while i < body.count {
            guard let end = find([13, 10], in: Array(body[i...])) else { break }
            let size = Int(String(decoding: body[i..<(i + end)], as: UTF8.self).split(separator: ";")[0], radix: 16) ?? 0
            if size == 0 { break }
            let start = i + end + 2
            out += body[start..<min(start + size, body.count)]
            i = start + size + 2
        }
        return out
    }
}
