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

/// Before the first input: decodes a model once, so the loader's lazily built statics (the key schema of the
/// format) exist before libFuzzer checks any input for leaks. Built inside an input, their one-time allocation was
/// reported as a leak (LeakSanitizer does not see the pointers Swift keeps in an enum's spare bits).
@_cdecl("LLVMFuzzerInitialize")
public func initializeFuzzModel(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    let model = #"{"format": "onecheck-model", "schemaVersion": 1, "name": "warm-up", "idColumn": "id", "features": [], "heads": []}"#
    _ = try? ScoringModel.decode(Data(model.utf8), file: "warm-up.json")
    return 0
}
