/// The qualified pools of inspector assignment, each with a segment tree over its members' loads.
///
/// A pool is the part of a department's roster (in id order) qualified for one set of items. Assignment asks a
/// pool, many thousands of times, for "the `k`-th least-loaded eligible member in pool order" — eligible meaning
/// under the cap, not excluded for this entity, not already on this check. A scan is O(pool) per question, and a
/// city's department has thousands of inspectors; the tree answers in O(log pool) and is updated in O(log pool)
/// for every pool an inspector belongs to when its load changes.
///
/// Each leaf holds the member's load while the member is eligible, `Int.max` while not; each node holds the
/// minimum of its leaves, how many leaves reach it, and how many are eligible.
struct InspectorPools {
    struct Pool {
        let members: [Int]
        let leafBase: Int
        var minimum: [Int]
        var atMinimum: [Int]
        var eligible: [Int]
    }

    private(set) var pools: [Pool] = []
    /// Per inspector, the pools it belongs to and its position in each.
    private var memberships: [[(pool: Int, position: Int)]]
    private var load: [Int]
    private let cap: [Int]
    /// Inspectors made ineligible for the current check (excluded, or already chosen); a pool added meanwhile
    /// sees them as ineligible too.
    private var suspended: [Int] = []
    private var isSuspended: [Bool]

    init(cap: [Int]) {
        self.cap = cap
        load = [Int](repeating: 0, count: cap.count)
        memberships = [[(pool: Int, position: Int)]](repeating: [], count: cap.count)
        isSuspended = [Bool](repeating: false, count: cap.count)
    }

    func load(of inspector: Int) -> Int { load[inspector] }

    /// Adds a pool of `members` (in pool order) and returns its number.
    mutating func add(members: [Int]) -> Int {
        var leafBase = 1
        while leafBase < max(1, members.count) { leafBase *= 2 }
        let id = pools.count
        pools.append(Pool(members: members, leafBase: leafBase,
                          minimum: [Int](repeating: .max, count: 2 * leafBase),
                          atMinimum: [Int](repeating: 0, count: 2 * leafBase),
                          eligible: [Int](repeating: 0, count: 2 * leafBase)))
        for (position, inspector) in members.enumerated() {
            memberships[inspector].append((id, position))
            setLeaf(pool: id, position: position, key: key(of: inspector))
        }
        return id
    }

    /// Eligible members of the pool (under their cap, not suspended).
    func eligibleCount(in pool: Int) -> Int { pools[pool].eligible[1] }

    /// The least load among the pool's eligible members, and how many eligible members have it.
    func leastLoaded(in pool: Int) -> (load: Int, ties: Int) {
        (pools[pool].minimum[1], pools[pool].atMinimum[1])
    }

    /// The `rank`-th (from 0) member, in pool order, among the eligible members with the least load.
    /// - Precondition: `rank < leastLoaded(in:).ties`.
    func member(in poolNumber: Int, rankAmongLeast rank: Int) -> Int {
        let pool = pools[poolNumber]
        let target = pool.minimum[1]
        var node = 1, rank = rank
        while node < pool.leafBase {
            let left = 2 * node
            if pool.minimum[left] == target {
                if rank < pool.atMinimum[left] { node = left; continue }
                rank -= pool.atMinimum[left]
            }
            node = left + 1
        }
        return pool.members[node - pool.leafBase]
    }

    /// Makes `inspector` ineligible in every pool until ``resume()`` (excluded for this entity, or already chosen).
    mutating func suspend(_ inspector: Int) {
        guard !isSuspended[inspector] else { return }
        isSuspended[inspector] = true
        suspended.append(inspector)
        refresh(inspector)
    }

    /// Ends every suspension, with the inspectors' current loads.
    mutating func resume() {
        for inspector in suspended {
            isSuspended[inspector] = false
            refresh(inspector)
        }
        suspended.removeAll(keepingCapacity: true)
    }

    /// One more check for `inspector`, who is then suspended for the rest of this check: one tree update
    /// instead of two (an inspector of a city's department belongs to a dozen pools).
    mutating func addCheckAndSuspend(_ inspector: Int) {
        load[inspector] += 1
        if !isSuspended[inspector] {
            isSuspended[inspector] = true
            suspended.append(inspector)
        }
        refresh(inspector)
    }

    private mutating func refresh(_ inspector: Int) {
        for (pool, position) in memberships[inspector] { setLeaf(pool: pool, position: position, key: key(of: inspector)) }
    }

    private func key(of inspector: Int) -> Int {
        !isSuspended[inspector] && load[inspector] < cap[inspector] ? load[inspector] : .max
    }

    private mutating func setLeaf(pool number: Int, position: Int, key: Int) {
        pools[number].withNodes { minimum, atMinimum, eligible, leafBase in
            var node = leafBase + position
            minimum[node] = key
            atMinimum[node] = 1
            eligible[node] = key == .max ? 0 : 1
            while node > 1 {
                node /= 2
                let left = 2 * node, right = left + 1
                let least = min(minimum[left], minimum[right])
                minimum[node] = least
                atMinimum[node] = (minimum[left] == least ? atMinimum[left] : 0)
                    + (minimum[right] == least ? atMinimum[right] : 0)
                eligible[node] = eligible[left] + eligible[right]
            }
        }
    }
}

extension InspectorPools.Pool {
    /// The node arrays, mutably and without copy-on-write checks per access (this is the assignment's inner loop).
    mutating func withNodes(_ body: (UnsafeMutableBufferPointer<Int>, UnsafeMutableBufferPointer<Int>,
                                     UnsafeMutableBufferPointer<Int>, Int) -> Void) {
        let leafBase = self.leafBase
        minimum.withUnsafeMutableBufferPointer { minimum in
            atMinimum.withUnsafeMutableBufferPointer { atMinimum in
                eligible.withUnsafeMutableBufferPointer { eligible in body(minimum, atMinimum, eligible, leafBase) }
            }
        }
    }
}
