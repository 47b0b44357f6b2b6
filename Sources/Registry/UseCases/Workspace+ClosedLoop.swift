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
    /// Non-compliant (minor or serious) findings per element, before the period, whose records are in force.
    public var findingsByElement: [Element: Int]
    /// Serious findings before the period whose records are in force.
    public var seriousFindings: Int
    /// Days from the last check to the period start; nil when never checked.
    public var daysSinceLastCheck: Int?
    /// Disposals opened before the period and not closed by its start.
    public var openDisposals: Int
    /// Fines imposed before the period whose records are in force, in yuan.
    public var penalties: Double
}

/// One department's class for one entity in its directory.
public struct DepartmentClass: Equatable, Hashable, Sendable {
    public var department: DepartmentCode
    public var entity: CreditCode
    public var grade: Grade
}

extension Workspace {
    /// Records findings (upsert by check and item) in one transaction, with an audit line of no account (as the
    /// command line writes): every write moves the audit sequence, which the console's caches are keyed on.
    /// - Throws: `RegistryError.unknownReference` for an unknown check or item, or `.invalidArgument` for an item of
    ///   another department than the check's (a joint check keeps each finding attributable).
    public func recordFindings(_ findings: [Finding], at: String = Workspace.timestamp()) throws {
        try store.write { tx in
            _ = try Self.checkFindings(findings, tx: tx)
            try tx.upsertFindings(findings)
            try tx.appendAudit(AuditEntry(at: at, action: .findings, detail: Self.keysDetail(findings.map {
                "\($0.checkId)/\($0.item)=\($0.outcome.rawValue)" })))
        }
    }

    /// The rules every recording of findings keeps; returns the checks concerned.
    static func checkFindings(_ findings: [Finding], tx: any RegistryWriter) throws -> [CheckID: RecordedCheck] {
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
        return checks
    }

    /// Records disposals (upsert by check and item) in one transaction, with an audit line of no account; each
    /// must follow a minor or serious finding, and close on or after it opened.
    public func recordDisposals(_ disposals: [Disposal], at: String = Workspace.timestamp()) throws {
        try store.write { tx in
            try Self.checkDisposals(disposals, tx: tx)
            try tx.upsertDisposals(disposals)
            try tx.appendAudit(AuditEntry(at: at, action: .disposals, detail: Self.keysDetail(disposals.map {
                "\($0.checkId)/\($0.item)=\($0.action)" })))
        }
    }

    /// The rules every recording of disposals keeps.
    static func checkDisposals(_ disposals: [Disposal], tx: any RegistryWriter) throws {
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
    }

    /// The features of every entity for a period starting `asOf`, from the history strictly before it, in
    /// credit-code order. Findings and fines count only while their penalty record is in force on `asOf`
    /// (CREDIT_REPAIR.md); joint sanctions use serious findings in ``JointSanctions/window(before:days:)`` whose
    /// record is in force on `asOf`.
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
        // Only penalty records in force on `asOf` (CREDIT_REPAIR.md); findings that are no record add nothing here.
        for record in try tx.penaltyRecords(PenaltyRecordSelection(checkedIn: DayRange(before: asOf)))
        where record.isInForce(on: asOf) {
            penalties[record.entity, default: 0] += record.penalty
            if record.outcome.isProblem { byElement[record.entity, default: [:]][record.element, default: 0] += 1 }
            if record.outcome == .serious { serious[record.entity, default: 0] += 1 }
        }
        let sanctioned = try JointSanctions.sanctionedEntities(tx, periodStart: asOf, windowDays: windowDays)
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
