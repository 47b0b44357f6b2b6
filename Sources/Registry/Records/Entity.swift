import Supervision

/// A supervised entity (监管对象) of the registry's directory, keyed by its unified social credit code.
public struct Entity: Hashable, Sendable, Codable {
    public var creditCode: CreditCode
    public var name: String
    public var scenario: ScenarioCode
    /// The administrative division; nil when the import gave none.
    public var district: DistrictCode?
    /// The legal representative's name: personal data, never published.
    public var legalRepresentative: String
    /// The grade in the directory (from the city's scores, or as imported), before any period's sanctions.
    public var creditGrade: Grade
    /// The jurisdiction whose directory holds the entity; nil for the one implicit jurisdiction.
    public var jurisdiction: JurisdictionCode?

    public init(creditCode: CreditCode, name: String, scenario: ScenarioCode, district: DistrictCode? = nil,
                legalRepresentative: String = "", creditGrade: Grade, jurisdiction: JurisdictionCode? = nil) {
        self.creditCode = creditCode
        self.name = name
        self.scenario = scenario
        self.district = district
        self.legalRepresentative = legalRepresentative
        self.creditGrade = creditGrade
        self.jurisdiction = jurisdiction
    }
}

/// What an import writes for one entity: the entity, and what it replaces beside it.
public struct EntityUpsert: Sendable {
    public var entity: Entity
    /// Whether `entity.legalRepresentative` is written; false keeps the stored one (the city's files carry none).
    public var writesLegalRepresentative: Bool
    /// The departments whose directory holds the entity, replacing the stored memberships; nil keeps them.
    public var departments: [DepartmentCode]?
    /// The entity's feature fields as imported (the text of each field, joined by commas, in the order of the
    /// workspace's feature columns); nil keeps the stored ones.
    public var featureValues: String?

    public init(entity: Entity, writesLegalRepresentative: Bool, departments: [DepartmentCode]?, featureValues: String?) {
        self.entity = entity
        self.writesLegalRepresentative = writesLegalRepresentative
        self.departments = departments
        self.featureValues = featureValues
    }
}

/// A department's sampling ratio for one grade in one scenario, with its yearly cap (抽查比例 / 频次): the
/// version-1 form of the quotas, kept filled for the exported `quotas` table. The lossless quotas are
/// ``Supervision/Quota`` values (`stratum_quotas`).
public struct SamplingRatio: Hashable, Sendable, Codable {
    public var department: DepartmentCode
    public var scenario: ScenarioCode
    public var grade: Grade
    /// Share of the grade's entities drawn per period, in [0, 1].
    public var ratio: Double
    /// Most checks of one entity by this department per year.
    public var maxChecksPerYear: Int

    public init(department: DepartmentCode, scenario: ScenarioCode, grade: Grade, ratio: Double, maxChecksPerYear: Int) {
        self.department = department
        self.scenario = scenario
        self.grade = grade
        self.ratio = ratio
        self.maxChecksPerYear = maxChecksPerYear
    }
}

/// One department's grade of one entity for one period (`department_grades`): as scored, and after joint
/// sanctions.
public struct DepartmentGrade: Hashable, Sendable, Codable {
    public var period: Period
    public var department: DepartmentCode
    public var entity: CreditCode
    /// The model's probability for the department's risk head; nil when the scores file has none.
    public var probability: Double?
    public var scoredGrade: Grade
    /// The grade the department uses: `scoredGrade`, raised under joint sanctions.
    public var grade: Grade

    public init(period: Period, department: DepartmentCode, entity: CreditCode, probability: Double?,
                scoredGrade: Grade, grade: Grade) {
        self.period = period
        self.department = department
        self.entity = entity
        self.probability = probability
        self.scoredGrade = scoredGrade
        self.grade = grade
    }
}
