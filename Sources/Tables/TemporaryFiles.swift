#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Synchronization

/// The temporary files and staging directories a run has open, removed when the run is interrupted.
///
/// Every writer of an output (``CSVWriter``, ``OutputSet``) registers what it creates before it writes a byte and
/// unregisters it once committed or abandoned. ``removeOnTerminationSignals()`` (called once by the command line)
/// turns SIGINT, SIGTERM and SIGHUP into: remove everything registered, then exit with `128 + signal` as shells
/// expect (130, 143, 129). Earlier outputs are untouched, because only temporary paths are ever registered.
///
/// The signals are taken by a Dispatch signal source, so the removal runs on an ordinary thread (not in a signal
/// handler, where directory listing and locks are not allowed).
public enum TemporaryFiles {
    /// What a registered path is.
    public enum Kind: Sendable { case file, directory }

    private static let registered = Mutex<[String: Kind]>([:])

    /// Registers `path` for removal on a termination signal.
    public static func register(_ path: String, _ kind: Kind = .file) {
        registered.withLock { $0[path] = kind }
    }

    /// Forgets `path` (it was committed, or removed by its owner).
    public static func unregister(_ path: String) {
        _ = registered.withLock { $0.removeValue(forKey: path) }
    }

    /// The paths registered now (for tests).
    public static var paths: [String] { registered.withLock { Array($0.keys) } }

    /// Removes every registered path: files are unlinked, directories emptied (one level: staging directories hold
    /// only files) and removed. Safe to call more than once.
    public static func removeAll() {
        let all = registered.withLock { entries -> [String: Kind] in
            let all = entries
            entries.removeAll()
            return all
        }
        for (path, kind) in all {
            switch kind {
            case .file: unlink(path)
            case .directory: removeFlatDirectory(path)
            }
        }
    }

    private static let sources = Mutex<[any DispatchSourceSignal]>([])

    /// Installs the handling of SIGINT, SIGTERM and SIGHUP described above. Call once, early in `main`.
    public static func removeOnTerminationSignals() {
        sources.withLock { sources in
            guard sources.isEmpty else { return }
            for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
                signal(signalNumber, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
                source.setEventHandler {
                    removeAll()
                    _exit(128 + signalNumber)
                }
                source.resume()
                sources.append(source)
            }
        }
    }
}

/// Removes the files directly inside `path`, then `path`; best effort (what cannot be removed stays).
func removeFlatDirectory(_ path: String) {
    if let directory = opendir(path) {
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            unlink(path + "/" + name)
        }
        closedir(directory)
    }
    rmdir(path)
}
