import Foundation

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

    /// Decodes and validates model JSON. Version and format are checked before the full decode, so a file
    /// from a newer schema says so instead of failing on an unknown field.
    public static func decode(_ data: Data, file: String) throws -> ScoringModel {
        struct Header: Decodable { var format: String?; var schemaVersion: Int? }
        let decoder = JSONDecoder()
        if let header = try? decoder.decode(Header.self, from: data) {
            if let f = header.format, f != formatTag { throw ModelError.wrongFormat(file: file, found: f) }
            if let v = header.schemaVersion, v > currentSchemaVersion || v < 1 {
                throw ModelError.unsupportedSchemaVersion(file: file, found: v, supported: currentSchemaVersion)
            }
        }
        let model: ScoringModel
        do { model = try decoder.decode(ScoringModel.self, from: data) } catch let error as DecodingError {
            throw ModelError.malformedJSON(file: file, location: Self.path(of: error), reason: Self.reason(of: error))
        }
        try model.validate(file: file)
        return model
    }

    /// Deterministic, human-readable JSON (sorted keys), so model files diff cleanly and hash stably.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }

    /// Writes the model atomically (temporary file, then rename).
    public func write(to url: URL) throws {
        try encoded().write(to: url, options: .atomic)
    }

    private static func path(of error: DecodingError) -> String {
        let context: DecodingError.Context
        switch error {
        case let .typeMismatch(_, c), let .valueNotFound(_, c), let .keyNotFound(_, c), let .dataCorrupted(c): context = c
        @unknown default: return ""
        }
        var path = ""
        for key in context.codingPath {
            if let i = key.intValue { path += "[\(i)]" } else { path += path.isEmpty ? key.stringValue : ".\(key.stringValue)" }
        }
        if case let .keyNotFound(key, _) = error { path += path.isEmpty ? key.stringValue : ".\(key.stringValue)" }
        return path
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
