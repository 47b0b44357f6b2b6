import Supervision

/// Why a plan cannot be made, verified or adjusted. Every case names what is wrong and where, so that
/// callers can pattern-match and users can fix the input; no case ever comes with a partial plan.
public enum PlanError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The seed string is empty.
    case emptySeed
    /// Entities of a department's scope fall in a grade with no agreed quota.
    case missingQuota(Stratum, entities: Int)
    /// A stratum's quota cannot be met (more checks than entities, certainties above the count, …).
    case quotaCannotBeMet(Stratum, reason: String)
    /// Caps that cannot all hold together, or that contradict a certainty quota.
    case contradictoryCaps(String)
    /// A department with a quota has no inspector at all on the roster.
    case departmentWithoutInspectors(DepartmentCode)
    /// No inspector pair satisfies the constraints of a check (the reason names the check and the constraint).
    case cannotStaff(String)
    /// No working day fits a check.
    case cannotSchedule(String)
    /// The inputs differ from the committed frame.
    case frameMismatch(CommitmentDifference)
    /// The manifest does not match this build (algorithm version) or the inputs (hashes).
    case manifestMismatch(String)
    /// An adjustment refers to something that does not exist or cannot be replaced.
    case invalidAdjustment(String)
    /// An input recorded in a manifest is not at its recorded path (`tried`) nor, by its SHA-256, in the
    /// directory searched.
    case inputNotFound(role: String, recorded: String, tried: String, searched: String?)

    public var description: String {
        switch self {
        case .emptySeed: return "the seed is empty; expected the public seed string announced before the draw"
        case let .missingQuota(stratum, entities):
            return "quotas: no quota for department \(stratum.department), grade \(stratum.grade) "
                + "(\(entities) entities in scope)"
        case let .quotaCannotBeMet(stratum, reason):
            return "quota of department \(stratum.department), grade \(stratum.grade) cannot be met: \(reason)"
        case let .contradictoryCaps(reason): return "caps contradict each other: \(reason)"
        case let .departmentWithoutInspectors(department):
            return "department \(department) has a quota but no inspector on the roster"
        case let .cannotStaff(reason): return "cannot staff the plan: \(reason)"
        case let .cannotSchedule(reason): return "cannot schedule the plan: \(reason)"
        case let .frameMismatch(difference): return "inputs differ from the committed frame: \(difference)"
        case let .manifestMismatch(reason): return "manifest does not match: \(reason)"
        case let .invalidAdjustment(reason): return "adjustment refused: \(reason)"
        case let .inputNotFound(role, recorded, tried, searched):
            let where_ = searched.map { ", nor a file with its SHA-256 in \($0)" } ?? ""
            return "input \(role): no file at \(tried) (recorded as \(recorded))\(where_); expected the file given with "
                + "--\(role) FILE, or a directory holding it given with --inputs-dir DIR"
        }
    }
}
