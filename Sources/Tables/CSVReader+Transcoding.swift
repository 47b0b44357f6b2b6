#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file in a legacy encoding (`TextEncoding.gb18030`, `.latin1`) and hands it on as UTF-8, a buffer at a
/// time, for `ReaderState.fill`: the scan then sees UTF-8 as for any file.
///
/// The raw bytes go through a 64 KiB buffer. A character cut by the end of a raw read stays in that buffer until
/// the next read completes it, so a multibyte sequence may straddle any read or block boundary. Output is
/// produced only for whole characters, so a block never ends inside one either.
///
/// When the input is not valid in its encoding, the output stops just before the bad bytes (`failure` then holds
/// them) and every later call returns nothing: the reader returns the records before, then reports the error at
/// the place in the record where the output stopped.
final class TranscodingSource {
    let encoding: TextEncoding
    private let fd: Int32
    private let raw: UnsafeMutablePointer<UInt8>
    private static let rawCapacity = 64 << 10
    private var rawStart = 0, rawEnd = 0
    private var rawEOF = false
    /// The GB18030 converter (`iconv_t`), or nil for Latin-1.
    private let converter: iconv_t?
    /// Bytes read from the file so far.
    private(set) var bytesRead = 0
    /// Everything has been read and handed out.
    private(set) var finished = false
    /// The bytes that are not valid in `encoding` (at most four), once the output has stopped before them.
    private(set) var failure: [UInt8]?
    /// The first bytes of the file, for recognising UTF-16 before anything is transcoded.
    private(set) var firstBytes: [UInt8] = []

    /// - Throws: `TableError.Kind.cannotOpen` when the C library has no converter for the encoding.
    /// Sees every raw byte read (``CSVReader/Options/byteObserver``).
    private let observer: (@Sendable (UnsafeRawBufferPointer) -> Void)?

    init(fd: Int32, encoding: TextEncoding, fileName: String,
         observer: (@Sendable (UnsafeRawBufferPointer) -> Void)? = nil) throws {
        precondition(encoding != .utf8, "UTF-8 is read as it is")
        self.fd = fd
        self.observer = observer
        self.encoding = encoding
        if encoding == .gb18030 {
            let cd = iconv_open("UTF-8", "GB18030")
            if Int(bitPattern: cd) == -1 {
                throw TableError(.cannotOpen(reason: "this system's C library cannot convert GB18030 to UTF-8 "
                                             + "(iconv: \(systemError())); install glibc's gconv modules"),
                                 file: fileName)
            }
            converter = cd
        } else {
            converter = nil
        }
        raw = .allocate(capacity: Self.rawCapacity)
    }

    deinit {
        raw.deallocate()
        if let converter { iconv_close(converter) }
    }

    /// Writes up to `capacity` bytes of UTF-8 to `out`; returns how many. 0 with neither `finished` nor `failure`
    /// set means `capacity` is too small for the next character.
    /// - Throws: `TableError.Kind.ioFailure` when reading fails.
    func read(into out: UnsafeMutablePointer<UInt8>, capacity: Int, fileName: String, line: Int) throws -> Int {
        var produced = 0
        while produced < capacity && failure == nil && !finished {
            if rawStart == rawEnd || needsMoreRaw {
                if rawEOF {
                    if rawStart < rawEnd {
                        // The file ends inside a character.
                        failure = Array(UnsafeBufferPointer(start: raw + rawStart, count: min(4, rawEnd - rawStart)))
                    } else {
                        finished = true
                    }
                    break
                }
                try refill(fileName: fileName, line: line)
                continue
            }
            let before = produced
            switch encoding {
            case .latin1: produced += expandLatin1(into: out + produced, capacity: capacity - produced)
            default: produced += convertGB18030(into: out + produced, capacity: capacity - produced)
            }
            if produced == before && !needsMoreRaw && failure == nil { break }  // no room for the next character
        }
        return produced
    }

    /// iconv stopped at an incomplete character at the end of the raw bytes.
    private var needsMoreRaw = false

    /// Moves the unconverted raw bytes to the front and reads more after them.
    private func refill(fileName: String, line: Int) throws {
        let kept = rawEnd - rawStart
        if rawStart > 0 && kept > 0 { memmove(raw, raw + rawStart, kept) }
        rawStart = 0
        rawEnd = kept
        needsMoreRaw = false
        while true {
            let got = readFile(fd, raw + rawEnd, Self.rawCapacity - rawEnd)
            if got > 0 {
                if bytesRead == 0 { firstBytes = Array(UnsafeBufferPointer(start: raw, count: min(got, 128))) }
                observer?(UnsafeRawBufferPointer(start: raw + rawEnd, count: got))
                bytesRead += got
                rawEnd += got
                return
            }
            if got == 0 {
                rawEOF = true
                return
            }
            if errno != EINTR { throw TableError(.ioFailure(reason: systemError()), file: fileName, line: line) }
        }
    }

    /// Latin-1 → UTF-8: U+0000…U+007F as one byte, U+0080…U+00FF as two.
    private func expandLatin1(into out: UnsafeMutablePointer<UInt8>, capacity: Int) -> Int {
        var w = 0
        while rawStart < rawEnd {
            let byte = raw[rawStart]
            if byte < 0x80 {
                guard w < capacity else { break }
                out[w] = byte
                w += 1
            } else {
                guard w + 2 <= capacity else { break }
                out[w] = 0xC0 | (byte >> 6)
                out[w + 1] = 0x80 | (byte & 0x3F)
                w += 2
            }
            rawStart += 1
        }
        return w
    }

    /// GB18030 → UTF-8 with iconv, as far as the raw bytes and the room allow.
    private func convertGB18030(into out: UnsafeMutablePointer<UInt8>, capacity: Int) -> Int {
        var input: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(raw + rawStart)
            .assumingMemoryBound(to: CChar.self)
        var inputLeft = rawEnd - rawStart
        var output: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(out).assumingMemoryBound(to: CChar.self)
        var outputLeft = capacity
        let status = iconv(converter, &input, &inputLeft, &output, &outputLeft)
        let code = errno
        rawStart = rawEnd - inputLeft
        if status == -1 {  // (size_t)-1: size_t is imported as Int
            switch code {
            case EINVAL: needsMoreRaw = true          // a character cut by the end of the raw bytes
            case EILSEQ:
                // Quote the character's bytes: a lone 80 or FF; a lead and its second byte; a four-byte form
                // (second byte a digit) whole.
                let lead = raw[rawStart]
                var count = 1
                if lead >= 0x81 && lead <= 0xFE && rawStart + 1 < rawEnd {
                    count = raw[rawStart + 1] >= 0x30 && raw[rawStart + 1] <= 0x39 ? 4 : 2
                }
                failure = Array(UnsafeBufferPointer(start: raw + rawStart, count: min(count, rawEnd - rawStart)))
            default: break                            // E2BIG: the output is full
            }
        }
        return capacity - outputLeft
    }
}

/// POSIX `read` (a free function, so it is not shadowed by `TranscodingSource.read`).
func readFile(_ fd: Int32, _ buffer: UnsafeMutablePointer<UInt8>, _ count: Int) -> Int {
    read(fd, buffer, count)
}
