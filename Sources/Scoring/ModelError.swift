/// Why a model file could not be used. Each case names where in the file the problem is (a JSON-path-like
/// `location` such as `heads[1].grades.cuts`) so a modeller can fix it without guessing.
public enum ModelError: Error, Equatable, Sendable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case malformedJSON(file: String, location: String, reason: String)
    case wrongFormat(file: String, found: String)
    case unsupportedSchemaVersion(file: String, found: Int, supported: Int)
    case invalid(file: String, location: String, problem: String)
    /// The input table does not fit the model (e.g. a feature's column is missing).
    case inputMismatch(file: String, problem: String)

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "\(file): cannot read model file: \(reason)"
        case let .malformedJSON(file, location, reason):
            return "\(file): malformed model JSON at \(location.isEmpty ? "top level" : location): \(reason)"
        case let .wrongFormat(file, found):
            return "\(file): not a OneCheck model (format is \"\(found)\", expected \"\(ScoringModel.formatTag)\")"
        case let .unsupportedSchemaVersion(file, found, supported):
            return "\(file): model schema version \(found) is not supported by this build (it reads versions 1…\(supported)); "
                + "upgrade onecheck or re-export the model"
        case let .invalid(file, location, problem):
            return "\(file): invalid model at \(location): \(problem)"
        case let .inputMismatch(file, problem):
            return "\(file): input does not match the model: \(problem)"
        }
    }
}
