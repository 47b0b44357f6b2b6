import Supervision

/// The agreed sampling quotas and frequency caps of the synthetic city (`quotas.csv`, `caps.csv`).
///
/// Grades are those of the department's own risk head in the default model (`risk_<department>`), A lowest risk.
/// Ratios are per quarter and follow the published local practice (A ≤ 5 %, rising to D): A 1 %, B 3 %, C 10 %,
/// D 25 % of the department's in-scope entities of that grade. The high-hazard departments (emergency management,
/// construction) check every grade-D entity every quarter (census). Education gives its A and B quotas as counts
/// per quarter, to exercise both forms. Caps: one department checks an entity at most 4 times a year (so a certain
/// quarterly check is exactly feasible), and an entity receives at most 6 visits a year from all departments
/// together (a joint check counts once).
public enum QuotaPolicy {
    /// Target share of each grade (`Grade.allCases` order) in the default model: its grade cut points are these
    /// quantiles, and counts and rosters are sized from them.
    public static let gradeShares = [0.40, 0.35, 0.20, 0.05]
    /// The sampling ratio per quarter of each grade (`Grade.allCases` order).
    public static let quarterlyRatio = [0.01, 0.03, 0.10, 0.25]
    /// Departments that check every grade-D entity every quarter.
    public static let censusDepartments: Set<DepartmentCode> = ["emergency", "construction"]
    /// Departments that give their A and B quotas as counts.
    public static let countDepartments: Set<DepartmentCode> = ["education"]
    public static let perDepartmentYearlyCap = 4
    public static let allDepartmentsYearlyCap = 6

    /// The quotas, per department (catalogue order) and grade (A…D), given each department's number of in-scope
    /// entities (``CityCatalogue/departments`` order; counts are sized from it: the expected number of checks,
    /// rounded, at least 1).
    /// - Precondition: one count per department.
    public static func quotas(inScope: [Int]) -> [Quota] {
        precondition(inScope.count == CityCatalogue.departments.count, "one in-scope count per department")
        var quotas: [Quota] = []
        for (d, department) in CityCatalogue.departments.enumerated() {
            for grade in Grade.allCases {
                let g = grade.rawValue
                let size: SampleSize
                if grade == .d && censusDepartments.contains(department.code) {
                    size = .census
                } else if countDepartments.contains(department.code) && grade < .c {
                    let expected = quarterlyRatio[g] * gradeShares[g] * Double(inScope[d])
                    size = .count(Swift.max(1, Int(expected.rounded())))
                } else {
                    size = .ratio(quarterlyRatio[g])
                }
                quotas.append(Quota(department: department.code, grade: grade, size: size))
            }
        }
        return quotas
    }

    /// The caps as caps.csv lists them: all departments first, then each department in catalogue order.
    public static var caps: [Cap] {
        [Cap(scope: .allDepartments, maxChecksPerYear: allDepartmentsYearlyCap)]
            + CityCatalogue.departments.map { Cap(scope: .department($0.code), maxChecksPerYear: perDepartmentYearlyCap) }
    }

    /// Expected share of a department's in-scope entities checked per quarter under these quotas, counting
    /// grade D fully (the census departments' rule, and an upper bound for the others).
    static var expectedQuarterlyShare: Double {
        var s = 0.0
        for grade in Grade.allCases {
            let g = grade.rawValue
            s += gradeShares[g] * (grade == .d ? 1.0 : quarterlyRatio[g])
        }
        return s
    }
}
