import Foundation
import OneCheckUtilities
import Supervision

/// Where `verify` and `adjust` find the input files a manifest records.
///
/// For each role, in order:
/// 1. the path given on the command line (``overrides``), if any;
/// 2. the recorded path — relative to the manifest's own directory in a v2 manifest, so a plan directory can be
///    verified from any working directory and moved together with its inputs; as given to `plan` (relative to the
///    directory `plan` ran in) in a v1 manifest — when a file is there;
/// 3. else, with a ``searchDirectory``, the file of that directory whose SHA-256 is the recorded one (the file
///    with the recorded name first, then every other file), so inputs can be collected in one place.
///
/// The file found is not trusted: ``PlanVerification/rederive(manifest:paths:)`` still compares every input's
/// SHA-256 with the manifest.
public struct InputLocator: Sendable {
    /// Role → path given on the command line.
    public var overrides: [String: String]
    /// A directory to search by SHA-256 for inputs whose recorded path does not resolve.
    public var searchDirectory: String?

    public init(overrides: [String: String] = [:], searchDirectory: String? = nil) {
        self.overrides = overrides
        self.searchDirectory = searchDirectory
    }

    /// The input paths for `manifest`, read from `manifestPath`.
    /// - Throws: ``PlanError/inputNotFound(role:recorded:tried:searched:)`` for an input found nowhere.
    public func paths(for manifest: PlanManifest, at manifestPath: String) throws -> PlanInputPaths {
        let base = Self.directory(of: manifestPath)
        var found: [String: String] = [:]
        var digests: [String: String]? = nil  // path → SHA-256 of the search directory's files, computed once
        for role in PlanInputPaths.roles {
            if let given = overrides[role] {
                found[role] = given
                continue
            }
            guard let input = manifest.inputs[role] else { continue }
            let candidate = manifest.format == .v1 || input.path.hasPrefix("/") ? input.path : base + "/" + input.path
            if Self.isFile(candidate) {
                found[role] = candidate
                continue
            }
            guard let searchDirectory else {
                throw PlanError.inputNotFound(role: role, recorded: input.path, tried: candidate, searched: nil)
            }
            if digests == nil { digests = [:] }
            guard let match = try Self.find(input, in: searchDirectory, digests: &digests!) else {
                throw PlanError.inputNotFound(role: role, recorded: input.path, tried: candidate, searched: searchDirectory)
            }
            found[role] = match
        }
        guard let paths = PlanInputPaths(named: found) else {
            let missing = PlanInputPaths.requiredRoles.sorted().first { found[$0] == nil }!
            throw PlanError.inputNotFound(role: missing, recorded: "", tried: "", searched: nil)
        }
        return paths
    }

    /// The directory part of `path` (`.` for a bare file name), kept relative when `path` is.
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func isFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    /// The file of `directory` with `input`'s digest: the one with the recorded name first, then the others in
    /// UTF-8 order of their names.
    static func find(_ input: PlanManifest.Input, in directory: String, digests: inout [String: String]) throws -> String? {
        let recordedName = URL(fileURLWithPath: input.path).lastPathComponent
        var names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted { $0.utf8Precedes($1) }
        if let first = names.firstIndex(of: recordedName) { names.insert(names.remove(at: first), at: 0) }
        for name in names {
            let path = directory + "/" + name
            guard isFile(path) else { continue }
            if digests[path] == nil { digests[path] = try FileDigest.sha256Hex(path: path) }
            if digests[path] == input.sha256 { return path }
        }
        return nil
    }
}
