import GRDB

extension Workspace {
    /// Records a draw: the plan and its checks, and a `draw` line in the audit log, in one transaction.
    ///
    /// A draw is never repeated silently: when the scenario already has a plan for the period, or the plan id
    /// is taken, nothing is written except a `redraw_refused` line in the audit log, and
    /// `RegistryError.planAlreadyDrawn` is thrown. Re-deriving a draw from its published seed is a read, not
    /// a new draw.
    /// - Parameter at: the audit timestamp (now by default).
    public func recordDraw(_ plan: Plan, checks: [Check], at: String = Workspace.timestamp()) throws {
        do {
            try database.write { db in try Self.insertDraw(plan, checks: checks, db: db, at: at) }
        } catch let RegistryError.planAlreadyDrawn(scenario, period, existing) {
            try database.write { db in
                try AuditEntry(at: at, action: "redraw_refused", scenario: scenario, period: period,
                               detail: "plan \(plan.id) seed \(plan.seed); existing plan \(existing)").insert(db)
            }
            throw RegistryError.planAlreadyDrawn(scenario: scenario, period: period, existingPlan: existing)
        }
    }

    /// Inserts a draw inside the caller's transaction; see `recordDraw`.
    static func insertDraw(_ plan: Plan, checks: [Check], db: Database, at: String) throws {
        let existing = try String.fetchOne(db, sql: "SELECT id FROM plans WHERE (scenario = ? AND period = ?) OR id = ?",
                                           arguments: [plan.scenario, plan.period, plan.id])
        if let existing {
            throw RegistryError.planAlreadyDrawn(scenario: plan.scenario, period: plan.period, existingPlan: existing)
        }
        try plan.insert(db)
        for check in checks {
            precondition(check.plan == plan.id, "check \(check.id) belongs to plan \(check.plan), not \(plan.id)")
            try check.insert(db)
        }
        try AuditEntry(at: at, action: "draw", scenario: plan.scenario, period: plan.period,
                       detail: "plan \(plan.id) seed \(plan.seed) checks=\(checks.count)").insert(db)
    }

    /// The audit log, oldest first.
    public func auditLog() throws -> [AuditEntry] {
        try database.read { db in try AuditEntry.order(Column("seq")).fetchAll(db) }
    }
}
