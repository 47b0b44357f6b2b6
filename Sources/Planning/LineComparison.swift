#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Tables

/// Compares an expected text, given in pieces, with a file read in pieces, line by line — what `verify` does with
/// every file of a plan directory without holding either text whole.
///
/// Lines are the pieces between `\n`, the last one being whatever follows the final `\n` (possibly empty), as
/// ``PlanVerification/compare(file:expected:found:equivalent:)`` splits them: the outcome is the same as that
/// function's on the two whole texts. The SHA-256 of the file's bytes read is kept (``foundDigest``).
/// - Complexity: memory O(the longest line + the read size).
struct LineComparison {
    private let file: String
    private let fd: Int32
    private let equivalent: ((Substring, Substring) -> Bool)?
    /// Expected bytes of a line not yet complete.
    private var expectedCarry: [UInt8] = []
    private var found: [UInt8] = []
    private var foundStart = 0
    private var foundEOF = false
    /// The found side's final piece has been returned.
    private var foundDone = false
    private var line = 0
    private var hasher = FrameCommitment.Hasher()
    /// The first difference, once found.
    private(set) var difference: PlanVerification.Outcome?

    /// Opens the file at `path` (named `file` in the outcome); nil when it cannot be opened.
    init?(path: String, file: String, equivalent: ((Substring, Substring) -> Bool)? = nil) {
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        self.file = file
        self.equivalent = equivalent
    }

    /// Closes the file.
    func close() { closeFile(fd) }

    /// Compares the complete lines of `bytes` (after what earlier calls left incomplete); nothing once a
    /// difference is found.
    mutating func feed(_ bytes: UnsafeRawBufferPointer) throws {
        guard difference == nil else { return }
        var start = 0
        for k in 0..<bytes.count where bytes[k] == 10 {
            let piece = UnsafeRawBufferPointer(rebasing: bytes[start..<k])
            if expectedCarry.isEmpty {
                try compareLine(piece)
            } else {
                expectedCarry.append(contentsOf: piece)
                let whole = expectedCarry
                expectedCarry.removeAll(keepingCapacity: true)
                try whole.withUnsafeBytes { try compareLine($0) }
            }
            if difference != nil { return }
            start = k + 1
        }
        expectedCarry.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start...]))
    }

    /// ``feed(_:)`` for a whole text.
    mutating func feed(_ text: String) throws {
        var copy = text
        try copy.withUTF8 { try feed(UnsafeRawBufferPointer($0)) }
    }

    /// The outcome once the expected text is complete: its last piece is compared, then the file must end.
    mutating func finish() throws -> PlanVerification.Outcome {
        if difference == nil {
            let last = expectedCarry
            try last.withUnsafeBytes { try compareLine($0) }
        }
        if difference == nil, let extra = try nextFoundLine() {
            difference = .different(file: file, line: line + 1, expected: "<end of file>", found: text(extra))
        }
        return difference ?? .identical
    }

    /// The SHA-256 of the file's bytes read so far (all of them after an ``PlanVerification/Outcome/identical``
    /// ``finish()``).
    var foundDigest: String { hasher.finalizeHex() }

    private mutating func compareLine(_ expected: UnsafeRawBufferPointer) throws {
        line += 1
        guard let foundLine = try nextFoundLine() else {
            difference = .different(file: file, line: line, expected: String(decoding: expected, as: UTF8.self),
                                    found: "<end of file>")
            return
        }
        let same = found.withUnsafeBytes { bytes in
            foundLine.count == expected.count
                && (expected.isEmpty || memcmp(bytes.baseAddress! + foundLine.lowerBound, expected.baseAddress!, expected.count) == 0)
        }
        if same { return }
        let expectedLine = String(decoding: expected, as: UTF8.self), foundText = text(foundLine)
        if let equivalent, equivalent(Substring(expectedLine), Substring(foundText)) { return }
        difference = .different(file: file, line: line, expected: expectedLine, found: foundText)
    }

    private func text(_ range: Range<Int>) -> String { String(decoding: found[range], as: UTF8.self) }

    /// The bytes of the file's next line in `found` (valid until the next call), or nil after its last piece.
    private mutating func nextFoundLine() throws -> Range<Int>? {
        while true {
            let end = found.withUnsafeBytes { bytes -> Int? in
                guard foundStart < bytes.count,
                      let hit = memchr(bytes.baseAddress! + foundStart, 10, bytes.count - foundStart) else { return nil }
                return bytes.baseAddress!.distance(to: UnsafeRawPointer(hit))
            }
            if let end {
                defer { foundStart = end + 1 }
                return foundStart..<end
            }
            if foundEOF {
                guard !foundDone else { return nil }
                foundDone = true
                defer { foundStart = found.count }
                return foundStart..<found.count
            }
            try readMore()
        }
    }

    private mutating func readMore() throws {
        found.removeSubrange(0..<foundStart)
        foundStart = 0
        let kept = found.count
        found.append(contentsOf: repeatElement(0, count: 1 << 20))
        while true {
            let got = found.withUnsafeMutableBytes { read(fd, $0.baseAddress! + kept, $0.count - kept) }
            if got < 0 && errno == EINTR { continue }
            guard got >= 0 else {
                found.removeSubrange(kept...)
                throw TableError(.ioFailure(reason: systemError()), file: file)
            }
            found.removeSubrange((kept + got)...)
            found.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[kept...])) }
            if got == 0 { foundEOF = true }
            return
        }
    }
}

/// The C `close`, named apart from ``LineComparison/close()``.
private func closeFile(_ fd: Int32) { _ = close(fd) }
