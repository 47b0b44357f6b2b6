import Foundation
import Supervision

extension Workspace {
    /// The registry id of one department's part of a planner check: `<check_id>-<department>` (the planner's
    /// check id is `<period>-<entity_id>`). Findings are recorded against these ids.
    public static func checkID(planCheck: String, department: DepartmentCode) -> CheckID {
        CheckID("\(planCheck)-\(department)")
    }

    /// The registry id of the plan of one scenario in a planner draw: `<period>-<scenario>`, and
    /// `<period>-<scenario>@<jurisdiction>` for a jurisdiction's draw (a jurisdiction code has no `@`), so the plans
    /// of several jurisdictions of one period have ids of their own in a shared workspace.
    public static func planID(period: Period, scenario: ScenarioCode, jurisdiction: JurisdictionCode? = nil) -> PlanID {
        PlanID("\(period)-\(scenario)" + (jurisdiction.map { "@\($0)" } ?? ""))
    }

    /// Records a draw: the plan and its checks, and a `draw` line in the audit log, in one transaction.
    ///
    /// A draw is never repeated silently: when the scenario already has a plan for the period that the plan would
    /// repeat (``repeatedPlan(scenario:period:jurisdiction:tx:)``), nothing is written
    /// except a `redraw_refused` line in the audit log, and `RegistryError.planAlreadyDrawn` is thrown. Re-deriving
    /// a draw from its published seed is a read, not a new draw. A plan id names a plan within its period, so the
    /// same id may be used again in another period.
    /// - Parameter at: the audit timestamp (now by default).
    /// - Throws: `RegistryError.planAlreadyDrawn`; `.invalidArgument` for a check of another plan, a check day
    ///   outside the plan's period, π outside (0, 1], a check id used twice or already recorded, a plan id that names
    ///   another plan in the period, an entity of another jurisdiction than the plan's; `.unknownReference` for an
    ///   entity not in the department's directory.
    public func recordDraw(_ plan: ScenarioPlan, checks: [Check], at: String = Workspace.timestamp()) throws {
        do {
            try store.write { tx in
                try Self.checkDraw(plan, checks: checks, tx: tx)
                try Self.insertDraw(plan, checks: checks, tx: tx, at: at)
            }
        } catch let RegistryError.planAlreadyDrawn(scenario, period, existing) {
            _ = try store.write { tx in
                try tx.appendAudit(AuditEntry(at: at, action: .redrawRefused, scenario: scenario.rawValue,
                                              period: period.description,
                                              detail: "plan \(plan.id) seed \(plan.seed); existing plan \(existing)"))
            }
            throw RegistryError.planAlreadyDrawn(scenario: scenario, period: period, existingPlan: existing)
        }
    }

    /// The rules a draw given as values must keep (a file's draw is checked row by row, with located errors).
    private static func checkDraw(_ plan: ScenarioPlan, checks: [Check], tx: any RegistryWriter) throws {
        var seen: Set<CheckID> = []
        let recorded = try tx.checks(checks.map(\.id))
        let entries = try tx.directoryEntries(of: checks.map(\.entity))
        for check in checks {
            guard check.plan == plan.id else {
                throw RegistryError.invalidArgument(name: "plan of check \(check.id)", value: check.plan.rawValue,
                                                    expected: "\(plan.id), the plan recorded")
            }
            guard seen.insert(check.id).inserted, recorded[check.id] == nil else {
                throw RegistryError.invalidArgument(name: "check id", value: check.id.rawValue,
                                                    expected: "a check id not yet recorded")
            }
            guard plan.period.contains(check.checkedOn) else {
                throw RegistryError.invalidArgument(name: "checked_on of check \(check.id)",
                                                    value: check.checkedOn.description, expected: dayOf(plan.period))
            }
            guard check.inclusionProbability > 0 && check.inclusionProbability <= 1 else {
                throw RegistryError.invalidArgument(name: "inclusion probability of check \(check.id)",
                                                    value: "\(check.inclusionProbability)", expected: "0 < π ≤ 1")
            }
            guard let entry = entries[check.entity], entry.departments.contains(check.department) else {
                throw RegistryError.unknownReference(table: "directory of \(check.department)", key: check.entity.rawValue)
            }
            guard draws(plan.jurisdiction, entityOf: entry.jurisdiction) else {
                throw RegistryError.invalidArgument(name: "entity of check \(check.id)", value: check.entity.rawValue,
                                                    expected: "an entity of \(jurisdictionName(plan.jurisdiction)), "
                                                        + "the plan's (it is of \(jurisdictionName(entry.jurisdiction)))")
            }
        }
    }

    /// "jurisdiction J01", or "no jurisdiction": how refusals name a jurisdiction.
    static func jurisdictionName(_ jurisdiction: JurisdictionCode?) -> String {
        jurisdiction.map { "jurisdiction \($0)" } ?? "no jurisdiction"
    }

    /// The recorded plan that a draw of `scenario` in `period` by `jurisdiction` would repeat, or nil.
    ///
    /// A jurisdiction's draw covers its own entities, a draw without a jurisdiction (`plan` without
    /// `--jurisdiction`) every entity of the workspace. So a jurisdiction's draw repeats its own plan or a plan
    /// without a jurisdiction, and a draw without one repeats a plan of any jurisdiction: no entity is drawn twice
    /// for one scenario and period.
    static func repeatedPlan(scenario: ScenarioCode, period: Period, jurisdiction: JurisdictionCode?,
                             tx: any RegistryReader) throws -> ScenarioPlan? {
        try tx.plans(scenario: scenario, period: period).first {
            jurisdiction == nil || $0.jurisdiction == nil || $0.jurisdiction == jurisdiction
        }
    }

    /// Whether a draw of `jurisdiction` may select an entity of `entityJurisdiction`: any entity without a
    /// jurisdiction to the draw, else only the jurisdiction's own.
    static func draws(_ jurisdiction: JurisdictionCode?, entityOf entityJurisdiction: JurisdictionCode?) -> Bool {
        jurisdiction == nil || jurisdiction == entityJurisdiction
    }

    /// "a day of 2026Q1 (2026-01-01 to 2026-03-31)": the expected form of a check day.
    static func dayOf(_ period: Period) -> String { "a day of \(period) (\(period.firstDay) to \(period.lastDay))" }

    /// Inserts a checked draw inside the caller's transaction, with its `draw` audit line.
    /// - Throws: `RegistryError.planAlreadyDrawn` when the plan would repeat a recorded one (``repeatedPlan``);
    ///   `.invalidArgument` when the plan id names another plan in the period.
    static func insertDraw(_ plan: ScenarioPlan, checks: [Check], tx: any RegistryWriter, at: String) throws {
        if let existing = try repeatedPlan(scenario: plan.scenario, period: plan.period, jurisdiction: plan.jurisdiction,
                                           tx: tx) {
            throw RegistryError.planAlreadyDrawn(scenario: plan.scenario, period: plan.period, existingPlan: existing.id)
        }
        if let other = try tx.plan(id: plan.id, period: plan.period) {
            throw RegistryError.invalidArgument(name: "plan id", value: plan.id.rawValue,
                                                expected: "an id not used in \(plan.period) (it names the plan of "
                                                    + "scenario \(other.scenario) of \(jurisdictionName(other.jurisdiction)))")
        }
        try tx.insertDraw(plan, checks: checks)
        try tx.appendAudit(AuditEntry(at: at, action: .draw, scenario: plan.scenario.rawValue,
                                      period: plan.period.description,
                                      detail: "plan \(plan.id) seed \(plan.seed) checks=\(checks.count)"))
    }
}
