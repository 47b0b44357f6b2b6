// swift-tools-version:6.1
//
// OneCheck benchmarks, kept in a nested package so the root build stays light.
//   swift package benchmark                      ordo-one/benchmark suites (Benchmarks/<Suite>/)
//   swift run -c release kernel-ratio            scoring kernel vs the machine's square-dgemm FLOP rate
//   python3 scripts/bench_fitting.py             logistic fit vs statsmodels and scikit-learn (fit-bench)
//   bash scripts/run-all.sh                      everything above plus the Python peers, side by side
import PackageDescription

let package = Package(
    name: "OneCheckBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "OneCheck", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "kernel-ratio",
            dependencies: [
                .product(name: "Scoring", package: "OneCheck"),
                .product(name: "LinearAlgebra", package: "OneCheck"),
            ],
            path: "Sources/KernelRatio"
        ),
        .executableTarget(
            name: "fit-bench",
            dependencies: [
                .product(name: "Fitting", package: "OneCheck"),
                .product(name: "LinearAlgebra", package: "OneCheck"),
            ],
            path: "Sources/FitBench"
        ),
        .executableTarget(
            name: "PlanBench",
            dependencies: [.product(name: "Planning", package: "OneCheck"), .product(name: "Supervision", package: "OneCheck")],
            path: "Sources/PlanBench"
        ),
        .executableTarget(
            name: "ScoringThroughput",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Scoring", package: "OneCheck"),
                .product(name: "LinearAlgebra", package: "OneCheck"),
            ],
            path: "Benchmarks/ScoringThroughput",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v5]
)
