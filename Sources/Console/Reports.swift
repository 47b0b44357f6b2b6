import Foundation
import Registry
import Supervision

/// The console's views as one self-contained HTML file each (`onecheck report`): the stylesheet inline, charts
/// as inline SVG, no script and no reference to any other file or address — for sending to a leader who has
/// no account.
public enum Reports {
    /// The review of the plan directory at `path` (quotas, workload, visits saved, the pairs — all of them).
    public static func plan(directory path: String, workspace: Workspace? = nil, language: Language = .zh) throws -> String {
        let renderer = try Renderer()
        let departments = try workspace?.store.read { try $0.inspectorDepartments() } ?? [:]
        let review = try PlanReview.read(path: path, inspectorDepartments: departments)
        let body = renderer.fragment("plan_review", review.templateData(language, maxPairs: Int.max), language: language)
        return renderer.document(title: "\(Strings.text("report_plan", language)) · \(review.period)", body: body,
                                 language: language)
    }

    /// The planner's dashboard of `workspace`: indicators with trends, and results overdue on `asOf`.
    public static func indicators(workspace: Workspace, asOf: CalendarDate, language: Language = .zh) throws -> String {
        let renderer = try Renderer()
        let data = PlannerRoutes.dashboardData(try workspace.indicators(), overdue: try workspace.overdueResults(asOf: asOf),
                                               language: language, linkEntities: false)
        return renderer.document(title: Strings.text("report_indicators", language),
                                 body: renderer.fragment("dashboard", data, language: language), language: language)
    }
}
