import Foundation
import Supervision
import Tables

/// The legal deadline of a check's public result: `workingDaysAllowed` working days after the check.
///
/// Results must be disclosed within 20 working days of the check (State Council 2015 No. 58 and national
/// practice). Working days are those of ``workingDays``: Saturdays and Sundays are skipped; public holidays and
/// make-up working weekends are not built in (they are announced each year) — pass them when known.
public struct DisclosureCalendar: Sendable, Equatable {
    public static let workingDaysAllowed = 20
    public var workingDays: WorkingDayCalendar

    public init(holidays: Set<CalendarDate> = [], workingWeekends: Set<CalendarDate> = []) {
        workingDays = WorkingDayCalendar(holidays: holidays, workingWeekends: workingWeekends)
    }

    /// The last day on which the result of a check made on `checkedOn` may be published.
    public func deadline(checkedOn: CalendarDate) -> CalendarDate {
        workingDays.adding(workingDays: Self.workingDaysAllowed, to: checkedOn)
    }
}

/// A check whose result is late: unpublished after its deadline, or published after it.
public struct OverdueResult: Equatable, Sendable {
    public enum Status: String, Sendable { case unpublished, late }
    public var checkId: CheckID
    public var department: DepartmentCode
    public var entity: CreditCode
    public var checkedOn: CalendarDate
    public var deadline: CalendarDate
    public var publishedOn: CalendarDate?
    public var status: Status

    public init(checkId: CheckID, department: DepartmentCode, entity: CreditCode, checkedOn: CalendarDate,
                deadline: CalendarDate, publishedOn: CalendarDate?, status: Status) {
        self.checkId = checkId
        self.department = department
        self.entity = entity
        self.checkedOn = checkedOn
        self.deadline = deadline
        self.publishedOn = publishedOn
        self.status = status
    }
}

extension CheckOutcomes {
    /// A check is performed once at least one finding is recorded for it.
    var isPerformed: Bool { findings.total > 0 }
    /// Minor and serious findings.
    var problems: Int { Outcome.allCases.filter(\.isProblem).reduce(0) { $0 + findings[$1] } }
}

extension CheckFacts {
    /// What the check found, asked for by every selection of the use cases that read it.
    var found: CheckOutcomes {
        guard let outcomes else { preconditionFailure("check facts read without their outcomes") }
        return outcomes
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
    /// one scenario and/or period: checks made on or before `day` and not yet published get a publication dated
    /// `day` with its deadline, and every published result of the selection is written to `url` (atomically) in
    /// check-id order.
    /// - Returns: the number of results newly published.
    @discardableResult
    public func publish(on day: CalendarDate, scenario: ScenarioCode? = nil, period: Period? = nil,
                        calendar: DisclosureCalendar = DisclosureCalendar(), to url: URL,
                        at: String = Workspace.timestamp()) throws -> Int {
        try store.write { tx in
            var facts = try tx.checkFacts(CheckSelection(scenario: scenario, period: period, entityNames: true))
            let published = Self.newPublications(&facts, on: day, calendar: calendar)
            try tx.insertPublications(published)
            try tx.appendAudit(AuditEntry(at: at, action: .publish, scenario: scenario?.rawValue ?? "",
                                          period: period?.description ?? "",
                                          detail: "published=\(published.count) on \(day)"))
            try Self.writeDisclosure(facts, records: try Self.penaltyRecordsByCheck(tx, of: facts), on: day, to: url)
            return published.count
        }
    }

    /// Publishes, in `facts`, the results of performed checks made on or before `day` and not yet published, with
    /// their deadlines; returns the new publications.
    static func newPublications(_ facts: inout [CheckFacts], on day: CalendarDate, calendar: DisclosureCalendar,
                                where include: (CheckFacts) -> Bool = { _ in true }) -> [Publication] {
        var published: [Publication] = []
        for index in facts.indices where facts[index].found.isPerformed && facts[index].publication == nil
            && facts[index].checkedOn <= day && include(facts[index]) {
            let publication = Publication(checkId: facts[index].id, publishedOn: day,
                                          deadline: calendar.deadline(checkedOn: facts[index].checkedOn))
            facts[index].publication = publication
            published.append(publication)
        }
        return published
    }

    /// The penalty records of the published checks among `facts`, by check.
    private static func penaltyRecordsByCheck(_ tx: any RegistryReader, of facts: [CheckFacts]) throws
        -> [CheckID: [PenaltyRecord]] {
        let published = facts.filter { $0.publication != nil }
        guard let first = published.map(\.checkedOn).min(), let last = published.map(\.checkedOn).max() else { return [:] }
        let ids = Set(published.map(\.id))
        return Dictionary(grouping: try tx.penaltyRecords(PenaltyRecordSelection(
            checkedIn: DayRange(from: first, before: last.adding(days: 1)))).filter { ids.contains($0.key.check) },
                          by: \.key.check)
    }

    /// The published results among `facts` as the disclosure file (`disclosureColumns`), in the facts' order, as
    /// they stand on `day`: penalty records no longer in force on `day` (repaired or past their maximum window,
    /// CREDIT_REPAIR.md) are left out with their findings, fines and disposals, and a check none of whose records
    /// is still in force is left out of the file altogether — shown with its problems gone it would read as a
    /// clean check. (Its publication stays recorded: the disclosure indicators count it.)
    private static func writeDisclosure(_ facts: [CheckFacts], records: [CheckID: [PenaltyRecord]], on day: CalendarDate,
                                        to url: URL) throws {
        let writer = try CSVWriter(url: url)
        do {
            try writer.appendRow(disclosureColumns)
            for f in facts {
                guard let publication = f.publication else { continue }
                guard let found = f.found.publicView(records: records[f.id] ?? [], on: day) else { continue }
                for text in [f.id.rawValue, f.scenario.rawValue, f.period.description, f.department.rawValue,
                             f.entity.rawValue, f.entityName ?? "", f.checkedOn.description] {
                    writer.appendField(text)
                }
                writer.appendField(found.findings.total)
                writer.appendField(found.findings.minor)
                writer.appendField(found.findings.serious)
                writer.appendField(shortest: found.penalties)
                writer.appendField(found.openDisposals + found.closedDisposals == 0 ? "none"
                                   : found.openDisposals > 0 ? "open" : "closed")
                writer.appendField(publication.deadline.description)
                writer.appendField(publication.publishedOn.description)
                try writer.endRow()
            }
            try writer.commit()
        } catch {
            writer.abandon()
            throw error
        }
    }

    /// Results late on `asOf`: checks made on or before `asOf` whose deadline has passed unpublished, and
    /// results published after their deadline; in deadline, then check-id order.
    public func overdueResults(asOf: CalendarDate, calendar: DisclosureCalendar = DisclosureCalendar()) throws
        -> [OverdueResult] {
        try store.read { tx in
            var result: [OverdueResult] = []
            for f in try tx.checkFacts(CheckSelection(checkedOnOrBefore: asOf, outcomes: false)) {
                let deadline = f.publication?.deadline ?? calendar.deadline(checkedOn: f.checkedOn)
                let status: OverdueResult.Status
                if let published = f.publication?.publishedOn {
                    guard published > deadline else { continue }
                    status = .late
                } else {
                    guard deadline < asOf else { continue }
                    status = .unpublished
                }
                result.append(OverdueResult(checkId: f.id, department: f.department, entity: f.entity, checkedOn: f.checkedOn,
                                            deadline: deadline, publishedOn: f.publication?.publishedOn, status: status))
            }
            // The facts come in check-id order, and the sort is stable: by deadline, then check id.
            return result.sorted { $0.deadline < $1.deadline }
        }
    }
}
