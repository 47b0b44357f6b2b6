import Foundation
import GRDB

/// The joint-sanctions rule (联合惩戒): a serious finding recorded by **any** department against an entity
/// raises the entity's credit class one step (A→B→C→D; D stays D) **for every department** that supervises
/// it, for the next period, as long as the finding lies within the look-back window before the period starts.
///
/// One step per entity, however many serious findings or departments: the rule signals "found seriously
/// non-compliant recently", and repeated findings already weigh through the features. The raised class
/// drives each department's sampling ratio, so the entity is checked more often by all of them.
public enum JointSanctions {
    /// Default look-back window, in days.
    public static let defaultWindowDays = 365

    /// The grade one step riskier than `grade` (D stays D); unknown grades are returned unchanged.
    public static func raised(_ grade: String) -> String {
        switch grade {
        case "A": return "B"
        case "B": return "C"
        case "C", "D": return "D"
        default: return grade
        }
    }
}

/// What the registry knows about one entity before a period starts: the inputs of next period's scores.
public struct EntityFeatures: Equatable, Sendable {
    public var creditCode: String
    public var scenario: String
    /// The grade in the directory.
    public var baseGrade: String
    /// The grade after joint sanctions; the class every department uses next period.
    public var grade: String
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
    public var department: String
    public var entity: String
    public var grade: String
}

extension Workspace {
    /// Records findings (upsert by check and item) in one transaction.
    /// - Throws: `RegistryError.unknownReference` for an unknown check or item, or
    ///   `.invalidArgument` for an item of another department than the check's.
    public func recordFindings(_ findings: [Finding]) throws {
        try database.write { db in
            for finding in findings {
                guard let checkDepartment = try String.fetchOne(
                    db, sql: "SELECT department FROM checks WHERE id = ?", arguments: [finding.checkId]) else {
                    throw RegistryError.unknownReference(table: "checks", key: finding.checkId)
                }
                guard let itemDepartment = try String.fetchOne(
                    db, sql: "SELECT department FROM items WHERE code = ?", arguments: [finding.item]) else {
                    throw RegistryError.unknownReference(table: "items", key: finding.item)
                }
                guard itemDepartment == checkDepartment else {
                    throw RegistryError.invalidArgument(name: "item", value: finding.item,
                                                        expected: "an item of department \(checkDepartment)")
                }
                try finding.upsert(db)
            }
        }
    }

    /// Records disposals (upsert by check and item) in one transaction; each must follow a minor or serious
    /// finding.
    public func recordDisposals(_ disposals: [Disposal]) throws {
        try database.write { db in
            for disposal in disposals {
                let outcome = try String.fetchOne(db, sql: "SELECT outcome FROM findings WHERE check_id = ? AND item = ?",
                                                  arguments: [disposal.checkId, disposal.item])
                guard let outcome, outcome != Outcome.compliant.rawValue else {
                    throw RegistryError.unknownReference(table: "non-compliant findings",
                                                         key: "\(disposal.checkId)/\(disposal.item)")
                }
                try disposal.upsert(db)
            }
        }
    }

    /// The features of every entity for a period starting `asOf`, from the history strictly before it, in
    /// credit-code order. Joint sanctions use serious findings in `[asOf − windowDays, asOf)`.
    /// - Complexity: O(entities + checks + findings) with one grouped query per feature family.
    public func nextPeriodFeatures(asOf: CalendarDate, windowDays: Int = JointSanctions.defaultWindowDays) throws
        -> [EntityFeatures] {
        let start = asOf.description
        let windowStart = asOf.adding(days: -windowDays).description
        return try database.read { db in
            var lastCheck: [String: (count: Int, last: String)] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT entity, COUNT(*), MAX(checked_on) FROM checks WHERE checked_on < ? GROUP BY entity
                """, arguments: [start]) {
                lastCheck[row[0]] = (row[1], row[2])
            }
            var byElement: [String: [Element: Int]] = [:]
            var serious: [String: Int] = [:]
            var penalties: [String: Double] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT c.entity, i.element, f.outcome, COUNT(*), TOTAL(f.penalty)
                FROM findings f JOIN checks c ON c.id = f.check_id JOIN items i ON i.code = f.item
                WHERE c.checked_on < ? GROUP BY c.entity, i.element, f.outcome
                """, arguments: [start]) {
                let entity: String = row[0]
                let element: Element = row[1]
                let outcome: Outcome = row[2]
                let count: Int = row[3]
                penalties[entity, default: 0] += row[4] as Double
                if outcome != .compliant { byElement[entity, default: [:]][element, default: 0] += count }
                if outcome == .serious { serious[entity, default: 0] += count }
            }
            let sanctioned = Set(try String.fetchAll(db, sql: """
                SELECT DISTINCT c.entity FROM findings f JOIN checks c ON c.id = f.check_id
                WHERE f.outcome = 'serious' AND c.checked_on >= ? AND c.checked_on < ?
                """, arguments: [windowStart, start]))
            var open: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT c.entity, COUNT(*) FROM disposals d JOIN checks c ON c.id = d.check_id
                WHERE d.opened_on < ? AND (d.closed_on IS NULL OR d.closed_on >= ?) GROUP BY c.entity
                """, arguments: [start, start]) {
                open[row[0]] = row[1]
            }
            var result: [EntityFeatures] = []
            let entities = try Row.fetchCursor(db, sql: "SELECT credit_code, scenario, credit_grade FROM entities ORDER BY credit_code")
            while let row = try entities.next() {
                let code: String = row[0]
                let base: String = row[2]
                let history = lastCheck[code]
                result.append(EntityFeatures(
                    creditCode: code, scenario: row[1], baseGrade: base,
                    grade: sanctioned.contains(code) ? JointSanctions.raised(base) : base,
                    checks: history?.count ?? 0, findingsByElement: byElement[code] ?? [:],
                    seriousFindings: serious[code] ?? 0,
                    daysSinceLastCheck: history.flatMap { CalendarDate($0.last) }.map { asOf.dayNumber - $0.dayNumber },
                    openDisposals: open[code] ?? 0, penalties: penalties[code] ?? 0))
            }
            return result
        }
    }

    /// Each department's class for each entity of its directory next period: the sanctioned grade from
    /// `nextPeriodFeatures`, the same for every department (joint sanctions), ordered by department, entity.
    public func nextPeriodClasses(asOf: CalendarDate, windowDays: Int = JointSanctions.defaultWindowDays) throws
        -> [DepartmentClass] {
        let grades = Dictionary(uniqueKeysWithValues: try nextPeriodFeatures(asOf: asOf, windowDays: windowDays)
            .map { ($0.creditCode, $0.grade) })
        return try database.read { db in
            try Row.fetchAll(db, sql: "SELECT department, entity FROM directory_memberships ORDER BY department, entity")
                .map { DepartmentClass(department: $0[0], entity: $0[1], grade: grades[$0[1]] ?? "") }
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
            try writer.row([f.creditCode, f.scenario, f.baseGrade, f.grade, String(f.checks)]
                           + Element.allCases.map { String(f.findingsByElement[$0] ?? 0) }
                           + [String(f.seriousFindings), f.daysSinceLastCheck.map(String.init) ?? "",
                              String(f.openDisposals), DecimalText.shortest(f.penalties)])
        }
        try writer.commit()
    }
}
