import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one place the city touches the file system: a set of output files written to temporary names beside
/// their destinations and renamed into place together by ``commit()``, so a failed or interrupted run leaves the
/// previous files (or none) — never a half-written one.
///
/// This is deliberately the only file that knows how bytes reach disk: moving to the project's shared CSV writer
/// (Tables) changes this file alone.
final class CityFileSet {
    private struct Pending {
        var name: String
        var temporary: URL
        var destination: URL
        var handle: FileHandle
    }

    let directory: URL
    private var files: [Pending] = []
    private var finished = false

    /// Prepares to write into `directory`, creating it (and its parents) when missing.
    init(directory: URL) throws {
        self.directory = directory
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw SyntheticCityError.cannotWrite(path: directory.path, reason: Self.describe(error))
        }
    }

    deinit { if !finished { discard() } }

    /// Opens `name` for writing (to a temporary file until ``commit()``) and returns its handle number.
    func open(_ name: String) throws -> Int {
        let destination = directory.appendingPathComponent(name)
        let temporary = directory.appendingPathComponent(".\(name).partial-\(getpid())")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw SyntheticCityError.cannotWrite(path: temporary.path, reason: "cannot create file")
        }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            files.append(Pending(name: name, temporary: temporary, destination: destination, handle: handle))
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw SyntheticCityError.cannotWrite(path: temporary.path, reason: Self.describe(error))
        }
        return files.count - 1
    }

    /// Appends bytes to an open file.
    func write(_ bytes: [UInt8], to file: Int) throws {
        guard !bytes.isEmpty else { return }
        do {
            try files[file].handle.write(contentsOf: bytes)
        } catch {
            throw SyntheticCityError.cannotWrite(path: files[file].destination.path, reason: Self.describe(error))
        }
    }

    /// Writes a whole small file.
    func writeFile(_ name: String, _ bytes: [UInt8]) throws {
        let f = try open(name)
        try write(bytes, to: f)
    }

    /// Closes every file and renames each temporary file onto its destination (replacing an older file
    /// atomically). On failure, the not-yet-renamed files are removed.
    ///
    /// No `fsync`: the guarantee is against a failed or killed run (a reader never sees a partial file), not
    /// against power loss; syncing a million-entity city would cost more than generating it.
    func commit() throws {
        defer { finished = true }
        do {
            for f in files { try f.handle.close() }
        } catch {
            discard()
            throw SyntheticCityError.cannotWrite(path: directory.path, reason: Self.describe(error))
        }
        // A destination that is a directory would make its rename fail half-way through the set: refuse up front.
        for f in files {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: f.destination.path, isDirectory: &isDirectory), isDirectory.boolValue {
                discard()
                throw SyntheticCityError.cannotWrite(path: f.destination.path, reason: "a directory is in the way")
            }
        }
        for (i, f) in files.enumerated() where rename(f.temporary.path, f.destination.path) != 0 {
            let reason = String(cString: strerror(errno))
            for g in files[i...] { try? FileManager.default.removeItem(at: g.temporary) }
            throw SyntheticCityError.cannotWrite(path: f.destination.path, reason: reason)
        }
    }

    /// Closes and removes every temporary file; destinations are untouched.
    func discard() {
        finished = true
        for f in files {
            try? f.handle.close()
            try? FileManager.default.removeItem(at: f.temporary)
        }
    }

    private static func describe(_ error: Error) -> String {
        (error as NSError).localizedDescription
    }
}
