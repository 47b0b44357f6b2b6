#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Synchronization

/// The temporary files and staging directories a run has open, removed when the run is interrupted.
///
/// Every writer of an output (``CSVWriter``, ``OutputSet``) registers what it creates and unregisters it once
/// committed or abandoned. ``removeOnTerminationSignals()`` (called once by the command line) turns SIGINT, SIGTERM
/// and SIGHUP into: remove everything registered, then exit with `128 + signal` as shells expect (130, 143, 129).
/// Earlier outputs are untouched, because only temporary paths are ever registered.
///
/// The signals are taken by a Dispatch signal source, so the removal runs on an ordinary thread (not in a signal
/// handler, where directory listing and locks are not allowed) while the run's other threads go on. Three rules
/// keep them from leaving anything behind meanwhile:
/// - a path made through ``create(_:_:by:)`` is made and registered under the same lock the removal takes its
///   list under, so it is either on the list or never made; once the removal has begun, a thread that tries to
///   make or register a path waits for the exit instead;
/// - a registered directory is renamed before it is emptied, so a file its writer creates in it meanwhile (a
///   member opened by its path) either is in it when it is listed or fails to open;
/// - a thread that calls `exit` (say, after a write failed because its staging directory was just removed) waits
///   for the removal's own exit, so the status is `128 + signal` and the removal is never cut short.
public enum TemporaryFiles {
    /// What a registered path is.
    public enum Kind: Sendable { case file, directory }

    private struct State {
        var paths: [String: Kind] = [:]
        /// Set once, by the removal on a termination signal.
        var terminating = false
    }

    private static let state = Mutex<State>(State())

    /// Registers `path` (made by someone else, or about to be) for removal on a termination signal.
    ///
    /// Prefer ``create(_:_:by:)`` for a path this process makes: a path registered here before it exists can
    /// still be made after the removal took its list.
    public static func register(_ path: String, _ kind: Kind = .file) {
        state.withLock { state in
            if state.terminating { waitForExit() }
            state.paths[path] = kind
        }
    }

    /// Makes a temporary path with `make` (an `open`, `mkdir` or `rename` returning a descriptor or 0, negative
    /// with `errno` set on failure) and registers it when made — both under the lock the termination removal takes
    /// its list under, so the path is never made unregistered. After a termination signal, does not return.
    /// - Returns: what `make` returned, with its `errno`.
    public static func create(_ path: String, _ kind: Kind = .file, by make: () -> Int32) -> Int32 {
        var failure: Int32 = 0
        let result = state.withLock { state -> Int32 in
            if state.terminating { waitForExit() }
            let made = make()
            if made >= 0 { state.paths[path] = kind } else { failure = errno }
            return made
        }
        if result < 0 { errno = failure }
        return result
    }

    /// Forgets `path` (it was committed, or removed by its owner).
    public static func unregister(_ path: String) {
        _ = state.withLock { $0.paths.removeValue(forKey: path) }
    }

    /// The paths registered now (for tests).
    public static var paths: [String] { state.withLock { Array($0.paths.keys) } }

    /// Removes every registered path: files are unlinked, directories emptied (one level: staging directories hold
    /// only files) and removed. Safe to call more than once.
    public static func removeAll() {
        remove(state.withLock { state -> [String: Kind] in
            defer { state.paths.removeAll() }
            return state.paths
        })
    }

    private static func remove(_ all: [String: Kind]) {
        for (path, kind) in all {
            switch kind {
            case .file: unlink(path)
            case .directory:
                // Renamed first: a path resolved after the rename cannot reach it, so nothing is added to it while
                // it is emptied.
                let removing = path + ".removing"
                removeFlatDirectory(rename(path, removing) == 0 ? removing : path)
            }
        }
    }

    /// The termination removal: takes the list and stops further registrations in one step, removes, exits.
    private static func terminate(_ signalNumber: Int32) -> Never {
        remove(state.withLock { state -> [String: Kind] in
            state.terminating = true
            defer { state.paths.removeAll() }
            return state.paths
        })
        _exit(128 + signalNumber)
    }

    /// Whether a termination removal has begun.
    static var isTerminating: Bool { state.withLock { $0.terminating } }

    /// Blocks the calling thread until the termination removal ends the process.
    private static func waitForExit() -> Never {
        while true { sleep(60) }
    }

    private static let sources = Mutex<[any DispatchSourceSignal]>([])

    /// Installs the handling of SIGINT, SIGTERM and SIGHUP described above. Call once, early in `main`.
    public static func removeOnTerminationSignals() {
        sources.withLock { sources in
            guard sources.isEmpty else { return }
            atexit { if TemporaryFiles.isTerminating { TemporaryFiles.waitForExit() } }
            for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
                signal(signalNumber, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
                source.setEventHandler { terminate(signalNumber) }
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
