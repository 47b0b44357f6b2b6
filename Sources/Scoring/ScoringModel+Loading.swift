import Foundation
import OneCheckUtilities
import Tables

extension ScoringModel {
    /// Reads, decodes and validates a model file.
    /// - Throws: ``ModelError`` naming the file and the location of the problem.
    public static func load(from url: URL) throws -> ScoringModel {
        let file = url.lastPathComponent
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ModelError.unreadable(file: url.path, reason: (error as NSError).localizedDescription)
        }
        return try decode(data, file: file)
    }

    /// Decodes and validates model JSON, strictly, reporting the first problem in this order:
    /// 1. the text is not JSON (``StrictJSON``): line and column of the first offending byte;
    /// 2. the top level is not an object, `format` is not ``formatTag``, or `schemaVersion` is not an integer
    ///    from 1 to ``currentSchemaVersion`` — before the keys, so a file of a newer schema says so instead of
    ///    failing on a key it added;
    /// 3. a key the format does not have, at any level (``ModelKeySchema``), with the closest known key;
    /// 4. a missing key or a value of the wrong type (`Codable`), at its path and, where it can be found, its line;
    /// 5. everything ``validate(file:)`` checks, including that no input can make a score overflow;
    /// 6. a key newer than the declared `schemaVersion` (``requiredSchemaVersion``).
    public static func decode(_ data: Data, file: String) throws -> ScoringModel {
        let bytes = [UInt8](data)
        let root: StrictJSON.Node
        do { root = try StrictJSON.parse(bytes) } catch {
            throw ModelError.syntax(file: file, line: error.position.line, column: error.position.column,
                                    problem: error.problem)
        }
        func position(_ offset: Int) -> StrictJSON.Position { StrictJSON.Position(offset: offset, in: bytes) }
        guard case .object = root.value else {
            let p = position(root.offset)
            throw ModelError.malformedJSON(file: file, position: (p.line, p.column), location: "",
                                           reason: "expected an object ({…}), found \(root.kindName)")
        }
        if let f = root["format"], case let .string(found) = f.value, found != formatTag {
            throw ModelError.wrongFormat(file: file, found: found)
        }
        if let version = root["schemaVersion"] { try checkSchemaVersion(version, file: file, position: position) }
        if let unknown = ModelKeySchema.model.firstUnknownKey(in: root) {
            let p = position(unknown.offset)
            throw ModelError.unknownKey(file: file, line: p.line, column: p.column, path: unknown.path,
                                        noun: unknown.noun, suggestion: unknown.suggestion, allowed: unknown.allowed)
        }
        let model: ScoringModel
        do { model = try JSONDecoder().decode(ScoringModel.self, from: data) } catch let error as DecodingError {
            let (path, node) = Self.locate(error, in: root)
            let p = node.map { position($0.offset) }
            throw ModelError.malformedJSON(file: file, position: p.map { ($0.line, $0.column) }, location: path,
                                           reason: Self.reason(of: error))
        }
        try model.validate(file: file)
        try model.checkKeysWithinSchemaVersion(file: file)
        return model
    }

    /// A file must not use a key newer than the `schemaVersion` it declares: a version 1 file with a training
    /// range (a version 2 addition) is refused, naming the first such key.
    func checkKeysWithinSchemaVersion(file: String) throws {
        guard schemaVersion < requiredSchemaVersion,
              let i = features.firstIndex(where: { $0.numeric?.hasTrainingRange == true }) else { return }
        let key = features[i].numeric?.trainingMin != nil ? "trainingMin" : "trainingMax"
        throw ModelError.invalid(file: file, location: "features[\(i)] (\(features[i].name)).numeric.\(key)",
                                 problem: "the training range is a schema version 2 key, but the file says "
                                     + "schemaVersion \(schemaVersion); expected schemaVersion 2")
    }

    /// `schemaVersion` must be a JSON integer (no quotes, decimal point or exponent) in 1…``currentSchemaVersion``.
    private static func checkSchemaVersion(_ node: StrictJSON.Node, file: String,
                                           position: (Int) -> StrictJSON.Position) throws {
        let p = position(node.offset)
        let found: String
        switch node.value {
        case let .number(text, _):
            if !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) {
                guard let v = Int(text), v >= 1, v <= currentSchemaVersion else {
                    throw ModelError.unsupportedSchemaVersion(file: file, found: text, supported: currentSchemaVersion)
                }
                return
            }
            found = "\(text) is a number with a fraction or exponent"
        case let .string(text): found = "\(QuotedText.quoted(text, limit: 40)) is a string"
        default: found = "it is \(node.kindName)"
        }
        throw ModelError.schemaVersionNotInteger(file: file, line: p.line, column: p.column, found: found)
    }

    /// Deterministic, human-readable JSON (sorted keys), so model files diff cleanly and hash stably. The
    /// `schemaVersion` written is ``requiredSchemaVersion``: the lowest version that holds the model.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var written = self
        written.schemaVersion = requiredSchemaVersion
        var data = try encoder.encode(written)
        data.append(0x0A)
        return data
    }

    /// Writes the model as `OutputTarget` says (a regular file atomically: temporary file, then rename).
    public func write(to url: URL) throws {
        try OutputTarget(url.path).write(encoded())
    }

    /// The decoding error's path (`heads[1].intercept`) and the deepest node of `root` on it.
    private static func locate(_ error: DecodingError, in root: StrictJSON.Node) -> (String, StrictJSON.Node?) {
        let context: DecodingError.Context
        switch error {
        case let .typeMismatch(_, c), let .valueNotFound(_, c), let .keyNotFound(_, c), let .dataCorrupted(c): context = c
        @unknown default: return ("", nil)
        }
        var path = ""
        var node: StrictJSON.Node? = root
        for key in context.codingPath {
            if let i = key.intValue {
                path += "[\(i)]"
                if case let .array(items)? = node?.value, i < items.count { node = items[i] } else { node = nil }
            } else {
                path += path.isEmpty ? key.stringValue : ".\(key.stringValue)"
                node = node?[key.stringValue]
            }
        }
        if case let .keyNotFound(key, _) = error { path += path.isEmpty ? key.stringValue : ".\(key.stringValue)" }
        return (path, node)
    }

    private static func reason(of error: DecodingError) -> String {
        switch error {
        case let .keyNotFound(key, _): return "required field \"\(key.stringValue)\" is missing"
        case let .typeMismatch(type, c): return "expected \(type): \(c.debugDescription)"
        case let .valueNotFound(type, _): return "expected a \(type) value, found null"
        case let .dataCorrupted(c):
            // An enum raw value that is not one of the allowed cases also lands here.
            return c.debugDescription
        @unknown default: return "\(error)"
        }
    }
}
