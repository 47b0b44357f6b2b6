import Supervision

// The facts the console's pages read: pages of checks with what they found, an entity's history, model figures.
// Every list is a page: a query never returns more than its limit, and the next page starts after a key.

/// Which checks a page lists, and from where. Every filter is optional; the page is in check-id order.
public struct CheckPageQuery: Sendable, Equatable {
    public var period: Period?
    public var department: DepartmentCode?
    public var scenario: ScenarioCode?
    public var entity: CreditCode?
    /// Only checks whose result is published.
    public var publishedOnly: Bool
    /// Entities whose credit code starts with this text (upper-cased) or whose name contains it, compared as text
    /// (case-sensitive; `%`, `_` and `"` match only themselves). An engine serves it from indexes: a range of credit
    /// codes, and an index of names that finds a substring of three characters or more without reading every name
    /// (SQLite: an FTS5 trigram table; PostgreSQL: `pg_trgm`).
    public var search: String?
    /// The page starts after this check id.
    public var after: CheckID?
    /// At most this many checks (1…500).
    public var limit: Int

    public init(period: Period? = nil, department: DepartmentCode? = nil, scenario: ScenarioCode? = nil,
                entity: CreditCode? = nil, publishedOnly: Bool = false, search: String? = nil, after: CheckID? = nil,
                limit: Int = 50) {
        self.period = period
        self.department = department
        self.scenario = scenario
        self.entity = entity
        self.publishedOnly = publishedOnly
        self.search = search
        self.after = after
        self.limit = min(max(limit, 1), 500)
    }
}

/// One check of a page: the check, its entity's name, what it found, its publication.
public struct CheckListing: Sendable, Equatable {
    public var check: Check
    public var scenario: ScenarioCode
    public var period: Period
    public var entityName: String
    public var outcomes: CheckOutcomes
    public var publication: Publication?

    public init(check: Check, scenario: ScenarioCode, period: Period, entityName: String, outcomes: CheckOutcomes,
                publication: Publication?) {
        self.check = check
        self.scenario = scenario
        self.period = period
        self.entityName = entityName
        self.outcomes = outcomes
        self.publication = publication
    }
}

/// How many entities a department graded A–D in a period.
public struct GradeCount: Hashable, Sendable {
    public var department: DepartmentCode
    public var grade: Grade
    public var count: Int

    public init(department: DepartmentCode, grade: Grade, count: Int) {
        self.department = department
        self.grade = grade
        self.count = count
    }
}

/// A performed check of a period with the department's scored probability for the entity and whether the check
/// found a problem: one point of the calibration of the model against recorded findings.
public struct CalibrationPoint: Hashable, Sendable {
    public var probability: Double
    public var foundProblem: Bool

    public init(probability: Double, foundProblem: Bool) {
        self.probability = probability
        self.foundProblem = foundProblem
    }
}
