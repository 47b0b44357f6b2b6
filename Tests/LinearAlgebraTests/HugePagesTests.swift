#if os(Linux)
import Foundation
import Testing
@testable import LinearAlgebra

/// ``HugePages`` promises that large buffers are advised for huge pages over exactly their whole, aligned huge
/// pages, and that small buffers are left alone. The kernel records the advice as the `hg` flag of the memory
/// area (`VmFlags` in `/proc/self/smaps`) whether or not huge pages are free at the moment, so these tests do not
/// depend on the machine's memory. Where the kernel has no transparent huge pages, the advice must report failure.
@Suite struct HugePagesTests {
    /// Whether this kernel has transparent huge pages at all (the advice fails without them).
    static let kernelHasHugePages = FileManager.default.fileExists(atPath: "/sys/kernel/mm/transparent_hugepage/enabled")

    /// The memory area of this process that holds `address`: its bounds and whether it carries the huge-page advice.
    static func area(holding address: UInt) throws -> (range: Range<UInt>, advised: Bool) {
        // Read to the end: /proc files report no size, and a one-shot read of them stops after a page.
        let fd = open("/proc/self/smaps", O_RDONLY)
        guard fd >= 0 else { throw CocoaError(.fileReadNoPermission) }
        defer { close(fd) }
        var bytes: [UInt8] = [], chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = read(fd, &chunk, chunk.count)
            guard n > 0 else { break }
            bytes += chunk[..<n]
        }
        let smaps = String(decoding: bytes, as: UTF8.self)
        var current: Range<UInt>?
        for line in smaps.split(separator: "\n") {
            if let dash = line.firstIndex(of: "-"), let space = line.firstIndex(of: " "), dash < space,
               let lo = UInt(line[..<dash], radix: 16), let hi = UInt(line[line.index(after: dash)..<space], radix: 16) {
                current = lo..<hi
            } else if line.hasPrefix("VmFlags:"), let range = current, range.contains(address) {
                return (range, line.split(separator: " ").contains("hg"))
            }
        }
        throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "no area holds \(address)"])
    }

    @Test func adviceCoversExactlyTheWholeHugePagesInside() throws {
        let page = UInt(HugePages.pageSize), small = UInt(4096)
        // Map enough to hold a huge-page-aligned stretch of four huge pages with a margin on both sides.
        let length = Int(6 * page)
        let mapping = try #require(mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
        #expect(mapping != MAP_FAILED)
        defer { munmap(mapping, length) }
        let aligned = (UInt(bitPattern: mapping) + page - 1) & ~(page - 1) + page
        // A buffer that starts just inside the small page before `aligned` and ends one small page past four huge
        // pages: only [aligned, aligned + 4 huge pages) may be advised.
        let start = aligned - small + 8, end = aligned + 4 * page + small
        let buffer = UnsafeMutableRawBufferPointer(start: UnsafeMutableRawPointer(bitPattern: start), count: Int(end - start))
        let advised = HugePages.advise(buffer)
        #expect(advised == Self.kernelHasHugePages)
        guard Self.kernelHasHugePages else { return }

        let inside = try Self.area(holding: aligned)
        #expect(inside.advised)
        #expect(inside.range == aligned..<(aligned + 4 * page))
        #expect(try !Self.area(holding: aligned - 1).advised)
        #expect(try !Self.area(holding: start).advised)
        #expect(try !Self.area(holding: aligned + 4 * page).advised)
        #expect(try !Self.area(holding: end - 1).advised)
    }

    @Test func buffersUnderTheThresholdAreLeftAlone() throws {
        let count = HugePages.minimumByteCount - 1
        let raw = UnsafeMutableRawPointer.allocate(byteCount: count, alignment: HugePages.pageSize)
        defer { raw.deallocate() }
        #expect(!HugePages.advise(UnsafeMutableRawBufferPointer(start: raw, count: count)))
        #expect(try !Self.area(holding: UInt(bitPattern: raw)).advised)
        #expect(!HugePages.advise(UnsafeMutableRawBufferPointer(start: nil, count: 0)))
    }

    @Test func largeMatricesAreAdvisedAndFilled() throws {
        // 8 MiB of storage: at least two whole huge pages lie inside it.
        let m = Matrix(rows: 1024, columns: 1024, repeating: 2.5)
        #expect(m.storage.allSatisfy { $0 == 2.5 })
        let (base, bytes) = m.storage.withUnsafeBufferPointer { (UInt(bitPattern: $0.baseAddress!), $0.count * 8) }
        let page = UInt(HugePages.pageSize), firstWhole = (base + page - 1) & ~(page - 1)
        #expect(firstWhole + page <= base + UInt(bytes))
        #expect(try Self.area(holding: firstWhole).advised == Self.kernelHasHugePages)

        let smallMatrix = Matrix(rows: 100, columns: 100, repeating: -1)
        #expect(smallMatrix.storage.allSatisfy { $0 == -1 })
        let smallBase = smallMatrix.storage.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress!) }
        #expect(try !Self.area(holding: smallBase).advised)
    }
}
#endif
