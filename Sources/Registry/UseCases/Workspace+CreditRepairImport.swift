import Supervision

// The `penalties` and `repairs` table imports (formats: `ImportKind`): each row checked by the same rules as
// `Workspace.recordPenaltyDecisions` and `recordRepairs`, its refusal located at the row's field.

extension RowImporter {
    /// The penalty records of a block's (check_id, item) keys, looked up at once.
    func penaltyRecords(_ rows: BlockRows) throws -> [FindingKey: PenaltyRecord] {
        try tx.penaltyRecords(of: zip(rows.texts("check_id"), rows.texts("item")).map {
            FindingKey(check: CheckID($0), item: ItemCode($1))
        })
    }

    /// The penalty record a row names, claimed once per file.
    mutating func record(_ r: CityRow, in records: [FindingKey: PenaltyRecord]) throws -> PenaltyRecord {
        let check = CheckID(try r.required("check_id", expected: "a check id of the registry"))
        let item = ItemCode(try r.required("item", expected: "an item code"))
        guard let record = records[FindingKey(check: check, item: item)] else {
            throw r.fail("item", .unknownCategory,
                         expected: "the item of a minor, serious or fined finding of check \(check) (a penalty record)")
        }
        try findingKeys.claim(record.key, row: r, column: "item")
        return record
    }

    mutating func importPenaltyDecisions(_ rows: BlockRows) throws {
        let records = try penaltyRecords(rows)
        var decisions: [PenaltyDecision] = []
        for r in rows {
            let record = try record(r, in: records)
            let severity = PenaltySeverity(rawValue: try r.oneOf("severity", PenaltySeverity.allCases.map(\.rawValue)))!
            let decision = PenaltyDecision(checkId: record.key.check, item: record.key.item, severity: severity,
                                           decidedOn: try r.date("decided_on", optional: true) ?? record.checkedOn)
            if let refusal = Workspace.decisionRefusal(decision, record: record) {
                throw r.fail(r.has(refusal.name) ? refusal.name : "severity", .invalidValue, expected: refusal.expected)
            }
            decisions.append(decision)
        }
        try tx.upsertPenaltyDecisions(decisions)
    }

    mutating func importRepairs(_ rows: BlockRows) throws {
        let records = try penaltyRecords(rows)
        var repairs: [CreditRepair] = []
        for r in rows {
            let record = try record(r, in: records)
            let repair = CreditRepair(checkId: record.key.check, item: record.key.item, repairedOn: try r.date("repaired_on")!,
                                      decidedBy: try r.required("decided_by", expected: "who decided the repair"),
                                      reason: try r.required("reason", expected: "why the record is repaired"))
            if let refusal = Workspace.repairRefusal(repair, record: record) {
                throw r.fail(refusal.name, .invalidValue, expected: refusal.expected)
            }
            repairs.append(repair)
        }
        try tx.upsertCreditRepairs(repairs)
    }
}
