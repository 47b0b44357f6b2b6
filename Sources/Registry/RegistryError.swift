import Supervision

/// Errors raised by the registry, for callers to pattern-match.
///
///     do { let workspace = try Workspace.open(at: path) }
///     catch RegistryError.schemaTooNew(let path, let found, let supported) { … }
///
/// Problems with the rows of an import file are `Tables.TableError`s (file, line, column, value, expected form).
/// Every failure of the storage engine or the file system is one of the cases below, naming the workspace (or
/// file) and saying what to do; an engine's own errors never reach a caller (see ``RegistryStore``).
public enum RegistryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `create` was asked to make a workspace where a file already exists.
    case workspaceExists(path: String)
    /// `open` found no file at `path`.
    case workspaceNotFound(path: String)
    /// The file is not a OneCheck workspace (`reason` says what it is); nothing in it was changed.
    case notAWorkspace(path: String, reason: String)
    /// The workspace was written by a newer OneCheck whose schema this build does not know; opening it could
    /// corrupt data the newer build relies on, so it is refused.
    case schemaTooNew(path: String, found: Int, supported: Int)
    /// Another process holds the workspace's write lock, and it was not released within `waited` seconds.
    case workspaceBusy(path: String, waited: Double)
    /// The workspace cannot be written: it was opened read-only, or the file or its directory is not writable.
    case workspaceReadOnly(path: String, reason: String)
    /// The workspace (or a file beside it that the engine needs) cannot be opened.
    case cannotOpen(path: String, reason: String)
    /// The disk (or the file-size limit) is full; the transaction was rolled back.
    case storageFull(path: String)
    /// The workspace file is damaged.
    case corrupt(path: String, reason: String)
    /// Any other failure of the storage engine, with its explanation.
    case storageFailure(path: String, reason: String)
    /// An output file or directory cannot be written.
    case cannotWrite(path: String, reason: String)
    /// A plan was already drawn for this scenario and period; a draw is never silently repeated. The refused
    /// attempt is recorded in the audit log.
    case planAlreadyDrawn(scenario: ScenarioCode, period: Period, existingPlan: PlanID)
    /// A referenced row does not exist (e.g. a finding for an unknown check).
    case unknownReference(table: String, key: String)
    /// An argument does not have the expected form.
    case invalidArgument(name: String, value: String, expected: String)
    /// A file the operation needs is not there (e.g. entities.csv of a city directory, manifest.json of a plan).
    case missingFile(path: String, expected: String)
    /// entities.csv names other feature columns than the file imported before; the stored values are
    /// positional, so mixing the two would shift every value.
    case featureColumnsChanged(file: String, stored: [String], found: [String])
    /// A file's content is malformed in a way that has no line (e.g. a JSON manifest).
    case malformedFile(path: String, problem: String, expected: String)

    public var description: String {
        switch self {
        case let .workspaceExists(path): return "\(path): a file already exists; choose another path or remove it"
        case let .workspaceNotFound(path): return "\(path): no workspace here; create one with `onecheck init \(path)`"
        case let .notAWorkspace(path, reason):
            return "\(path): not a OneCheck workspace (\(reason)); nothing was changed. Give the path of a workspace "
                + "made by `onecheck init`"
        case let .schemaTooNew(path, found, supported):
            return "\(path): the workspace has schema version \(found) but this build of onecheck supports up to "
                + "version \(supported); upgrade onecheck to open it"
        case let .workspaceBusy(path, waited):
            return "\(path): another onecheck process (an import or a publication) holds the workspace for writing; "
                + "waited \(Self.seconds(waited)). Try again when it has finished, or wait longer with --wait SECONDS"
        case let .workspaceReadOnly(path, reason):
            return "\(path): the workspace cannot be written (\(reason)); nothing was changed. Use a copy you may "
                + "write, or ask its owner for write access"
        case let .cannotOpen(path, reason):
            return "\(path): the workspace cannot be opened (\(reason)); check that the file and its directory exist "
                + "and are readable"
        case let .storageFull(path):
            return "\(path): the disk is full (or the file-size limit is reached); the change was rolled back and the "
                + "workspace is as before. Free some space and run the command again"
        case let .corrupt(path, reason):
            return "\(path): the workspace file is damaged (\(reason)); restore it from a backup or an export"
        case let .storageFailure(path, reason):
            return "\(path): the workspace storage failed (\(reason)); the change was rolled back. Run the command "
                + "again; if it fails the same way, report it with this message"
        case let .cannotWrite(path, reason):
            return "\(path): cannot be written (\(reason)); choose a path in a directory you may write"
        case let .planAlreadyDrawn(scenario, period, existing):
            return "a plan was already drawn for scenario \"\(scenario)\", period \"\(period)\" (plan \"\(existing)\"); "
                + "the repeated draw is refused and recorded in the audit log"
        case let .unknownReference(table, key): return "no row \"\(key)\" in \(table)"
        case let .invalidArgument(name, value, expected): return "\(name) \"\(value)\" is not valid; expected \(expected)"
        case let .missingFile(path, expected): return "\(path): no such file; expected \(expected)"
        case let .featureColumnsChanged(file, stored, found):
            let first = (0..<min(stored.count, found.count)).first { stored[$0] != found[$0] } ?? min(stored.count, found.count)
            let was = first < stored.count ? "\"\(stored[first])\"" : "the end"
            let now = first < found.count ? "\"\(found[first])\"" : "the end"
            return "\(file): feature column \(first + 1) is \(now) but the workspace stores \(was) there; "
                + "expected the same \(stored.count) feature columns, in the same order, as the first import"
        case let .malformedFile(path, problem, expected): return "\(path): \(problem); expected \(expected)"
        }
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }
}
