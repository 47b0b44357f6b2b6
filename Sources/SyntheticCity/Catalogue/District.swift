/// A district of the synthetic city. The sixteen districts carry Shanghai's administrative-division codes, which
/// become positions 3–8 of the entities' credit codes.
public struct District: Hashable, Sendable {
    /// The six-digit administrative-division code, also the district id in the tables (e.g. `310104`).
    public var code: Int
    public var name: String
    /// Relative number of businesses registered in the district.
    public var weight: Double

    public static let all: [District] = [
        District(code: 310101, name: "Huangpu", weight: 5),
        District(code: 310104, name: "Xuhui", weight: 7),
        District(code: 310105, name: "Changning", weight: 5),
        District(code: 310106, name: "Jing'an", weight: 7),
        District(code: 310107, name: "Putuo", weight: 5),
        District(code: 310109, name: "Hongkou", weight: 4),
        District(code: 310110, name: "Yangpu", weight: 5),
        District(code: 310112, name: "Minhang", weight: 10),
        District(code: 310113, name: "Baoshan", weight: 8),
        District(code: 310114, name: "Jiading", weight: 7),
        District(code: 310115, name: "Pudong", weight: 16),
        District(code: 310116, name: "Jinshan", weight: 3),
        District(code: 310117, name: "Songjiang", weight: 7),
        District(code: 310118, name: "Qingpu", weight: 5),
        District(code: 310120, name: "Fengxian", weight: 4),
        District(code: 310151, name: "Chongming", weight: 2),
    ]
}
