import Foundation
import Hummingbird
import Planning
import Registry
import Supervision

/// The planner's pages: the dashboard (indicators with trends, overdue results), entity and model pages, and
/// the plan workflow (commit the frame → enter the seed → draw → review → lock, adjustments). Every step calls
/// the library the command line calls (`Planner`, `Workspace`); nothing is computed a second way here.
struct PlannerRoutes {
    let console: Console

    func register(_ table: inout RouteTable) {
        table.add(.get, "/planner", access: .planner, dashboard)
        table.add(.get, "/planner/entity/{code}", access: .planner, entity)
        table.add(.get, "/planner/model", access: .planner, model)
        let workflow = PlanWorkflow(console: console)
        table.add(.get, "/planner/plans", access: .planner, workflow.list)
        table.add(.post, "/planner/plans/commit", access: .planner, workflow.commit)
        table.add(.post, "/planner/plans/draw", access: .planner, workflow.draw)
        table.add(.get, "/planner/plans/{name}", access: .planner, workflow.review)
        table.add(.post, "/planner/plans/{name}/adjust", access: .planner, workflow.adjust)
        table.add(.post, "/planner/plans/{name}/lock", access: .planner, workflow.lock)
    }

    @Sendable func dashboard(_ request: Request, _ context: ConsoleContext) async throws -> Response {
        let all = try await console.indicators.indicators(console.workspace)
        let overdue = try await console.indicators.overdue(console.workspace, asOf: console.today)
        return console.renderer.page("dashboard", title: Strings.text("nav_dashboard", context.language),
                                     Self.dashboardData(all, overdue: overdue, language: context.language),
                                     request: request, context: context)
    }

    /// The dashboard's data (also the indicator report's): trend lines over periods, the latest period per
    /// department as bars, the indicator table, the first overdue results.
    static func dashboardData(_ all: [Indicators], overdue: [OverdueResult], language: Language,
                              linkEntities: Bool = true) -> [String: Any] {
        let periods = Array(Set(all.map(\.period))).sorted()
        // Trends: each indicator over periods, pooled over departments and scenarios (performed-check weighted).
        func pooled(_ value: (Indicators) -> (Double, Double)) -> [Double] {
            periods.map { period in
                let rows = all.filter { $0.period == period }
                let (x, d) = rows.reduce((0.0, 0.0)) { acc, i in let (a, b) = value(i); return (acc.0 + a, acc.1 + b) }
                return d == 0 ? .nan : x / d
            }
        }
        let series: [(String, [Double])] = [
            ("ind_coverage", pooled { (Double($0.performedChecks), Double($0.directorySize)) }),
            ("ind_discovery", pooled { (Double($0.problemChecks), Double($0.performedChecks)) }),
            ("ind_weighted", pooled { ($0.estimatedProblemEntities, Double($0.directorySize)) }),
            ("ind_disposal", pooled { (Double($0.closedDisposals), Double($0.nonCompliantFindings)) }),
            ("ind_sharing", pooled { (Double($0.jointChecks), Double($0.performedChecks)) }),
            ("ind_disclosure", pooled { (Double($0.publishedResults), Double($0.performedChecks)) }),
        ]
        var charts = [Chart(.lines, title: Strings.text("dash_trend", language), labels: periods.map(\.description),
                            series: series.map { Chart.Series(name: Strings.text($0.0, language), values: $0.1) },
                            format: { HTML.percent($0) })]
        // Latest period: each indicator per department, as bars.
        if let latest = periods.last {
            var byDepartment: [DepartmentCode: (performed: Int, problems: Int, size: Int, published: Int)] = [:]
            for i in all where i.period == latest {
                var d = byDepartment[i.department] ?? (0, 0, 0, 0)
                d.performed += i.performedChecks
                d.problems += i.problemChecks
                d.size += i.directorySize
                d.published += i.publishedResults
                byDepartment[i.department] = d
            }
            let departments = byDepartment.keys.sorted()
            charts.append(Chart(.bars, title: "\(latest) · \(Strings.text("col_department", language))",
                                labels: departments.map(\.rawValue), series: [
                                    Chart.Series(name: Strings.text("ind_coverage", language), values: departments.map {
                                        let d = byDepartment[$0]!; return d.size == 0 ? .nan : Double(d.performed) / Double(d.size) }),
                                    Chart.Series(name: Strings.text("ind_discovery", language), values: departments.map {
                                        let d = byDepartment[$0]!; return d.performed == 0 ? .nan : Double(d.problems) / Double(d.performed) }),
                                    Chart.Series(name: Strings.text("ind_disclosure", language), values: departments.map {
                                        let d = byDepartment[$0]!; return d.performed == 0 ? .nan : Double(d.published) / Double(d.performed) }),
                                ], format: { HTML.percent($0) }))
        }
        let shown = 100
        return [
            "linkEntities": linkEntities,
            "charts": charts.map { ["html": $0.html] },
            "rows": all.reversed().prefix(500).map { i -> [String: Any] in
                ["scenario": i.scenario.rawValue, "department": i.department.rawValue, "period": i.period.description,
                 "planned": i.plannedChecks, "performed": i.performedChecks, "coverage": HTML.percent(i.coverage),
                 "discovery": HTML.percent(i.discoveryRate), "weighted": HTML.percent(i.estimatedProblemRate),
                 "disposal": HTML.percent(i.disposalRate), "sharing": HTML.percent(i.dataSharingRate),
                 "disclosure": HTML.percent(i.disclosureRate)]
            },
            "overdue": ["rows": overdue.prefix(shown).map(Self.overdueRow), "shown": min(shown, overdue.count),
                        "total": overdue.count] as [String: Any],
        ]
    }

    static func overdueRow(_ o: OverdueResult) -> [String: Any] {
        ["id": o.checkId.rawValue, "department": o.department.rawValue, "entity": o.entity.rawValue,
         "date": o.checkedOn.description, "deadline": o.deadline.description,
         "status": o.status.rawValue + (o.publishedOn.map { " \($0)" } ?? "")]
    }

    @Sendable func entity(_ request: Request, _ context: ConsoleContext) throws -> Response {
        guard let code = try? CreditCode(validating: try context.parameters.require("code")),
              let record = try console.workspace.entityRecord(code) else { throw HTTPError(.notFound) }
        let language = context.language
        let periods = Array(Set(record.grades.map(\.period))).sorted()
        let departments = Array(Set(record.grades.map(\.department))).sorted()
        // Grade as a number per department over periods: A = 1 … D = 4 (higher is riskier).
        let gradeChart = Chart(.lines, title: Strings.text("entity_grades", language), labels: periods.map(\.description),
                               series: departments.map { department in
                                   Chart.Series(name: department.rawValue, values: periods.map { period in
                                       record.grades.first { $0.period == period && $0.department == department }
                                           .map { Double(Grade.labels.firstIndex(of: $0.grade.label)! + 1) } ?? .nan
                                   })
                               }, format: { v in
                                   let index = Int(v.rounded()) - 1
                                   return Grade.labels.indices.contains(index) && v == v.rounded() ? Grade.labels[index] : ""
                               }, axisMax: 4, axisSteps: 4)
        let values = record.features.map { $0.values.split(separator: ",", omittingEmptySubsequences: false).map(String.init) } ?? []
        var data: [String: Any] = [
            "code": code.rawValue, "scenario": record.entity.scenario.rawValue,
            "district": record.entity.district?.rawValue ?? "", "grade": record.entity.creditGrade.label,
            "gradesChart": gradeChart.html,
            "features": zip(record.featureColumns, values).map { ["name": $0.0, "value": $0.1] },
            "hasFeatures": !values.isEmpty,
            "checks": record.checks.map { listing -> [String: Any] in
                let disposals = record.disposals[listing.check.id] ?? []
                return ["id": listing.check.id.rawValue, "department": listing.check.department.rawValue,
                        "date": listing.check.checkedOn.description,
                        "published": listing.publication.map { "\(Strings.text("col_published", language)) \($0.publishedOn)" }
                            ?? Strings.text("dept_unpublished", language),
                        "findings": (record.findings[listing.check.id] ?? []).map { finding -> [String: Any] in
                            let disposal = disposals.first { $0.item == finding.item }
                            return ["item": finding.item.rawValue, "outcome": finding.outcome.rawValue,
                                    "penalty": HTML.number(finding.penalty, decimals: 2),
                                    "disposal": disposal.map { "\($0.action) \($0.openedOn)–\($0.closedOn?.description ?? "")" } ?? ""]
                        }]
            },
        ]
        // Each penalty record of the entity and where it stands on the console's day, as `repair records` shows
        // it: the next period starting on or after `stops` no longer uses it.
        let records = try console.workspace.penaltyRecords(of: code, asOf: console.today)
        data["hasRecords"] = !records.isEmpty
        data["records"] = records.map { standing -> [String: Any] in
            let record = standing.record
            return ["record": "\(record.key.check) / \(record.key.item)", "department": record.department.rawValue,
                    "severity": Strings.text("severity_\(record.severity.rawValue)", language),
                    "status": Strings.text("record_\(standing.status.rawValue)", language),
                    "repairable": standing.window.repairableFrom.description,
                    "through": standing.window.maximumEnd.description, "stops": standing.stopsCountingOn.description]
        }
        if let views = console.modelViews {
            data["hasModel"] = true
            data["heads"] = try Self.explanations(views, record: record, columns: record.featureColumns, values: values,
                                                  departments: try console.workspace.catalogue().departments)
        }
        return console.renderer.page("entity", title: record.entity.name, data, request: request, context: context)
    }

    /// Each department head's points below the best per feature, the first K marked as the reasons; departments
    /// that graded the entity, else every department whose head the model has.
    static func explanations(_ views: ModelViews, record: EntityRecord, columns: [String], values: [String],
                             departments: [Department]) throws -> [[String: Any]] {
        guard !values.isEmpty, values.count == columns.count else { return [] }
        let graded = Set(record.grades.map(\.department))
        let shown = graded.isEmpty ? departments : departments.filter { graded.contains($0.code) }
        return try views.explain(columns: columns, values: values, departments: shown).map { head in
            ["department": head.department.rawValue, "head": head.head, "rows": head.costs.enumerated().map { rank, reason in
                ["feature": reason.code, "cost": HTML.number(reason.cost, decimals: head.inPoints ? 1 : 3),
                 "reason": rank < views.reasons ? "\(rank + 1)" : ""]
            }]
        }
    }

    @Sendable func model(_ request: Request, _ context: ConsoleContext) async throws -> Response {
        let language = context.language
        let periods = try await console.indicators.gradedPeriods(console.workspace)
        var charts: [Chart] = []
        let period = console.selectedPeriod(request, among: periods)
        if let period {
            let figures = try await console.indicators.modelFigures(console.workspace, period: period)
            let departments = Array(Set(figures.gradeCounts.map(\.department))).sorted()
            charts.append(Chart(.bars, title: "\(Strings.text("model_grades", language)) · \(period)", labels: departments.map(\.rawValue),
                                series: Grade.labels.map { label in
                                    Chart.Series(name: label, values: departments.map { d in
                                        Double(figures.gradeCounts.first { $0.department == d && $0.grade.label == label }?.count ?? 0)
                                    })
                                }))
            var pooled = Array(repeating: 0, count: figures.bins)
            for counts in figures.histogram.values { for (i, c) in counts.enumerated() { pooled[i] += c } }
            charts.append(Chart(.histogram, title: "\(Strings.text("model_histogram", language)) · \(period)",
                                labels: (0..<figures.bins).map { HTML.number(Double($0) / Double(figures.bins), decimals: 2) },
                                series: [Chart.Series(name: Strings.text("col_count", language), values: pooled.map(Double.init))]))
            charts.append(Chart(.bars, title: Strings.text("model_calibration", language),
                                labels: figures.calibration.map { "\($0.decile) (n=\($0.checks))" },
                                series: [Chart.Series(name: Strings.text("col_mean", language), values: figures.calibration.map(\.meanProbability)),
                                         Chart.Series(name: Strings.text("col_observed", language), values: figures.calibration.map(\.problemRate))],
                                format: { HTML.number($0, decimals: 3) }))
        }
        // The monitoring charts were drawn when the console started (their inputs are files that do not change).
        let monitoring = console.modelViews?.monitoringCharts[language] ?? []
        return console.renderer.page("model", title: Strings.text("nav_model", language),
                                     ["periods": Console.periodOptions(periods, selected: period), "charts": charts.map { ["html": $0.html] },
                                      "hasMonitoring": !monitoring.isEmpty, "monitoring": monitoring.map { ["html": $0.html] }],
                                     request: request, context: context)
    }
}
