import Synchronization

/// The text encoding and field limit of every table file a run reads, unless a reader is given its own: what the
/// command line's `--encoding` and `--max-field-bytes` set once, before the command reads anything, so every
/// reader of every module — city files, scores, training data, imports — reads the run's inputs alike without each
/// caller passing the choice down.
///
/// Library callers and tests that want another encoding pass it in `CSVReader.Options`; the defaults only fill in
/// what a caller leaves out.
public struct TextDefaults: Sendable, Equatable {
    /// The encoding of the run's table files (UTF-8 unless set).
    public var encoding: TextEncoding
    /// The longest field, in bytes, a reader accepts (1 MiB unless set).
    public var maxFieldBytes: Int

    /// UTF-8, 1 MiB.
    public static let standard = TextDefaults(encoding: .utf8, maxFieldBytes: 1 << 20)

    public init(encoding: TextEncoding, maxFieldBytes: Int) {
        precondition(maxFieldBytes >= 1, "maxFieldBytes must be positive")
        self.encoding = encoding
        self.maxFieldBytes = maxFieldBytes
    }

    private static let shared = Mutex(TextDefaults.standard)

    /// The defaults in force; setting them affects readers created afterwards.
    public static var current: TextDefaults {
        get { shared.withLock { $0 } }
        set { shared.withLock { $0 = newValue } }
    }
}
