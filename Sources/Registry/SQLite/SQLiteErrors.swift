import Foundation
import GRDB
import Tables

/// The one place where SQLite's and the file system's errors become `RegistryError`s: each names the workspace
/// and says what to do, so no raw `SQLite error 5` or Foundation error reaches a user.
enum SQLiteErrors {
    /// `error` as a `RegistryError` when it comes from SQLite or Foundation; any other error unchanged.
    /// - Parameters:
    ///   - wait: the seconds a writer waited for the lock, for the busy message.
    ///   - writing: whether the failed operation wrote (a read-only failure then means the file is not writable).
    static func mapped(_ error: any Error, path: String, wait: Double, writing: Bool) -> any Error {
        if error is RegistryError || error is TableError { return error }
        if let error = error as? DatabaseError { return mapped(error, path: path, wait: wait, writing: writing) }
        if let error = error as? StoredValueError { return RegistryError.corrupt(path: path, reason: error.description) }
        let nsError = error as NSError
        if nsError.domain == NSCocoaErrorDomain || nsError.domain == NSPOSIXErrorDomain {
            let reason = (nsError.userInfo[NSUnderlyingErrorKey] as? NSError).map { systemError(Int32($0.code)) }
                ?? nsError.localizedDescription
            if nsError.domain == NSCocoaErrorDomain && nsError.code == CocoaError.fileWriteOutOfSpace.rawValue {
                return RegistryError.storageFull(path: path)
            }
            return writing ? RegistryError.cannotWrite(path: path, reason: reason)
                : RegistryError.cannotOpen(path: path, reason: reason)
        }
        return error
    }

    static func mapped(_ error: DatabaseError, path: String, wait: Double, writing: Bool) -> RegistryError {
        let detail = error.message ?? "\(error.resultCode)"
        switch error.resultCode.primaryResultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return .workspaceBusy(path: path, waited: wait)
        case .SQLITE_READONLY, .SQLITE_PERM:
            return .workspaceReadOnly(path: path, reason: "the file or its directory is not writable by this user ("
                                      + detail + ")")
        case .SQLITE_CANTOPEN:
            return .cannotOpen(path: path, reason: detail)
        case .SQLITE_NOTADB:
            return .notAWorkspace(path: path, reason: "not an SQLite database")
        case .SQLITE_CORRUPT:
            return .corrupt(path: path, reason: detail)
        case .SQLITE_FULL:
            return .storageFull(path: path)
        case .SQLITE_IOERR:
            return .storageFailure(path: path, reason: "input/output error: " + detail)
        case .SQLITE_CONSTRAINT:
            return .storageFailure(path: path, reason: "the change breaks a rule of the workspace's schema: " + detail)
        default:
            return .storageFailure(path: path, reason: detail)
        }
    }
}
