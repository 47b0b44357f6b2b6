import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A small W3C WebDriver client over HTTP JSON (``LoopbackHTTP``), for Debian's `chromium` driven by `chromedriver`.
/// Only what the console's browser tests use: open a session, set the window, navigate, find elements, read text
/// and attributes, type, click, read the page, take a screenshot.
final class WebDriver {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let driver: Process
    let port: Int
    let session: String

    static let chromium = "/usr/bin/chromium"
    static let chromedriver = "/usr/bin/chromedriver"

    /// Whether the browser is installed; under `CI` its absence fails the tests instead of skipping them.
    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: chromium) && FileManager.default.isExecutableFile(atPath: chromedriver)
    }

    static var shouldRun: Bool { available || SharedData.isCI }

    /// Starts chromedriver on a free loopback port and a headless session.
    init() async throws {
        guard Self.available else {
            throw Failure(description: "chromium and chromium-driver are not installed (scripts/install-deps.sh installs them)")
        }
        let port = try Self.freePort()
        driver = Process()
        driver.executableURL = URL(fileURLWithPath: Self.chromedriver)
        driver.arguments = ["--port=\(port)", "--allowed-ips=127.0.0.1"]
        driver.standardOutput = FileHandle.nullDevice
        driver.standardError = FileHandle.nullDevice
        try driver.run()
        self.port = port
        var ready = false
        for _ in 0..<100 where !ready {
            try await Task.sleep(nanoseconds: 100_000_000)
            if let status = try? await Self.request(port, "/status", method: "GET", body: nil),
               (status["value"] as? [String: Any])?["ready"] as? Bool == true { ready = true }
        }
        guard ready else {
            kill(driver.processIdentifier, SIGKILL)
            throw Failure(description: "chromedriver did not start")
        }
        let capabilities: [String: Any] = ["capabilities": ["alwaysMatch": [
            "browserName": "chrome",
            "goog:chromeOptions": ["binary": Self.chromium,
                                   "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                            "--hide-scrollbars", "--lang=zh-CN", "--window-size=1280,900",
                                            "--force-device-scale-factor=1"]],
        ]]]
        let created = try await Self.request(port, "/session", method: "POST", body: capabilities)
        guard let value = created["value"] as? [String: Any], let id = value["sessionId"] as? String else {
            kill(driver.processIdentifier, SIGKILL)
            throw Failure(description: "no session: \(created)")
        }
        session = id
    }

    /// Ends the session and the driver.
    func quit() async {
        _ = try? await command("DELETE", "", nil)
        // SIGTERM, then SIGKILL after 5 s (Foundation's waitUntilExit spins on a non-main thread here).
        driver.terminate()
        for _ in 0..<50 where driver.isRunning { try? await Task.sleep(nanoseconds: 100_000_000) }
        if driver.isRunning { kill(driver.processIdentifier, SIGKILL) }
    }

    static func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) }
        }
        guard bound == 0 else { throw Failure(description: "no free port") }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func request(_ port: Int, _ path: String, method: String, body: [String: Any]?) async throws -> [String: Any] {
        let payload = try body.map { try JSONSerialization.data(withJSONObject: $0) }
        let (_, data) = try await LoopbackHTTP.request(port: port, method: method, path: path, body: payload)
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw Failure(description: "not JSON: \(String(decoding: data.prefix(200), as: UTF8.self))")
        }
        return object
    }

    @discardableResult
    func command(_ method: String, _ path: String, _ body: [String: Any]?) async throws -> Any? {
        let response = try await Self.request(port, "/session/\(session)" + path, method: method,
                                              body: body ?? (method == "POST" ? [:] : nil))
        if let value = response["value"] as? [String: Any], let error = value["error"] as? String {
            throw Failure(description: "\(method) \(path): \(error): \(value["message"] ?? "")")
        }
        return response["value"]
    }

    func setWindow(width: Int, height: Int) async throws {
        try await command("POST", "/window/rect", ["width": width, "height": height])
    }

    func open(_ url: String) async throws { try await command("POST", "/url", ["url": url]) }

    var source: String { get async throws { try await command("GET", "/source", nil) as? String ?? "" } }

    var currentURL: String { get async throws { try await command("GET", "/url", nil) as? String ?? "" } }

    /// The ids of the elements matching a CSS selector.
    func elements(_ css: String) async throws -> [String] {
        let value = try await command("POST", "/elements", ["using": "css selector", "value": css]) as? [[String: Any]] ?? []
        return value.compactMap { $0.values.first as? String }
    }

    func text(_ element: String) async throws -> String {
        try await command("GET", "/element/\(element)/text", nil) as? String ?? ""
    }

    /// The visible text of every element matching `css`.
    func texts(_ css: String) async throws -> [String] {
        var result: [String] = []
        for element in try await elements(css) { result.append(try await text(element)) }
        return result
    }

    func type(_ css: String, _ text: String) async throws {
        guard let element = try await elements(css).first else { throw Failure(description: "no \(css)") }
        try await command("POST", "/element/\(element)/clear", [:])
        try await command("POST", "/element/\(element)/value", ["text": text])
    }

    func select(_ css: String, value: String) async throws {
        guard let option = try await elements("\(css) option[value=\"\(value)\"]").first else {
            throw Failure(description: "no option \(value) in \(css)")
        }
        try await command("POST", "/element/\(option)/click", [:])
    }

    /// Waits (up to 10 s) until the current URL contains `text`: a form's submission has landed.
    func waitForURL(containing text: String) async throws {
        for _ in 0..<100 {
            if try await currentURL.contains(text) { return }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        throw Failure(description: "the page did not reach a URL containing \(text); at \(try await currentURL)")
    }

    func click(_ css: String) async throws {
        guard let element = try await elements(css).first else { throw Failure(description: "no \(css)") }
        try await command("POST", "/element/\(element)/click", [:])
    }

    /// The page's screenshot as PNG bytes.
    func screenshot() async throws -> [UInt8] {
        guard let text = try await command("GET", "/screenshot", nil) as? String, let data = Data(base64Encoded: text) else {
            throw Failure(description: "no screenshot")
        }
        return Array(data)
    }

    /// The page's width as laid out: wider than the window means the page scrolls sideways.
    func scrollWidth() async throws -> Int {
        // No script runs in the page (CSP), so the width is read from the root element's rect.
        guard let root = try await elements("html").first,
              let rect = try await command("GET", "/element/\(root)/rect", nil) as? [String: Any] else { return 0 }
        return (rect["width"] as? Double).map { Int($0) } ?? (rect["width"] as? Int ?? 0)
    }
}

extension WebDriver {
    /// Runs a script through the driver (the page's own CSP forbids scripts; the driver's are not the page's).
    func script(_ source: String) async throws -> Any? {
        try await command("POST", "/execute/sync", ["script": source, "args": [Any]()])
    }
}
