import Foundation
import Tables

/// The one place the city touches the file system: a set of output files, each a Tables `CSVWriter` (temporary
/// file beside its destination, renamed on commit), committed together by ``commit()`` — so a failed or
/// interrupted run leaves the previous files (or none), never a half-written one.
///
/// Rows are formatted elsewhere (by parallel workers, into `CSVRowBuffer`s) and handed over in order. The two
/// model files are JSON, not CSV; they go through the same writer as raw bytes so they share the all-or-nothing
/// commit.
final class CityFileSet {
    let directory: URL
    private var names: [String] = []
    private var writers: [CSVWriter] = []
    private var finished = false

    /// Prepares to write into `directory`, creating it (and its parents) when missing.
    init(directory: URL) throws {
        self.directory = directory
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw SyntheticCityError.cannotWrite(path: directory.path, reason: Self.whyNoDirectory(directory))
        }
    }

    /// A readable reason a directory could not be created: the nearest existing ancestor is a file, or is not
    /// writable.
    static func whyNoDirectory(_ url: URL) -> String {
        var ancestor = url
        while ancestor.path != "/" && !FileManager.default.fileExists(atPath: ancestor.path) {
            ancestor.deleteLastPathComponent()
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: ancestor.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            return "cannot create the directory: '\(ancestor.path)' is a file, expected a directory"
        }
        return "cannot create the directory: '\(ancestor.path)' is not writable"
    }

    deinit { if !finished { discard() } }

    /// Opens `name` for writing (to a temporary file until ``commit()``) and returns its handle number.
    func open(_ name: String) throws -> Int {
        let writer = try wrap(name) { try CSVWriter(url: directory.appendingPathComponent(name)) }
        names.append(name)
        writers.append(writer)
        return writers.count - 1
    }

    /// Appends a header row.
    func writeHeader(_ columns: [String], to file: Int) throws {
        try wrap(names[file]) { try writers[file].appendRow(columns) }
    }

    /// Appends rows formatted elsewhere.
    func write(_ rows: CSVRowBuffer, to file: Int) throws {
        try wrap(names[file]) { try writers[file].write(rows) }
    }

    /// Writes a whole small file from formatted rows.
    func writeFile(_ name: String, _ rows: CSVRowBuffer) throws {
        try write(rows, to: try open(name))
    }

    /// Writes a whole small file of raw bytes (the JSON models).
    func writeFile(_ name: String, _ data: Data) throws {
        let raw = CSVRowBuffer(capacity: data.count)
        data.withUnsafeBytes { raw.appendRawField($0) } // no endRow: the bytes are taken verbatim
        try writeFile(name, raw)
    }

    /// Renames every temporary file onto its destination (each rename replaces an older file atomically). On
    /// failure, the files not yet renamed are removed.
    ///
    /// No `fsync`: the guarantee is against a failed or killed run (a reader never sees a partial file), not
    /// against power loss; syncing a million-entity city would cost more than generating it.
    func commit() throws {
        // A directory in the way would make its rename fail half-way through the set: refuse before any rename.
        for name in names {
            var isDirectory: ObjCBool = false
            let path = directory.appendingPathComponent(name).path
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                discard()
                throw SyntheticCityError.cannotWrite(path: path, reason: "a directory is in the way")
            }
        }
        finished = true
        for (i, writer) in writers.enumerated() {
            do {
                try writer.commit()
            } catch {
                for later in writers[(i + 1)...] { later.abandon() }
                throw SyntheticCityError.cannotWrite(path: directory.appendingPathComponent(names[i]).path,
                                                     reason: "\(error)")
            }
        }
    }

    /// Removes every temporary file; destinations are untouched.
    func discard() {
        finished = true
        for writer in writers { writer.abandon() }
    }

    private func wrap<T>(_ name: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as SyntheticCityError { throw error } catch {
            throw SyntheticCityError.cannotWrite(path: directory.appendingPathComponent(name).path, reason: "\(error)")
        }
    }
}
