import Foundation
import Planning

/// The file each input is written to: `PlanManifest.read` takes a path (Planning is not changed for the fuzzer).
private let path: String = {
    let directory = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    return "\(directory)/onecheck-fuzz-manifest-\(getpid()).json"
}()

/// libFuzzer entry: any bytes as a plan manifest. Invariant: `PlanManifest.read` returns a manifest or throws —
/// no crash, no sanitizer report, no hang.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzManifest(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes: data, count: size)) else {
        fatalError("cannot write \(path)")
    }
    _ = try? PlanManifest.read(path: path)
    return 0
}
