/// A qualified enforcement officer (执法检查人员) on a department's roster.
///
/// Every check has at least two officers (Administrative Penalty Law, art. 42); an officer with a conflict of
/// interest steps aside (art. 43, 回避); nobody is sent back to an entity they checked last period.
public struct Inspector: Hashable, Sendable, Codable {
    public var id: InspectorID
    /// Personal data, never published. The synthetic city has no personal names: its inspectors are named by id.
    public var name: String
    public var department: DepartmentCode
    public var district: DistrictCode?
    /// Items the inspector is qualified to check, in roster order.
    public var qualifiedItems: [ItemCode]
    /// Most checks the inspector may take in a period; nil when the roster records none (the planner then
    /// refuses the roster).
    public var capPerPeriod: Int?
    /// Most checks the inspector may take in a day.
    public var capPerDay: Int
    /// Entities the inspector must step aside from, in roster order.
    public var conflicts: [EntityID]
    /// Entities the inspector checked last period, in roster order; they are not sent there again.
    public var checkedLastPeriod: [EntityID]
    /// The jurisdiction whose roster the inspector is on; nil in a file without the column (one implicit
    /// jurisdiction).
    public var jurisdiction: JurisdictionCode?

    /// Checks a day when the roster gives none.
    public static let defaultCapPerDay = 2

    public init(id: InspectorID, name: String? = nil, department: DepartmentCode, district: DistrictCode? = nil,
                qualifiedItems: [ItemCode] = [], capPerPeriod: Int?, capPerDay: Int = Inspector.defaultCapPerDay,
                conflicts: [EntityID] = [], checkedLastPeriod: [EntityID] = [], jurisdiction: JurisdictionCode? = nil) {
        self.id = id
        self.name = name ?? id.rawValue
        self.department = department
        self.district = district
        self.qualifiedItems = qualifiedItems
        self.capPerPeriod = capPerPeriod
        self.capPerDay = capPerDay
        self.conflicts = conflicts
        self.checkedLastPeriod = checkedLastPeriod
        self.jurisdiction = jurisdiction
    }
}
