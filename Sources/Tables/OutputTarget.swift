#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization
import CPlatform

/// Where a command writes one output file, decided once from what the path names — the one rule every command
/// follows (``CSVWriter`` and ``OutputFile`` open through it):
///
/// - `-` is standard output, written directly (so is `/dev/stdout`, which library calls taking a file URL are
///   given for `-`: following its link would replace whatever file the shell redirected standard output to);
/// - a character device (`/dev/null`, a terminal) or a FIFO is written directly: no temporary file, nothing
///   renamed, the node itself never replaced;
/// - a symbolic link is followed (repeatedly) and its target handled by these rules: the link stays a link;
/// - a regular file, or a path that does not exist yet, is replaced atomically: the bytes go to a temporary file
///   beside it (registered with ``TemporaryFiles``), renamed over it only when complete;
/// - anything else — a directory, a socket, a block device — is refused, naming the path
///   (``OutputError/unsupportedFile(path:kind:)``), before anything is read or written.
///
/// ``refuse(inputs:)`` refuses an output that is one of the run's inputs, by device and inode (so also through
/// symbolic and hard links): a command calls it before it reads anything.
public struct OutputTarget: Sendable, Equatable, CustomStringConvertible {
    /// How the bytes reach the destination.
    public enum Destination: Sendable, Equatable {
        /// Standard output (`-`).
        case standardOutput
        /// A character device or FIFO at `path`, opened and written directly.
        case stream(path: String)
        /// A regular file (or a new one) at `path`, symbolic links resolved: replaced through a temporary file.
        case file(path: String)
    }

    /// The path as the user gave it (named in messages).
    public let argument: String
    /// How the output is written.
    public let destination: Destination

    /// Decides how `argument` is written.
    /// - Throws: ``OutputError/unsupportedFile(path:kind:)`` for a directory, socket or block device (also as a
    ///   symbolic link's target); `TableError.cannotOpen` for a symbolic link loop.
    public init(_ argument: String) throws {
        self.argument = argument
        if argument == "-" || argument == Self.standardOutputPath {
            destination = .standardOutput
            return
        }
        let resolved = try OutputSet.resolvingLink(argument)
        var status = stat()
        guard lstat(resolved, &status) == 0 else {
            destination = .file(path: resolved)
            return
        }
        switch status.st_mode & S_IFMT {
        case S_IFREG: destination = .file(path: resolved)
        case S_IFCHR, S_IFIFO: destination = .stream(path: resolved)
        case S_IFDIR: throw OutputError.unsupportedFile(path: argument, kind: "a directory")
        case S_IFSOCK: throw OutputError.unsupportedFile(path: argument, kind: "a socket")
        case S_IFBLK: throw OutputError.unsupportedFile(path: argument, kind: "a block device")
        default: throw OutputError.unsupportedFile(path: argument, kind: "not a regular file")
        }
    }

    /// The path that stands for standard output where a file URL is needed.
    public static let standardOutputPath = "/dev/stdout"

    /// The output's last path component, as errors name it (`-` for standard output).
    public var fileName: String {
        isStandardOutput ? "-" : String(argument.split(separator: "/").last ?? Substring(argument))
    }

    public var description: String { argument }

    /// Whether the output goes to standard output (a command then prints its summary to standard error).
    public var isStandardOutput: Bool { destination == .standardOutput }

    /// Refuses an output that is the same file as one of `inputs` (by device and inode, after following links).
    /// Inputs that do not exist, and an output that does not exist yet, are no conflict.
    /// - Parameter inputs: the run's input paths, each with the option that named it (for the message).
    /// - Throws: ``OutputError/namesAnInput(output:input:)``.
    public func refuse(inputs: [(option: String, path: String)]) throws {
        let path: String
        switch destination {
        case .standardOutput: return
        case let .stream(resolved), let .file(resolved): path = resolved
        }
        guard let output = FileIdentity(path) else { return }
        for input in inputs where FileIdentity(input.path) == output {
            throw OutputError.namesAnInput(output: argument, input: "\(input.option) \(input.path)")
        }
    }

    /// Whether `other` writes to the same place: both standard output, or the same file (by device and inode
    /// when it exists, else by its absolute path).
    public func isSameFile(as other: OutputTarget) -> Bool {
        switch (destination, other.destination) {
        case (.standardOutput, .standardOutput): return true
        case let (.stream(a), .stream(b)), let (.file(a), .file(b)), let (.stream(a), .file(b)), let (.file(a), .stream(b)):
            if let one = FileIdentity(a), let two = FileIdentity(b) { return one == two }
            return Self.absolute(a) == Self.absolute(b)
        default: return false
        }
    }

    /// `path` made absolute, with `.` and empty components dropped and `..` applied (symbolic links are not
    /// followed: only for paths that do not exist).
    static func absolute(_ path: String) -> String {
        var base: [Substring] = []
        if !path.hasPrefix("/") {
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            if getcwd(&buffer, buffer.count) != nil {
                base = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                    .split(separator: "/")
            }
        }
        for component in path.split(separator: "/") {
            switch component {
            case ".": continue
            case "..": if !base.isEmpty { base.removeLast() }
            default: base.append(component)
            }
        }
        return "/" + base.joined(separator: "/")
    }

    /// Writes `bytes` as the whole output (see ``OutputFile``).
    public func write<Bytes: Collection>(_ bytes: Bytes, synchronize: Bool = false) throws where Bytes.Element == UInt8 {
        let file = try OutputFile(self)
        do {
            try Array(bytes).withUnsafeBytes { try file.write($0) }
            try file.commit(synchronize: synchronize)
        } catch {
            file.abandon()
            throw error
        }
    }

    /// Writes `text` (UTF-8) as the whole output.
    public func write(text: String, synchronize: Bool = false) throws {
        try write(Array(text.utf8), synchronize: synchronize)
    }
}

/// A file's identity: the device and inode `stat` reports (following symbolic links).
struct FileIdentity: Equatable {
    let device: UInt64
    let inode: UInt64

    init?(_ path: String) {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        device = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
    }
}

/// One output being written, opened as its ``OutputTarget`` says: a temporary file beside a regular file, renamed
/// over it by ``commit(synchronize:)``; or the stream (standard output, a device, a FIFO) written directly.
///
/// For a replaced file, ``abandon()`` — or dropping the object uncommitted — removes the temporary file, and the
/// destination is untouched. A stream cannot take back what was written: abandoning it only closes it.
///
/// Disk space for a replaced file is reserved ahead of the writes, in steps that grow with the file (up to
/// ``maximumReservation``), and what was reserved past the end is given back at the commit. Why: ext4 allocates
/// the blocks of ordinary writes lazily, and a `rename` over an existing file makes it allocate them all and write
/// the whole file out inside the `rename` call if any block is still unallocated. File systems without the call
/// are written as before.
///
/// Not thread-safe; use it from one thread at a time.
public final class OutputFile {
    /// The target written.
    public let target: OutputTarget
    /// The temporary file, for a replaced file (`.<name>.tmp-<pid>` beside it); `nil` for a stream.
    public let temporaryPath: String?
    /// A path prefix of this run's own for scratch files that belong with the output (e.g. a spill file): the
    /// temporary file's path, or for a stream a name in the temporary directory (`$TMPDIR`, else `/tmp`).
    public let scratchPath: String
    private let destinationPath: String?
    private var fd: Int32
    private var finished = false
    private var fileSize = 0
    private var reservedEnd = 0
    private var reservesSpace = true

    /// The smallest step of reserved space.
    public static let minimumReservation = 256 << 10
    /// The largest step of reserved space: a killed run leaves at most this much past its temporary file's end.
    public static let maximumReservation = 64 << 20

    /// Standard output as the data's own descriptor once reserved (-1 before), and whether an output took it.
    private static let standardOutput = Mutex<(descriptor: Int32, taken: Bool)>((-1, false))

    /// Whether standard output is reserved for an output's data (messages then go to standard error).
    public static var standardOutputInUse: Bool { standardOutput.withLock { $0.descriptor >= 0 } }

    /// Gives standard output to an output's data from now on: the descriptor is duplicated for the data, and
    /// descriptor 1 then names standard error, so what the command prints afterwards (summaries, notes) goes there
    /// and a pipe receives the output's bytes and nothing else. Call it before the command prints anything (the
    /// command line does, when it checks its outputs); opening a `-` output calls it too. Safe to call again.
    /// - Throws: `TableError.cannotOpen` when the descriptors cannot be duplicated.
    public static func reserveStandardOutput() throws {
        try standardOutput.withLock { state in
            if state.descriptor >= 0 { return }
            fflush(nil)  // every stream: what was printed so far still goes to standard output
            let data = dup(STDOUT_FILENO)
            if data < 0 { throw TableError(.cannotOpen(reason: systemError()), file: "-") }
            if dup2(STDERR_FILENO, STDOUT_FILENO) < 0 {
                close(data)
                throw TableError(.cannotOpen(reason: systemError()), file: "-")
            }
            state.descriptor = data
        }
    }

    /// The data's descriptor of standard output, for the one output that writes there.
    private static func takeStandardOutput() throws -> Int32 {
        try reserveStandardOutput()
        return try standardOutput.withLock { state in
            guard !state.taken else { throw OutputError.standardOutputTaken }
            state.taken = true
            return state.descriptor
        }
    }

    /// Opens the output: creates the temporary file, or opens the stream (a FIFO waits here for its reader).
    /// - Throws: `TableError.cannotOpen`.
    public init(_ target: OutputTarget) throws {
        self.target = target
        let name = target.fileName
        switch target.destination {
        case .standardOutput:
            fd = try Self.takeStandardOutput()
            temporaryPath = nil
            destinationPath = nil
            scratchPath = Self.scratchDirectory() + "/.onecheck-stdout.tmp-\(getpid())"
        case let .stream(path):
            var opened: Int32
            repeat { opened = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY) } while opened < 0 && errno == EINTR
            if opened < 0 { throw TableError(.cannotOpen(reason: systemError()), file: target.argument) }
            fd = opened
            temporaryPath = nil
            destinationPath = nil
            scratchPath = Self.scratchDirectory() + "/.onecheck-\(name).tmp-\(getpid())"
        case let .file(path):
            let (parent, leaf) = OutputSet.split(path)
            let directory = path.contains("/") ? (parent == "/" ? "/" : parent + "/") : ""
            // A replaced file keeps its permissions; a new one gets 0644 less the umask.
            var existing = stat()
            let keptMode: mode_t? = stat(path, &existing) == 0 ? existing.st_mode & 0o7777 : nil
            // O_EXCL: never write into someone else's temporary file; try a few suffixes if one is taken. Made
            // through TemporaryFiles, so a termination signal at any point cannot leave it behind.
            let pid = getpid()
            var attempt = 0
            var candidate = ""
            var opened: Int32 = -1
            repeat {
                candidate = directory + ".\(leaf).tmp-\(pid)" + (attempt == 0 ? "" : "-\(attempt)")
                opened = TemporaryFiles.create(candidate) {
                    open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
                }
                attempt += 1
            } while opened < 0 && errno == EEXIST && attempt < 100
            if opened < 0 { throw TableError(.cannotOpen(reason: systemError()), file: name) }
            if let keptMode { fchmod(opened, keptMode) }
            fd = opened
            temporaryPath = candidate
            destinationPath = path
            scratchPath = candidate
        }
    }

    deinit { if !finished { abandon() } }

    /// Whether the output is replaced through a temporary file (else written directly).
    public var isReplacedAtomically: Bool { temporaryPath != nil }

    /// Writes all of `bytes`.
    /// - Throws: `TableError.ioFailure` (a full disk, a file-size limit, a closed FIFO).
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        precondition(!finished, "output already committed or abandoned")
        if bytes.isEmpty { return }
        if temporaryPath != nil { reserveSpace(through: fileSize + bytes.count) }
        var offset = 0
        while offset < bytes.count {
            let written = posixWrite(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw ioFailure()
            }
            offset += written
        }
        fileSize += bytes.count
    }

    /// Finishes the output: for a replaced file, gives back reserved space, closes it and renames it over the
    /// destination; for a stream, closes it.
    /// - Parameter synchronize: `fsync` the file first, so it survives a power failure.
    /// - Throws: `TableError.ioFailure`; a replaced file's temporary file is then removed, the destination untouched.
    public func commit(synchronize: Bool = false) throws {
        precondition(!finished, "output already committed or abandoned")
        do {
            if let temporaryPath, let destinationPath {
                if reservedEnd > fileSize {
                    guard ftruncate(fd, off_t(fileSize)) == 0 else { throw ioFailure() }
                    reservedEnd = fileSize
                }
                if synchronize && fsync(fd) != 0 { throw ioFailure() }
                let closed = close(fd)
                fd = -1
                if closed != 0 { throw ioFailure() }
                if rename(temporaryPath, destinationPath) != 0 { throw ioFailure() }
                finished = true
                TemporaryFiles.unregister(temporaryPath)
            } else {
                if synchronize && fsync(fd) != 0 && errno != EINVAL && errno != EROFS { throw ioFailure() }
                finished = true
                let closed = close(fd)
                fd = -1
                if closed != 0 { throw ioFailure() }
            }
        } catch {
            abandon()
            throw error
        }
    }

    /// Discards the output: removes a replaced file's temporary file (the destination is untouched); closes a
    /// stream. Safe to call more than once; does nothing after a successful commit.
    public func abandon() {
        if finished { return }
        finished = true
        if fd >= 0 { close(fd) }
        fd = -1
        if let temporaryPath {
            unlink(temporaryPath)
            TemporaryFiles.unregister(temporaryPath)
        }
    }

    private func ioFailure(_ code: Int32 = errno) -> TableError {
        TableError(.ioFailure(reason: systemError(code)), file: target.fileName)
    }

    /// Reserves space through `end` and a step beyond: as much again as the file will hold, between
    /// ``minimumReservation`` and ``maximumReservation``. Best effort: a refusal only stops reserving; the writes
    /// themselves then report a full disk.
    private func reserveSpace(through end: Int) {
        guard reservesSpace, end > reservedEnd else { return }
        let start = max(reservedEnd, fileSize)
        let stepEnd = end + min(max(end, Self.minimumReservation), Self.maximumReservation)
        if onecheck_reserve_space(fd, Int64(start), Int64(stepEnd - start)) == 0 {
            reservedEnd = stepEnd
        } else {
            reservesSpace = false
        }
    }

    private static func scratchDirectory() -> String {
        if let value = getenv("TMPDIR") {
            let text = String(cString: value)
            if !text.isEmpty { return text.hasSuffix("/") && text.count > 1 ? String(text.dropLast()) : text }
        }
        return "/tmp"
    }
}

/// The C `write`, named apart from the methods called `write`.
private func posixWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, bytes, count)
}
