import Foundation

/// Locations used by the test suites: the repository root, the bundled `datasets/` and `models/`,
/// and the read-only `../shared/datasets/` beside the checkout.
///
/// Tests that need `../shared` must *fail* (not skip) when the `CI` environment variable is set and the
/// data is missing, so a broken CI checkout can never look green. Locally, without `CI`, they are skipped.
public enum SharedData {
    /// The repository root, found from this file's compile-time path.
    public static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        // Sources/TestSupport/SharedData.swift → repository root
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    /// `../shared/datasets` beside the checkout (or `$ONECHECK_SHARED` when set).
    public static let sharedDatasets: URL = {
        if let override = ProcessInfo.processInfo.environment["ONECHECK_SHARED"] {
            return URL(fileURLWithPath: override).appendingPathComponent("datasets")
        }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/datasets")
    }()

    public static var isCI: Bool {
        let value = ProcessInfo.processInfo.environment["CI"] ?? ""
        return !value.isEmpty && value != "0" && value.lowercased() != "false"
    }

    /// True when the shared file exists, or when we are under CI (so the test runs and fails loudly).
    /// Use as `@Test(.enabled(if: SharedData.shouldRun("german-credit/germancredit.csv")))`.
    public static func shouldRun(_ relativePath: String) -> Bool {
        isCI || FileManager.default.fileExists(atPath: sharedDatasets.appendingPathComponent(relativePath).path)
    }

    public struct Missing: Error, CustomStringConvertible {
        public let path: String
        public var description: String { "shared dataset missing: \(path) (CI requires ../shared/datasets)" }
    }

    /// The URL of a shared dataset file; throws `Missing` when it is absent.
    public static func url(_ relativePath: String) throws -> URL {
        let url = sharedDatasets.appendingPathComponent(relativePath)
        guard FileManager.default.fileExists(atPath: url.path) else { throw Missing(path: url.path) }
        return url
    }

    /// A bundled file of this repository (`datasets/…`, `models/…`).
    public static func bundled(_ relativePath: String) -> URL {
        repositoryRoot.appendingPathComponent(relativePath)
    }
}

/// A fresh temporary directory, removed by `remove()`.
public struct TemporaryDirectory {
    public let url: URL
    public init(_ label: String = "onecheck") throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    public func file(_ name: String) -> URL { url.appendingPathComponent(name) }
    public func remove() { try? FileManager.default.removeItem(at: url) }
}
