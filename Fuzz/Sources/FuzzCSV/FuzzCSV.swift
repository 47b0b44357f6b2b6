import Foundation
import Tables

/// The file each input is written to (`CSVReader` reads files; /dev/shm keeps it in memory).
private let path: String = {
    let directory = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    return "\(directory)/onecheck-fuzz-csv-\(getpid()).csv"
}()

/// The reader's settings, from the input's first two bytes: encoding, separator, which kind of block (and how
/// many rows each split takes), the block size (down to one byte, so records, quotes, CRLF pairs and multibyte
/// characters straddle reads) and the field limit (down to a few bytes, so the limit's paths run).
struct Settings {
    var encoding: TextEncoding
    var separator: UInt8
    var recordBlocks: Bool
    var splitRun: Int
    var blockSize: Int
    var maxFieldBytes: Int

    init(_ a: UInt8, _ b: UInt8) {
        encoding = [.utf8, .utf8, .latin1, .gb18030][Int(a & 3)]
        separator = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: "|")][Int((a >> 2) & 3)]
        recordBlocks = (a >> 4) & 1 == 1
        splitRun = [1, 2, 3, Int.max][Int((a >> 5) & 3)]
        blockSize = [1, 2, 3, 4, 5, 7, 8, 13, 16, 31, 64, 65, 100, 256, 4096, 1 << 20][Int(b & 15)]
        maxFieldBytes = (b >> 4) & 1 == 0 ? 1 << 20 : 1 + Int(b >> 5) * 3
    }
}

/// What `CSVReader` gives for `path` under `settings`.
func readWithTables(_ settings: Settings) -> Outcome {
    do {
        var reader = try CSVReader(path: path, options: .init(
            separator: settings.separator, blockSize: settings.blockSize, encoding: settings.encoding,
            maxFieldBytes: settings.maxFieldBytes))
        var rows: [[[UInt8]]] = [], lines: [Int] = []
        func take(_ block: CSVBlock) {
            for row in 0..<block.rowCount {
                rows.append((0..<block.columnCount).map { Array(block.string(row: row, column: $0).utf8) })
                lines.append(block.lineNumber(ofRow: row))
            }
        }
        if settings.recordBlocks {
            let index = CSVFieldIndex()
            while let records = try reader.nextRecordBlock() {
                var start = 0
                while start < records.rowCount {
                    let end = start + min(settings.splitRun, records.rowCount - start)
                    let (block, ragged) = records.splitFields(rows: start..<end, into: index)
                    take(block)
                    if let ragged { throw ragged }
                    start = end
                }
            }
        } else {
            while let block = try reader.nextBlock() { take(block) }
        }
        return .table(header: reader.header.map { Array($0.utf8) }, headerLine: reader.headerLine, rows: rows,
                      lines: lines)
    } catch let error as TableError {
        let problem: Problem
        switch error.kind {
        case .unsupportedEncoding: problem = .utf16
        case .carriageReturnLineEnds: problem = .crOnly
        case .invalidText: problem = .invalidText
        case .emptyFile: problem = .empty
        case .duplicateHeader: problem = .duplicateHeader
        case .raggedRow: problem = .ragged
        case .unterminatedQuotedField: problem = .unterminated
        case .malformedQuotedField: problem = .malformed
        case .fieldTooLong: problem = .fieldTooLong
        default: fatalError("unexpected error from the reader: \(error)")
        }
        // Every message stays short, whatever the input (values, names and expected forms are cut).
        if error.description.count > 800 { fatalError("a message of \(error.description.count) characters") }
        return .refused([problem])
    } catch {
        fatalError("the reader threw something else than a TableError: \(error)")
    }
}

/// libFuzzer entry: two settings bytes, then the file. Invariant: the reader and the reference agree — the same
/// header, rows (as bytes) and lines; or both refuse, the reader for one of the reasons the reference sees.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 2 else { return 0 }
    let settings = Settings(data[0], data[1])
    let file = Array(UnsafeBufferPointer(start: data + 2, count: size - 2))
    guard FileManager.default.createFile(atPath: path, contents: Data(file)) else { fatalError("cannot write \(path)") }
    let reference = ReferenceReader(separator: settings.separator, encoding: settings.encoding,
                                    maxFieldBytes: settings.maxFieldBytes).read(file)
    let tables = readWithTables(settings)
    switch (reference, tables) {
    case let (.refused(expected), .refused(got)) where got.isSubset(of: expected):
        break
    case let (.table(h1, l1, r1, n1), .table(h2, l2, r2, n2)) where h1 == h2 && l1 == l2 && r1 == r2 && n1 == n2:
        break
    default:
        fatalError("""
            the reader and the reference disagree on \(file) with \(settings):
              reference: \(reference)
              reader:    \(tables)
            """)
    }
    return 0
}
