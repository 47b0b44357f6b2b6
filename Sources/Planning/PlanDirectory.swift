#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import OneCheckUtilities
import Supervision
import Tables

/// The output directory of `onecheck plan` and `onecheck adjust`: the one definition of its files, their formats
/// (`PLAN_FORMATS.md`), how they are written and how they are read back.
///
/// - **The set.** `plan.csv` (the work plan), `targets.csv` (the public target list), `quota-report.csv`,
///   `workload.csv`, `inclusion.csv` (π, ``InclusionFile``) and `manifest.json`; the directory holds nothing else.
/// - **Writing** (``write(_:inputs:inputFiles:frame:)``) replaces the whole set in one atomic exchange of
///   directories (`Tables.OutputSet`): after a full disk, a kill, a signal or a late error the previous set is
///   still whole, and a reader never sees a new `plan.csv` beside an old manifest. SIGINT, SIGTERM and SIGHUP
///   remove the staging directory (`Tables.TemporaryFiles`); a staging directory left by a killed (SIGKILL)
///   process is removed by the next write into the same directory.
/// - **The manifest** (format ``PlanManifest/Format/v3``) records the SHA-256 of every other file of the set and
///   names the inputs relative to its own directory.
/// - **Reading** (``readDraw()``) checks the manifest's format and every file against its recorded SHA-256
///   before anything is used, so a hand-edited `plan.csv` is refused. The hashes detect edits of the files
///   only: a manifest rewritten along with them is caught by `onecheck verify`, which re-derives the plan.
public struct PlanDirectory: Sendable {
    /// The directory.
    public let path: String

    public init(path: String) { self.path = path }

    public static let planFile = "plan.csv"
    public static let targetsFile = "targets.csv"
    public static let quotaReportFile = "quota-report.csv"
    public static let workloadFile = "workload.csv"
    public static let manifestFile = "manifest.json"
    /// π per (department, entity) (``InclusionFile``), from manifest format ``PlanManifest/Format/v3`` on.
    public static let inclusionFile = "inclusion.csv"

    /// The files whose SHA-256 the manifest records, in UTF-8 order.
    public static let hashedFiles = [inclusionFile, planFile, quotaReportFile, targetsFile, workloadFile]
    /// The files whose SHA-256 a manifest of `format` records, in UTF-8 order (none for v1).
    public static func hashedFiles(_ format: PlanManifest.Format) -> [String] {
        switch format {
        case .v1: return []
        case .v2: return hashedFiles.filter { $0 != inclusionFile }
        case .v3: return hashedFiles
        }
    }
    /// Every file of the set.
    public static let members = hashedFiles + [manifestFile]

    /// The path of member `name`.
    public func path(of name: String) -> String { path.hasSuffix("/") ? path + name : path + "/" + name }

    // MARK: - Writing

    /// Writes `plan` as the directory's set of files, replacing any previous set as a whole.
    ///
    /// - Parameters:
    ///   - inputs: the inputs the plan was built from (the roster gives workload.csv).
    ///   - inputFiles: the input files, as given; the manifest records each relative to this directory.
    ///   - frame: the SHA-256 of the input files (``PlanInputPaths/commitment()``), recorded in the manifest.
    /// - Throws: `Tables.OutputError` for a destination that is not a directory or that holds other files (before
    ///   anything is written); `TableError` (cannot open, input/output failure) otherwise. The previous set is
    ///   then untouched and no staging file is left.
    public func write(_ plan: Plan, inputs: PlanInputs, inputFiles: PlanInputPaths, frame: FrameCommitment) throws {
        try write(plan, inputs: inputs, inputFiles: inputFiles, frame: frame, into: openSet())
    }

    /// Writes the set into `set` (opened by ``openSet()`` before the plan was drawn) and commits it.
    /// - Parameter stagedInclusion: the SHA-256 of inclusion.csv when ``stageInclusion(into:)``'s writer has
    ///   written it already (while the plan was staffed); `nil` to write it here.
    func write(_ plan: Plan, inputs: PlanInputs, inputFiles: PlanInputPaths, frame: FrameCommitment,
               into set: OutputSet, stagedInclusion: String? = nil) throws {
        do {
            let csvFiles = Self.csvFiles(plan, roster: inputs.roster)
            // Where each file is staged, and its name in messages.
            let places = Dictionary(uniqueKeysWithValues: csvFiles.map(\.name).map {
                ($0, (staged: set.path(of: $0), shown: path(of: $0)))
            })
            let writeFiles: @Sendable (ArraySlice<(name: String, emit: FileEmitter)>) throws -> [String: String] = {
                var files: [String: String] = [:]
                for file in $0 {
                    files[file.name] = try Self.writeFile(file.emit, to: places[file.name]!.staged,
                                                          displayName: places[file.name]!.shown)
                }
                return files
            }
            // plan.csv (the largest) on one thread, the three small texts on another; errors as if written one
            // after the other.
            precondition(csvFiles.first?.name == Self.planFile, "plan.csv is the first file written")
            let writeCSVFiles: @Sendable () throws -> [String: String] = {
                let (plan, others) = try concurrently({ try writeFiles(csvFiles.prefix(1)) },
                                                      { try writeFiles(csvFiles.dropFirst()) })
                return plan.merging(others) { first, _ in first }
            }
            // The CSV files, and inclusion.csv (streamed) on another thread unless it is written already; errors as
            // if written one after the other.
            var files: [String: String]
            if let stagedInclusion {
                files = try writeCSVFiles()
                files[Self.inclusionFile] = stagedInclusion
            } else {
                let writeInclusion = stageInclusion(into: set)
                let inclusion: String
                (files, inclusion) = try concurrently(writeCSVFiles, { try writeInclusion(plan.inclusion) })
                files[Self.inclusionFile] = inclusion
            }
            let base = try Self.realDirectory(set.destination)
            var recorded: [String: PlanManifest.Input] = [:]
            for (role, file) in inputFiles.named {
                recorded[role] = PlanManifest.Input(path: try Self.relativePath(of: file, from: base),
                                                    sha256: frame.inputs[role] ?? "")
            }
            let manifest = PlanManifest.render(plan, algorithmVersion: frame.algorithmVersion, inputs: recorded,
                                               files: files)
            try Self.writeFile(manifest, to: set.path(of: Self.manifestFile), displayName: path(of: Self.manifestFile))
            try set.commit()
        } catch {
            set.abandon()
            throw error
        }
    }

    /// What writes inclusion.csv into `set` for a plan whose π are `designs` (``Plan/inclusion``), returning its
    /// SHA-256 — callable on another thread, before the rest of the plan exists (``PlanBuilder``'s `whileStaffing`).
    func stageInclusion(into set: OutputSet) -> @Sendable (_ designs: [DepartmentInclusion]) throws -> String {
        let staged = set.path(of: Self.inclusionFile), shown = path(of: Self.inclusionFile)
        return { designs in try Self.writeFile(Self.inclusionEmitter(designs), to: staged, displayName: shown) }
    }

    /// A file's bytes as they are produced: `emit` passes them, in order, to `sink` — plan.csv in pieces of about
    /// a MiB, the smaller files as one text.
    typealias FileEmitter = @Sendable (_ sink: (UnsafeRawBufferPointer) throws -> Void) throws -> Void

    /// The directory's CSV files other than inclusion.csv, in the order they are written and compared, each with
    /// what produces its bytes (called when the file's turn comes, so that at most one small text is held at a
    /// time): the one list `write` and `verify` share.
    static func csvFiles(_ plan: Plan, roster: [Inspector]) -> [(name: String, emit: FileEmitter)] {
        [(planFile, planEmitter(plan)),
         (targetsFile, wholeText { PlanOutputs.targetsCSV(plan) }),
         (quotaReportFile, wholeText { PlanOutputs.quotaReportCSV(plan) }),
         (workloadFile, wholeText { PlanOutputs.workloadCSV(plan, roster: roster) })]
    }

    /// plan.csv's bytes in pieces of about a MiB (``PlanOutputs/forEachPlanChunk(_:chunkBytes:_:)``).
    static func planEmitter(_ plan: Plan) -> FileEmitter {
        { sink in try PlanOutputs.forEachPlanChunk(plan) { try $0.withUnsafeBytes(sink) } }
    }

    /// inclusion.csv's bytes, for a plan whose π are `designs`, in pieces (``InclusionFile/forEachChunk(_:chunkBytes:_:)``).
    static func inclusionEmitter(_ designs: [DepartmentInclusion]) -> FileEmitter {
        { sink in try InclusionFile.forEachChunk(designs) { try $0.withUnsafeBytes(sink) } }
    }

    /// The text `render` gives, as one piece, rendered when the file's turn comes.
    static func wholeText(_ render: @escaping @Sendable () -> String) -> FileEmitter {
        { sink in
            var text = render()
            try text.withUTF8 { try sink(UnsafeRawBufferPointer($0)) }
        }
    }

    /// The text `emit` produces (for the small files, whose texts `verify` keeps until the manifest is compared).
    static func text(of emit: FileEmitter) rethrows -> String {
        var bytes: [UInt8] = []
        try emit { bytes.append(contentsOf: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Opens the output set — refusing a destination that is not a directory or holds other files, before any
    /// work — after removing staging directories that killed writers left beside the directory.
    func openSet() throws -> OutputSet {
        var destination = path
        while destination.count > 1 && destination.hasSuffix("/") { destination.removeLast() }
        // The output set stages beside the directory a symbolic link names, as it replaces that directory.
        for _ in 0..<40 {
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: destination) else { break }
            destination = target.hasPrefix("/") ? target : URL(fileURLWithPath: destination).deletingLastPathComponent().path + "/" + target
        }
        let url = URL(fileURLWithPath: destination)
        let parent = url.deletingLastPathComponent().path
        let prefix = "." + url.lastPathComponent + ".staging-"
        if let names = try? FileManager.default.contentsOfDirectory(atPath: parent) {
            for name in names where name.hasPrefix(prefix) {
                let suffix = name.dropFirst(prefix.count)
                guard let pid = Int32(suffix.prefix { $0 != "-" }), pid > 0, kill(pid, 0) != 0, errno == ESRCH else { continue }
                Self.removeStaging(parent + "/" + name)
            }
        }
        return try OutputSet(directory: path, members: Self.members)
    }

    /// Removes a dead writer's staging directory if it holds only files of the set, or the temporary files they
    /// are written through (`.<member>.tmp-<pid>`, `Tables.OutputFile`): a writer killed mid-file leaves one.
    private static func removeStaging(_ directory: String) {
        func isSetFile(_ name: String) -> Bool {
            members.contains(name) || members.contains { name.hasPrefix("." + $0 + ".tmp-") }
        }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory),
              names.allSatisfy(isSetFile) else { return }
        for name in names { unlink(directory + "/" + name) }
        rmdir(directory)
    }

    /// Writes what `emit` produces to a new file at `path` as it comes, reporting a short write (a full disk, a
    /// file-size limit).
    /// - Returns: the SHA-256 of the bytes written, in hexadecimal.
    static func writeFile(_ emit: FileEmitter, to path: String, displayName: String) throws -> String {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw TableError(.cannotOpen(reason: systemError()), file: displayName) }
        var hasher = FrameCommitment.Hasher()
        do {
            try emit { bytes in
                hasher.update(bytes)
                try writeAll(fd, bytes, displayName: displayName)
            }
        } catch {
            close(fd)
            throw error
        }
        if close(fd) != 0 { throw TableError(.ioFailure(reason: systemError()), file: displayName) }
        return hasher.finalizeHex()
    }

    /// Writes `text` to a new file at `path`, reporting a short write (a full disk, a file-size limit).
    static func writeFile(_ text: String, to path: String, displayName: String) throws {
        _ = try writeFile(wholeText { text }, to: path, displayName: displayName)
    }

    /// Writes all of `bytes` to `fd`, reporting a short write (a full disk, a file-size limit).
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, displayName: String) throws {
        var offset = 0
        while offset < bytes.count {
            let written = posixWrite(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw TableError(.ioFailure(reason: systemError()), file: displayName)
            }
            offset += written
        }
    }

    /// The directory `path` with every symbolic link resolved.
    static func realDirectory(_ path: String) throws -> String {
        guard let resolved = realpath(path, nil) else {
            // The directory does not exist yet (first write): its parent does (the output set made it).
            let url = URL(fileURLWithPath: path)
            guard let parent = realpath(url.deletingLastPathComponent().path, nil) else {
                throw TableError(.cannotOpen(reason: systemError()), file: path)
            }
            defer { free(parent) }
            return String(cString: parent) + (String(cString: parent) == "/" ? "" : "/") + url.lastPathComponent
        }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// `file` as a path relative to the directory `base` (both with symbolic links resolved, so that `..` means
    /// what the system makes of it).
    static func relativePath(of file: String, from base: String) throws -> String {
        guard let resolved = realpath(file, nil) else { throw TableError(.cannotOpen(reason: systemError()), file: file) }
        defer { free(resolved) }
        let target = String(cString: resolved).split(separator: "/")
        let origin = base.split(separator: "/")
        var common = 0
        while common < target.count, common < origin.count, target[common] == origin[common] { common += 1 }
        let up = Array(repeating: "..", count: origin.count - common)
        return (up + target[common...].map(String.init)).joined(separator: "/")
    }
}

/// The C `write`, named apart from ``PlanDirectory/write(_:inputs:inputFiles:frame:)``.
private func posixWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, bytes, count)
}
