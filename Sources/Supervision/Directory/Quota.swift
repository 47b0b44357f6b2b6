/// How many entities of a stratum a department agreed to check in a period (抽查比例).
///
/// JSON form: `{"ratio": 0.05}`, `{"count": 12}` or `{"census": true}` — exactly one key.
public enum SampleSize: Hashable, Sendable, Codable, CustomStringConvertible {
    /// A sampling ratio in `[0, 1]` of the stratum's entities.
    case ratio(Double)
    /// A fixed number of entities.
    case count(Int)
    /// Every entity, with certainty (e.g. "grade D is always checked").
    case census

    /// The problem with the value, if any: a ratio outside `[0, 1]` (or not finite), a negative count.
    public var problem: String? {
        switch self {
        case let .ratio(r) where !(r.isFinite && r >= 0 && r <= 1): return "sampling ratio \(r); expected a number in [0, 1]"
        case let .count(c) where c < 0: return "quota count \(c); expected an integer ≥ 0"
        default: return nil
        }
    }

    /// As the quota report writes it: `ratio 0.03`, `count 8`, `certain`.
    public var description: String {
        switch self {
        case let .ratio(r): return "ratio \(r)"
        case let .count(c): return "count \(c)"
        case .census: return "certain"
        }
    }

    private enum CodingKeys: String, CodingKey { case ratio, count, census }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard container.allKeys.count == 1, let key = container.allKeys.first else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription:
                "a sample size has exactly one of the keys ratio, count, census"))
        }
        switch key {
        case .ratio: self = .ratio(try container.decode(Double.self, forKey: .ratio))
        case .count: self = .count(try container.decode(Int.self, forKey: .count))
        case .census:
            guard try container.decode(Bool.self, forKey: .census) else {
                throw DecodingError.dataCorruptedError(forKey: .census, in: container,
                                                       debugDescription: "census must be true when present")
            }
            self = .census
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case let .ratio(r): try container.encode(r, forKey: .ratio)
        case let .count(c): try container.encode(c, forKey: .count)
        case .census: try container.encode(true, forKey: .census)
        }
    }
}

/// A stratum of the draw: one department's entities of one grade.
public struct Stratum: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var department: DepartmentCode
    public var grade: Grade

    public init(department: DepartmentCode, grade: Grade) {
        self.department = department
        self.grade = grade
    }

    /// Department (UTF-8 bytes), then grade (risk order, which is also the labels' byte order).
    public static func < (a: Stratum, b: Stratum) -> Bool { (a.department, a.grade) < (b.department, b.grade) }

    public var description: String { "\(department)/\(grade)" }
}

/// A department's agreed quota for one grade of the entities it supervises, per period (quotas.csv).
public struct Quota: Hashable, Sendable, Codable {
    public var stratum: Stratum
    public var size: SampleSize
    /// The jurisdiction the quota is agreed for; nil in a file without the column (one implicit jurisdiction).
    public var jurisdiction: JurisdictionCode?

    public init(department: DepartmentCode, grade: Grade, size: SampleSize, jurisdiction: JurisdictionCode? = nil) {
        stratum = Stratum(department: department, grade: grade)
        self.size = size
        self.jurisdiction = jurisdiction
    }

    public var department: DepartmentCode { stratum.department }
    public var grade: Grade { stratum.grade }
}

/// A published cap on how often one entity may be checked in a year (caps.csv): by all departments together (a
/// joint check counts once) or by one department.
public struct Cap: Hashable, Sendable, Codable {
    public enum Scope: Hashable, Sendable, Codable, CustomStringConvertible {
        case allDepartments
        case department(DepartmentCode)

        /// `all`, or the department code, as caps.csv writes it.
        public var description: String {
            switch self {
            case .allDepartments: return "all"
            case let .department(code): return code.rawValue
            }
        }

        /// The scope written `text`: `all` or a department code.
        public init(_ text: String) { self = text == "all" ? .allDepartments : .department(DepartmentCode(text)) }
    }

    public var scope: Scope
    public var maxChecksPerYear: Int

    public init(scope: Scope, maxChecksPerYear: Int) {
        self.scope = scope
        self.maxChecksPerYear = maxChecksPerYear
    }
}

/// The caps of a city, looked up by scope.
public struct Caps: Hashable, Sendable, Codable {
    /// Visits to one entity per year from all departments together.
    public var allDepartments: Int?
    /// Checks of one entity per year by each department.
    public var byDepartment: [DepartmentCode: Int]

    public init(allDepartments: Int? = nil, byDepartment: [DepartmentCode: Int] = [:]) {
        self.allDepartments = allDepartments
        self.byDepartment = byDepartment
    }

    public init(_ caps: [Cap]) {
        self.init()
        for cap in caps {
            switch cap.scope {
            case .allDepartments: allDepartments = cap.maxChecksPerYear
            case let .department(code): byDepartment[code] = cap.maxChecksPerYear
            }
        }
    }

    /// The caps as rows, `all` first, then departments by code.
    public var rows: [Cap] {
        (allDepartments.map { [Cap(scope: .allDepartments, maxChecksPerYear: $0)] } ?? [])
            + byDepartment.keys.sorted().map { Cap(scope: .department($0), maxChecksPerYear: byDepartment[$0]!) }
    }

    /// The yearly cap of one department on one entity: its own, else the all-departments cap, else `fallback`.
    public func yearlyCap(of department: DepartmentCode, fallback: Int) -> Int {
        byDepartment[department] ?? allDepartments ?? fallback
    }
}
