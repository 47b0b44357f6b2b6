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
        .library(name: "Console", targets: ["Console"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // Debian: libopenblas-dev + liblapacke-dev. The shim header pulls in cblas.h and lapacke.h.
        .systemLibrary(
            name: "COpenBLAS",
            path: "Sources/COpenBLAS",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
        ),
        // Debian: zlib1g-dev. Test-only: the browser tests decode screenshots (PNG) to check they are not blank.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        // Hand-written C kernels where BLAS does not serve the shape (the tall, thin scoring product).
        .target(name: "CKernels"),
        // System calls that Swift's Glibc module leaves out (fallocate), for the CSV writer.
        .target(name: "CPlatform"),
        .target(name: "LinearAlgebra", dependencies: ["COpenBLAS", "CKernels"], swiftSettings: [.swiftLanguageMode(.v6)]),
        .target(name: "Tables", dependencies: ["CPlatform", "OneCheckUtilities"], swiftSettings: [.swiftLanguageMode(.v6)]),
        // What several modules need and none owns: seeded random numbers, parallel map, JSON text and quoted echoes
        // (package access).
        .target(name: "OneCheckUtilities", swiftSettings: [.swiftLanguageMode(.v6)]),
        // The domain of joint supervision, defined once: dates and periods, grades, credit codes, the directory,
        // quotas and caps, and one reader and writer per city file.
        .target(name: "Supervision", dependencies: ["Tables", "OneCheckUtilities"],
                swiftSettings: [.swiftLanguageMode(.v6)]),
        .target(name: "Scoring", dependencies: ["LinearAlgebra", "Tables", "CKernels", "OneCheckUtilities"],
                swiftSettings: [.swiftLanguageMode(.v6)]),
        .target(name: "SyntheticCity", dependencies: ["Supervision", "Scoring", "Planning", "Tables", "OneCheckUtilities"],
                swiftSettings: [.swiftLanguageMode(.v6)]),
        .target(name: "Fitting", dependencies: ["LinearAlgebra", "Tables", "Scoring", "Supervision", "OneCheckUtilities"],
                swiftSettings: [.swiftLanguageMode(.v6)]),
        .target(
            name: "Planning",
            dependencies: ["Scoring", "Supervision", "Tables", "OneCheckUtilities", "CKernels",
                           .product(name: "Crypto", package: "swift-crypto")],
            exclude: ["RANDOMNESS.md", "PLAN_FORMATS.md"],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // The shared record of the supervision cycle: an SQLite workspace (GRDB) or a shared PostgreSQL database
        // (postgres-nio), both with the same versioned migrations.
        .target(
            name: "Registry",
            dependencies: ["Scoring", "Planning", "Supervision", "Tables", "OneCheckUtilities",
                           .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "GRDBSQLite", package: "GRDB.swift"),
                           .product(name: "PostgresNIO", package: "postgres-nio"),
                           .product(name: "NIOSSL", package: "swift-nio-ssl")],
            exclude: ["INDICATORS.md", "CREDIT_REPAIR.md"],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // The console: a web interface on the workspace (Hummingbird 2, mustache templates, inline SVG charts) for
        // the public, planners, department officers and admins; also the self-contained HTML reports.
        .target(
            name: "Console",
            dependencies: [
                "Registry", "Planning", "Supervision", "Tables", "Scoring", "Fitting",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Resources/templates"), .copy("Resources/static")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .target(
            name: "OneCheckCommands",
            dependencies: [
                "Scoring", "Tables", "Supervision", "SyntheticCity", "Fitting", "Planning", "Registry", "LinearAlgebra",
                "Console",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(name: "onecheck", dependencies: ["OneCheckCommands"], swiftSettings: [.swiftLanguageMode(.v6)]),

        // Test-only helpers: locating ../shared datasets (fail under CI, skip otherwise), temp dirs.
        .target(name: "TestSupport", path: "Sources/TestSupport", swiftSettings: [.swiftLanguageMode(.v6)]),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra", "TestSupport"]),
        .testTarget(name: "TablesTests", dependencies: ["Tables", "CPlatform", "TestSupport"]),
        .testTarget(name: "SupervisionTests", dependencies: ["Supervision", "Tables", "TestSupport"]),
        .testTarget(name: "OneCheckUtilitiesTests", dependencies: ["OneCheckUtilities"]),
        .testTarget(name: "ScoringTests", dependencies: ["Scoring", "Tables", "LinearAlgebra", "TestSupport"]),
        .testTarget(name: "SyntheticCityTests", dependencies: ["SyntheticCity", "Supervision", "OneCheckUtilities", "Scoring",
                                                               "Tables", "TestSupport"]),
        .testTarget(name: "FittingTests", dependencies: ["Fitting", "Scoring", "Tables", "LinearAlgebra", "Supervision",
                                                        "OneCheckUtilities", "TestSupport"]),
        .testTarget(name: "PlanningTests", dependencies: ["Planning", "Supervision", "Tables", "TestSupport", "CKernels"]),
        .testTarget(name: "RegistryTests", dependencies: ["Registry", "Scoring", "Planning", "Supervision", "Tables",
                                                         "TestSupport", .product(name: "GRDB", package: "GRDB.swift"),
                                                         .product(name: "PostgresNIO", package: "postgres-nio")]),
        .testTarget(name: "ConsoleTests", dependencies: [
            "Console", "Registry", "Planning", "Supervision", "TestSupport", "onecheck", "CZlib",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport", "onecheck", "Scoring", "Planning", "Tables",
                                                          .product(name: "GRDB", package: "GRDB.swift")]),
    ],
    swiftLanguageModes: [.v5]
)
