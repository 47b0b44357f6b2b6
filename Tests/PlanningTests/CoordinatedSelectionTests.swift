import Supervision
import Testing
@testable import Planning

@Suite("Coordinated selection across departments")
struct CoordinatedSelectionTests {
    static let entityCount = 300
    static let entities = (0..<entityCount).map { EntityID("9131\($0)") }

    /// Three departments with overlapping scopes and skewed π.
    static let departments: [CoordinatedSelection.DepartmentDesign] = {
        func design(_ name: DepartmentCode, _ scope: [Int], _ pi: (Int) -> Double) -> CoordinatedSelection.DepartmentDesign {
            .init(department: name, entities: scope, probabilities: scope.map(pi))
        }
        return [
            design("market", Array(0..<200)) { 0.02 + 0.3 * Double($0 % 10) / 10 },
            design("fire", Array(100..<300)) { $0 == 150 ? 0.97 : 0.05 + 0.2 * Double($0 % 7) / 7 },
            design("health", Array(stride(from: 0, to: 300, by: 3))) { 0.1 + 0.5 * Double($0 % 4) / 4 },
        ]
    }()

    @Test("each department's π is exact and overlaps reach min(π, π′)")
    func exactAndMaximallyOverlapping() throws {
        let replicates = 4_000
        var counts: [DepartmentCode: [Int]] = [:]
        var marketAndFire = [Int](repeating: 0, count: Self.entityCount)
        for replicate in 0..<replicates {
            let prn = VerifiableRandom(seed: "coordination", purpose: "prn.\(replicate)")
                .permanentRandomNumbers(for: Self.entities)
            let selection = try CoordinatedSelection(departments: Self.departments, permanentRandomNumbers: prn)
            for check in selection.checks {
                for department in check.departments {
                    counts[department, default: Array(repeating: 0, count: Self.entityCount)][check.entity] += 1
                }
                if check.departments.contains("market") && check.departments.contains("fire") {
                    marketAndFire[check.entity] += 1
                }
            }
        }
        // Poisson sampling: counts are independent Binomial(R, π); X² with binomial variances has K df.
        var pearson = 0.0, maxZ = 0.0, cells = 0
        func add(observed: Int, probability: Double) {
            let expected = Double(replicates) * probability
            let z = (Double(observed) - expected) / (expected * (1 - probability)).squareRoot()
            pearson += z * z
            maxZ = max(maxZ, abs(z))
            cells += 1
        }
        for design in Self.departments {
            for (entity, pi) in zip(design.entities, design.probabilities) {
                add(observed: counts[design.department]![entity], probability: pi)
            }
        }
        let market = Dictionary(uniqueKeysWithValues: zip(Self.departments[0].entities, Self.departments[0].probabilities))
        let fire = Dictionary(uniqueKeysWithValues: zip(Self.departments[1].entities, Self.departments[1].probabilities))
        for entity in 100..<200 {
            add(observed: marketAndFire[entity], probability: min(market[entity]!, fire[entity]!))
        }
        let bound = ChiSquaredDistribution(degreesOfFreedom: Double(cells)).quantile(0.999)
        #expect(pearson < bound, "X² = \(pearson) on \(cells) cells, bound \(bound)")
        #expect(maxZ < 4.5, "max |z| = \(maxZ)")
    }

    @Test("selections merge into visits and the report counts what was saved")
    func visitReport() throws {
        let prn = VerifiableRandom(seed: "coordination", purpose: "prn.2026").permanentRandomNumbers(for: Self.entities)
        let selection = try CoordinatedSelection(departments: Self.departments, permanentRandomNumbers: prn)
        let report = selection.report
        #expect(report.visits == selection.checks.count)
        #expect(report.selections == selection.checks.reduce(0) { $0 + $1.departments.count })
        // Visited exactly when the entity's number is below its largest π.
        let visited = (0..<Self.entityCount).filter { prn[$0] < selection.visitProbabilities[$0] }
        #expect(selection.checks.map(\.entity) == visited)
        #expect(report.visitsSaved > 0)
        #expect(report.expectedVisits < report.expectedIndependentVisits)
        #expect(report.expectedVisits <= report.expectedSelections)
        // Entity 102 is in all three scopes (102 % 3 == 0): its departments arrive sorted.
        for check in selection.checks {
            #expect(check.departments == check.departments.sorted { $0.rawValue.utf8.lexicographicallyPrecedes($1.rawValue.utf8) })
        }
    }

    @Test("disjoint intervals across quarters keep every entity under its yearly cap", arguments: [1, 2])
    func yearlyCap(cap: Int) throws {
        let ids = (0..<2_000).map { EntityID("entity-\($0)") }
        let prn = VerifiableRandom(seed: "coordination", purpose: "prn.year").permanentRandomNumbers(for: ids)
        // Quarterly visit probabilities that exactly use the cap: Σ over 4 quarters = cap.
        let quarterly = Double(cap) / 4
        var starts: [Double]? = nil
        var visits = [Int](repeating: 0, count: ids.count)
        var perQuarter: [Int] = []
        for _ in 0..<4 {
            let pi = ids.indices.map { entity in quarterly * (entity % 2 == 0 ? 1 : 0.5) }
            let design = CoordinatedSelection.DepartmentDesign(department: "market", entities: Array(ids.indices), probabilities: pi)
            let selection = try CoordinatedSelection(
                departments: [design], permanentRandomNumbers: prn, intervalStarts: starts, yearlyCap: cap)
            for check in selection.checks { visits[check.entity] += 1 }
            perQuarter.append(selection.checks.count)
            starts = selection.nextIntervalStarts(after: starts)
        }
        #expect(visits.max()! <= cap)
        // Entities using the full cap are visited exactly `cap` times (the circle is covered `cap` times).
        #expect(stride(from: 0, to: ids.count, by: 2).allSatisfy { visits[$0] == cap })
        // Each quarter still selects about Σπ = 2,000 · 0.75 · cap / 4 entities.
        let expected = Double(ids.count) * 0.75 * quarterly
        for count in perQuarter { #expect(abs(Double(count) - expected) < 4.5 * expected.squareRoot()) }
    }

    @Test("a year whose visit probabilities exceed the cap is refused, naming the entity")
    func capViolation() {
        let design = CoordinatedSelection.DepartmentDesign(department: "fire", entities: [0, 1], probabilities: [0.4, 0.9])
        #expect(throws: CoordinationError.yearlyCapExceeded(entity: 1, visitProbabilitySum: 1.2, cap: 1)) {
            try CoordinatedSelection(departments: [design], permanentRandomNumbers: [0.1, 0.2],
                                     intervalStarts: [0.5, 0.3], yearlyCap: 1)
        }
        let twice = CoordinatedSelection.DepartmentDesign(department: "fire", entities: [1, 1], probabilities: [0.4, 0.4])
        #expect(throws: CoordinationError.duplicateEntity(department: "fire", entity: 1)) {
            try CoordinatedSelection(departments: [twice], permanentRandomNumbers: [0.1, 0.2])
        }
        #expect(throws: CoordinationError.duplicateDepartment("fire")) {
            try CoordinatedSelection(departments: [design, design], permanentRandomNumbers: [0.1, 0.2])
        }
    }
}
