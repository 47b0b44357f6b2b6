import Supervision

/// A check placed on a working day.
public struct ScheduledCheck: Sendable, Equatable, Codable {
    public let checkID: String
    /// The working day.
    public let day: CalendarDate
    public let inspectors: [InspectorID]
}

/// Why a check cannot be placed on any day.
public enum ScheduleError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Every working day has at least one of the check's inspectors at their daily capacity.
    case noFreeDay(checkID: String, fullyBooked: [InspectorID])
    /// The period has no working days.
    case noWorkingDays

    public var description: String {
        switch self {
        case let .noFreeDay(check, booked):
            return "check \(check): no working day on which all its inspectors are free; "
                + "at daily capacity on every day: \(booked.map(\.rawValue).joined(separator: ", "))"
        case .noWorkingDays:
            return "the period has no working days"
        }
    }
}

/// Spreads staffed checks over the period's working days (issue 4, item 5).
///
/// Checks are placed in the order of `random.uniform(entity: checkID)` (ties by id). Each goes to a day
/// on which all its inspectors are below their daily capacity, preferring the days where the busiest
/// of them has the fewest checks, then the day with the fewest checks overall; remaining ties are broken
/// with `random.stream(entity: checkID).nextInteger(below:)`. The result is therefore even across days
/// and inspectors, and re-derivable from the seed.
///
/// - Complexity: O(checks · days · inspectors per check).
public enum CheckSchedule {
    /// - Parameters:
    ///   - workingDays: the days checks may take, in the order ties between equal days are drawn (ascending).
    ///   - dailyCapacity: checks per day for an inspector id (e.g. from the roster).
    /// - Returns: the checks in input order with their days.
    /// - Throws: ``ScheduleError`` naming the check that cannot be placed and the inspectors who block it.
    public static func schedule(
        _ pairings: [InspectorPairing], workingDays: [CalendarDate], dailyCapacity: (InspectorID) -> Int,
        random: VerifiableRandom
    ) throws -> [ScheduledCheck] {
        guard !workingDays.isEmpty else { throw ScheduleError.noWorkingDays }
        let dayCount = workingDays.count
        // Inspectors by number, with their capacity looked up once; `load[i * dayCount + day]` is inspector
        // i's checks on `day` — the inner loop runs checks × days × inspectors times.
        var number: [InspectorID: Int] = [:]
        var capacity: [Int] = []
        let staffed: [[Int]] = pairings.map { pairing in
            pairing.inspectors.map { inspector in
                if let known = number[inspector] { return known }
                number[inspector] = capacity.count
                capacity.append(dailyCapacity(inspector))
                return capacity.count - 1
            }
        }
        var load = [Int](repeating: 0, count: capacity.count * dayCount)
        var dayTotals = [Int](repeating: 0, count: dayCount)
        let order = pairings.indices.map { (key: random.uniform(entity: pairings[$0].checkID), index: $0) }
            .sorted { $0.key != $1.key ? $0.key < $1.key
                : pairings[$0.index].checkID.utf8.lexicographicallyPrecedes(pairings[$1.index].checkID.utf8) }
        var days = [Int](repeating: -1, count: pairings.count)
        var best: [Int] = []
        for (_, index) in order {
            let pairing = pairings[index]
            let inspectors = staffed[index]
            best.removeAll(keepingCapacity: true)
            var bestKey = (Int.max, Int.max)
            for day in 0..<dayCount {
                var busiest = 0
                var free = true
                for inspector in inspectors {
                    let used = load[inspector * dayCount + day]
                    if used >= capacity[inspector] { free = false; break }
                    busiest = max(busiest, used)
                }
                guard free else { continue }
                let key = (busiest, dayTotals[day])
                if key < bestKey { bestKey = key; best.removeAll(keepingCapacity: true); best.append(day) } else if key == bestKey { best.append(day) }
            }
            guard !best.isEmpty else {
                let booked = zip(pairing.inspectors, inspectors).filter { _, inspector in
                    (0..<dayCount).allSatisfy { load[inspector * dayCount + $0] >= capacity[inspector] }
                }.map(\.0)
                throw ScheduleError.noFreeDay(checkID: pairing.checkID, fullyBooked: booked)
            }
            var stream = random.stream(entity: pairing.checkID)
            let day = best.count == 1 ? best[0] : best[stream.nextInteger(below: best.count)]
            days[index] = day
            dayTotals[day] += 1
            for inspector in inspectors { load[inspector * dayCount + day] += 1 }
        }
        return pairings.indices.map {
            ScheduledCheck(checkID: pairings[$0].checkID, day: workingDays[days[$0]], inspectors: pairings[$0].inspectors)
        }
    }
}
