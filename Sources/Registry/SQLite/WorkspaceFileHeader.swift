import Tables
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The first 100 bytes of an SQLite file, read with plain system calls before SQLite touches the file.
///
/// Why before: SQLite turns an empty file into a database on its first write, and opening a database through a
/// GRDB pool switches it to WAL mode. Deciding from the header whether a file is a OneCheck workspace means a file
/// that is not one is refused exactly as it was found.
///
/// The header is authoritative for a file in rollback-journal mode, and for a workspace: `SQLiteStore.create`
/// writes the application id into the main file before the file appears. A WAL-mode file whose header names no
/// application id but which has a non-empty `-wal` file (a crash before the first checkpoint) is passed on for
/// SQLite to read: it is in WAL mode already, so opening it changes nothing.
struct WorkspaceFileHeader {
    /// `PRAGMA user_version` as the main file holds it.
    var version: Int
    /// `PRAGMA application_id` as the main file holds it.
    var applicationID: Int32

    static let magic = Array("SQLite format 3\0".utf8)

    /// Checks that `path` holds a workspace of at most `supportedVersion`.
    /// - Throws: `RegistryError.workspaceNotFound`, `.notAWorkspace`, `.schemaTooNew`, `.cannotOpen`.
    static func check(_ path: String, applicationID: Int32, supportedVersion: Int) throws -> WorkspaceFileHeader {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            if code == ENOENT { throw RegistryError.workspaceNotFound(path: path) }
            throw RegistryError.cannotOpen(path: path, reason: systemError(code))
        }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw RegistryError.cannotOpen(path: path, reason: systemError()) }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw RegistryError.notAWorkspace(path: path, reason: status.st_mode & S_IFMT == S_IFDIR
                ? "a directory" : "not a regular file")
        }
        if status.st_size == 0 { throw RegistryError.notAWorkspace(path: path, reason: "an empty file") }
        var bytes = [UInt8](repeating: 0, count: 100)
        let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 100, 0) }
        guard n >= 0 else { throw RegistryError.cannotOpen(path: path, reason: systemError()) }
        guard n == 100, Array(bytes[0..<16]) == magic else {
            throw RegistryError.notAWorkspace(path: path, reason: "not an SQLite database")
        }
        func integer(at offset: Int) -> UInt32 {
            bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
        }
        let header = WorkspaceFileHeader(version: Int(integer(at: 60)), applicationID: Int32(bitPattern: integer(at: 68)))
        if header.applicationID != applicationID {
            let walMode = bytes[18] == 2 && bytes[19] == 2
            var wal = stat()
            let pendingWAL = walMode && stat(path + "-wal", &wal) == 0 && wal.st_size > 0
            if !pendingWAL { throw RegistryError.notAWorkspace(path: path, reason: foreignReason(header.applicationID)) }
        } else if header.version > supportedVersion {
            throw RegistryError.schemaTooNew(path: path, found: header.version, supported: supportedVersion)
        }
        return header
    }

    /// Why a database with application id `id` is not a workspace.
    static func foreignReason(_ id: Int32) -> String {
        id == 0 ? "an SQLite database without a OneCheck application id"
            : "an SQLite database of another application (application id 0x" + String(UInt32(bitPattern: id), radix: 16) + ")"
    }
}
