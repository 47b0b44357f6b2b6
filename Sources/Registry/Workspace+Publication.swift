import Foundation
import GRDB

/// The legal deadline of a check's public result, and the calendar it is computed on.
///
/// Results must be disclosed within 20 working days of the check (State Council 2015 No. 58 and national
/// practice). Working days skip Saturdays and Sundays; public holidays and make-up working weekends are not
/// built in (they are announced each year) — pass them in `holidays` / `workingWeekends` when known.
public struct DisclosureCalendar: Sendable {
    public static let workingDaysAllowed = 20
    public var holidays: Set<CalendarDate>
    public var workingWeekends: Set<CalendarDate>

    public init(holidays: Set<CalendarDate> = [], workingWeekends: Set<CalendarDate> = []) {
        self.holidays = holidays
        self.workingWeekends = workingWeekends
    }

    /// The last day on which the result of a check made on `checkedOn` may be published.
    public func deadline(checkedOn: CalendarDate) -> CalendarDate {
        checkedOn.addingWorkingDays(Self.workingDaysAllowed, holidays: holidays, workingWeekends: workingWeekends)
    }
}

/// A check whose result is late: unpublished after its deadline, or published after it.
public struct OverdueResult: Equatable, Sendable {
    public enum Status: String, Sendable { case unpublished, late }
    public var checkId: String
    public var department: String
    public var entity: String
    public var checkedOn: String
    public var deadline: String
    public var publishedOn: String?
    public var status: Status

    public init(checkId: String, department: String, entity: String, checkedOn: String, deadline: String,
                publishedOn: String?, status: Status) {
        self.checkId = checkId; self.department = department; self.entity = entity; self.checkedOn = checkedOn
        self.deadline = deadline; self.publishedOn = publishedOn; self.status = status
    }
}

extension Workspace {
    /// The columns of the disclosure file. No personal data: no legal representative, no inspector ids and no
    /// free-text notes (which may name people) leave the registry.
    public static let disclosureColumns = [
        "check_id", "scenario", "period", "department", "entity_credit_code", "entity_name", "checked_on",
        "items_checked", "minor_findings", "serious_findings", "penalties", "disposal", "deadline", "published_on",
    ]

    /// Publishes the results of performed checks (checks with at least one finding), optionally only those of
    /// one scenario and/or period: checks not yet published get a publication dated `on` with its deadline,
    /// and every published result of the selection is written to `url` (atomically) in check-id order.
    /// - Returns: the number of results newly published.
    @discardableResult
    public func publish(on day: CalendarDate, scenario: String? = nil, period: String? = nil,
                        calendar: DisclosureCalendar = DisclosureCalendar(), to url: URL,
                        at: String = Workspace.timestamp()) throws -> Int {
        let filter = "(?1 IS NULL OR p.scenario = ?1) AND (?2 IS NULL OR p.period = ?2)"
        let arguments: StatementArguments = [scenario, period]
        return try database.write { db in
            let pending = try Row.fetchAll(db, sql: """
                SELECT c.id, c.checked_on FROM checks c JOIN plans p ON p.id = c.plan
                WHERE \(filter) AND EXISTS (SELECT 1 FROM findings f WHERE f.check_id = c.id)
                  AND NOT EXISTS (SELECT 1 FROM publications u WHERE u.check_id = c.id)
                  AND c.checked_on <= ?3
                ORDER BY c.id
                """, arguments: arguments + [day.description])
            for row in pending {
                let checked = CalendarDate(row[1] as String)!
                try Publication(checkId: row[0], publishedOn: day.description,
                                deadline: calendar.deadline(checkedOn: checked).description).insert(db)
            }
            try AuditEntry(at: at, action: "publish", scenario: scenario ?? "", period: period ?? "",
                           detail: "published=\(pending.count) on \(day)").insert(db)
            try Self.export(sql: """
                SELECT c.id AS check_id, p.scenario, p.period, c.department, c.entity AS entity_credit_code,
                       e.name AS entity_name, c.checked_on,
                       (SELECT COUNT(*) FROM findings f WHERE f.check_id = c.id) AS items_checked,
                       (SELECT COUNT(*) FROM findings f WHERE f.check_id = c.id AND f.outcome = 'minor') AS minor_findings,
                       (SELECT COUNT(*) FROM findings f WHERE f.check_id = c.id AND f.outcome = 'serious') AS serious_findings,
                       (SELECT TOTAL(f.penalty) FROM findings f WHERE f.check_id = c.id) AS penalties,
                       CASE WHEN NOT EXISTS (SELECT 1 FROM disposals d WHERE d.check_id = c.id) THEN 'none'
                            WHEN EXISTS (SELECT 1 FROM disposals d WHERE d.check_id = c.id AND d.closed_on IS NULL) THEN 'open'
                            ELSE 'closed' END AS disposal,
                       u.deadline, u.published_on
                FROM checks c JOIN plans p ON p.id = c.plan JOIN entities e ON e.credit_code = c.entity
                JOIN publications u ON u.check_id = c.id
                WHERE \(filter) ORDER BY c.id
                """, arguments: arguments, db: db, to: url)
            return pending.count
        }
    }

    /// Results late on `asOf`: checks made on or before `asOf` whose deadline has passed unpublished, and
    /// results published after their deadline; in deadline, then check-id order.
    public func overdueResults(asOf: CalendarDate, calendar: DisclosureCalendar = DisclosureCalendar()) throws
        -> [OverdueResult] {
        try database.read { db in
            var result: [OverdueResult] = []
            let rows = try Row.fetchCursor(db, sql: """
                SELECT c.id, c.department, c.entity, c.checked_on, u.deadline, u.published_on
                FROM checks c LEFT JOIN publications u ON u.check_id = c.id
                WHERE c.checked_on <= ? ORDER BY c.id
                """, arguments: [asOf.description])
            while let row = try rows.next() {
                let checked = CalendarDate(row[3] as String)!
                let published: String? = row[5]
                let deadline = (row[4] as String?) ?? calendar.deadline(checkedOn: checked).description
                let status: OverdueResult.Status
                if let published {
                    guard published > deadline else { continue }
                    status = .late
                } else {
                    guard deadline < asOf.description else { continue }
                    status = .unpublished
                }
                result.append(OverdueResult(checkId: row[0], department: row[1], entity: row[2],
                                            checkedOn: row[3], deadline: deadline, publishedOn: published,
                                            status: status))
            }
            return result.sorted { ($0.deadline, $0.checkId) < ($1.deadline, $1.checkId) }
        }
    }
}
