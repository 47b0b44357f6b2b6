/// The qualified pools of inspector assignment, each with a segment tree over its members' loads.
///
/// A pool is the part of a department's roster (in id order) qualified for one set of items. Assignment asks a
/// pool, many thousands of times, for "the `k`-th least-loaded eligible member in pool order" — eligible meaning
/// under the cap, not excluded for this entity, not already on this check. A scan is O(pool) per question, and a
/// city's department has thousands of inspectors; the tree answers in O(log pool) and is updated in O(log pool)
/// for every pool an inspector belongs to when its load changes.
///
/// Each leaf holds the member's load while the member is eligible, `Int32.max` while not; each node holds the
/// minimum of its leaves, how many leaves reach it, and how many are eligible.
///
/// Suspensions last one check and only matter in the pools that check draws from, so they are applied to the
/// *focused* pools alone (``focus(on:)``; one per department of the check) and undone there; a chosen
/// inspector's new load reaches its other pools once, when the check ends. Between checks every pool's tree is
/// exact; during a check, only the focused ones are. Every pool's tree lives in one
/// array of nodes (pool `p`'s at `pools[p].offset ..< pools[p].offset + 2 · leafBase`), so an inspector's update
/// across its dozen pools touches one buffer, with no copy-on-write check per pool.
struct InspectorPools {
    struct Pool {
        let members: [Int]
        let leafBase: Int
        /// Where the pool's tree starts in the shared array of nodes.
        let offset: Int
    }

    /// A node of a pool's tree: the least key of its leaves, how many leaves have it, how many are eligible.
    /// 32-bit fields keep a node in 12 bytes; a load or a pool size beyond `Int32.max - 1` is refused.
    struct Node: Equatable {
        var minimum: Int32
        var atMinimum: Int32
        var eligible: Int32
    }

    private(set) var pools: [Pool] = []
    private var nodes: [Node] = []
    /// Per inspector, the pools it belongs to and its position in each.
    private var memberships: [[(pool: Int, position: Int)]]
    private var load: [Int]
    private let cap: [Int]
    /// Inspectors made ineligible for the current check (excluded, or already chosen).
    private var suspended: [Int] = []
    private var isSuspended: [Bool]
    /// The pools the current check draws from.
    private var focused: [Int] = []
    /// Whether the inspector's load changed during the current check (so every pool of theirs needs it).
    private var charged: [Bool]

    init(cap: [Int]) {
        self.cap = cap
        load = [Int](repeating: 0, count: cap.count)
        memberships = [[(pool: Int, position: Int)]](repeating: [], count: cap.count)
        isSuspended = [Bool](repeating: false, count: cap.count)
        charged = isSuspended
    }

    func load(of inspector: Int) -> Int { load[inspector] }

    /// Adds a pool of `members` (in pool order) and returns its number.
    /// - Precondition: no check is being staffed (nobody suspended).
    mutating func add(members: [Int]) -> Int {
        precondition(suspended.isEmpty, "pools are added between checks")
        precondition(members.count < Int(Int32.max), "a pool of \(members.count) inspectors")
        var leafBase = 1
        while leafBase < max(1, members.count) { leafBase *= 2 }
        let id = pools.count
        pools.append(Pool(members: members, leafBase: leafBase, offset: nodes.count))
        nodes.append(contentsOf: repeatElement(Node(minimum: .max, atMinimum: 0, eligible: 0), count: 2 * leafBase))
        for (position, inspector) in members.enumerated() {
            memberships[inspector].append((id, position))
        }
        let pool = pools[id], keys = members.map(key(of:))
        nodes.withUnsafeMutableBufferPointer { nodes in
            for (position, key) in keys.enumerated() { Self.setLeaf(nodes, pool, position: position, key: key) }
        }
        return id
    }

    /// How many inspectors the pool holds, eligible or not.
    func memberCount(of pool: Int) -> Int { pools[pool].members.count }

    /// Whether `inspector` belongs to `pool`.
    /// - Complexity: O(pools the inspector belongs to).
    func contains(_ inspector: Int, in pool: Int) -> Bool {
        memberships[inspector].contains { $0.pool == pool }
    }

    /// The pools the next check draws from: its suspensions apply to these, and only these may be asked until
    /// ``resume()``.
    /// - Precondition: no check is being staffed (nobody suspended).
    mutating func focus(on pools: [Int]) {
        precondition(suspended.isEmpty, "a check's pools are chosen before it is staffed")
        focused = pools
    }

    /// Eligible members of the pool (under their cap, not suspended).
    func eligibleCount(in pool: Int) -> Int {
        assert(suspended.isEmpty || focused.contains(pool), "pool \(pool) is not the check's")
        return Int(nodes[pools[pool].offset + 1].eligible)
    }

    /// The least load among the pool's eligible members, and how many eligible members have it.
    func leastLoaded(in pool: Int) -> (load: Int, ties: Int) {
        assert(suspended.isEmpty || focused.contains(pool), "pool \(pool) is not the check's")
        let root = nodes[pools[pool].offset + 1]
        return (root.minimum == .max ? .max : Int(root.minimum), Int(root.atMinimum))
    }

    /// The `rank`-th (from 0) member, in pool order, among the eligible members with the least load.
    /// - Precondition: `rank < leastLoaded(in:).ties`.
    func member(in poolNumber: Int, rankAmongLeast rank: Int) -> Int {
        assert(suspended.isEmpty || focused.contains(poolNumber), "pool \(poolNumber) is not the check's")
        let pool = pools[poolNumber]
        return nodes.withUnsafeBufferPointer { all in
            let nodes = UnsafeBufferPointer(rebasing: all[pool.offset..<(pool.offset + 2 * pool.leafBase)])
            let target = nodes[1].minimum
            var node = 1, rank = Int32(rank)
            while node < pool.leafBase {
                let left = 2 * node
                if nodes[left].minimum == target {
                    if rank < nodes[left].atMinimum { node = left; continue }
                    rank -= nodes[left].atMinimum
                }
                node = left + 1
            }
            return pool.members[node - pool.leafBase]
        }
    }

    /// Makes `inspector` ineligible in the focused pools until ``resume()`` (excluded for this entity, or already
    /// chosen).
    mutating func suspend(_ inspector: Int) {
        guard !isSuspended[inspector] else { return }
        isSuspended[inspector] = true
        suspended.append(inspector)
        refresh(inspector, focusedOnly: true)
    }

    /// Ends every suspension and the focus: each suspended inspector is eligible again in the focused pools, and a
    /// chosen one's new load reaches every pool of theirs.
    mutating func resume() {
        for inspector in suspended {
            isSuspended[inspector] = false
            refresh(inspector, focusedOnly: !charged[inspector])
            charged[inspector] = false
        }
        suspended.removeAll(keepingCapacity: true)
        focused.removeAll(keepingCapacity: true)
    }

    /// One more check for `inspector`, who is then suspended for the rest of this check. Only the focused pools
    /// are updated now (an inspector of a city's department belongs to a dozen pools); the others at ``resume()``.
    mutating func addCheckAndSuspend(_ inspector: Int) {
        load[inspector] += 1
        charged[inspector] = true
        if !isSuspended[inspector] {
            isSuspended[inspector] = true
            suspended.append(inspector)
        }
        refresh(inspector, focusedOnly: true)
    }

    /// Sets the inspector's leaf to its key in every pool of theirs, or in the focused ones only.
    private mutating func refresh(_ inspector: Int, focusedOnly: Bool) {
        let key = key(of: inspector)
        let pools = self.pools, memberships = self.memberships[inspector], focused = self.focused
        nodes.withUnsafeMutableBufferPointer { nodes in
            for (pool, position) in memberships where !focusedOnly || focused.contains(pool) {
                Self.setLeaf(nodes, pools[pool], position: position, key: key)
            }
        }
    }

    private func key(of inspector: Int) -> Int32 {
        guard !isSuspended[inspector] && load[inspector] < cap[inspector] else { return .max }
        precondition(load[inspector] < Int(Int32.max), "an inspector with \(load[inspector]) checks")
        return Int32(load[inspector])
    }

    private static func setLeaf(_ all: UnsafeMutableBufferPointer<Node>, _ pool: Pool, position: Int, key: Int32) {
        let base = pool.offset
        var node = pool.leafBase + position
        all[base + node] = Node(minimum: key, atMinimum: 1, eligible: key == .max ? 0 : 1)
        while node > 1 {
            node /= 2
            let left = all[base + 2 * node], right = all[base + 2 * node + 1]
            let least = min(left.minimum, right.minimum)
            let updated = Node(minimum: least,
                               atMinimum: (left.minimum == least ? left.atMinimum : 0)
                                   + (right.minimum == least ? right.atMinimum : 0),
                               eligible: left.eligible + right.eligible)
            // A node that comes out as it was leaves its ancestors as they were: a load that rises above its
            // subtree's minimum (common in a chosen inspector's other pools) stops here.
            if updated == all[base + node] { break }
            all[base + node] = updated
        }
    }
}
