#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Tables

/// The ids of a scoring run's rows, as hashes, for finding the first row whose id repeats an earlier one — in
/// memory that does not grow with the file.
///
/// Why not a hash table of every id: it holds about 10 bytes per entity for the whole run (some 10 MB a million,
/// the only part of a run that grew with the file). Here hashes are kept 65,536 rows at a time (512 KiB); each full
/// run is partitioned by the hash's top 8 bits into 256 buckets and appended to a spill file that is unlinked as
/// soon as it is created (so it never outlives the process), 8 bytes per row. Repeats are looked for on request
/// (``ScoreSink`` asks as the spilled runs reach 1, 2, 4, …, at the end, and when the run stops at another error):
/// bucket by bucket, every run's part of that bucket is read back in file order into a small set that fits in
/// cache.
///
/// Each spilled entry packs the row's offset in its run (16 bits) above the hash's low 48 bits; with the bucket's
/// 8 bits that is a 56-bit fingerprint. Two distinct ids share one with probability about N²/2⁵⁷ (7·10⁻⁶ for a
/// million entities): ``firstRepeatedRow(after:)`` reports *candidate* rows, which the caller confirms by
/// re-reading the input, and asks again past a candidate that turns out to be a collision.
///
/// - Complexity: appending is O(1) per row plus one partitioning pass and one write per 65,536 rows;
///   ``firstRepeatedRow(after:)`` reads the spill file once (8 bytes per row) in 256 × runs reads.
struct IdentifierLedger: ~Copyable {
    /// Rows per run: a row's offset in its run must fit the entry's top 16 bits.
    static let runLength = 1 << 16
    static let bucketCount = 256
    private static let keyMask: UInt64 = (1 << 48) - 1

    /// One run's place in the spill file and where each bucket starts in it (entries, `bucketCount + 1` bounds).
    private struct Run {
        var firstRow: Int
        var fileOffset: Int
        var bucketStarts: [Int32]
    }

    /// Where the spill file is created (then unlinked at once); named in I/O errors as `fileName`.
    private let spillPath: String
    private let fileName: String
    private var spill: Int32 = -1
    private var spilledBytes = 0
    private var runs: [Run] = []
    /// Hashes of rows `pendingFirstRow ..< pendingFirstRow + pending.count`, not yet partitioned.
    private var pending: [UInt64] = []
    private var pendingFirstRow = 0
    /// The last run, partitioned but kept in memory (see `partitionPending`).
    private var tail: (run: Run, entries: [UInt64])?
    private var scratch: [UInt64] = []

    /// - Parameters:
    ///   - spillPath: a path for the spill file, in a directory the run may write (beside its output).
    ///   - fileName: the name used in I/O error messages.
    init(spillPath: String, fileName: String) {
        self.spillPath = spillPath
        self.fileName = fileName
    }

    deinit {
        if spill >= 0 { close(spill) }
    }

    /// The number of rows recorded so far.
    var rowCount: Int { pendingFirstRow + pending.count }
    /// The number of runs written to the spill file so far.
    var spilledRunCount: Int { runs.count }

    /// Records the id hashes of the next rows, in file order.
    /// - Throws: `TableError` (`ioFailure`) when the spill file cannot be created or written.
    mutating func append(_ hashes: ArraySlice<UInt64>) throws {
        if tail != nil { try flushTail() }
        var rest = hashes
        while !rest.isEmpty {
            if pending.isEmpty { pending.reserveCapacity(Self.runLength) }
            let take = min(rest.count, Self.runLength - pending.count)
            pending.append(contentsOf: rest.prefix(take))
            rest = rest.dropFirst(take)
            if pending.count == Self.runLength {
                partitionPending()
                try flushTail()
            }
        }
    }

    /// The smallest row greater than `after` whose hash equals an earlier row's (`nil` when there is none): a
    /// duplicate id, or, rarely, two ids with the same 56-bit fingerprint. Can be called repeatedly; appending
    /// more rows afterwards is allowed. With `spilledOnly`, only the rows already in the spill file are looked at
    /// (an early look during a run, which leaves the rows being gathered alone).
    /// - Throws: `TableError` (`ioFailure`) when the spill file cannot be read.
    mutating func firstRepeatedRow(after: Int, spilledOnly: Bool = false) throws -> Int? {
        if !pending.isEmpty && !spilledOnly { partitionPending() }
        var all = runs
        if let tail { all.append(tail.run) }
        var best: Int?
        var seen = FingerprintSet()
        var segment: [UInt64] = []
        for bucket in 0..<Self.bucketCount {
            seen.removeAll()
            scan: for (r, run) in all.enumerated() {
                let lower = Int(run.bucketStarts[bucket]), upper = Int(run.bucketStarts[bucket + 1])
                if lower == upper { continue }
                // Rows only grow along a bucket, so past the best candidate so far nothing here can beat it.
                if let best, run.firstRow > best { break scan }
                if r == runs.count, let tail {
                    segment.removeAll(keepingCapacity: true)
                    segment.append(contentsOf: tail.entries[lower..<upper])
                } else {
                    try read(&segment, count: upper - lower, at: run.fileOffset + lower * 8)
                }
                for entry in segment {
                    let row = run.firstRow + Int(entry >> 48)
                    if let best, row >= best { break scan }
                    if !seen.insert(entry & Self.keyMask), row > after {
                        best = row
                        break scan
                    }
                }
            }
        }
        return best
    }

    // MARK: - Runs

    /// Partitions `pending` by bucket into `tail` (stable, so each bucket keeps file order).
    private mutating func partitionPending() {
        var starts = [Int32](repeating: 0, count: Self.bucketCount + 1)
        for h in pending { starts[Int(h >> 56) + 1] += 1 }
        for b in 0..<Self.bucketCount { starts[b + 1] += starts[b] }
        var next = starts
        var entries = scratch
        scratch = []
        entries.removeAll(keepingCapacity: true)
        entries.append(contentsOf: repeatElement(0, count: pending.count))
        entries.withUnsafeMutableBufferPointer { out in
            for (offset, h) in pending.enumerated() {
                let b = Int(h >> 56)
                out[Int(next[b])] = UInt64(offset) << 48 | (h & Self.keyMask)
                next[b] += 1
            }
        }
        tail = (Run(firstRow: pendingFirstRow, fileOffset: spilledBytes, bucketStarts: starts), entries)
        pendingFirstRow += pending.count
        pending.removeAll(keepingCapacity: true)
    }

    /// Writes `tail` to the spill file (creating it on first use) and makes it a spilled run.
    private mutating func flushTail() throws {
        guard let (run, entries) = tail.map({ ($0.run, $0.entries) }) else { return }
        if spill < 0 {
            spill = open(spillPath, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if spill < 0 && errno == EEXIST {
                // The path is derived from this run's own temporary output file, whose name no other live run
                // holds: an existing file there is left by a run killed between creating and unlinking it.
                unlink(spillPath)
                spill = open(spillPath, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            }
            if spill < 0 { throw ioFailure("cannot create the id spill file \(spillPath)") }
            unlink(spillPath)
        }
        let (fd, at) = (spill, spilledBytes)
        try entries.withUnsafeBytes { bytes in
            try transfer(bytes.count, "cannot write the id spill file") { done in
                pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(at + done))
            }
        }
        spilledBytes += entries.count * 8
        runs.append(run)
        scratch = entries
        tail = nil
    }

    private func read(_ segment: inout [UInt64], count: Int, at offset: Int) throws {
        segment.removeAll(keepingCapacity: true)
        segment.append(contentsOf: repeatElement(0, count: count))
        let fd = spill
        try segment.withUnsafeMutableBytes { bytes in
            try transfer(bytes.count, "cannot read the id spill file") { done in
                pread(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
            }
        }
    }

    /// Repeats `call(bytesDone)` (a pread or pwrite of the rest) until `count` bytes are through.
    private func transfer(_ count: Int, _ failure: String, _ call: (Int) -> Int) throws {
        var done = 0
        while done < count {
            let n = call(done)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { throw ioFailure(failure) }
            done += n
        }
    }

    private func ioFailure(_ what: String) -> TableError {
        TableError(.ioFailure(reason: "\(what): \(systemError())"), file: fileName)
    }

    /// FNV-1a over the bytes, then a SplitMix64 finaliser so that short, similar ids spread over all 64 bits
    /// (the ledger relies on the top 8 bits and the low 48 being uniform).
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        h = (h ^ (h >> 30)) &* 0xbf58_476d_1ce4_e5b9
        h = (h ^ (h >> 27)) &* 0x94d0_49bb_1331_11eb
        return h ^ (h >> 31)
    }
}

/// A set of 48-bit fingerprints (one bucket's), open addressing in a power-of-two table that doubles at half
/// load. It starts small and is reused from bucket to bucket, so it stays the size of the largest bucket's
/// distinct ids (a few thousand for a million entities: in L2).
struct FingerprintSet {
    private var slots = [UInt64](repeating: 0, count: 1 << 10)
    private var count = 0

    /// Empties the set, keeping its storage.
    mutating func removeAll() {
        if count > 0 {
            slots.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
            count = 0
        }
    }

    /// Inserts `key` (< 2⁴⁸); false when it was already present.
    mutating func insert(_ key: UInt64) -> Bool {
        if 2 * (count + 1) > slots.count { grow() }
        let stored = key + 1   // 0 marks an empty slot
        let inserted = slots.withUnsafeMutableBufferPointer { Self.place(stored, in: $0) }
        if inserted { count += 1 }
        return inserted
    }

    private static func place(_ stored: UInt64, in table: UnsafeMutableBufferPointer<UInt64>) -> Bool {
        let mask = table.count - 1
        // The low bits of a finalised hash are uniform; the bucket already used the top ones.
        var i = Int(truncatingIfNeeded: stored) & mask
        while true {
            let s = table[i]
            if s == 0 { table[i] = stored; return true }
            if s == stored { return false }
            i = (i + 1) & mask
        }
    }

    private mutating func grow() {
        var bigger = [UInt64](repeating: 0, count: slots.count * 2)
        bigger.withUnsafeMutableBufferPointer { t in
            for s in slots where s != 0 { _ = Self.place(s, in: t) }
        }
        slots = bigger
    }
}
