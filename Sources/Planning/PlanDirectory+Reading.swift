#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import OneCheckUtilities
import Supervision
import Tables

/// A plan directory read back and checked against its manifest: what a registry records as the period's draw.
public struct RecordedDraw: Sendable {
    /// One visit of plan.csv (one joint check), with its line for located errors.
    public struct Visit: Sendable, Equatable {
        /// `<period>-<entity id>`.
        public let checkID: String
        public let entity: EntityID
        public let scenario: ScenarioCode
        /// Participating departments, as plan.csv lists them (UTF-8 order).
        public let departments: [DepartmentCode]
        public let items: [ItemCode]
        /// Inspectors grouped by department in department order.
        public let inspectors: [InspectorID]
        public let date: CalendarDate
        /// The line of plan.csv the visit is on.
        public let line: Int
    }

    /// The manifest's header (format, algorithm version, parameters, inputs, file digests, adjustments).
    public let manifest: PlanManifest
    /// The visits of plan.csv, in file order.
    public let visits: [Visit]
    /// π per (department, entity), as the manifest (v2) or inclusion.csv (v3) records it.
    public let inclusion: InclusionTable
    /// plan.csv as errors name it (`<directory>/plan.csv`).
    public let planFile: String
    /// plan.csv's header.
    public let planHeader: [String]

    public var period: Period { manifest.parameters.period }
    public var seed: String { manifest.parameters.seed }
    /// The jurisdiction whose plan this is (`plan --jurisdiction`), nil for a plan of a whole city.
    public var jurisdiction: JurisdictionCode? { manifest.parameters.jurisdiction?.jurisdiction }

    /// An error about `visit`'s field in column `column` of plan.csv (file, line, column, value, expected form),
    /// for a caller that refuses a visit on grounds of its own (e.g. a registry whose directory lacks the entity).
    public func error(_ kind: TableError.Kind, visit: Visit, column: String, value: String?, expected: String) -> TableError {
        TableError(kind, file: planFile, line: visit.line, columnIndex: planHeader.firstIndex(of: column),
                   columnName: column, value: value, expected: expected)
    }
}

extension PlanDirectory {
    /// The columns of plan.csv, in the order they are written.
    public static let planColumns = ["check_id", "entity_id", "scenario", "departments", "items", "inspectors", "date"]

    /// Reads the manifest's header (not its π and reserves): what `verify` and `adjust` need to re-derive the plan.
    /// Any format this build knows is accepted; the other files are not read.
    /// - Throws: ``PlanDirectoryError``.
    public static func readManifest(at path: String) throws -> PlanManifest {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PlanDirectoryError.missingFile(path: path)
        }
        return try PlanManifest.parse(Array(data), file: path, keeping: .header).manifest
    }

    /// Reads the directory as a recorded draw, checking before anything is used that
    ///
    /// 1. the manifest records the SHA-256 of the other files (format ``PlanManifest/Format/v3``, or v2 whose
    ///    manifest holds π itself; a v1 manifest records no file digests, so its files cannot be checked),
    /// 2. plan.csv, targets.csv, quota-report.csv, workload.csv and (v3) inclusion.csv have the SHA-256 the
    ///    manifest records — inclusion.csv is hashed in the same pass that parses it, and a file whose digest
    ///    differs is refused as changed even when it does not parse,
    /// 3. every visit of plan.csv is well formed: a unique check id `<period>-<entity id>`, a scenario, at least
    ///    one department with 0 < π ≤ 1 for the entity, a date in the period.
    ///
    /// All files are opened from one open handle on the directory and each is hashed and parsed from the same
    /// open file, so a plan written into the directory at the same time is either not seen at all or refused —
    /// never mixed with the files it replaced.
    /// - Throws: ``PlanDirectoryError`` (missing file, malformed or unsupported manifest, a file changed after
    ///   planning) or `TableError` (a malformed visit or π row, at its line and column).
    public func readDraw() throws -> RecordedDraw {
        let directory = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directory >= 0 else {
            throw PlanDirectoryError.missingFile(path: path(of: Self.manifestFile))
        }
        defer { close(directory) }
        let manifestPath = path(of: Self.manifestFile)
        let manifestBytes = try Self.readAll(directory, Self.manifestFile, displayName: manifestPath).bytes
        let (manifest, table) = try PlanManifest.parse(manifestBytes, file: manifestPath, keeping: .inclusion)
        guard manifest.format.recordsFiles else {
            throw PlanDirectoryError.unsupportedFormat(
                file: manifestPath, found: manifest.format.rawValue,
                expected: PlanManifest.Format.current.rawValue + " or " + PlanManifest.Format.v2.rawValue
                    + " (a v1 manifest records no digests of the other files, so they cannot be checked; "
                    + "plan again, or run onecheck adjust, with this version)")
        }
        @Sendable func recorded(_ name: String) throws -> String {
            guard let digest = manifest.files[name] else {
                throw PlanDirectoryError.unrecordedFile(file: path(of: name), manifest: manifestPath)
            }
            return digest
        }
        // The plan's files are hashed and plan.csv parsed on one thread while inclusion.csv is parsed and hashed
        // on another. Errors come in the order of one pass: a changed file first, then inclusion.csv's, then
        // plan.csv's rows (a row's error is kept, not thrown, until π is at hand to check the rows before it).
        let planPath = path(of: Self.planFile)
        let readPlan: @Sendable () throws -> PlanVisitRows = {
            var planFD: Int32 = -1
            defer { if planFD >= 0 { close(planFD) } }
            for name in Self.hashedFiles(manifest.format) where name != Self.inclusionFile {
                let (bytes, fd) = try Self.readAll(directory, name, displayName: path(of: name), keepOpen: name == Self.planFile)
                if name == Self.planFile { planFD = fd }
                let expected = try recorded(name)
                let found = FrameCommitment.sha256Hex(bytes)
                guard found == expected else {
                    throw PlanDirectoryError.fileChanged(file: path(of: name), manifest: manifestPath,
                                                         recorded: expected, found: found)
                }
            }
            return try PlanVisitRows(source: Self.openFilePath(planFD, else: planPath), displayName: planPath,
                                     period: manifest.parameters.period)
        }
        let (rows, inclusion) = try concurrently(readPlan) {
            if let table { return table }
            return try readInclusion(directory, recorded: try recorded(Self.inclusionFile), manifest: manifestPath)
        }
        return try rows.checked(against: inclusion, manifest: manifest)
    }

    /// A path that opens the open file `fd` itself (`/proc/self/fd/N`), not what `path` names now (another plan may
    /// have replaced it since), where the system has one.
    private static func openFilePath(_ fd: Int32, else path: String) -> String {
        FileManager.default.fileExists(atPath: "/proc/self/fd/\(fd)") ? "/proc/self/fd/\(fd)" : path
    }

    /// inclusion.csv of the open directory, parsed and hashed in one pass and refused unless its SHA-256 is
    /// `recorded` (also when it does not parse: an edited file is named as changed).
    private func readInclusion(_ directory: Int32, recorded: String, manifest: String) throws -> InclusionTable {
        let name = path(of: Self.inclusionFile)
        let fd = openat(directory, Self.inclusionFile, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { throw PlanDirectoryError.missingFile(path: name) }
            throw TableError(.cannotOpen(reason: systemError()), file: name)
        }
        defer { close(fd) }
        let source = Self.openFilePath(fd, else: name)
        let digest = ReadingDigest()
        let table: InclusionTable
        do {
            table = try InclusionFile.read(source, displayName: name, observer: digest.observe)
        } catch {
            let found = try FileDigest.sha256Hex(path: source)
            if found != recorded {
                throw PlanDirectoryError.fileChanged(file: name, manifest: manifest, recorded: recorded, found: found)
            }
            throw error
        }
        let found = try digest.finish(path: source)
        guard found == recorded else {
            throw PlanDirectoryError.fileChanged(file: name, manifest: manifest, recorded: recorded, found: found)
        }
        return table
    }

    /// The bytes of `name` in the open directory `directory`; with `keepOpen`, the open file is returned too.
    private static func readAll(_ directory: Int32, _ name: String, displayName: String,
                                keepOpen: Bool = false) throws -> (bytes: [UInt8], fd: Int32) {
        let fd = openat(directory, name, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { throw PlanDirectoryError.missingFile(path: displayName) }
            throw TableError(.cannotOpen(reason: systemError()), file: displayName)
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                let error = TableError(.ioFailure(reason: systemError()), file: displayName)
                close(fd)
                throw error
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        if keepOpen { return (bytes, fd) }
        close(fd)
        return (bytes, -1)
    }
}

/// Why a plan directory cannot be read or trusted.
public enum PlanDirectoryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A file of the set is missing.
    case missingFile(path: String)
    /// The manifest is not the JSON a plan writes (at `line`:`column`).
    case malformedManifest(file: String, line: Int, column: Int, problem: String, expected: String)
    /// The manifest's format is unknown, or older than the reader accepts.
    case unsupportedFormat(file: String, found: String, expected: String)
    /// A file's SHA-256 differs from the one its manifest records: it was changed after planning.
    case fileChanged(file: String, manifest: String, recorded: String, found: String)
    /// The manifest records no digest for a file of the set.
    case unrecordedFile(file: String, manifest: String)

    public var description: String {
        switch self {
        case let .missingFile(path):
            return "\(path): no such file; expected an output directory of `onecheck plan` (plan.csv, targets.csv, "
                + "quota-report.csv, workload.csv, inclusion.csv, manifest.json)"
        case let .malformedManifest(file, line, column, problem, expected):
            return "\(file):\(line):\(column): \(problem); expected \(expected)"
        case let .unsupportedFormat(file, found, expected):
            return "\(file): format \"\(found.prefix(80))\"; expected \(expected)"
        case let .fileChanged(file, manifest, recorded, found):
            return "\(file): SHA-256 \(found) differs from \(recorded) recorded in \(manifest); the file was changed "
                + "after planning; expected the file exactly as `onecheck plan` wrote it"
        case let .unrecordedFile(file, manifest):
            return "\(file): \(manifest) records no SHA-256 for it; expected a manifest written by `onecheck plan`"
        }
    }
}
