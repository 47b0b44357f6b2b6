/// What an import file holds, and the CSV columns it must have.
///
/// Every file is UTF-8 CSV (RFC 4180) with a header line; columns are found by name, in any order, and extra
/// columns are ignored. Columns marked *optional* may be absent (then written as empty, or 0 for `penalty`).
/// Keys are upserted:
/// importing the same file twice leaves the registry as after the first import. Within one file a key may
/// appear only once.
///
/// | kind | key | columns |
/// |---|---|---|
/// | `departments` | code | `code`, `name` |
/// | `scenarios` | code | `code`, `name`, `lead_department` |
/// | `items` | code | `code`, `department`, `scenario`, `name`, `element` (people, equipment, environment, rules, product), `measure` (on_site, off_site, documents), `legal_basis` *optional* |
/// | `entities` | credit_code | `credit_code` (GB 32100-2015), `name`, `scenario`, `credit_grade` (A–D), `district` *optional*, `legal_representative` *optional*, `departments` *optional*: `;`-separated department codes — when present it **replaces** the entity's directory memberships |
/// | `memberships` | (department, entity) | `department`, `entity` |
/// | `inspectors` | id | `id`, `name`, `department`, `conflicts` *optional* (`;`-separated credit codes) |
/// | `quotas` | (department, scenario, credit_grade) | `department`, `scenario`, `credit_grade`, `sampling_ratio` (0–1), `max_checks_per_year` (integer ≥ 0) |
/// | `plan` | — | `plan`, `scenario`, `period` (a quarter like 2026Q1), `seed`, `check_id`, `entity`, `department`, `inclusion_probability` (0 < π ≤ 1), `checked_on` (YYYY-MM-DD, a day of the period), `inspectors` *optional* |
/// | `findings` | (check_id, item) | `check_id`, `item`, `outcome` (compliant, minor, serious), `penalty` *optional* (yuan ≥ 0), `note` *optional* |
/// | `disposals` | (check_id, item) | `check_id`, `item`, `action`, `opened_on`, `closed_on` *optional* (empty while open) |
/// | `penalties` | (check_id, item) | `check_id`, `item` (a minor, serious or fined finding), `severity` (minor, general, serious), `decided_on` *optional* (YYYY-MM-DD on or after the check; empty: the check's day) |
/// | `repairs` | (check_id, item) | `check_id`, `item` (a penalty record), `repaired_on` (YYYY-MM-DD after the record's minimum publication window, within its maximum), `decided_by`, `reason` |
///
/// References are checked with the row's line: every department, scenario, item, entity and check named must
/// exist; a plan's entity must be in the department's directory; a finding's item must be an item of the
/// check's department; a disposal must follow a minor or serious finding; a penalty decision or repair must name
/// a penalty record, and a repair's day must fall in the window the record's severity allows (CREDIT_REPAIR.md).
///
/// Files of other tools are read by their own entry points, with their own column names: a synthetic-city
/// directory by `Workspace.importCity`, the output directory of `onecheck plan` by `Workspace.importDraw`, and a
/// scores file of `onecheck score` by `Workspace.importScores` (`onecheck import city|draw|scores`).
///
/// A `plan` file is a draw, not an upsert: its rows are grouped by plan id and period (a plan id names a plan
/// within its period, so `P1` may come back every quarter); a plan for a scenario and period that already has one
/// that the new one would repeat (`Workspace.repeatedPlan`: the same jurisdiction's — the optional `jurisdiction`
/// column —, or one without a jurisdiction, which covers every entity) is refused (`RegistryError.planAlreadyDrawn`)
/// and the attempt is written to the audit log. A jurisdiction's plan draws only entities of that jurisdiction.
/// Check ids are unique in the workspace.
public enum ImportKind: String, CaseIterable, Sendable {
    case departments, scenarios, items, entities, memberships, inspectors, quotas, plan, findings, disposals, penalties,
         repairs

    /// The columns the file must have.
    public var requiredColumns: [String] {
        switch self {
        case .departments: return ["code", "name"]
        case .scenarios: return ["code", "name", "lead_department"]
        case .items: return ["code", "department", "scenario", "name", "element", "measure"]
        case .entities: return ["credit_code", "name", "scenario", "credit_grade"]
        case .memberships: return ["department", "entity"]
        case .inspectors: return ["id", "name", "department"]
        case .quotas: return ["department", "scenario", "credit_grade", "sampling_ratio", "max_checks_per_year"]
        case .plan:
            return ["plan", "scenario", "period", "seed", "check_id", "entity", "department",
                    "inclusion_probability", "checked_on"]
        case .findings: return ["check_id", "item", "outcome"]
        case .disposals: return ["check_id", "item", "action", "opened_on"]
        case .penalties: return ["check_id", "item", "severity"]
        case .repairs: return ["check_id", "item", "repaired_on", "decided_by", "reason"]
        }
    }

    /// The columns the file may have.
    public var optionalColumns: [String] {
        switch self {
        case .items: return ["legal_basis"]
        case .entities: return ["district", "legal_representative", "departments"]
        case .inspectors: return ["conflicts"]
        case .plan: return ["inspectors", "jurisdiction"]
        case .findings: return ["penalty", "note"]
        case .disposals: return ["closed_on"]
        case .penalties: return ["decided_on"]
        default: return []
        }
    }
}
