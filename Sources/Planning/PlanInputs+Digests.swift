#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization
import Tables

/// The SHA-256 of one file computed from the bytes its CSV reader reads (`CSVReader.Options.byteObserver`), so a
/// file is read once for both parsing and hashing.
///
/// Contract: ``observe`` receives the file's bytes from offset 0 on, in order, each once; ``finish(path:)`` then
/// hashes whatever the reader did not read (a reader that stopped before the end) from the file itself, so the
/// digest is always that of the whole file, exactly as ``FileDigest/sha256Hex(path:)`` computes it.
final class ReadingDigest: Sendable {
    private let state = Mutex<(hasher: FrameCommitment.Hasher, bytes: Int)>((FrameCommitment.Hasher(), 0))

    init() {}

    /// The observer to give the reader.
    var observe: @Sendable (UnsafeRawBufferPointer) -> Void {
        { [self] bytes in
            state.withLock {
                $0.hasher.update(bytes)
                $0.bytes += bytes.count
            }
        }
    }

    /// The lower-case hexadecimal SHA-256 of the file at `path`: the bytes observed, then the rest of the file.
    /// - Throws: `TableError.cannotOpen` or `.ioFailure` naming `path`.
    func finish(path: String) throws -> String {
        try state.withLock { state in
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw TableError(.cannotOpen(reason: systemError()), file: path) }
            defer { close(fd) }
            var buffer = [UInt8](repeating: 0, count: 1 << 20)
            var offset = off_t(state.bytes)
            while true {
                let got = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, offset) }
                if got < 0 {
                    if errno == EINTR { continue }
                    throw TableError(.ioFailure(reason: systemError()), file: path)
                }
                if got == 0 { break }
                buffer.withUnsafeBytes { state.hasher.update(UnsafeRawBufferPointer(rebasing: $0[..<got])) }
                offset += off_t(got)
            }
            return state.hasher.finalizeHex()
        }
    }
}

/// The digests of a plan's input files, one ``ReadingDigest`` per role, filled while ``PlanInputs/read(_:digests:)``
/// reads the files.
final class InputDigests: Sendable {
    let paths: PlanInputPaths
    private let digests: [String: ReadingDigest]

    init(_ paths: PlanInputPaths) {
        self.paths = paths
        digests = Dictionary(uniqueKeysWithValues: paths.named.map { ($0.role, ReadingDigest()) })
    }

    /// Reading options whose observer hashes the file of `role`.
    func options(_ role: String) -> CSVReader.Options {
        CSVReader.Options(byteObserver: observer(role))
    }

    /// The observer hashing the file of `role` (nil for a role without a file).
    func observer(_ role: String) -> (@Sendable (UnsafeRawBufferPointer) -> Void)? { digests[role]?.observe }

    /// The frame of the files read, with the version of `algorithm`.
    func commitment(algorithm: PlanAlgorithm) throws -> FrameCommitment {
        var result: [String: String] = [:]
        for (role, path) in paths.named { result[role] = try digests[role]!.finish(path: path) }
        return FrameCommitment(algorithmVersion: algorithm.version, inputs: result)
    }
}

extension PlanInputs {
    /// Reads the files of `paths` (``read(_:)``), hashing each in the same pass, and hands the frame of those bytes
    /// to `check` before returning: what `plan` compares with a committed frame and `verify` with a manifest.
    ///
    /// A file that cannot be parsed is reported as `check` reports a changed frame when its digest differs (the
    /// files are then hashed in full): an input edited after planning is named as changed, not as malformed.
    /// - Throws: whatever `check` throws, else the reading errors of ``read(_:)``.
    static func readHashing(_ paths: PlanInputPaths, algorithm: PlanAlgorithm,
                            check: (FrameCommitment) throws -> Void) throws -> (inputs: PlanInputs, frame: FrameCommitment) {
        let digests = InputDigests(paths)
        let inputs: PlanInputs
        do {
            inputs = try read(paths, digests: digests)
        } catch {
            if let frame = try? paths.commitment(algorithm: algorithm) { try check(frame) }
            throw error
        }
        let frame = try digests.commitment(algorithm: algorithm)
        try check(frame)
        return (inputs, frame)
    }
}
