import Foundation
import Supervision

/// One penalty record as an entity's reasons show it on a day: what it is, its window, and when it stops counting.
public struct PenaltyRecordStanding: Hashable, Sendable {
    public var record: PenaltyRecord
    public var window: PublicationWindow
    /// Where the record stands on the day asked about.
    public var status: CreditRepairRules.Status
    /// The first day the record no longer counts (``PenaltyRecord/stopsCountingOn``): the next scoring of a period
    /// starting on or after this day no longer uses it.
    public var stopsCountingOn: CalendarDate
}

extension Workspace {
    /// The columns of ``penaltyRecordsCSV(of:asOf:)``.
    public static let penaltyRecordColumns = [
        "entity", "check_id", "item", "department", "outcome", "penalty", "severity", "severity_source", "decided_on",
        "repairable_from", "published_through", "repaired_on", "repaired_by", "status", "stops_counting_on",
    ]

    /// The penalty records of `entity` (every entity when nil), each with its window and where it stands on
    /// `day`; by check id, then item.
    public func penaltyRecords(of entity: CreditCode? = nil, asOf day: CalendarDate) throws -> [PenaltyRecordStanding] {
        try store.read { tx in
            try tx.penaltyRecords(PenaltyRecordSelection(entity: entity)).map { record in
                PenaltyRecordStanding(record: record, window: record.window, status: record.status(on: day),
                                      stopsCountingOn: record.stopsCountingOn)
            }
        }
    }

    /// ``penaltyRecords(of:asOf:)`` as CSV rows (``penaltyRecordColumns``, header first); the repair's reason is
    /// left out (free text that may name people), `severity_source` says whether the severity was `recorded` or
    /// `presumed` from the outcome.
    public func penaltyRecordsCSV(of entity: CreditCode? = nil, asOf day: CalendarDate) throws -> [[String]] {
        [Self.penaltyRecordColumns] + (try penaltyRecords(of: entity, asOf: day)).map { s in
            let r = s.record
            return [r.entity.rawValue, r.key.check.rawValue, r.key.item.rawValue, r.department.rawValue,
                    r.outcome.rawValue, DecimalText.shortest(r.penalty), r.severity.rawValue,
                    r.decision == nil ? "presumed" : "recorded", r.decidedOn.description,
                    s.window.repairableFrom.description, s.window.maximumEnd.description,
                    r.repair?.repairedOn.description ?? "", r.repair?.decidedBy ?? "", s.status.rawValue,
                    s.stopsCountingOn.description]
        }
    }

    /// Records penalty decisions (upsert by check and item) in one transaction.
    /// - Throws: `RegistryError.unknownReference` when a decision names no penalty record (a minor or serious or
    ///   fined finding), `.invalidArgument` when it is dated before its check, or when it would leave a recorded
    ///   repair before the new minimum window or after the new maximum.
    public func recordPenaltyDecisions(_ decisions: [PenaltyDecision], at: String = Workspace.timestamp()) throws {
        try store.write { tx in
            let records = try tx.penaltyRecords(of: decisions.map(\.key))
            for decision in decisions {
                guard let record = records[decision.key] else {
                    throw RegistryError.unknownReference(table: "penalty records (minor, serious or fined findings)",
                                                         key: "\(decision.checkId)/\(decision.item)")
                }
                if let (name, value, expected) = Self.decisionRefusal(decision, record: record) {
                    throw RegistryError.invalidArgument(name: name, value: value, expected: expected)
                }
            }
            try tx.upsertPenaltyDecisions(decisions)
            try tx.appendAudit(AuditEntry(at: at, action: .creditRepair, detail: "penalty decisions=\(decisions.count)"))
        }
    }

    /// Records credit-repair decisions (upsert by check and item) in one transaction.
    /// - Throws: `RegistryError.unknownReference` when a repair names no penalty record; `.invalidArgument` when it
    ///   is dated within the record's minimum window or after its maximum (``PenaltyRecord/repairRefusal(on:)``),
    ///   or has no `decidedBy` or `reason`.
    public func recordRepairs(_ repairs: [CreditRepair], at: String = Workspace.timestamp()) throws {
        try store.write { tx in
            let records = try tx.penaltyRecords(of: repairs.map(\.key))
            for repair in repairs {
                guard let record = records[repair.key] else {
                    throw RegistryError.unknownReference(table: "penalty records (minor, serious or fined findings)",
                                                         key: "\(repair.checkId)/\(repair.item)")
                }
                if let (name, value, expected) = Self.repairRefusal(repair, record: record) {
                    throw RegistryError.invalidArgument(name: name, value: value, expected: expected)
                }
            }
            try tx.upsertCreditRepairs(repairs)
            try tx.appendAudit(AuditEntry(at: at, action: .creditRepair, detail: "credit repairs=\(repairs.count): "
                + repairs.map { "\($0.checkId)/\($0.item) on \($0.repairedOn)" }.joined(separator: ", ")))
        }
    }

    /// Why `decision` cannot be recorded for `record` — (field, value, expected form) — or nil. The one check of a
    /// decision, for the API and the `penalties` import alike.
    static func decisionRefusal(_ decision: PenaltyDecision, record: PenaltyRecord)
        -> (name: String, value: String, expected: String)? {
        if decision.decidedOn < record.checkedOn {
            return ("decided_on", decision.decidedOn.description,
                    "a day on or after the check of \(record.key.check) on \(record.checkedOn)")
        }
        if let repair = record.repair {
            var decided = record
            decided.decision = decision
            if decided.repairRefusal(on: repair.repairedOn) != nil {
                let window = decided.window
                return ("severity", decision.severity.rawValue, "a severity and decision day whose window lets the "
                    + "repair recorded on \(repair.repairedOn) stand (\(decision.severity.rawValue) from "
                    + "\(decision.decidedOn) allows a repair from \(window.repairableFrom) through \(window.maximumEnd))")
            }
        }
        return nil
    }

    /// Why `repair` cannot be recorded for `record` — (field, value, expected form) — or nil. The one check of a
    /// repair, for the API, the `repairs` import and `onecheck repair decide` alike.
    static func repairRefusal(_ repair: CreditRepair, record: PenaltyRecord)
        -> (name: String, value: String, expected: String)? {
        if let expected = record.repairRefusal(on: repair.repairedOn) {
            return ("repaired_on", repair.repairedOn.description, expected)
        }
        if repair.decidedBy.trimmingCharacters(in: .whitespaces).isEmpty {
            return ("decided_by", repair.decidedBy, "who decided the repair (an authority or officer)")
        }
        if repair.reason.trimmingCharacters(in: .whitespaces).isEmpty {
            return ("reason", repair.reason, "why the record is repaired")
        }
        return nil
    }
}

extension JointSanctions {
    /// The entities under joint sanctions for a period starting on `start`: a serious finding on a check in
    /// ``window(before:days:)`` whose penalty record is in force on `start` (not repaired, not past its maximum
    /// publication window, decided by then).
    static func sanctionedEntities(_ tx: any RegistryReader, periodStart start: CalendarDate, windowDays: Int) throws
        -> Set<CreditCode> {
        let records = try tx.penaltyRecords(PenaltyRecordSelection(checkedIn: window(before: start, days: windowDays)))
        return Set(records.lazy.filter { $0.outcome == .serious && $0.isInForce(on: start) }.map(\.entity))
    }
}

extension CheckOutcomes {
    /// What the public sees of a published check on `day` — the disclosure file and the console's public pages
    /// alike (CREDIT_REPAIR.md): the outcomes with the check's penalty records no longer in force on `day`
    /// (repaired, or past their maximum publication window) left out; nil when the check has records and none is
    /// still in force — shown with its problems gone it would read as a clean check, so it is not shown at all.
    /// - Parameter records: the check's penalty records (empty when it has none).
    public func publicView(records: [PenaltyRecord], on day: CalendarDate) -> CheckOutcomes? {
        let withdrawn = records.filter { !$0.isInForce(on: day) }
        guard !withdrawn.isEmpty else { return self }
        let inForce = records.filter { $0.isInForce(on: day) }
        return inForce.isEmpty ? nil : withdrawing(withdrawn, inForce: inForce)
    }

    /// What the disclosure file shows of a check on a day when `withdrawn` — records of the check no longer in
    /// force — are left out: their findings, fines and disposals, as if they had not been recorded. The fines are
    /// summed again over `inForce` (the check's records still in force), so no subtraction error creeps in.
    func withdrawing(_ withdrawn: [PenaltyRecord], inForce: [PenaltyRecord]) -> CheckOutcomes {
        var result = self
        for record in withdrawn {
            switch record.outcome {
            case .compliant: result.findings.compliant -= 1
            case .minor: result.findings.minor -= 1
            case .serious: result.findings.serious -= 1
            }
            switch record.disposal {
            case .none: break
            case .open: result.openDisposals -= 1
            case .closed: result.closedDisposals -= 1
            }
        }
        result.penalties = inForce.reduce(0) { $0 + $1.penalty }
        return result
    }
}
