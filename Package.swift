// swift-tools-version:6.1
//
// OneCheck: risk scoring and double-random inspection targeting for joint supervision.
//
// Dependencies point one way:
//   onecheck (executable) → OneCheckCommands (CLI) → Planning / Fitting / Scoring / SyntheticCity
//   → Tables, LinearAlgebra → COpenBLAS (system library: OpenBLAS CBLAS + LAPACKE), CKernels and CPlatform (C).
// Benchmarks live in the nested package Benchmarks/ so the root build stays light.
import PackageDescription

let package = Package(
    name: "OneCheck",
    products: [
        .executable(name: "onecheck", targets: ["onecheck"]),
        .library(name: "LinearAlgebra", targets: ["LinearAlgebra"]),
        .library(name: "Tables", targets: ["Tables"]),
        .library(name: "Supervision", targets: ["Supervision"]),
        .library(name: "Scoring", targets: ["Scoring"]),
        .library(name: "Fitting", targets: ["Fitting"]),
        .library(name: "Planning", targets: ["Planning"]),
        .library(name: "SyntheticCity", targets: ["SyntheticCity"]),
        .library(name: "Registry", targets: ["Registry"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
    ],
    targets: [
        // Debian: libopenblas-dev + liblapacke-dev. The shim header pulls in cblas.h and lapacke.h.
        .systemLibrary(
            name: "COpenBLAS",
            path: "Sources/COpenBLAS",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
        ),
        // Hand-written C kernels where BLAS does not serve the shape (the tall, thin scoring product).
        .target(name: "CKernels"),
        // System calls that Swift's Glibc module leaves out (fallocate), for the CSV writer.
        .target(name: "CPlatform"),
        .target(name: "LinearAlgebra", dependencies: ["COpenBLAS", "CKernels"]),
        .target(name: "Tables", dependencies: ["CPlatform"], swiftSettings: [.swiftLanguageMode(.v6)]),
        // What several modules need and none owns: seeded random numbers, parallel map, JSON text (package access).
        .target(name: "OneCheckUtilities", swiftSettings: [.swiftLanguageMode(.v6)]),
        // The domain of joint supervision, defined once: dates and periods, grades, credit codes, the directory,
        // quotas and caps, and one reader and writer per city file.
        .target(name: "Supervision", dependencies: ["Tables", "OneCheckUtilities"],
                swiftSettings: [.swiftLanguageMode(.v6)]),
        .target(name: "Scoring", dependencies: ["LinearAlgebra", "Tables", "CKernels"],
                swiftSettings: [.swiftLanguageMode(.v6)]),
        .target(name: "SyntheticCity", dependencies: ["Supervision", "Scoring", "Tables", "OneCheckUtilities"],
                swiftSettings: [.swiftLanguageMode(.v6)]),
        .target(name: "Fitting", dependencies: ["LinearAlgebra", "Tables", "Scoring", "Supervision", "OneCheckUtilities"],
                swiftSettings: [.swiftLanguageMode(.v6)]),
        .target(
            name: "Planning",
            dependencies: ["Scoring", "Supervision", "Tables", "OneCheckUtilities", .product(name: "Crypto", package: "swift-crypto")],
            exclude: ["RANDOMNESS.md", "PLAN_FORMATS.md"],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // The shared record of the supervision cycle: an SQLite workspace (GRDB) with versioned migrations.
        .target(
            name: "Registry",
            dependencies: ["Scoring", "Planning", "Supervision", "Tables", .product(name: "GRDB", package: "GRDB.swift")],
            exclude: ["INDICATORS.md"],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .target(
            name: "OneCheckCommands",
            dependencies: [
                "Scoring", "Tables", "Supervision", "SyntheticCity", "Fitting", "Planning", "Registry", "LinearAlgebra",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "onecheck", dependencies: ["OneCheckCommands"]),

        // Test-only helpers: locating ../shared datasets (fail under CI, skip otherwise), temp dirs.
        .target(name: "TestSupport", path: "Sources/TestSupport"),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra", "TestSupport"]),
        .testTarget(name: "TablesTests", dependencies: ["Tables", "CPlatform", "TestSupport"]),
        .testTarget(name: "SupervisionTests", dependencies: ["Supervision", "Tables", "TestSupport"]),
        .testTarget(name: "OneCheckUtilitiesTests", dependencies: ["OneCheckUtilities"]),
        .testTarget(name: "ScoringTests", dependencies: ["Scoring", "Tables", "LinearAlgebra", "TestSupport"]),
        .testTarget(name: "SyntheticCityTests", dependencies: ["SyntheticCity", "Supervision", "OneCheckUtilities", "Scoring",
                                                               "Tables", "TestSupport"]),
        .testTarget(name: "FittingTests", dependencies: ["Fitting", "Scoring", "Tables", "LinearAlgebra", "Supervision",
                                                        "OneCheckUtilities", "TestSupport"]),
        .testTarget(name: "PlanningTests", dependencies: ["Planning", "Supervision", "Tables", "TestSupport"]),
        .testTarget(name: "RegistryTests", dependencies: ["Registry", "Scoring", "Planning", "Supervision", "Tables",
                                                         "TestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport", "onecheck", "Scoring", "Planning", "Tables"]),
    ],
    swiftLanguageModes: [.v5]
)
