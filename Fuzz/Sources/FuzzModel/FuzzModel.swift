import Foundation
import Scoring

/// libFuzzer entry: any bytes as a model file. Invariant: `ScoringModel.decode` returns a model or throws —
/// no crash, no sanitizer report, no hang.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzModel(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    _ = try? ScoringModel.decode(bytes, file: "fuzz.json")
    return 0
}
