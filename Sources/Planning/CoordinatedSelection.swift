import OneCheckUtilities
import Supervision

/// Coordinated selection across departments with permanent random numbers (issue 4, item 3).
///
/// Every entity `i` has one permanent random number `u_i` (``VerifiableRandom/uniform(entity:counter:)``
/// under a purpose fixed for the year, counter 0). Department `d` selects entity `i` in a period when
///
///     frac(u_i − s_i) < π_id,
///
/// where `s_i` is the entity's *interval start* for the period (below). Because `frac(u_i − s_i)` is
/// uniform on `[0, 1)`, each department's π is exact (Poisson sampling). Because all departments compare
/// the *same* number with their own π, the selections nest: the entity is visited when
/// `frac(u_i − s_i) < v_i = max_d π_id`, and the departments that selected it form one joint check.
/// `P(selected by d and e) = min(π_id, π_ie)`, the largest overlap any pair of designs with these
/// margins allows, so the number of visits is as small as the departments' designs permit.
///
/// **Across periods** the interval start is the sum of the entity's visit probabilities `v` in the
/// earlier periods of the year (mod 1). The visit intervals `[s, s + v)` of successive periods then
/// follow each other around the circle without overlapping, so over the year the entity is visited
/// at most `⌈Σ_periods v⌉` times: a yearly cap `C` holds surely when `Σ v ≤ C`, while every period's
/// π stays exact.
///
/// Trade-off: the per-department sample size is random (Poisson), with variance `Σ π (1 − π)` around
/// the agreed total; fixed-size coordinated designs cannot keep π exact in general.
public struct CoordinatedSelection: Sendable, Equatable {
    /// One department's π over the entities in its scope.
    public struct DepartmentDesign: Sendable, Equatable, Codable {
        public let department: DepartmentCode
        /// Entity indices (into the entity list) in scope.
        public let entities: [Int]
        /// π for each of ``entities``.
        public let probabilities: [Double]

        public init(department: DepartmentCode, entities: [Int], probabilities: [Double]) {
            precondition(entities.count == probabilities.count, "one π per entity")
            self.department = department
            self.entities = entities
            self.probabilities = probabilities
        }
    }

    /// The (entity, departments) merged into one visit.
    public struct JointCheck: Sendable, Equatable, Codable {
        /// Index into the entity list.
        public let entity: Int
        /// Departments that selected the entity, in UTF-8 byte order of their codes.
        public let departments: [DepartmentCode]
    }

    /// Joint checks by ascending entity index.
    public let checks: [JointCheck]
    /// Counts and expectations of selections and visits.
    public let report: CoordinationReport
    /// Where each entity's permanent random number falls in this period's interval, in `[0, 1)`: a department
    /// selects the entity when its position is below π. Reserves are ordered by the same numbers.
    public let positions: [Double]
    /// The visit probability `v_i = max_d π_id` per entity this period (0 when out of every scope),
    /// to be added to the interval start of the next period.
    public let visitProbabilities: [Double]

    /// Selects this period's entities for all departments at once.
    ///
    /// - Parameters:
    ///   - permanentRandomNumbers: `u_i` per entity, in `[0, 1)`.
    ///   - intervalStarts: `s_i` per entity (sum of earlier periods' visit probabilities); `nil` for the
    ///     first period of the year.
    ///   - yearlyCap: when given, the checks per entity per year across departments, enforced by
    ///     requiring `s_i + v_i ≤ yearlyCap`.
    /// - Throws: ``CoordinationError``.
    /// - Complexity: O(Σ_d |scope_d| + blocks · departments · log |scope_d|), in cache-sized entity blocks on all
    ///   cores; a design whose entities are not ascending is sorted first (O(|scope| log |scope|)).
    public init(
        departments: [DepartmentDesign], permanentRandomNumbers: [Double],
        intervalStarts: [Double]? = nil, yearlyCap: Int? = nil
    ) throws {
        let count = permanentRandomNumbers.count
        if let starts = intervalStarts, starts.count != count {
            throw CoordinationError.lengthMismatch(entities: count, intervalStarts: starts.count)
        }
        var seen = Set<DepartmentCode>()
        for design in departments where !seen.insert(design.department).inserted {
            throw CoordinationError.duplicateDepartment(design.department)
        }
        // Departments in UTF-8 order (the order of a joint check's departments), each with its entities
        // strictly ascending — as a planner builds them; a design given out of order is sorted here.
        let designs = try departments
            .sorted { $0.department < $1.department }
            .map { try Self.ascending($0, entityCount: count) }
        let starts = intervalStarts ?? [Double](repeating: 0, count: count)  // unwrapped once, not per entity

        // Entities are processed in contiguous blocks, every department within a block before the next block:
        // a block's per-entity state stays in cache while dozens of departments pass over it (department by
        // department over millions of entities, each pass would miss the cache on almost every entity). Blocks
        // are independent, so they also run in parallel; their results are gathered in block order, so the
        // selection is the same for any number of threads.
        let blockCount = max(1, min(256, count / 16_384))
        var state = [EntityState](repeating: EntityState(), count: count)
        let blocks = state.withUnsafeMutableBufferPointer { buffer -> [SelectionBlock] in
            // SharedBuffer's contract: each block writes only its own entities' slots, and the buffer outlives
            // the concurrent map.
            let state = SharedBuffer(buffer)
            return concurrentMap(count: blockCount) { block in
                let lower = block * count / blockCount, upper = (block + 1) * count / blockCount
                for entity in lower..<upper {
                    // Where the entity's number falls inside this period's interval.
                    let shifted = permanentRandomNumbers[entity] - starts[entity]
                    state[entity].position = shifted - shifted.rounded(.down)
                }
                var result = SelectionBlock()
                var firstCheck: [Int32] = []  // by entity − lower: index into result.selected, or -1
                for design in designs {
                    var k = design.entities.partitionPoint { $0 < lower }
                    while k < design.entities.count, design.entities[k] < upper {
                        let entity = design.entities[k], pi = design.probabilities[k]
                        k += 1
                        result.expectedSelections += pi
                        state[entity].visit = max(state[entity].visit, pi)
                        state[entity].independentMiss *= 1 - pi
                        guard state[entity].position < pi else { continue }
                        if firstCheck.isEmpty { firstCheck = [Int32](repeating: -1, count: upper - lower) }
                        if firstCheck[entity - lower] < 0 {
                            firstCheck[entity - lower] = Int32(result.selected.count)
                            result.selected.append((entity, []))
                        }
                        result.selected[Int(firstCheck[entity - lower])].departments.append(design.department)
                        result.selections += 1
                    }
                }
                result.selected.sort { $0.entity < $1.entity }
                return result
            }
        }
        let visit = state.map(\.visit)
        if let cap = yearlyCap {
            for entity in 0..<count {
                let used = starts[entity] + visit[entity]
                if used > Double(cap) + 1e-12 {
                    throw CoordinationError.yearlyCapExceeded(entity: entity, visitProbabilitySum: used, cap: cap)
                }
            }
        }
        checks = blocks.flatMap { $0.selected.map { JointCheck(entity: $0.entity, departments: $0.departments) } }
        visitProbabilities = visit
        positions = state.map(\.position)
        report = CoordinationReport(
            selections: blocks.reduce(0) { $0 + $1.selections }, visits: checks.count,
            expectedSelections: blocks.reduce(0) { $0 + $1.expectedSelections },
            expectedVisits: visit.reduce(0, +),
            expectedIndependentVisits: state.reduce(0) { $0 + (1 - $1.independentMiss) })
    }

    /// `design` checked (entities in range, π in [0, 1], no entity twice) with its entities strictly ascending.
    static func ascending(_ design: DepartmentDesign, entityCount: Int) throws -> DepartmentDesign {
        var sorted = true
        for (k, (entity, pi)) in zip(design.entities, design.probabilities).enumerated() {
            guard entity >= 0 && entity < entityCount else {
                throw CoordinationError.entityOutOfRange(department: design.department, entity: entity)
            }
            guard pi.isFinite, pi >= 0, pi <= 1 else {
                throw CoordinationError.invalidProbability(department: design.department, entity: entity, value: pi)
            }
            if k > 0, entity <= design.entities[k - 1] { sorted = false }
        }
        if sorted { return design }
        let order = design.entities.indices.sorted { design.entities[$0] < design.entities[$1] }
        for (a, b) in zip(order, order.dropFirst()) where design.entities[a] == design.entities[b] {
            throw CoordinationError.duplicateEntity(department: design.department, entity: design.entities[a])
        }
        return DepartmentDesign(department: design.department, entities: order.map { design.entities[$0] },
                                probabilities: order.map { design.probabilities[$0] })
    }

    /// Interval starts for the next period: `frac`-free running sums `s_i + v_i`.
    public func nextIntervalStarts(after starts: [Double]?) -> [Double] {
        guard let starts else { return visitProbabilities }
        return zip(starts, visitProbabilities).map { $0 + $1 }
    }
}

/// One block of entities' selections, in entity order, with its share of the report's sums.
struct SelectionBlock: Sendable {
    var selected: [(entity: Int, departments: [DepartmentCode])] = []
    var selections = 0
    var expectedSelections = 0.0
}

/// What coordinated selection keeps per entity while it passes over the departments.
struct EntityState {
    var position = 0.0
    var visit = 0.0
    var independentMiss = 1.0
}

/// Selections versus visits: what coordination saves against independent draws.
public struct CoordinationReport: Sendable, Equatable, Codable {
    /// Realised (entity, department) selections.
    public let selections: Int
    /// Realised visits (joint checks).
    public let visits: Int
    /// `Σ π`: expected selections, the same under any design with these π.
    public let expectedSelections: Double
    /// `Σ_i max_d π_id`: expected visits under coordination.
    public let expectedVisits: Double
    /// `Σ_i (1 − ∏_d (1 − π_id))`: expected visits if departments drew independently.
    public let expectedIndependentVisits: Double

    /// Realised visits saved by merging selections into joint checks.
    public var visitsSaved: Int { selections - visits }
    /// Expected visits saved against independent draws.
    public var expectedVisitsSavedVersusIndependent: Double { expectedIndependentVisits - expectedVisits }
}

/// Why a coordinated selection cannot be made.
public enum CoordinationError: Error, Equatable, Sendable, CustomStringConvertible {
    case lengthMismatch(entities: Int, intervalStarts: Int)
    case duplicateDepartment(DepartmentCode)
    case entityOutOfRange(department: DepartmentCode, entity: Int)
    /// An entity is listed twice in one department's scope.
    case duplicateEntity(department: DepartmentCode, entity: Int)
    case invalidProbability(department: DepartmentCode, entity: Int, value: Double)
    /// The entity's visit probabilities over the year exceed its cap, so the cap cannot be guaranteed.
    case yearlyCapExceeded(entity: Int, visitProbabilitySum: Double, cap: Int)

    public var description: String {
        switch self {
        case let .lengthMismatch(entities, starts):
            return "\(entities) permanent random numbers but \(starts) interval starts"
        case let .duplicateDepartment(department):
            return "department \(department) has two designs"
        case let .entityOutOfRange(department, entity):
            return "department \(department) refers to entity \(entity), which is not in the entity list"
        case let .duplicateEntity(department, entity):
            return "department \(department) lists entity \(entity) twice"
        case let .invalidProbability(department, entity, value):
            return "department \(department), entity \(entity): π = \(value); expected a number in [0, 1]"
        case let .yearlyCapExceeded(entity, sum, cap):
            return "entity \(entity): visit probabilities sum to \(sum) over the year, above its cap of \(cap) checks"
        }
    }
}

extension VerifiableRandom {
    /// Permanent random numbers `u_i = uniform(entity: id_i, counter: 0)` for a list of entity ids.
    public func permanentRandomNumbers(for entities: [EntityID]) -> [Double] {
        uniforms(for: entities, counter: 0)
    }
}
