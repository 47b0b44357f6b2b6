/// The columns of a scores file, the output of `onecheck score`, named in this one place: the writer
/// (``ScoreJob``) and every reader (``ScoresFileReader``, the planner, the registry) take the names from here.
///
/// Columns, in order: the model's id column, the pass-through columns, then per head `<head>_score`,
/// `<head>_probability` (logistic heads), `<head>_points` (heads with points scaling), `<head>_grade` (heads with
/// grade bands), then `supervision_class` when the model defines it, then — with reasons (``ReasonRanking``) — per
/// head and rank `k = 1…K` `<head>_reason_<k>` (the reason code: a feature name, or `<feature>:missing`) and
/// `<head>_reason_<k>_cost` (points below the best for heads with points, else score units), both empty past the
/// head's last reason. Column names are unique.
public struct ScoresFileSchema: Sendable, Equatable {
    /// One head's columns (nil where the head has no such output) and its grade labels, lowest risk first.
    public struct HeadColumns: Sendable, Equatable {
        public let head: String
        public let score: String
        public let probability: String?
        public let points: String?
        public let grade: String?
        public let labels: [String]
        /// Per rank (1…K), the reason code column and its cost column; empty without reasons.
        public let reasons: [String]
        public let reasonCosts: [String]
    }

    public let idColumn: String
    public let passThrough: [String]
    public let heads: [HeadColumns]
    /// `supervision_class` when the model defines a class, else nil.
    public let supervisionClass: String?
    /// The class's labels, lowest risk first (empty without a class).
    public let classLabels: [String]

    public static func scoreColumn(head: String) -> String { head + "_score" }
    public static func probabilityColumn(head: String) -> String { head + "_probability" }
    public static func pointsColumn(head: String) -> String { head + "_points" }
    public static func gradeColumn(head: String) -> String { head + "_grade" }
    public static let supervisionClassColumn = "supervision_class"
    /// The column of head `head`'s reason of rank `rank` (1-based).
    public static func reasonColumn(head: String, rank: Int) -> String { "\(head)_reason_\(rank)" }
    /// The column of the cost of head `head`'s reason of rank `rank` (1-based).
    public static func reasonCostColumn(head: String, rank: Int) -> String { "\(head)_reason_\(rank)_cost" }

    /// Every column, in file order.
    public var columns: [String] {
        var columns = [idColumn] + passThrough
        for h in heads { columns += [h.score] + [h.probability, h.points, h.grade].compactMap { $0 } }
        if let supervisionClass { columns.append(supervisionClass) }
        for h in heads { for (code, cost) in zip(h.reasons, h.reasonCosts) { columns += [code, cost] } }
        return columns
    }

    /// The schema of the scores `model` writes with `passThrough` copied after the id and `reasons` reasons per head.
    /// - Throws: ``ScoresFileError/passThroughTwice(column:)`` when a pass-through column is named twice,
    ///   ``ScoresFileError/duplicateColumn(_:)`` when a pass-through column would repeat another output column.
    public init(model: CompiledModel, passThrough: [String] = [], reasons: Int = 0) throws {
        var seen = Set<String>()
        for name in passThrough where !seen.insert(name).inserted { throw ScoresFileError.passThroughTwice(column: name) }
        idColumn = model.model.idColumn
        self.passThrough = passThrough
        heads = model.heads.map { h in
            HeadColumns(head: h.name, score: Self.scoreColumn(head: h.name),
                        probability: h.logistic ? Self.probabilityColumn(head: h.name) : nil,
                        points: h.pointsFactor != nil ? Self.pointsColumn(head: h.name) : nil,
                        grade: h.labels.isEmpty ? nil : Self.gradeColumn(head: h.name), labels: h.labels,
                        reasons: (0..<reasons).map { Self.reasonColumn(head: h.name, rank: $0 + 1) },
                        reasonCosts: (0..<reasons).map { Self.reasonCostColumn(head: h.name, rank: $0 + 1) })
        }
        supervisionClass = model.classRule != nil ? Self.supervisionClassColumn : nil
        classLabels = model.classRule != nil ? model.heads[model.classHeads[0]].labels : []
        var names = Set<String>()
        for name in columns where !names.insert(name).inserted { throw ScoresFileError.duplicateColumn(name) }
    }
}

/// Why a scores file cannot be written or read as asked.
public enum ScoresFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The pass-through list names a column twice.
    case passThroughTwice(column: String)
    /// An output column would appear twice (a pass-through column named like the id or a score column).
    case duplicateColumn(String)

    public var description: String {
        switch self {
        case let .passThroughTwice(column):
            return "the pass-through columns name \"\(column)\" twice; expected each column once"
        case let .duplicateColumn(name):
            return "the output would have two columns named \"\(name)\"; expected pass-through columns other than "
                + "the id and the score columns"
        }
    }
}
