import Foundation
import GRDB

/// The evaluation indicators (成效评估) of one department in one scenario and period. Definitions are in
/// `INDICATORS.md`; a rate is nil when its denominator is zero.
public struct Indicators: Equatable, Sendable {
    public var scenario: String
    public var department: String
    public var period: String
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
    /// - Complexity: one grouped query over checks (with correlated lookups on indexed keys) plus one over
    ///   the directory.
    public func indicators() throws -> [Indicators] {
        try database.read { db in
            var directory: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT m.department, e.scenario, COUNT(*) FROM directory_memberships m
                JOIN entities e ON e.credit_code = m.entity GROUP BY m.department, e.scenario
                """) {
                directory[(row[0] as String) + "\u{1F}" + (row[1] as String)] = row[2]
            }
            let rows = try Row.fetchAll(db, sql: """
                WITH k AS (
                    SELECT p.scenario, c.department, p.period, c.id, c.plan, c.entity, c.checked_on,
                           c.inclusion_probability AS pi,
                           EXISTS (SELECT 1 FROM findings f WHERE f.check_id = c.id) AS performed,
                           EXISTS (SELECT 1 FROM findings f WHERE f.check_id = c.id AND f.outcome != 'compliant') AS problem,
                           (SELECT COUNT(*) FROM findings f WHERE f.check_id = c.id AND f.outcome != 'compliant') AS bad,
                           (SELECT COUNT(*) FROM disposals d WHERE d.check_id = c.id AND d.closed_on IS NOT NULL) AS closed,
                           EXISTS (SELECT 1 FROM checks o WHERE o.plan = c.plan AND o.entity = c.entity
                                   AND o.checked_on = c.checked_on AND o.department != c.department) AS joint,
                           u.published_on, u.deadline
                    FROM checks c JOIN plans p ON p.id = c.plan LEFT JOIN publications u ON u.check_id = c.id
                )
                SELECT scenario, department, period, COUNT(*), TOTAL(performed), TOTAL(performed AND problem),
                       TOTAL(CASE WHEN performed AND problem THEN 1.0 / pi ELSE 0 END), TOTAL(bad), TOTAL(closed),
                       TOTAL(performed AND joint), TOTAL(performed AND published_on IS NOT NULL),
                       TOTAL(performed AND published_on <= deadline)
                FROM k GROUP BY scenario, department, period ORDER BY scenario, department, period
                """)
            return rows.map { row in
                let scenario: String = row[0], department: String = row[1]
                let n = Int(row[4] as Double)
                let size = directory[department + "\u{1F}" + scenario] ?? 0
                func rate(_ x: Int, _ d: Int) -> Double? { d == 0 ? nil : Double(x) / Double(d) }
                let problems = Int(row[5] as Double), ht: Double = row[6]
                let bad = Int(row[7] as Double), closed = Int(row[8] as Double)
                let joint = Int(row[9] as Double), published = Int(row[10] as Double), onTime = Int(row[11] as Double)
                return Indicators(
                    scenario: scenario, department: department, period: row[2], directorySize: size,
                    plannedChecks: row[3], performedChecks: n, coverage: rate(n, size), problemChecks: problems,
                    discoveryRate: rate(problems, n), estimatedProblemEntities: ht,
                    estimatedProblemRate: size == 0 ? nil : ht / Double(size), nonCompliantFindings: bad,
                    closedDisposals: closed, disposalRate: rate(closed, bad), jointChecks: joint,
                    dataSharingRate: rate(joint, n), publishedResults: published, disclosureRate: rate(published, n),
                    publishedOnTime: onTime, timelyDisclosureRate: rate(onTime, n))
            }
        }
    }

    /// The columns of `writeIndicators`.
    public static let indicatorColumns = [
        "scenario", "department", "period", "directory_size", "planned_checks", "performed_checks", "coverage",
        "problem_checks", "discovery_rate", "estimated_problem_entities", "estimated_problem_rate",
        "noncompliant_findings", "closed_disposals", "disposal_rate", "joint_checks", "data_sharing_rate",
        "published_results", "disclosure_rate", "published_on_time", "timely_disclosure_rate",
    ]

    /// The indicators as CSV rows (header first); rates with 6 decimals, empty when undefined.
    public static func indicatorRows(_ list: [Indicators]) -> [[String]] {
        [indicatorColumns] + list.map { i in
            [i.scenario, i.department, i.period, String(i.directorySize), String(i.plannedChecks),
             String(i.performedChecks), DecimalText.fixed(i.coverage), String(i.problemChecks),
             DecimalText.fixed(i.discoveryRate), DecimalText.fixed(i.estimatedProblemEntities, decimals: 3),
             DecimalText.fixed(i.estimatedProblemRate), String(i.nonCompliantFindings), String(i.closedDisposals),
             DecimalText.fixed(i.disposalRate), String(i.jointChecks), DecimalText.fixed(i.dataSharingRate),
             String(i.publishedResults), DecimalText.fixed(i.disclosureRate), String(i.publishedOnTime),
             DecimalText.fixed(i.timelyDisclosureRate)]
        }
    }
}
