/// Why a model file could not be used. Each case names where in the file the problem is — a line and column of
/// the text where there is one, and a JSON-path-like `location` such as `heads[1].grades.cuts` — so a modeller can
/// fix it without guessing.
public enum ModelError: Error, Equatable, Sendable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    /// The text is not JSON: the first offending byte's line and column.
    case syntax(file: String, line: Int, column: Int, problem: String)
    /// Valid JSON that does not decode as a model (a missing key, a value of the wrong type).
    case malformedJSON(file: String, position: (line: Int, column: Int)?, location: String, reason: String)
    /// A key the format does not have, with the closest known key when one is close, else the known keys.
    case unknownKey(file: String, line: Int, column: Int, path: String, noun: String, suggestion: String?,
                    allowed: [String])
    case wrongFormat(file: String, found: String)
    /// `schemaVersion` is not a JSON integer (`1.5`, `"1"`); `found` describes what it is.
    case schemaVersionNotInteger(file: String, line: Int, column: Int, found: String)
    case unsupportedSchemaVersion(file: String, found: String, supported: Int)
    case invalid(file: String, location: String, problem: String)
    /// The input table does not fit the model (e.g. a feature's column is missing).
    case inputMismatch(file: String, problem: String)
    /// Reasons were asked for, but the most favourable value of these numeric features (by name, in model order)
    /// is not in the model (``ReasonRanking``).
    case reasonsUnavailable(file: String, missing: [String])

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "\(file): cannot read model file: \(reason)"
        case let .syntax(file, line, column, problem):
            return "\(file):\(line):\(column): malformed model JSON: \(problem)"
        case let .malformedJSON(file, position, location, reason):
            let at = position.map { ":\($0.line):\($0.column)" } ?? ""
            return "\(file)\(at): malformed model JSON at \(location.isEmpty ? "top level" : location): \(reason)"
        case let .unknownKey(file, line, column, path, noun, suggestion, allowed):
            let key = path.split(separator: ".").last.map(String.init) ?? path
            let hint = suggestion.map { "did you mean \"\($0)\"?" }
                ?? "expected one of " + allowed.joined(separator: ", ")
            return "\(file):\(line):\(column): \(path): unknown \(noun) \"\(key)\"; \(hint)"
        case let .wrongFormat(file, found):
            return "\(file): not a OneCheck model (format is \"\(found)\", expected \"\(ScoringModel.formatTag)\")"
        case let .schemaVersionNotInteger(file, line, column, found):
            return "\(file):\(line):\(column): schemaVersion: \(found), not an integer; expected a whole number "
                + "such as \(ScoringModel.currentSchemaVersion) (no quotes, decimal point or exponent)"
        case let .unsupportedSchemaVersion(file, found, supported):
            return "\(file): model schema version \(found) is not supported by this build (it reads versions 1…\(supported)); "
                + "upgrade onecheck or re-export the model"
        case let .invalid(file, location, problem):
            return "\(file): invalid model at \(location): \(problem)"
        case let .inputMismatch(file, problem):
            return "\(file): input does not match the model: \(problem)"
        case let .reasonsUnavailable(file, missing):
            let listed = missing.prefix(5).joined(separator: ", ") + (missing.count > 5 ? ", and \(missing.count - 5) more" : "")
            return "\(file): cannot give reasons: the model does not hold the most favourable training value of "
                + "\(missing.count == 1 ? "the numeric feature" : "\(missing.count) numeric features") \(listed); expected "
                + "their training range (trainingMin and trainingMax, schema version 2, written by onecheck fit) or a "
                + "transform clipped at the favourable end (clipMin for a positive weight, clipMax for a negative one)"
        }
    }

    public static func == (a: ModelError, b: ModelError) -> Bool { a.description == b.description }
}
