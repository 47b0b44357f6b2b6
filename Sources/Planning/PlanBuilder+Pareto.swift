import OneCheckUtilities
import Supervision

/// ``PlanAlgorithm/paretoV3``: every department × grade stratum draws exactly its size by Pareto πps order sampling
/// on the entities' quarter-shifted permanent random numbers (issue 19). Specification: `RANDOMNESS.md`, section 7.
///
/// 1. **Targets** `λ` per stratum as for v2 (``stratumProbabilities(_:quota:stratum:floorFraction:)``); a count above
///    the entities in scope takes every entity (a shortfall the quota report and summary name).
/// 2. **Size**: a ratio's expected size `ratio · N` is rounded by a public coin (``SampleSizeLaw``,
///    `uniform(seed, "onecheck.plan.<period>.size", "<department>/<grade>", 0)`); a count is the count; a census is `N`.
/// 3. **Yearly caps** are eligibility bounds: with `c` the smaller of the department's and the all-department cap,
///    an entity can be drawn in quarter `k` only while its position `frac(u − k/4)` is below `c/4`. The four
///    positions of a year are ¼ apart, so exactly `c` of them fall below `c/4`: whatever the targets, the entity is
///    drawn in at most `c` quarters of a year drawn with one seed. Targets above `c/4` are refused as for v2. An
///    entity whose recorded checks of the year's other quarters (``ChecksDone``) already reach a cap gets the
///    bound 0, so adjustments and re-seeded quarters count too.
/// 4. **Draw**: the `n` entities with the smallest ranking values `Q = [p/(1 − p)] / [λ/(1 − λ)]` (position `p`),
///    ties by id; an entity with `λ = 1` ranks first; one beyond its bound is not drawn. With fewer eligible
///    entities than `n`, all of them are drawn and the stratum reports the shortfall.
/// 5. **π**: the design's exact inclusion probabilities (Aires' integral over the size law and the bounds,
///    ``ParetoSampling/inclusionProbabilities(targets:bounds:size:)``), recorded in the manifest.
/// 6. **Joint checks**: departments share the numbers, so an entity with a small position is drawn by every
///    department whose design reaches it; its selections merge into one check.
/// 7. **Reserves**: per department and grade, the entities without a check in ascending `Q` (the next ones the
///    stratum would have drawn), first `reserveSize`; a closed entity is replaced from its own grade's reserve.
extension PlanBuilder {
    /// One stratum of a v3 plan, before the draw.
    struct ParetoStratum: Sendable {
        /// Index into ``PlanInputs/departments``.
        let department: Int
        let grade: Grade
        let quota: SampleSize
        /// Entity indices of the stratum, ascending.
        let entities: [Int]
        /// Positions of those entities in the department's scores.
        let units: [Int]
        /// `λ` per entity.
        let targets: [Double]
        /// Eligibility bound per entity; nil when no cap binds.
        let bounds: [Double]?
        let size: SampleSizeLaw
        /// What was agreed: `ratio · N`, the count, or `N`.
        let agreed: Double
        /// A count above the entities in scope.
        let shortOfEntities: Shortfall?
        let floored: Int
        let certainty: Int
    }

    /// One stratum drawn.
    struct ParetoDraw: Sendable {
        /// The exact π per entity of the stratum.
        let probabilities: [Double]
        /// The size the coin gave.
        let size: Int
        /// Entity indices drawn, ascending.
        let selected: [Int]
        /// Drawable entities by ascending `(Q, entity)`: all of them when ``rankedIsComplete``, else every one with
        /// `Q ≤ ` a cut that holds the drawn ones (enough for reserves, usually; see ``paretoReserves``).
        let ranked: [Int]
        let rankedIsComplete: Bool
        /// Entities with a positive target kept out by a cap bound this quarter.
        let capped: Int
        let largestDeviation: Double
    }

    static func paretoSelection(_ inputs: PlanInputs, parameters: PlanParameters) throws -> DrawnSelection {
        let period = parameters.period, ids = inputs.entityIDs

        // 1. Targets per department (in parallel; the first error in department order).
        let quotas = inputs.quotas, floorFraction = parameters.floorFraction
        let solved = inputs.scores.concurrentMap { scores in
            Result { try departmentProbabilities(scores, quotas: quotas, floorFraction: floorFraction, clampCounts: true) }
        }
        var targetDesigns: [CoordinatedSelection.DepartmentDesign] = []
        var perDepartment: [(pi: [Double], strata: [(grade: Grade, allocation: StratumAllocation)], members: [[Int]])] = []
        for (d, result) in solved.enumerated() {
            let value = try result.get()
            perDepartment.append(value)
            targetDesigns.append(.init(department: inputs.departments[d], entities: inputs.scores[d].entities,
                                       probabilities: value.pi))
        }
        var visitTargets = [Double](repeating: 0, count: ids.count)
        for design in targetDesigns {
            for (entity, lambda) in zip(design.entities, design.probabilities) where lambda > visitTargets[entity] {
                visitTargets[entity] = lambda
            }
        }
        try checkCaps(inputs.caps, designs: targetDesigns, visit: visitTargets, ids: ids)

        // 2–3. Sizes and bounds.
        let coin = VerifiableRandom(seed: parameters.seed, purpose: "onecheck.plan.\(period).size")
        var strata: [ParetoStratum] = []
        let used = inputs.checksDone.used(in: period, index: inputs.entityIndex(of:))
        for (d, department) in perDepartment.enumerated() {
            let code = inputs.departments[d], scores = inputs.scores[d]
            let bound = capBound(inputs.caps, department: code)
            let usedUp = capsUsedUp(inputs.caps, department: code, visits: used.visits, checks: used.checks[code] ?? [:])
            for (grade, allocation) in department.strata {
                let units = department.members[grade.rawValue]
                let bounds = units.map { usedUp(scores.entities[$0]) ? 0 : bound }
                let targets = units.map { department.pi[$0] }
                let agreed: Double, shortfall: Shortfall?
                switch allocation.quota {
                case let .count(count) where count > units.count:
                    agreed = Double(count)
                    shortfall = .fewerEntities(agreed: count, entities: units.count)
                default:
                    agreed = allocation.expectedSampleSize
                    shortfall = nil
                }
                let size: SampleSizeLaw
                switch allocation.quota {
                case let .ratio(ratio): size = SampleSizeLaw(expected: ratio * Double(units.count))
                case let .count(count): size = SampleSizeLaw(exactly: min(count, units.count))
                case .census: size = SampleSizeLaw(exactly: units.count)
                }
                strata.append(ParetoStratum(
                    department: d, grade: grade, quota: allocation.quota, entities: units.map { scores.entities[$0] },
                    units: units, targets: targets, bounds: bounds.allSatisfy { $0 >= 1 } ? nil : bounds,
                    size: size, agreed: agreed, shortOfEntities: shortfall, floored: allocation.flooredCount,
                    certainty: allocation.certaintyCount))
            }
        }

        // The departments' targets live on in the strata; their per-department arrays go before the draw, whose
        // exact π is the plan's largest working memory.
        perDepartment = []
        targetDesigns = []
        visitTargets = []

        // 4–5. Draw and exact π, strata in parallel (largest first, so that the cores finish together).
        let prn = VerifiableRandom(seed: parameters.seed, purpose: "onecheck.plan.\(period.year).prn")
        let start = Double(period.index) / Double(Period.perYear)
        let positions = prn.permanentRandomNumbers(for: ids).map { u -> Double in
            let shifted = u - start
            return shifted - shifted.rounded(.down)
        }
        let coins = strata.map { coin.uniform(entity: "\(inputs.departments[$0.department].rawValue)/\($0.grade.label)") }
        let order = strata.indices.sorted { strata[$0].entities.count > strata[$1].entities.count }
        let frozen = strata
        let results = order.concurrentMap { index in
            drawStratum(frozen[index], coin: coins[index], positions: positions)
        }
        var draws = [ParetoDraw?](repeating: nil, count: strata.count)
        for (k, index) in order.enumerated() { draws[index] = results[k] }
        let drawn = draws.map { $0! }

        // 6. Joint checks: selections merged per entity, departments in UTF-8 order.
        var slot = [Int32](repeating: -1, count: ids.count)
        var merged: [(entity: Int, departments: [DepartmentCode])] = []
        for (s, stratum) in strata.enumerated() {
            let code = inputs.departments[stratum.department]
            for entity in drawn[s].selected {
                if slot[entity] < 0 {
                    slot[entity] = Int32(merged.count)
                    merged.append((entity, []))
                }
                merged[Int(slot[entity])].departments.append(code)
            }
        }
        merged.sort { $0.entity < $1.entity }
        let checks = merged.map { CoordinatedSelection.JointCheck(entity: $0.entity, departments: $0.departments.sorted()) }

        // π per department, the coordination report and the quota report.
        var inclusionValues = inputs.scores.map { [Double](repeating: 0, count: $0.entities.count) }
        for (s, stratum) in strata.enumerated() {
            for (k, unit) in stratum.units.enumerated() { inclusionValues[stratum.department][unit] = drawn[s].probabilities[k] }
        }
        let inclusion = inputs.scores.indices.map {
            DepartmentInclusion(department: inputs.departments[$0], ids: ids, entityIndices: inputs.scores[$0].entities,
                                probabilities: inclusionValues[$0])
        }
        var visit = [Double](repeating: 0, count: ids.count), miss = [Double](repeating: 1, count: ids.count)
        var expectedSelections = 0.0
        for design in inclusion {
            for (entity, pi) in zip(design.entityIndices, design.probabilities) {
                expectedSelections += pi
                visit[entity] = max(visit[entity], pi)
                miss[entity] *= 1 - pi
            }
        }
        let selections = drawn.reduce(0) { $0 + $1.selected.count }
        let coordination = CoordinationReport(
            selections: selections, visits: checks.count, expectedSelections: expectedSelections,
            expectedVisits: visit.reduce(0, +), expectedIndependentVisits: miss.reduce(0) { $0 + (1 - $1) })
        let quotaReport = strata.indices.map { s -> QuotaReportLine in
            let stratum = strata[s], draw = drawn[s]
            let eligible = stratum.entities.count - draw.capped
                - zip(stratum.targets, stratum.entities).filter { $0.0 <= 0 }.count
            let shortfall = stratum.shortOfEntities
                ?? (draw.selected.count < draw.size
                    ? Shortfall.cappedEntities(size: draw.size, eligible: eligible, capped: draw.capped) : nil)
            return QuotaReportLine(
                allocation: StratumAllocation(
                    stratum: Stratum(department: inputs.departments[stratum.department], grade: stratum.grade),
                    quota: stratum.quota, populationSize: stratum.entities.count, sampleSize: draw.size,
                    expectedSampleSize: stratum.agreed, certaintyCount: stratum.certainty, flooredCount: stratum.floored),
                realised: draw.selected.count,
                exactness: StratumExactness(size: draw.size, largestDeviation: draw.largestDeviation,
                                            capped: draw.capped, shortfall: shortfall))
        }

        // 7. Reserves.
        var visited = [Bool](repeating: false, count: ids.count)
        for check in checks { visited[check.entity] = true }
        let reserves = paretoReserves(strata: strata, draws: drawn, departments: inputs.departments, ids: ids,
                                      visited: visited, positions: positions, reserveSize: parameters.reserveSize)
        return DrawnSelection(checks: checks, inclusion: inclusion, quotaReport: quotaReport, coordination: coordination,
                              reserves: reserves)
    }

    /// The eligibility bound of a department's entities: `c/4` for the smaller of the department's and the
    /// all-department yearly cap `c`, or 1 when no cap is below 4 (a quarter per check).
    static func capBound(_ caps: Caps, department: DepartmentCode) -> Double {
        let cap = [caps.byDepartment[department], caps.allDepartments].compactMap { $0 }.min()
        guard let cap, cap < Period.perYear else { return 1 }
        return Double(max(0, cap)) / Double(Period.perYear)
    }

    /// Whether an entity (by index) has used up a yearly cap of `department` in the other quarters of the year:
    /// `checks` of the department reached its own cap, or `visits` by all departments the all-department cap. Such
    /// an entity gets the eligibility bound 0 (π = 0): it is known before the draw and is never drawn.
    static func capsUsedUp(_ caps: Caps, department: DepartmentCode, visits: [Int: Int], checks: [Int: Int])
        -> (Int) -> Bool {
        let own = caps.byDepartment[department], all = caps.allDepartments
        if (own == nil || checks.isEmpty) && (all == nil || visits.isEmpty) { return { _ in false } }
        return { entity in
            if let own, (checks[entity] ?? 0) >= own { return true }
            if let all, (visits[entity] ?? 0) >= all { return true }
            return false
        }
    }

    /// Draws one stratum: its size from `coin`, the `n` smallest ranking values, and the exact π.
    static func drawStratum(_ stratum: ParetoStratum, coin: Double, positions: [Double]) -> ParetoDraw {
        let drawn = selectStratum(stratum, coin: coin, positions: positions)
        let pi = ParetoSampling.inclusionProbabilities(targets: stratum.targets, bounds: stratum.bounds, size: stratum.size)
        var largest = 0.0
        for (value, target) in zip(pi, stratum.targets) { largest = max(largest, abs(value - target)) }
        return ParetoDraw(probabilities: pi, size: drawn.size, selected: drawn.selected, ranked: drawn.ranked,
                          rankedIsComplete: drawn.rankedIsComplete, capped: drawn.capped, largestDeviation: largest)
    }

    /// The selection of ``drawStratum(_:coin:positions:)`` without the exact π (which does not depend on the
    /// numbers): the size, the entities drawn, the ranking kept for reserves and the entities capped.
    static func selectStratum(_ stratum: ParetoStratum, coin: Double, positions: [Double])
        -> (size: Int, selected: [Int], ranked: [Int], rankedIsComplete: Bool, capped: Int) {
        let size = stratum.size.size(coin: coin)
        let count = stratum.entities.count
        var capped = 0
        var keyed: [(q: Double, entity: Int)] = []
        var finite = 0
        // Candidates with Q ≤ cut are kept and sorted: about 2n of them, since P(Q ≤ 2) ≈ 2λ for small λ. When
        // they do not hold the n drawn, every drawable entity is ranked.
        func rank(cut: Double) {
            keyed.removeAll(keepingCapacity: true)
            finite = 0
            capped = 0
            for k in 0..<count {
                let bound = stratum.bounds?[k] ?? 1
                let p = positions[stratum.entities[k]]
                let q = ParetoSampling.rankingValue(position: p, target: stratum.targets[k], bound: bound)
                guard q.isFinite else {
                    if stratum.targets[k] > 0 && p >= bound { capped += 1 }
                    continue
                }
                finite += 1
                if q <= cut { keyed.append((q, stratum.entities[k])) }
            }
            keyed.sort { $0.q != $1.q ? $0.q < $1.q : $0.entity < $1.entity }
        }
        rank(cut: 2)
        var complete = keyed.count == finite
        if keyed.count < size && !complete {
            rank(cut: .infinity)
            complete = true
        }
        let selected = keyed.prefix(size).map(\.entity).sorted()
        return (size, selected, keyed.map(\.entity), complete, capped)
    }

    /// Per department, its strata's reserves in grade order: the first `reserveSize` entities of each stratum's
    /// ranking without a check.
    static func paretoReserves(strata: [ParetoStratum], draws: [ParetoDraw], departments: [DepartmentCode],
                               ids: [EntityID], visited: [Bool], positions: [Double], reserveSize: Int)
        -> [DepartmentCode: [EntityID]] {
        var reserves: [DepartmentCode: [EntityID]] = [:]
        for code in departments { reserves[code] = [] }
        guard reserveSize > 0 else { return reserves }
        for (s, stratum) in strata.enumerated() {
            var ranked = draws[s].ranked
            var found = ranked.filter { !visited[$0] }.prefix(reserveSize)
            if found.count < reserveSize && !draws[s].rankedIsComplete {
                // The cut held too few: rank every drawable entity of the stratum.
                var all: [(q: Double, entity: Int)] = []
                for (k, entity) in stratum.entities.enumerated() {
                    let q = ParetoSampling.rankingValue(position: positions[entity], target: stratum.targets[k],
                                                        bound: stratum.bounds?[k] ?? 1)
                    if q.isFinite { all.append((q, entity)) }
                }
                all.sort { $0.q != $1.q ? $0.q < $1.q : $0.entity < $1.entity }
                ranked = all.map(\.entity)
                found = ranked.filter { !visited[$0] }.prefix(reserveSize)
            }
            reserves[departments[stratum.department], default: []] += found.map { ids[$0] }
        }
        return reserves
    }
}
