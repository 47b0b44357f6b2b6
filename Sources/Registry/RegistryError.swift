import Tables

/// Errors raised by the registry, for callers to pattern-match.
///
///     do { let workspace = try Workspace.open(at: path) }
///     catch RegistryError.schemaTooNew(let found, let supported) { … }
///
/// Problems with the rows of an import file are `TableError`s (file, line, column, value, expected form);
/// SQLite failures surface as GRDB's `DatabaseError`.
public enum RegistryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `create` was asked to make a workspace where a file already exists.
    case workspaceExists(path: String)
    /// `open` found no file at `path`.
    case workspaceNotFound(path: String)
    /// The file is an SQLite database but not a OneCheck workspace (its application id differs).
    case notAWorkspace(path: String)
    /// The workspace was written by a newer OneCheck whose schema this build does not know; opening it could
    /// corrupt data the newer build relies on, so it is refused.
    case schemaTooNew(found: Int, supported: Int)
    /// A plan was already drawn for this scenario and period; a draw is never silently repeated. The refused
    /// attempt is recorded in the audit log.
    case planAlreadyDrawn(scenario: String, period: String, existingPlan: String)
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
        case let .notAWorkspace(path): return "\(path): not a OneCheck workspace (unknown SQLite application id)"
        case let .schemaTooNew(found, supported):
            return "the workspace has schema version \(found) but this build of onecheck supports up to version "
                + "\(supported); upgrade onecheck to open it"
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
}
