import Supervision

/// How the generator places entities in one district: its directory record (``District``, keyed by the
/// division code as text), the same code as a number — positions 3–8 of the entities' credit codes — and how many
/// businesses it registers.
public struct DistrictProfile: Hashable, Sendable {
    /// The district as districts.csv writes it.
    public let district: District
    /// The six-digit administrative-division code (e.g. `310104`); ``district``'s code is its decimal text.
    public let division: Int
    /// Relative number of businesses registered in the district.
    public let weight: Double

    /// - Precondition: `division` has six digits.
    public init(division: Int, name: String, weight: Double) {
        precondition((100_000...999_999).contains(division), "a division code has six digits")
        self.district = District(code: DistrictCode(String(division)), name: name)
        self.division = division
        self.weight = weight
    }
}

extension DistrictProfile {
    /// The sixteen districts of the city, with Shanghai's administrative-division codes, in their fixed order.
    public static let city: [DistrictProfile] = [
        DistrictProfile(division: 310101, name: "Huangpu", weight: 5),
        DistrictProfile(division: 310104, name: "Xuhui", weight: 7),
        DistrictProfile(division: 310105, name: "Changning", weight: 5),
        DistrictProfile(division: 310106, name: "Jing'an", weight: 7),
        DistrictProfile(division: 310107, name: "Putuo", weight: 5),
        DistrictProfile(division: 310109, name: "Hongkou", weight: 4),
        DistrictProfile(division: 310110, name: "Yangpu", weight: 5),
        DistrictProfile(division: 310112, name: "Minhang", weight: 10),
        DistrictProfile(division: 310113, name: "Baoshan", weight: 8),
        DistrictProfile(division: 310114, name: "Jiading", weight: 7),
        DistrictProfile(division: 310115, name: "Pudong", weight: 16),
        DistrictProfile(division: 310116, name: "Jinshan", weight: 3),
        DistrictProfile(division: 310117, name: "Songjiang", weight: 7),
        DistrictProfile(division: 310118, name: "Qingpu", weight: 5),
        DistrictProfile(division: 310120, name: "Fengxian", weight: 4),
        DistrictProfile(division: 310151, name: "Chongming", weight: 2),
    ]
}
