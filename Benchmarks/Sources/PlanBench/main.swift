// PlanBench: the planner at city scale and the auditor's replicates (issue 4, item 9).
//   swift run -c release PlanBench [entities] [departments] [inspectors] [runs]
// defaults 3,000,000 entities, 40 departments, 20,000 inspectors, 3 runs; prints the median wall time of
// PlanBuilder.build on an in-memory city, then 10,000 replicates of N = 200, n = 20 per sampler.
import Foundation
import Planning
import Supervision

/// SplitMix64, seeded: the synthetic inputs only (the plan's own randomness is the verifiable one).
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let entityCount = arguments.count > 0 ? arguments[0] : 3_000_000
let departmentCount = arguments.count > 1 ? arguments[1] : 40
let inspectorCount = arguments.count > 2 ? arguments[2] : 20_000
let runs = arguments.count > 3 ? arguments[3] : 3

var generator = SplitMix(state: 2026)
let departments = (0..<departmentCount).map { DepartmentCode("d\($0)") }
let scenarioCount = 20
var scenarios: [Scenario] = []
var scopes: [ScenarioCode: [DepartmentCode]] = [:]
var items: [Item] = []
for s in 0..<scenarioCount {
    // Each scenario: a lead and two partners.
    let code = ScenarioCode("s\(s)")
    let members = Set((0..<3).map { departments[(s * 2 + $0 * 7) % departmentCount] }).sorted()
    scenarios.append(Scenario(code: code, name: code.rawValue, lead: members[0], partners: Array(members.dropFirst())))
    scopes[code] = members
    for d in members {
        for n in ["01", "02"] {
            items.append(Item(code: ItemCode("\(d).s\(s).\(n)"), department: d, scenario: code, element: nil, measure: nil))
        }
    }
}
var entities: [PlanInputs.Entity] = []
entities.reserveCapacity(entityCount)
for index in 0..<entityCount {
    let scenario = ScenarioCode("s\(Int(generator.next() % UInt64(scenarioCount)))")
    var probability: [DepartmentCode: Double] = [:], grade: [DepartmentCode: Grade] = [:]
    for d in scopes[scenario]! {  // sorted: Set order differs between processes
        let p = Double(generator.next() >> 11) * 0x1p-53 * 0.9 + 0.01
        probability[d] = p
        grade[d] = p < 0.3 ? .a : p < 0.6 ? .b : p < 0.85 ? .c : .d
    }
    entities.append(.init(id: EntityID(String(format: "E%09d", index)), scenario: scenario, probability: probability,
                          grade: grade))
}
var quotas: [Quota] = []
for d in departments {
    quotas.append(Quota(department: d, grade: .a, size: .ratio(0.005)))
    quotas.append(Quota(department: d, grade: .b, size: .ratio(0.01)))
    quotas.append(Quota(department: d, grade: .c, size: .ratio(0.03)))
    quotas.append(Quota(department: d, grade: .d, size: .ratio(0.1)))
}
var roster: [Inspector] = []
for i in 0..<inspectorCount {
    let d = departments[i % departmentCount]
    let qualified = items.filter { $0.department == d }.map(\.code)
    roster.append(Inspector(id: InspectorID("I\(i)"), department: d, qualifiedItems: qualified, capPerPeriod: 200, capPerDay: 4))
}
let inputs = PlanInputs(entities: entities, departments: departments, scenarios: scenarios, items: items,
                        quotas: quotas, caps: Caps(), roster: roster)
var times: [Double] = []
var checks = 0
for run in 0..<runs {
    let t = try seconds {
        let plan = try PlanBuilder.build(inputs, parameters: PlanParameters(period: Period("2026Q1")!, seed: "bench-\(run)"))
        checks = plan.checks.count
    }
    times.append(t)
}
times.sort()
print("plan: \(entityCount) entities, \(departmentCount) departments, \(inspectorCount) inspectors, \(checks) checks; "
      + "median \(times[times.count / 2]) s over \(runs) runs (\(times.map { String(format: "%.2f", $0) }.joined(separator: ", ")))")

var sizes: [Double] = []
for i in 0..<200 {
    let size: Double = i < 2 ? 1000 : (i == 2 ? 60 : Double(1 + i % 9))
    sizes.append(size)
}
let frame = try AuditFrame(ids: (0..<200).map { "u\($0)" }, values: sizes, measure: .size, sampleSize: 20)
for method in SamplingMethod.allCases {
    var replicateTimes: [Double] = []
    for _ in 0..<runs {
        replicateTimes.append(try seconds { _ = try frame.selectionCounts(method: method, seed: "bench", replicates: 10_000) })
    }
    replicateTimes.sort()
    print("replicates: 10000 × (N = 200, n = 20), \(method.rawValue): median \(replicateTimes[replicateTimes.count / 2]) s")
}
