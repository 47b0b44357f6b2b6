/// The agreed sampling quotas and frequency caps of the synthetic city (`quotas.csv`, `caps.csv`).
///
/// Grades are those of the department's own risk head in the default model (`risk_<department>`), A lowest risk.
/// Ratios are per quarter and follow the published local practice (A ≤ 5 %, rising to D): A 1 %, B 3 %, C 10 %,
/// D 25 % of the department's in-scope entities of that grade. The high-hazard departments (emergency management,
/// construction) check every grade-D entity every quarter (`certain`). Education gives its A and B quotas as counts
/// per quarter, to exercise both forms. Caps: one department checks an entity at most 4 times a year (so a certain
/// quarterly check is exactly feasible), and an entity receives at most 6 visits a year from all departments
/// together (a joint check counts once).
public enum QuotaPolicy {
    public static let grades = ["A", "B", "C", "D"]
    /// Target share of each grade in the default model (used for the grade cut points and to size counts/rosters).
    public static let gradeShares = [0.40, 0.35, 0.20, 0.05]
    public static let quarterlyRatio = [0.01, 0.03, 0.10, 0.25]
    public static let certainDepartments: Set<String> = ["emergency", "construction"]
    public static let countDepartments: Set<String> = ["education"]
    public static let perDepartmentYearlyCap = 4
    public static let allDepartmentsYearlyCap = 6

    /// One row of `quotas.csv`: exactly one of `ratio` and `count` is set unless `certain`.
    public struct Quota: Equatable, Sendable {
        public var department: String
        public var grade: String
        public var ratio: Double?
        public var count: Int?
        public var certain: Bool
    }

    /// The quotas, given each department's number of in-scope entities (counts are sized from it).
    public static func quotas(inScope: [Int]) -> [Quota] {
        var rows: [Quota] = []
        for (d, dep) in Department.all.enumerated() {
            for (g, grade) in grades.enumerated() {
                let certain = grade == "D" && certainDepartments.contains(dep.id)
                if certain {
                    rows.append(Quota(department: dep.id, grade: grade, ratio: nil, count: nil, certain: true))
                } else if countDepartments.contains(dep.id) && g < 2 {
                    let expected = quarterlyRatio[g] * gradeShares[g] * Double(inScope[d])
                    rows.append(Quota(department: dep.id, grade: grade, ratio: nil,
                                      count: Swift.max(1, Int(expected.rounded())), certain: false))
                } else {
                    rows.append(Quota(department: dep.id, grade: grade, ratio: quarterlyRatio[g], count: nil,
                                      certain: false))
                }
            }
        }
        return rows
    }

    /// Expected share of a department's in-scope entities checked per quarter under these quotas.
    static var expectedQuarterlyShare: Double {
        var s = 0.0
        for g in grades.indices { s += gradeShares[g] * (g == 3 ? 1.0 : quarterlyRatio[g]) }
        return s
    }
}
