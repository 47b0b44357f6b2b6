#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CPlatform

/// A set of output files that replaces the previous set in a directory as a whole: a reader sees the old files
/// or the new ones, never a new `plan.csv` beside an old `manifest.json`.
///
/// The files are written into a staging directory beside the destination (`.<name>.staging-<pid>`), which
/// ``commit(synchronize:)`` swaps with the destination in one atomic exchange of the two directory entries
/// (Linux `renameat2(RENAME_EXCHANGE)`), or renames into place when there is no destination yet. The previous set
/// then sits at the staging path and is removed. On any failure before the swap — a full disk, a late error, a
/// signal (the staging directory is registered with ``TemporaryFiles``) — the destination is untouched and the
/// staging directory is removed.
///
/// A destination directory may hold only files of the set (`members`): a directory with other files in it would
/// lose them in the swap, so it is refused before anything is written. A symbolic link to a directory is
/// resolved, and its target replaced.
///
///     let set = try OutputSet(directory: "out/plan-2026Q1", members: ["plan.csv", "manifest.json"])
///     try writePlan(to: set.path(of: "plan.csv"))
///     try writeManifest(to: set.path(of: "manifest.json"))
///     try set.commit()
///
/// Where the file system cannot exchange entries, the old directory is first renamed aside and then the new one
/// into place: a reader may then find no directory for that moment, but never a mixed set.
public final class OutputSet {
    /// The directory the set replaces (a symbolic link resolved).
    public let destination: String
    /// The directory the files are written into until the commit.
    public let stagingPath: String
    /// The names the set may hold.
    public let members: Set<String>
    private var finished = false

    /// Creates the staging directory (and the destination's parent directories if missing).
    /// - Throws: ``OutputError`` when the destination is not a directory or holds files outside `members`;
    ///   `TableError.cannotOpen` when the staging directory cannot be created.
    public init(directory: String, members: [String]) throws {
        let memberSet = Set(members)
        self.members = memberSet
        var destination = directory
        while destination.count > 1 && destination.hasSuffix("/") { destination.removeLast() }
        destination = try Self.resolvingLink(destination)
        self.destination = destination
        var status = stat()
        if lstat(destination, &status) == 0 {
            guard status.st_mode & S_IFMT == S_IFDIR else { throw OutputError.notADirectory(path: directory) }
            let foreign = try Self.entries(of: destination).filter { !memberSet.contains($0) }
            if !foreign.isEmpty { throw OutputError.foreignFiles(directory: directory, names: foreign.sorted()) }
        }
        let (parent, name) = Self.split(destination)
        try Self.makeDirectories(parent, display: directory)
        let pid = getpid()
        var attempt = 0
        var candidate = ""
        var made: Int32 = -1
        repeat {
            candidate = (parent.isEmpty ? "" : parent + "/") + ".\(name).staging-\(pid)" + (attempt == 0 ? "" : "-\(attempt)")
            made = TemporaryFiles.create(candidate, .directory) { mkdir(candidate, 0o755) }
            attempt += 1
        } while made != 0 && errno == EEXIST && attempt < 100
        if made != 0 { throw TableError(.cannotOpen(reason: systemError()), file: directory) }
        if lstat(destination, &status) == 0 { chmod(candidate, status.st_mode & 0o7777) }
        stagingPath = candidate
    }

    deinit { if !finished { abandon() } }

    /// Where to write member `name` until the commit.
    /// - Precondition: `name` is one of ``members``.
    public func path(of name: String) -> String {
        precondition(members.contains(name), "\(name) is not a member of the output set")
        return stagingPath + "/" + name
    }

    /// Replaces the destination with the staged files.
    /// - Parameter synchronize: `fsync` every staged file and the staging directory first, so the new set survives
    ///   a power failure (the swap alone protects against failed and killed processes).
    /// - Throws: `TableError.ioFailure`; the destination is then untouched and the staging directory removed.
    public func commit(synchronize: Bool = false) throws {
        precondition(!finished, "output set already committed or abandoned")
        do {
            let staged = try Self.entries(of: stagingPath)
            if let stray = staged.first(where: { !members.contains($0) && !$0.hasPrefix(".") }) {
                preconditionFailure("the staging directory holds \(stray), which is not a member of the set")
            }
            if synchronize {
                for name in staged { try Self.synchronize(stagingPath + "/" + name) }
                try Self.synchronize(stagingPath)
            }
            var status = stat()
            if lstat(destination, &status) != 0 {
                guard rename(stagingPath, destination) == 0 else { throw io() }
            } else {
                let exchanged = onecheck_exchange_paths(stagingPath, destination)
                if exchanged == EINVAL || exchanged == ENOSYS || exchanged == EOPNOTSUPP {
                    let aside = stagingPath + ".previous"
                    guard rename(destination, aside) == 0 else { throw io() }
                    guard rename(stagingPath, destination) == 0 else {
                        let error = io()
                        rename(aside, destination)
                        throw error
                    }
                    // Registered only now: until the new set is in place, the aside is the only copy of the old.
                    TemporaryFiles.register(aside, .directory)
                    removeFlatDirectory(aside)
                    TemporaryFiles.unregister(aside)
                } else if exchanged != 0 {
                    throw io(exchanged)
                } else {
                    // The staging path now names the previous set.
                    removeFlatDirectory(stagingPath)
                }
            }
            finished = true
            TemporaryFiles.unregister(stagingPath)
        } catch {
            abandon()
            throw error
        }
    }

    /// Discards the staged files; the destination is untouched. Does nothing after a commit.
    public func abandon() {
        if finished { return }
        finished = true
        removeFlatDirectory(stagingPath)
        TemporaryFiles.unregister(stagingPath)
    }

    private func io(_ code: Int32 = errno) -> TableError {
        TableError(.ioFailure(reason: systemError(code)), file: destination)
    }

    // MARK: - File-system helpers

    /// Refuses `directory` as the destination of a set when one of `inputs` is the directory itself or a file
    /// directly in it (by device and inode, so also through links): the commit would replace or remove it.
    /// - Throws: ``OutputError/namesAnInput(output:input:)``.
    public static func refuse(directory: String, inputs: [(option: String, path: String)]) throws {
        guard let destination = FileIdentity(directory) else { return }
        for input in inputs {
            let parent = split(try resolvingLink(input.path)).parent
            if FileIdentity(input.path) == destination || FileIdentity(parent.isEmpty ? "." : parent) == destination {
                throw OutputError.namesAnInput(output: directory, input: "\(input.option) \(input.path)")
            }
        }
    }

    static func split(_ path: String) -> (parent: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return ("", path) }
        let parent = String(path[..<slash])
        return (parent.isEmpty ? "/" : parent, String(path[path.index(after: slash)...]))
    }

    /// `path` with a final symbolic link followed (repeatedly), relative targets taken from the link's directory.
    static func resolvingLink(_ path: String) throws -> String {
        var current = path
        for _ in 0..<40 {
            var status = stat()
            guard lstat(current, &status) == 0, status.st_mode & S_IFMT == S_IFLNK else { return current }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = readlink(current, &buffer, buffer.count - 1)
            guard n >= 0 else { throw TableError(.cannotOpen(reason: systemError()), file: path) }
            let target = String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let parent = split(current).parent
            current = target.hasPrefix("/") || parent.isEmpty ? target : parent + "/" + target
        }
        throw TableError(.cannotOpen(reason: systemError(ELOOP)), file: path)
    }

    static func entries(of directory: String) throws -> [String] {
        guard let handle = opendir(directory) else { throw TableError(.cannotOpen(reason: systemError()), file: directory) }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    static func makeDirectories(_ path: String, display: String) throws {
        if path.isEmpty || path == "/" { return }
        var status = stat()
        if stat(path, &status) == 0 {
            guard status.st_mode & S_IFMT == S_IFDIR else { throw OutputError.notADirectory(path: path) }
            return
        }
        try makeDirectories(split(path).parent, display: display)
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw TableError(.cannotOpen(reason: systemError()), file: display)
        }
    }

    static func synchronize(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw TableError(.ioFailure(reason: systemError()), file: path) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw TableError(.ioFailure(reason: systemError()), file: path) }
    }
}

/// A destination that OneCheck refuses to write to, said before anything is read or written.
public enum OutputError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An output directory's path names something that is not a directory.
    case notADirectory(path: String)
    /// An output directory holds files that are not part of the set that replaces it.
    case foreignFiles(directory: String, names: [String])
    /// An output path names something OneCheck does not write to (`kind`: "a directory", "a socket", …).
    case unsupportedFile(path: String, kind: String)
    /// An output is one of the run's inputs (`input`: the option and path that named it).
    case namesAnInput(output: String, input: String)
    /// Two outputs of one run name the same file.
    case namesAnotherOutput(output: String, other: String)
    /// A second output of one run asks for standard output.
    case standardOutputTaken

    public var description: String {
        switch self {
        case let .notADirectory(path):
            return "\(path): not a directory; expected a directory for the output files (or a path that does not exist yet)"
        case let .foreignFiles(directory, names):
            let shown = names.prefix(5).joined(separator: ", ") + (names.count > 5 ? ", … (\(names.count) in all)" : "")
            return "\(directory): holds files that are not outputs of this command (\(shown)); expected an empty "
                + "directory, one written by this command, or a new path"
        case let .unsupportedFile(path, kind):
            return "\(path): is \(kind); expected a regular file, a new path, a character device, a FIFO or - "
                + "(standard output)"
        case let .namesAnInput(output, input):
            return "\(output): is the same file as the input \(input); expected an output path that is not one "
                + "of the run's inputs (nothing was read or written)"
        case let .namesAnotherOutput(output, other):
            return "\(output): is the same file as the output \(other); expected a separate file for each output"
        case .standardOutputTaken:
            return "-: standard output already takes another output of this run; expected a file for this one"
        }
    }
}
