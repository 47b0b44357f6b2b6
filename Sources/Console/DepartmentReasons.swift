import Foundation
import Registry
import Scoring
import Supervision
import Tables

/// Reasons per department: for each department whose risk head (`Department.riskHead`) the model has, the reasons
/// of Scoring's reasons API (``CompiledModel/reasons(of:rows:ranking:)``) — the ones `onecheck score --reasons K`
/// writes for the same rows. The one place that maps departments to heads for reasons: the entity page
/// (``ModelViews``) and `onecheck registry reasons` both use it.
public struct DepartmentReasons: Sendable {
    public let model: CompiledModel
    public let ranking: ReasonRanking

    /// One department head's reasons for one row.
    public struct HeadExplanation: Sendable {
        public var department: DepartmentCode
        public var head: String
        /// The head's reasons, largest cost first (ties in model order), at most ``ReasonRanking/count``; costs
        /// unrounded, in points below the best when ``inPoints``, else in score units.
        public var costs: [Reason]
        public var inPoints: Bool
    }

    /// - Parameters:
    ///   - count: reasons per head (the ranking's K).
    ///   - file: the model file, for messages.
    /// - Throws: ``ModelError/reasonsUnavailable(file:missing:)`` when a head needs a training range the model
    ///   does not store.
    public init(model: CompiledModel, count: Int, file: String) throws {
        self.model = model
        ranking = try ReasonRanking(model: model, count: count, file: file)
    }

    /// The departments of `departments` whose risk head the model has, in the order given, with the head's index.
    public func heads(of departments: [Department]) -> [(department: Department, head: Int)] {
        departments.compactMap { department in
            model.heads.firstIndex { $0.name == department.riskHead }.map { (department, $0) }
        }
    }

    /// The explanation of each selected row of `table` (the entities file `registry features --period` writes, or
    /// any table with the model's feature columns): `result[i][d]` for the `i`-th selected row and the `d`-th
    /// department of ``heads(of:)``.
    /// - Throws: `TableError` naming the table, line and column when a feature is missing or cannot be read.
    public func explain(_ table: CSVTable, rows: [Int]? = nil, departments: [Department]) throws -> [[HeadExplanation]] {
        let heads = heads(of: departments)
        return try model.reasons(of: table, rows: rows, ranking: ranking).map { perHead in
            heads.map { department, h in
                HeadExplanation(department: department.code, head: department.riskHead, costs: perHead[h],
                                inPoints: ranking.costInPoints[h])
            }
        }
    }
}
