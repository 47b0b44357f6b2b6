// swift-tools-version:6.1
//
// OneCheck's libFuzzer targets, kept in a nested package (like Benchmarks/) so the root build stays light.
// Built with SwiftPM's sanitizers, which instrument every module for coverage and address checks:
//   swift build -c release --package-path Fuzz --sanitize fuzzer --sanitize address -Xswiftc -sanitize=fuzzer,address
// (the -Xswiftc flag: see scripts/fuzz.sh)
//   Fuzz/.build/release/fuzz-csv Fuzz/Corpus/csv -max_total_time=60 -timeout=10
// or `make fuzz` (FUZZ_SECONDS per target) and `make fuzz-smoke` (scripts/fuzz.sh).
//
// Targets and the invariant each keeps (a crash, a sanitizer report, a hang past -timeout or a broken
// invariant stops the run and leaves the input as crash-*/timeout-* in the working directory):
//   fuzz-csv       the CSV reader (scanner, record splitter, field splits, every encoding) reads exactly what a
//                  plain RFC 4180 reference parser in the harness reads, or both refuse, for the same reason
//   fuzz-decimal   DecimalParsing (plain and padded paths) accepts exactly the documented grammar and agrees with
//                  strtod bit for bit on every accepted number
//   fuzz-model     ScoringModel.decode returns a model or throws; it never crashes or hangs
//   fuzz-manifest  PlanManifest.read returns a manifest or throws; it never crashes or hangs
import PackageDescription

let package = Package(
    name: "OneCheckFuzz",
    dependencies: [
        .package(name: "OneCheck", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "fuzz-csv",
            dependencies: [.product(name: "Tables", package: "OneCheck")],
            path: "Sources/FuzzCSV"
        ),
        .executableTarget(
            name: "fuzz-decimal",
            dependencies: [.product(name: "Tables", package: "OneCheck")],
            path: "Sources/FuzzDecimal"
        ),
        .executableTarget(
            name: "fuzz-model",
            dependencies: [.product(name: "Scoring", package: "OneCheck")],
            path: "Sources/FuzzModel"
        ),
        .executableTarget(
            name: "fuzz-manifest",
            dependencies: [.product(name: "Planning", package: "OneCheck")],
            path: "Sources/FuzzManifest"
        ),
    ]
)
