/// The character encoding of a table file, as read by `CSVReader` (and `CSVTable`, which reads through it).
///
/// Every reader hands out UTF-8 only: a `.utf8` file is validated as it is scanned (invalid bytes are an error
/// with their line and column, never replaced), and the other encodings are transcoded to UTF-8 while reading,
/// block by block, before the scan. Both legacy encodings keep every ASCII byte as it is and never use the bytes of
/// `"`, `,`, CR or LF inside a multibyte character, so records, fields and line numbers are those of the
/// original file, and so are the line and column of every error.
///
/// The raw value is the name a command line takes (`--encoding gb18030`).
public enum TextEncoding: String, Sendable, CaseIterable, Equatable {
    /// UTF-8, with or without a byte-order mark (the default). Overlong forms, surrogates (U+D800…U+DFFF),
    /// code points above U+10FFFF and sequences cut by a field's or the file's end are refused.
    case utf8
    /// GB18030 (the Chinese national standard, a superset of GBK and GB2312), transcoded with the C library's
    /// `iconv` (glibc's gconv module `GB18030`). Bytes that are not GB18030 are refused with their location.
    case gb18030
    /// ISO 8859-1 (Latin-1): every byte is one character U+0000…U+00FF, so no file is refused. Bytes 0x80…0x9F
    /// are the C1 control characters, not Windows-1252's curly quotes and euro sign.
    case latin1

    /// The name used in messages ("UTF-8", "GB18030", "Latin-1").
    public var displayName: String {
        switch self {
        case .utf8: return "UTF-8"
        case .gb18030: return "GB18030"
        case .latin1: return "Latin-1"
        }
    }
}
