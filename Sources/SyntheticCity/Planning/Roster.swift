import OneCheckUtilities
import Supervision

/// The inspector roster (`inspectors.csv`): per department and district, enough qualified inspectors for the
/// quotas, each with qualified items, caps, conflicts of interest and the entities they checked last period.
///
/// Sizing: a cell (department, district) with `n` in-scope entities expects `n·s` checks a quarter, with `s` the
/// share of ``QuotaPolicy`` (counting grade D fully). Up to two inspectors of the department go on each check, an
/// inspector takes 40–80 checks a quarter (about 60 on average), and about two thirds of a cell's inspectors hold
/// all of a scenario's items (each item with probability 0.9, about 4 items), so the cell gets
/// `max(3, ⌈n·s / 12⌉)` inspectors: about 40 % slack at any city size. The first two inspectors of every cell are
/// qualified for all the department's items, so each item always has a qualified pair in every district.
///
/// Streams: cell (department `d`, district `k`) draws its inspectors from ``CityRandom/Purpose/roster`` and its
/// share of last period's checks from ``CityRandom/Purpose/lastChecks``, both at index `64·d + k`.
struct Roster {
    /// The inspectors, by department (catalogue order), then district (catalogue order), then number, without
    /// their entity lists: those are kept as entity indices (``conflicts``, ``lastChecked``) and named only when
    /// written (``inspectors(naming:)``), so a large city's roster does not hold a million id strings at once.
    private var records: [Inspector] = []
    /// Per inspector, the entities it must step aside from (indices, ascending).
    private var conflicts: [[Int]] = []
    /// Per inspector, the entities it checked last period (indices, in entity order, without repeats).
    private var lastChecked: [[Int]] = []

    /// The number of inspectors.
    var count: Int { records.count }

    /// The inspectors in roster order, with their conflicts and last period's entities named by `entityID`
    /// (computed as the sequence is read).
    func inspectors(naming entityID: @escaping (Int) -> EntityID) -> some Sequence<Inspector> {
        records.indices.lazy.map { [records, conflicts, lastChecked] i in
            var inspector = records[i]
            inspector.conflicts = conflicts[i].map(entityID)
            inspector.checkedLastPeriod = lastChecked[i].map(entityID)
            return inspector
        }
    }

    /// - Parameters:
    ///   - inScope: `[department][district]` number of in-scope entities.
    ///   - entitiesByDistrict: entity indices per district (ascending).
    ///   - lastChecks: the last history period's checks, in entity order.
    ///   - districtOf: each entity's district index, from entity `entityBase` on.
    /// - Complexity: O(inspectors × items + last checks).
    init(seed: UInt64, inScope: [[Int]], entitiesByDistrict: [[Int32]], lastChecks: some Sequence<(entity: Int32, department: UInt8)>,
         districtOf: [UInt8], entityBase: Int = 0) {
        let departments = CityCatalogue.departments, districts = CityCatalogue.districts
        let itemsByDepartment = departments.map { d in CityCatalogue.items.filter { $0.department == d.code }.map(\.code) }
        var cellStart = [[Int]](repeating: [Int](repeating: 0, count: districts.count), count: departments.count)
        var cellCount = cellStart
        let share = QuotaPolicy.expectedQuarterlyShare
        for (d, department) in departments.enumerated() {
            for (k, district) in districts.enumerated() {
                let size = Swift.max(3, Int((Double(inScope[d][k]) * share / 12).rounded(.up)))
                cellStart[d][k] = records.count
                cellCount[d][k] = size
                var rng = CityRandom(seed: seed, purpose: .roster, index: UInt64(d * 64 + k))
                let pool = entitiesByDistrict[k]
                let items = itemsByDepartment[d]
                for j in 0..<size {
                    var qualified: [ItemCode] = []
                    for item in items where rng.nextBernoulli(0.9) || j < 2 { qualified.append(item) }
                    if qualified.isEmpty { qualified.append(items[rng.uniform(below: items.count)]) }
                    let number = j + 1 < 10 ? "00\(j + 1)" : (j + 1 < 100 ? "0\(j + 1)" : "\(j + 1)")
                    let capPerPeriod = 40 + rng.uniform(below: 41)
                    let capPerDay = 2 + rng.uniform(below: 2)
                    var conflicting: [Int] = []
                    for _ in 0..<rng.nextPoisson(0.4) where !pool.isEmpty {
                        let e = Int(pool[rng.uniform(below: pool.count)])
                        if !conflicting.contains(e) { conflicting.append(e) }
                    }
                    conflicting.sort()
                    records.append(Inspector(id: InspectorID("\(department.code)-\(district.code)-\(number)"),
                                                department: department.code, district: district.code,
                                                qualifiedItems: qualified, capPerPeriod: capPerPeriod,
                                                capPerDay: capPerDay))
                    conflicts.append(conflicting)
                    lastChecked.append([])
                }
            }
        }
        // Last period's checks: two distinct inspectors of the cell each, drawn per cell in entity order.
        var cellStreams = [Int: CityRandom]()
        for check in lastChecks {
            let d = Int(check.department), k = Int(districtOf[Int(check.entity) - entityBase])
            let key = d * 64 + k
            var rng = cellStreams[key] ?? CityRandom(seed: seed, purpose: .lastChecks, index: UInt64(key))
            let size = cellCount[d][k]
            let first = rng.uniform(below: size)
            var second = rng.uniform(below: size - 1)
            if second >= first { second += 1 }
            cellStreams[key] = rng
            for j in [first, second] {
                let i = cellStart[d][k] + j
                if lastChecked[i].last != Int(check.entity) { lastChecked[i].append(Int(check.entity)) }
            }
        }
    }
}
