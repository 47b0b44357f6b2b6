import Foundation
import Supervision
import Tables

/// What the registry knows about one entity before a period starts: the inputs of next period's scores.
public struct EntityFeatures: Equatable, Sendable {
    public var creditCode: CreditCode
    public var scenario: ScenarioCode
    /// The grade in the directory.
    public var baseGrade: Grade
    /// The grade after joint sanctions; the class every department uses next period.
    public var grade: Grade
    /// Checks (one per department and visit) before the period.
    public var checks: Int
    /// Non-compliant (minor or serious) findings per element, before the period.
    public var findingsByElement: [Element: Int]
    /// Serious findings before the period.
    public var seriousFindings: Int
    /// Days from the last check to the period start; nil when never checked.
    public var daysSinceLastCheck: Int?
    /// Disposals opened before the period and not closed by its start.
    public var openDisposals: Int
    /// Fines imposed before the period, in yuan.
    public var penalties: Double
}

/// One department's class for one entity in its directory.
public struct DepartmentClass: Equatable, Hashable, Sendable {
    public var department: DepartmentCode
    public var entity: CreditCode
    public var grade: Grade
}

extension Workspace {
    /// Records findings (upsert by check and item) in one transaction.
    /// - Throws: `RegistryError.unknownReference` for an unknown check or item, or `.invalidArgument` for an item of
    ///   another department than the check's (a joint check keeps each finding attributable).
    public func recordFindings(_ findings: [Finding]) throws {
        try store.write { tx in
            let checks = try tx.checks(findings.map(\.checkId))
            let items = Dictionary(uniqueKeysWithValues: try tx.items().map { ($0.code, $0.department) })
            for finding in findings {
                guard let check = checks[finding.checkId]?.check else {
                    throw RegistryError.unknownReference(table: "checks", key: finding.checkId.rawValue)
                }
                guard let itemDepartment = items[finding.item] else {
                    throw RegistryError.unknownReference(table: "items", key: finding.item.rawValue)
                }
                guard itemDepartment == check.department else {
                    throw RegistryError.invalidArgument(name: "item", value: finding.item.rawValue,
                                                        expected: "an item of department \(check.department)")
                }
                guard finding.penalty >= 0 && finding.penalty.isFinite else {
                    throw RegistryError.invalidArgument(name: "penalty", value: "\(finding.penalty)",
                                                        expected: "an amount in yuan ≥ 0")
                }
            }
            try tx.upsertFindings(findings)
        }
    }

    /// Records disposals (upsert by check and item) in one transaction; each must follow a minor or serious
    /// finding, and close on or after it opened.
    public func recordDisposals(_ disposals: [Disposal]) throws {
        try store.write { tx in
            let findings = try tx.findings(disposals.map { FindingKey(check: $0.checkId, item: $0.item) })
            for disposal in disposals {
                guard findings[FindingKey(check: disposal.checkId, item: disposal.item)]?.outcome.isProblem == true else {
                    throw RegistryError.unknownReference(table: "non-compliant findings",
                                                         key: "\(disposal.checkId)/\(disposal.item)")
                }
                if let closed = disposal.closedOn, closed < disposal.openedOn {
                    throw RegistryError.invalidArgument(name: "closed_on", value: closed.description,
                                                        expected: "a date on or after opened_on \(disposal.openedOn)")
                }
            }
            try tx.upsertDisposals(disposals)
        }
    }

    /// The features of every entity for a period starting `asOf`, from the history strictly before it, in
    /// credit-code order. Joint sanctions use serious findings in ``JointSanctions/window(before:days:)``.
    /// - Complexity: O(entities + checks + findings), one grouped query per feature family.
    public func nextPeriodFeatures(asOf: CalendarDate, windowDays: Int = JointSanctions.defaultWindowDays) throws
        -> [EntityFeatures] {
        try store.read { tx in try Self.nextPeriodFeatures(tx, asOf: asOf, windowDays: windowDays) }
    }

    static func nextPeriodFeatures(_ tx: any RegistryReader, asOf: CalendarDate, windowDays: Int) throws -> [EntityFeatures] {
        let history = try tx.checkHistory(before: asOf)
        var byElement: [CreditCode: [Element: Int]] = [:]
        var serious: [CreditCode: Int] = [:]
        var penalties: [CreditCode: Double] = [:]
        for tally in try tx.findingTallies(checkedIn: DayRange(before: asOf)) {
            penalties[tally.entity, default: 0] += tally.penalties
            if tally.outcome.isProblem { byElement[tally.entity, default: [:]][tally.element, default: 0] += tally.count }
            if tally.outcome == .serious { serious[tally.entity, default: 0] += tally.count }
        }
        let sanctioned = try tx.entities(withFindingOf: .serious,
                                         checkedIn: JointSanctions.window(before: asOf, days: windowDays))
        let open = try tx.openDisposals(on: asOf)
        var result: [EntityFeatures] = []
        try tx.forEachEntity { entity in
            let code = entity.creditCode, checks = history[code]
            result.append(EntityFeatures(
                creditCode: code, scenario: entity.scenario, baseGrade: entity.creditGrade,
                grade: sanctioned.contains(code) ? entity.creditGrade.raised() : entity.creditGrade,
                checks: checks?.checks ?? 0, findingsByElement: byElement[code] ?? [:], seriousFindings: serious[code] ?? 0,
                daysSinceLastCheck: checks.map { $0.lastCheckedOn.days(to: asOf) },
                openDisposals: open[code] ?? 0, penalties: penalties[code] ?? 0))
        }
        return result
    }

    /// Each department's class for each entity of its directory next period: the sanctioned grade of
    /// `nextPeriodFeatures`, the same for every department (joint sanctions), ordered by department, entity.
    public func nextPeriodClasses(asOf: CalendarDate, windowDays: Int = JointSanctions.defaultWindowDays) throws
        -> [DepartmentClass] {
        try store.read { tx in
            let grades = Dictionary(uniqueKeysWithValues: try Self.nextPeriodFeatures(tx, asOf: asOf, windowDays: windowDays)
                .map { ($0.creditCode, $0.grade) })
            var classes: [DepartmentClass] = []
            try tx.forEachMembership { department, entity in
                classes.append(DepartmentClass(department: department, entity: entity, grade: grades[entity]!))
            }
            return classes
        }
    }

    /// Writes `nextPeriodFeatures` as CSV (atomically): `credit_code, scenario, base_grade, grade, checks,
    /// findings_<element>… , serious_findings, days_since_last_check (empty: never), open_disposals, penalties`.
    public func exportFeatures(asOf: CalendarDate, windowDays: Int = JointSanctions.defaultWindowDays,
                               to url: URL) throws {
        let features = try nextPeriodFeatures(asOf: asOf, windowDays: windowDays)
        let writer = try CSVWriterBox(url: url)
        try writer.row(["credit_code", "scenario", "base_grade", "grade", "checks"]
                       + Element.allCases.map { "findings_\($0.rawValue)" }
                       + ["serious_findings", "days_since_last_check", "open_disposals", "penalties"])
        for f in features {
            try writer.row([f.creditCode.rawValue, f.scenario.rawValue, f.baseGrade.label, f.grade.label, String(f.checks)]
                           + Element.allCases.map { String(f.findingsByElement[$0] ?? 0) }
                           + [String(f.seriousFindings), f.daysSinceLastCheck.map(String.init) ?? "",
                              String(f.openDisposals), DecimalText.shortest(f.penalties)])
        }
        try writer.commit()
    }
}
