/// The inspector roster (`inspectors.csv`): per department and district, enough qualified inspectors for the
/// quotas, each with qualified items, caps, conflicts of interest and the entities they checked last period.
///
/// Sizing: a cell (department, district) with `n` in-scope entities expects `n·s` checks a quarter, with `s` the
/// share of ``QuotaPolicy`` (counting grade D fully); every check needs up to two inspectors of the department, and
/// an inspector's cap is 40–80 checks a quarter, so the cell gets `max(3, ⌈2·n·s / 36⌉)` inspectors (≈ 60 % of the
/// mean cap used). The first two inspectors of every cell are qualified for all the department's items, so each
/// item always has a qualified pair; the others hold each item with probability 0.75.
struct Roster {
    struct Inspector {
        var id: String
        var department: Int
        var district: Int
        var items: [String]
        var capPerPeriod: Int
        var capPerDay: Int
        var conflicts: [Int] = []  // entity indices
        var lastChecked: [Int] = [] // entity indices, ascending
    }

    var inspectors: [Inspector] = []

    /// - Parameters:
    ///   - inScope: `[department][district]` number of in-scope entities.
    ///   - entitiesByDistrict: entity indices per district (ascending).
    ///   - lastChecks: the last history period's checks, in entity order.
    init(seed: UInt64, inScope: [[Int]], entitiesByDistrict: [[Int32]], lastChecks: [(entity: Int32, department: UInt8)],
         districtOf: [UInt8]) {
        let itemsByDepartment = Department.all.map { d in Item.all.filter { $0.department == d.id }.map(\.id) }
        var cellStart = [[Int]](repeating: [Int](repeating: 0, count: District.all.count), count: Department.all.count)
        var cellCount = cellStart
        let share = QuotaPolicy.expectedQuarterlyShare
        for (d, dep) in Department.all.enumerated() {
            for (k, district) in District.all.enumerated() {
                let n = inScope[d][k]
                // Demand: up to two inspectors of the department per expected check (n · share a quarter).
                // Supply: about 60 checks a quarter per inspector, of whom ~2/3 hold all of a scenario's
                // items (each item with probability 0.9, ~4 items): n · share / 12 inspectors leave ~40 %
                // slack at any city size (a thinner roster made million-entity cities unstaffable).
                let size = Swift.max(3, Int((Double(n) * share / 12).rounded(.up)))
                cellStart[d][k] = inspectors.count
                cellCount[d][k] = size
                var rng = CityRandom(seed: seed, purpose: .roster, index: UInt64(d * 64 + k))
                let pool = entitiesByDistrict[k]
                for j in 0..<size {
                    var items: [String] = []
                    for item in itemsByDepartment[d] where rng.nextBernoulli(0.9) || j < 2 { items.append(item) }
                    if items.isEmpty { items.append(itemsByDepartment[d][rng.nextIndex(below: itemsByDepartment[d].count)]) }
                    let number = j + 1 < 10 ? "00\(j + 1)" : (j + 1 < 100 ? "0\(j + 1)" : "\(j + 1)")
                    var inspector = Inspector(id: "\(dep.id)-\(district.code)-\(number)", department: d, district: k,
                                              items: items, capPerPeriod: 40 + rng.nextIndex(below: 41),
                                              capPerDay: 2 + rng.nextIndex(below: 2))
                    let conflicts = rng.nextPoisson(0.4)
                    for _ in 0..<conflicts where !pool.isEmpty {
                        let e = Int(pool[rng.nextIndex(below: pool.count)])
                        if !inspector.conflicts.contains(e) { inspector.conflicts.append(e) }
                    }
                    inspector.conflicts.sort()
                    inspectors.append(inspector)
                }
            }
        }
        // Last period's checks: two distinct inspectors of the cell each, drawn per cell in entity order.
        var cellStreams = [Int: CityRandom]()
        for check in lastChecks {
            let d = Int(check.department), k = Int(districtOf[Int(check.entity)])
            let key = d * 64 + k
            var rng = cellStreams[key] ?? CityRandom(seed: seed, purpose: .lastChecks, index: UInt64(key))
            let size = cellCount[d][k]
            let first = rng.nextIndex(below: size)
            var second = rng.nextIndex(below: size - 1)
            if second >= first { second += 1 }
            cellStreams[key] = rng
            for j in [first, second] {
                let i = cellStart[d][k] + j
                if inspectors[i].lastChecked.last != Int(check.entity) { inspectors[i].lastChecked.append(Int(check.entity)) }
            }
        }
    }
}
