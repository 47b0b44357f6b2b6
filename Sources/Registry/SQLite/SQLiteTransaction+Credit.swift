import GRDB
import Supervision

// MARK: - Penalty records, decisions and repairs

extension SQLiteTransaction {
    /// The columns `penaltyRecord(_:)` reads, in its order, from findings `f` with their check, item, disposal,
    /// decision and repair; the WHERE clause keeps the findings that are penalty records.
    static let penaltyRecordQuery = """
        SELECT f.check_id, f.item, c.entity, c.department, i.element, f.outcome, f.penalty, c.checked_on,
               CASE WHEN d.check_id IS NULL THEN 'none' WHEN d.closed_on IS NULL THEN 'open' ELSE 'closed' END,
               p.severity, p.decided_on, r.repaired_on, r.decided_by, r.reason
        FROM findings f JOIN checks c ON c.id = f.check_id JOIN items i ON i.code = f.item
        LEFT JOIN disposals d ON d.check_id = f.check_id AND d.item = f.item
        LEFT JOIN penalty_decisions p ON p.check_id = f.check_id AND p.item = f.item
        LEFT JOIN credit_repairs r ON r.check_id = f.check_id AND r.item = f.item
        WHERE (f.outcome <> 'compliant' OR f.penalty > 0)
        """

    /// A record from a row of ``penaltyRecordQuery``, read by position.
    func penaltyRecord(_ row: Row) throws -> PenaltyRecord {
        let key = FindingKey(check: row[0], item: row[1])
        let entity: String = row[2], day: String = row[7]
        guard let code = try? CreditCode(validating: entity), let checkedOn = CalendarDate(day) else {
            throw StoredValueError(table: "checks", column: "entity or checked_on", value: "\(entity), \(day)")
        }
        let disposal: String = row[8]
        var decision: PenaltyDecision?
        if let severity: String = row[9] {
            let decided: String = row[10]
            guard let s = PenaltySeverity(rawValue: severity), let d = CalendarDate(decided) else {
                throw StoredValueError(table: "penalty_decisions", column: "severity or decided_on",
                                       value: "\(severity), \(decided)")
            }
            decision = PenaltyDecision(checkId: key.check, item: key.item, severity: s, decidedOn: d)
        }
        var repair: CreditRepair?
        if let repaired: String = row[11] {
            guard let d = CalendarDate(repaired) else {
                throw StoredValueError(table: "credit_repairs", column: "repaired_on", value: repaired)
            }
            repair = CreditRepair(checkId: key.check, item: key.item, repairedOn: d, decidedBy: row[12], reason: row[13])
        }
        return PenaltyRecord(key: key, entity: code, department: row[3], element: try decoded(row, "element", in: "items"),
                             outcome: try decoded(row, "outcome", in: "findings"), penalty: row[6], checkedOn: checkedOn,
                             disposal: PenaltyRecord.DisposalState(rawValue: disposal) ?? .none,
                             decision: decision, repair: repair)
    }

    func penaltyRecords(_ selection: PenaltyRecordSelection) throws -> [PenaltyRecord] {
        // Only the conditions the selection sets: with `?1 IS NULL OR c.entity = ?1` SQLite scanned every finding
        // for one entity's records (the console's entity page) instead of searching `checks_entity`.
        var sql = Self.penaltyRecordQuery
        var arguments = StatementArguments()
        if let entity = selection.entity {
            sql += " AND c.entity = ?"
            arguments += [entity]
        }
        if let from = selection.checkedIn?.from {
            sql += " AND c.checked_on >= ?"
            arguments += [from]
        }
        if let before = selection.checkedIn?.before {
            sql += " AND c.checked_on < ?"
            arguments += [before]
        }
        let rows = try Row.fetchCursor(db, sql: sql + " ORDER BY f.check_id, f.item", arguments: arguments)
        var result: [PenaltyRecord] = []
        while let row = try rows.next() { result.append(try penaltyRecord(row)) }
        return result
    }

    func penaltyRecords(of keys: [FindingKey]) throws -> [FindingKey: PenaltyRecord] {
        var result: [FindingKey: PenaltyRecord] = [:]
        let statement = try db.cachedStatement(sql: "\(Self.penaltyRecordQuery) AND f.check_id = ? AND f.item = ?")
        for key in keys where result[key] == nil {
            statement.setUncheckedArguments([key.check.rawValue, key.item.rawValue])
            if let row = try Row.fetchOne(statement) { result[key] = try penaltyRecord(row) }
        }
        return result
    }

    func upsertPenaltyDecisions(_ decisions: [PenaltyDecision]) throws {
        let statement = try db.cachedStatement(sql: Self.upsert("penalty_decisions", ["check_id", "item", "severity",
                                                                                       "decided_on"],
                                                                key: ["check_id", "item"]))
        for d in decisions {
            statement.setUncheckedArguments([d.checkId.rawValue, d.item.rawValue, d.severity.rawValue,
                                             d.decidedOn.description])
            try statement.execute()
        }
    }

    func upsertCreditRepairs(_ repairs: [CreditRepair]) throws {
        let statement = try db.cachedStatement(sql: Self.upsert("credit_repairs", ["check_id", "item", "repaired_on",
                                                                                    "decided_by", "reason"],
                                                                key: ["check_id", "item"]))
        for r in repairs {
            statement.setUncheckedArguments([r.checkId.rawValue, r.item.rawValue, r.repairedOn.description, r.decidedBy,
                                             r.reason])
            try statement.execute()
        }
    }
}
