import Foundation
import Supervision

/// The evaluation indicators (成效评估) of one department in one scenario and period. Definitions are in
/// `INDICATORS.md`; a rate is nil when its denominator is zero.
public struct Indicators: Equatable, Sendable {
    public var scenario: ScenarioCode
    public var department: DepartmentCode
    public var period: Period
    /// N: entities of the scenario in the department's directory (now).
    public var directorySize: Int
    /// Checks of the period's plan for this department.
    public var plannedChecks: Int
    /// n: planned checks with at least one finding recorded.
    public var performedChecks: Int
    /// n / N.
    public var coverage: Double?
    /// Performed checks with at least one minor or serious finding.
    public var problemChecks: Int
    /// problemChecks / n (a rate among the checked, biased towards risky entities by risk-weighted drawing).
    public var discoveryRate: Double?
    /// Horvitz–Thompson estimate of the number of entities with a problem in the directory: Σ 1/πᵢ over
    /// problem checks.
    public var estimatedProblemEntities: Double
    /// estimatedProblemEntities / N: the population problem rate, unbiased under the draw's πᵢ.
    public var estimatedProblemRate: Double?
    /// Minor or serious findings.
    public var nonCompliantFindings: Int
    /// Those whose disposal is closed.
    public var closedDisposals: Int
    /// closedDisposals / nonCompliantFindings.
    public var disposalRate: Double?
    /// Performed checks made jointly: on the same visit (plan, entity, day) as another department's check.
    public var jointChecks: Int
    /// jointChecks / n.
    public var dataSharingRate: Double?
    /// Performed checks whose result is published.
    public var publishedResults: Int
    /// publishedResults / n.
    public var disclosureRate: Double?
    /// Published on or before the deadline.
    public var publishedOnTime: Int
    /// publishedOnTime / n.
    public var timelyDisclosureRate: Double?
}

extension Workspace {
    /// Indicators for every (scenario, department, period) that has a plan with checks, in that order.
    /// - Complexity: O(checks), from one query of the checks' facts and one of the directory sizes.
    public func indicators() throws -> [Indicators] {
        try store.read { tx in
            let sizes = try tx.directorySizes()
            let facts = try tx.checkFacts(.all)
            struct Visit: Hashable { var period: Period, plan: PlanID, entity: CreditCode, day: CalendarDate }
            var departmentsOnVisit: [Visit: Set<DepartmentCode>] = [:]
            for f in facts {
                departmentsOnVisit[Visit(period: f.period, plan: f.plan, entity: f.entity, day: f.checkedOn),
                                   default: []].insert(f.department)
            }
            struct Group: Hashable, Comparable {
                var scenario: ScenarioCode, department: DepartmentCode, period: Period
                static func < (a: Group, b: Group) -> Bool {
                    (a.scenario, a.department, a.period) < (b.scenario, b.department, b.period)
                }
            }
            var groups: [Group: Indicators] = [:]
            for f in facts {
                let key = Group(scenario: f.scenario, department: f.department, period: f.period)
                var i = groups[key] ?? Indicators(
                    scenario: key.scenario, department: key.department, period: key.period,
                    directorySize: sizes[DirectoryScope(department: key.department, scenario: key.scenario)] ?? 0,
                    plannedChecks: 0, performedChecks: 0, problemChecks: 0, estimatedProblemEntities: 0,
                    nonCompliantFindings: 0, closedDisposals: 0, jointChecks: 0, publishedResults: 0, publishedOnTime: 0)
                let found = f.found
                i.plannedChecks += 1
                i.nonCompliantFindings += found.problems
                i.closedDisposals += found.closedDisposals
                if found.isPerformed {
                    i.performedChecks += 1
                    if found.problems > 0 {
                        i.problemChecks += 1
                        i.estimatedProblemEntities += 1 / f.inclusionProbability
                    }
                    let visit = Visit(period: f.period, plan: f.plan, entity: f.entity, day: f.checkedOn)
                    if departmentsOnVisit[visit]!.count > 1 { i.jointChecks += 1 }
                    if let publication = f.publication {
                        i.publishedResults += 1
                        if publication.publishedOn <= publication.deadline { i.publishedOnTime += 1 }
                    }
                }
                groups[key] = i
            }
            func rate(_ x: Int, _ d: Int) -> Double? { d == 0 ? nil : Double(x) / Double(d) }
            return groups.keys.sorted().map { key in
                var i = groups[key]!
                let n = i.performedChecks, size = i.directorySize
                i.coverage = rate(n, size)
                i.discoveryRate = rate(i.problemChecks, n)
                i.estimatedProblemRate = size == 0 ? nil : i.estimatedProblemEntities / Double(size)
                i.disposalRate = rate(i.closedDisposals, i.nonCompliantFindings)
                i.dataSharingRate = rate(i.jointChecks, n)
                i.disclosureRate = rate(i.publishedResults, n)
                i.timelyDisclosureRate = rate(i.publishedOnTime, n)
                return i
            }
        }
    }

    /// The columns of `indicatorRows`.
    public static let indicatorColumns = [
        "scenario", "department", "period", "directory_size", "planned_checks", "performed_checks", "coverage",
        "problem_checks", "discovery_rate", "estimated_problem_entities", "estimated_problem_rate",
        "noncompliant_findings", "closed_disposals", "disposal_rate", "joint_checks", "data_sharing_rate",
        "published_results", "disclosure_rate", "published_on_time", "timely_disclosure_rate",
    ]

    /// The indicators as CSV rows (header first); rates with 6 decimals, empty when undefined.
    public static func indicatorRows(_ list: [Indicators]) -> [[String]] {
        [indicatorColumns] + list.map { i in
            [i.scenario.rawValue, i.department.rawValue, i.period.description, String(i.directorySize),
             String(i.plannedChecks), String(i.performedChecks), DecimalText.fixed(i.coverage), String(i.problemChecks),
             DecimalText.fixed(i.discoveryRate), DecimalText.fixed(i.estimatedProblemEntities, decimals: 3),
             DecimalText.fixed(i.estimatedProblemRate), String(i.nonCompliantFindings), String(i.closedDisposals),
             DecimalText.fixed(i.disposalRate), String(i.jointChecks), DecimalText.fixed(i.dataSharingRate),
             String(i.publishedResults), DecimalText.fixed(i.disclosureRate), String(i.publishedOnTime),
             DecimalText.fixed(i.timelyDisclosureRate)]
        }
    }
}
