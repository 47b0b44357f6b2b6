import CPlatform
import Foundation
import Testing
import TestSupport
import Tables

@Suite("CSVWriter and CSVRowBuffer")
struct CSVWriterTests {
    /// A random field mixing the characters that need quoting with plain and non-ASCII text.
    static func randomField(_ rng: inout SeededGenerator) -> String {
        let alphabet: [String] = ["a", "Z", "0", "7", " ", ",", "\"", "\n", "\r", "\r\n", ";", "é", "名", "\u{1F600}",
                                  "\t", "-", "."]
        let length = Int.random(in: 0...8, using: &rng)
        return (0..<length).map { _ in alphabet.randomElement(using: &rng)! }.joined()
    }

    @Test("round trip writer → reader on seeded random tables, at several block sizes", arguments: [1, 2, 3])
    func roundTrip(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        let scratch = try Scratch()
        let columns = Int.random(in: 1...6, using: &rng)
        let header = (0..<columns).map { "c\($0)" + (Bool.random(using: &rng) ? ",\"x\"" : "") }
        let rows = (0..<300).map { _ in (0..<columns).map { _ in Self.randomField(&rng) } }
        let path = scratch.path("round.csv")
        let writer = try CSVWriter(path: path, flushThreshold: 512)
        try writer.appendRow(header)
        for row in rows {
            for field in row { writer.appendField(field) }
            try writer.endRow()
        }
        try writer.commit()
        for blockSize in [7, 64, 1000, 1 << 20] {
            let read = try readAll(path, blockSize: blockSize)
            #expect(read.header == header)
            #expect(read.rows == rows, "seed \(seed), block size \(blockSize)")
        }
    }

    @Test("quoting only when needed; numbers; empty single-field rows")
    func formatting() throws {
        let buffer = CSVRowBuffer()
        buffer.appendField("plain")
        buffer.appendField("a,b")
        buffer.appendField("say \"hi\"")
        buffer.appendField("")
        buffer.appendField(-42)
        buffer.appendField(2.675, decimals: 2)
        buffer.appendField(shortest: 0.1)
        buffer.appendField(shortest: -.infinity)
        buffer.endRow()
        buffer.appendMissingField()
        buffer.endRow()
        buffer.appendField("x")
        buffer.appendMissingField()
        buffer.endRow()
        let text = String(decoding: buffer.bytes, as: UTF8.self)
        #expect(text == "plain,\"a,b\",\"say \"\"hi\"\"\",,-42,2.67,0.1,-Inf\n\"\"\nx,\n")
        #expect(buffer.rowCount == 3)
        buffer.removeAll()
        #expect(buffer.count == 0 && buffer.bytes.isEmpty)
    }

    @Test("buffers formatted separately and written in order equal one sequential write")
    func parallelBuffers() throws {
        let scratch = try Scratch()
        let values = (0..<1000).map { Double($0) * 0.37 - 100 }
        let sequential = try CSVWriter(path: scratch.path("one.csv"))
        for value in values {
            sequential.appendField(value, decimals: 3)
            try sequential.endRow()
        }
        try sequential.commit()

        let chunks = stride(from: 0, to: values.count, by: 137).map { $0..<min($0 + 137, values.count) }
        let buffers = chunks.map { _ in CSVRowBuffer(capacity: 16) }
        DispatchQueue.concurrentPerform(iterations: chunks.count) { index in
            for value in values[chunks[index]] {
                buffers[index].appendField(value, decimals: 3)
                buffers[index].endRow()
            }
        }
        let parallel = try CSVWriter(path: scratch.path("many.csv"))
        for buffer in buffers { try parallel.write(buffer) }
        try parallel.commit()
        let one = try Data(contentsOf: URL(fileURLWithPath: scratch.path("one.csv")))
        let many = try Data(contentsOf: URL(fileURLWithPath: scratch.path("many.csv")))
        #expect(one == many)
        #expect(one.count > 5000)
    }

    @Test("abandon leaves no file and keeps the existing one")
    func abandonKeepsOldFile() throws {
        let scratch = try Scratch()
        let path = try scratch.write("scores.csv", "old,good\n1,2\n")
        let writer = try CSVWriter(path: path)
        #expect((writer.temporaryPath ?? "").hasPrefix(scratch.directory.url.path + "/.scores.csv.tmp-"))
        try writer.appendRow(["new", "bad"])
        for _ in 0..<10_000 {
            writer.appendField(1)
            try writer.endRow()
        }
        try writer.flush()
        #expect(try scratch.listing().count == 2)  // the temporary file exists while writing
        writer.abandon()
        writer.abandon()  // idempotent
        #expect(try scratch.listing() == ["scores.csv"])
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old,good\n1,2\n")
    }

    @Test("a writer dropped without commit removes its temporary file")
    func deinitAbandons() throws {
        let scratch = try Scratch()
        do {
            let writer = try CSVWriter(path: scratch.path("out.csv"))
            try writer.appendRow(["a"])
            try writer.flush()
            #expect(try scratch.listing().count == 1)
        }
        #expect(try scratch.listing().isEmpty)
    }

    @Test("commit replaces the destination atomically and leaves no temporary file")
    func commitReplaces() throws {
        let scratch = try Scratch()
        let path = try scratch.write("scores.csv", "old\n")
        let writer = try CSVWriter(path: path)
        try writer.appendRow(["new"])
        try writer.commit(synchronize: true)
        #expect(try scratch.listing() == ["scores.csv"])
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new\n")
    }

    @Test("space reserved ahead of the writes is given back at commit, and the bytes are those written")
    func reservedSpaceIsGivenBack() throws {
        let scratch = try Scratch()
        let path = try scratch.write("big.csv", "old\n")
        let writer = try CSVWriter(path: path, flushThreshold: 64 << 10)
        var expected = ""
        for row in 0..<200_000 {
            writer.appendField(row)
            writer.appendField(Double(row) * 0.001, decimals: 3)
            try writer.endRow()
            expected += "\(row),\(DecimalFormatting.fixed(Double(row) * 0.001, decimals: 3))\n"
        }
        try writer.flush()
        let written = try #require(Self.space(writer.temporaryPath ?? ""))
        // ext4, XFS and tmpfs take reservations; elsewhere the writer writes without them.
        if try Self.takesReservations(scratch) {
            #expect(written.allocated >= written.size + OutputFile.minimumReservation, "no space reserved ahead")
        }
        try writer.commit()
        let committed = try #require(Self.space(path))
        #expect(committed.size == expected.utf8.count)
        #expect(committed.allocated < committed.size + OutputFile.minimumReservation, "reserved space kept")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == expected)
        #expect(try scratch.listing() == ["big.csv"])
    }

    /// A file's size and the bytes of disk allocated to it.
    static func space(_ path: String) -> (size: Int, allocated: Int)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return (Int(info.st_size), Int(info.st_blocks) * 512)
    }

    /// Whether the scratch directory's file system reserves space for a file.
    static func takesReservations(_ scratch: Scratch) throws -> Bool {
        let probe = try scratch.write("probe", "")
        defer { unlink(probe) }
        let fd = open(probe, O_WRONLY)
        defer { close(fd) }
        return fd >= 0 && onecheck_reserve_space(fd, 0, 1 << 20) == 0
    }

    @Test("a writer into a missing directory fails with cannotOpen")
    func cannotOpen() throws {
        let scratch = try Scratch()
        let error = tableError { _ = try CSVWriter(path: scratch.path("nope/out.csv")) }
        #expect(error?.kind == .cannotOpen(reason: "No such file or directory"))
        #expect(error?.description == "out.csv: cannot open the file: No such file or directory")
    }

    @Test("one field as text: the buffer's rule on UTF-8 bytes, also for a CR LF pair and a quote before a combining mark")
    func fieldAsText() {
        #expect(CSVRowBuffer.field("E-17 名") == "E-17 名")
        #expect(CSVRowBuffer.field("") == "")
        #expect(CSVRowBuffer.field("a,b") == "\"a,b\"")
        #expect(CSVRowBuffer.field("a\r\nb") == "\"a\r\nb\"")
        #expect(CSVRowBuffer.field("a\"\u{301}b") == "\"a\"\"\u{301}b\"")
        #expect(CSVRowBuffer.field("a;b", separator: UInt8(ascii: ";")) == "\"a;b\"")
        for text in ["x", "a,b", "a\r\nb", "say \"hi\"", "a\"\u{301}b"] {
            let rows = CSVRowBuffer()
            rows.appendField(text)
            #expect(rows.withUnsafeBytes { String(decoding: $0, as: UTF8.self) } == CSVRowBuffer.field(text))
        }
    }
}
