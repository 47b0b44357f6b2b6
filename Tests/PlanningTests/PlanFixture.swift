import Foundation
import Planning
import Supervision
import TestSupport

/// A small city written to files: two scenarios (restaurant: market and fire; salon: health and market), three
/// departments, 8 inspectors per department. Items are listed only for the departments that supervise their
/// scenario, as items.csv requires.
struct PlanFixture {
    var entities = 60
    var shuffled = false
    var quotas = """
        department,grade,ratio,count,certain
        market,A,0.100,,0
        market,B,0.200,,0
        market,C,0.400,,0
        market,D,,,1
        fire,A,0.100,,0
        fire,B,,3,0
        fire,C,0.400,,0
        fire,D,0.500,,0
        health,A,0.100,,0
        health,B,0.200,,0
        health,C,0.400,,0
        health,D,,,1
        """
    var caps = "scope,max_checks_per_year\nall,6\nmarket,4\nfire,4\nhealth,4\n"
    var inspectorsPerDepartment = 8
    var qualifiedForAll = true

    static func probability(_ index: Int, _ department: Int) -> Double {
        0.02 + Double((index * 37 + department * 11) % 97) / 100
    }

    static func grade(_ p: Double) -> String { p < 0.3 ? "A" : p < 0.6 ? "B" : p < 0.85 ? "C" : "D" }

    static let departments = ["market", "fire", "health"]

    /// The departments of scenarios.csv: lead and partner of each scenario.
    static let supervisors = ["restaurant": ["market", "fire"], "salon": ["health", "market"]]

    func rows(_ lines: [String]) -> [String] { shuffled ? lines.reversed() : lines }

    /// Writes the files into `directory` and returns their paths.
    func write(to directory: TemporaryDirectory) throws -> PlanInputPaths {
        func save(_ name: String, _ text: String) throws -> String {
            try text.write(to: directory.file(name), atomically: true, encoding: .utf8)
            return directory.file(name).path
        }
        var entityLines: [String] = [], scoreLines: [String] = []
        for index in 0..<entities {
            let id = "E\(1000 + index)"
            entityLines.append("\(id),\(index % 3 == 0 ? "salon" : "restaurant")")
            var fields = [id]
            for (d, _) in Self.departments.enumerated() {
                let p = Self.probability(index, d)
                fields += ["\(p)", Self.grade(p)]
            }
            scoreLines.append(fields.joined(separator: ","))
        }
        let header = "entity_id," + Self.departments.map { "risk_\($0)_probability,risk_\($0)_grade" }.joined(separator: ",")
        var inspectorLines: [String] = []
        for department in Self.departments {
            for n in 0..<inspectorsPerDepartment {
                let items = qualifiedForAll || n > 0
                    ? "\(department).restaurant.01;\(department).restaurant.02;\(department).salon.01"
                    : "\(department).salon.01"
                let conflicts = n == 0 ? "E1003;E1004" : ""
                inspectorLines.append("\(department)-\(n),\(department),310101,\(items),40,2,\(conflicts),\(n == 1 ? "E1005" : "")")
            }
        }
        var itemLines: [String] = []
        for department in Self.departments {
            if Self.supervisors["restaurant"]!.contains(department) {
                itemLines += ["\(department).restaurant.01,\(department),restaurant",
                              "\(department).restaurant.02,\(department),restaurant"]
            }
            if Self.supervisors["salon"]!.contains(department) { itemLines += ["\(department).salon.01,\(department),salon"] }
        }
        let quotaLines = quotas.split(separator: "\n").map(String.init)
        return PlanInputPaths(
            scores: try save("scores.csv", header + "\n" + rows(scoreLines).joined(separator: "\n") + "\n"),
            entities: try save("entities.csv", "entity_id,scenario\n" + rows(entityLines).joined(separator: "\n") + "\n"),
            quotas: try save("quotas.csv", quotaLines[0] + "\n" + rows(Array(quotaLines.dropFirst())).joined(separator: "\n") + "\n"),
            inspectors: try save("inspectors.csv", "inspector_id,department,district,qualified_items,cap_per_period,cap_per_day,conflicts,last_checked\n"
                + rows(inspectorLines).joined(separator: "\n") + "\n"),
            departments: nil,
            scenarios: try save("scenarios.csv", "scenario,lead,partners\nrestaurant,market,fire\nsalon,health,market\n"),
            items: try save("items.csv", "item,department,scenario\n" + rows(itemLines).joined(separator: "\n") + "\n"),
            caps: try save("caps.csv", caps))
    }
}
