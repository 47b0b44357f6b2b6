/// Which keys each object of a model file may have, so that a misspelt key (`supervisonClass`, `point`) is an
/// error at its place instead of being silently ignored by `Codable`, which skips keys it does not know.
///
/// The known keys are the `CodingKeys` of the model's types, so the schema and the decoder cannot drift apart.
/// Only object keys are checked here; types and values are the decoder's and ``ScoringModel/validate(file:)``'s.
indirect enum ModelKeySchema: Sendable {
    /// An object with these keys (in the format's order, for messages); `noun` names what an unknown key is.
    case object(noun: String, keys: [String], members: [String: ModelKeySchema])
    case array(of: ModelKeySchema)
    /// An object whose keys are data, not format (a head's `weights`: design-column names).
    case anyKeys
    /// A value without keys of its own (a number, a string, an array of those).
    case leaf

    /// An object with the keys of `K`, `children` giving the schema of members that hold objects or arrays.
    static func object<K: CodingKey & CaseIterable & Hashable>(
        _ keys: K.Type, noun: String = "key", children: [K: ModelKeySchema] = [:]
    ) -> ModelKeySchema {
        var members: [String: ModelKeySchema] = [:]
        for key in K.allCases { members[key.stringValue] = children[key] ?? .leaf }
        return .object(noun: noun, keys: K.allCases.map(\.stringValue), members: members)
    }

    /// The whole model format (`models/MODEL_FORMAT.md`).
    static let model: ModelKeySchema = {
        typealias M = ScoringModel
        let feature = object(M.Feature.CodingKeys.self, noun: "transform or key", children: [
            .numeric: object(M.NumericTransform.CodingKeys.self),
            .categorical: object(M.CategoricalTransform.CodingKeys.self),
            .binned: object(M.BinnedTransform.CodingKeys.self),
        ])
        let head = object(M.Head.CodingKeys.self, children: [
            .weights: .anyKeys,
            .points: object(M.PointsScaling.CodingKeys.self),
            .grades: object(M.GradeBands.CodingKeys.self),
        ])
        return object(M.CodingKeys.self, children: [
            .features: .array(of: feature),
            .heads: .array(of: head),
            .supervisionClass: object(M.SupervisionClassRule.CodingKeys.self),
        ])
    }()

    /// The first key, in file order, that this schema does not allow, with its path (`heads[2].point`).
    struct UnknownKey: Equatable, Sendable {
        var path: String
        var key: String
        /// Byte offset of the key in the text.
        var offset: Int
        var noun: String
        /// The closest allowed key, when it is close enough to be a likely typo.
        var suggestion: String?
        var allowed: [String]
    }

    /// Walks `node` depth-first in file order. Values of the wrong type are skipped: the decoder reports those.
    func firstUnknownKey(in node: StrictJSON.Node, path: String = "") -> UnknownKey? {
        switch (self, node.value) {
        case let (.object(noun, keys, members), .object(fields)):
            for field in fields {
                let at = path.isEmpty ? field.key : "\(path).\(field.key)"
                guard let schema = members[field.key] else {
                    return UnknownKey(path: at, key: field.key, offset: field.keyOffset, noun: noun,
                                      suggestion: Self.suggestion(for: field.key, among: keys), allowed: keys)
                }
                if let found = schema.firstUnknownKey(in: field.value, path: at) { return found }
            }
            return nil
        case let (.array(element), .array(items)):
            for (i, item) in items.enumerated() {
                if let found = element.firstUnknownKey(in: item, path: "\(path)[\(i)]") { return found }
            }
            return nil
        default:
            return nil
        }
    }

    /// The allowed key closest to `key` by edit distance (insertions, deletions, substitutions and swaps of
    /// neighbours, ignoring case), if it is within about one edit per four characters (at least one edit).
    static func suggestion(for key: String, among allowed: [String]) -> String? {
        let limit = Swift.max(1, Swift.min(3, key.count / 4))
        var best: (key: String, distance: Int)?
        for candidate in allowed {
            let d = editDistance(key.lowercased(), candidate.lowercased())
            if d <= limit, d < (best?.distance ?? Int.max) { best = (candidate, d) }
        }
        return best?.key
    }

    /// Optimal string alignment distance (Damerau–Levenshtein without repeated edits of one substring).
    /// - Complexity: O(a · b).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var before = [Int](repeating: 0, count: y.count + 1)
        var previous = Array(0...y.count)
        var current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                var d = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] { d = Swift.min(d, before[j - 2] + 1) }
                current[j] = d
            }
            (before, previous, current) = (previous, current, before)
        }
        return previous[y.count]
    }
}
