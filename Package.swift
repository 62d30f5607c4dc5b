// swift-tools-version:6.0
// judge — an LLM-as-judge evaluation harness.
//
// The data flows suite → candidates → comparisons → verdicts → ratings → reports,
// and the modules follow it:
//
//   Suite           suite YAML + items JSONL                      (Yams)
//   LocalInference  GGUF models on the CPU: candidates            (COpenBLAS, CPrefetch)
//   HTTP            async HTTP on libcurl                         (CCurl)
//   Store           SQLite store of everything                    (GRDB)
//   Judge           pairwise judging over chat completions        (HTTP, Store, Suite)
//   Candidates      generates missing candidate outputs           (LocalInference, Judge)
//   Rank            Bradley-Terry ratings, held-out check         (pure Swift)
//   Report          HTML / Markdown reports, nightly leaderboard  (Rank, Store)
//   Server          OpenAI-compatible server over LocalInference  (swift-nio)
//   JudgeCLI        the `judge` command                           (everything)
import Foundation
import PackageDescription

/// Numeric modules are built with checks off in release builds; debug builds keep every check.
let numericSettings: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked", "-wmo"], .when(configuration: .release)),
]

/// The inference kernels are built for x86-64-v3 (AVX2, FMA, F16C: `-target-cpu haswell`) on x86_64 hosts:
/// ~2× the decode speed of baseline x86-64 (BENCHMARKS.md, "Engine kernels"). `judge` refuses to start on a CPU
/// without them (JudgeCLI/CPUFeatures.swift); `JUDGE_PORTABLE=1 swift build …` builds for any x86-64 CPU.
#if arch(x86_64)
let x86V3 = ProcessInfo.processInfo.environment["JUDGE_PORTABLE"] != "1"
#else
let x86V3 = false
#endif
let kernelSettings: [SwiftSetting] = numericSettings
    + (x86V3 ? [.unsafeFlags(["-target-cpu", "haswell"]), .define("JUDGE_X86_V3")] : [])

let package = Package(
    name: "judge",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "judge", targets: ["JudgeCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.70.0"),
        // The shared PostgreSQL store (issue 19): `--db postgres://…`.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // MARK: - System libraries (Debian: libcurl4-openssl-dev, libopenblas-dev)
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),

        // MARK: - C helpers
        /// A software prefetch hint for the inference kernels (header-only; see CPrefetch.h).
        .target(name: "CPrefetch"),

        // MARK: - Stages of the pipeline
        .target(name: "Suite", dependencies: [.product(name: "Yams", package: "Yams")]),
        .target(name: "LocalInference", dependencies: ["COpenBLAS", "CPrefetch"], swiftSettings: kernelSettings),
        .target(name: "HTTP", dependencies: ["CCurl"]),
        .target(name: "Store", dependencies: [
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
        ]),
        .target(name: "Judge", dependencies: ["HTTP", "Store", "Suite"]),
        .target(name: "Candidates", dependencies: ["LocalInference", "Judge", "Store", "Suite", "HTTP"]),
        .target(name: "Rank", swiftSettings: numericSettings),
        .target(name: "Report", dependencies: ["Rank", "Store", .product(name: "GRDB", package: "GRDB.swift")]),
        .target(
            name: "Server",
            dependencies: [
                "LocalInference",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "JudgeCLI",
            dependencies: [
                "Suite", "LocalInference", "HTTP", "Store", "Judge", "Candidates", "Rank", "Report", "Server",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: x86V3 ? [.define("JUDGE_X86_V3")] : []
        ),

        // MARK: - Benchmarks (scripts/bench; not part of the product)
        .executableTarget(
            name: "judge-throughput",
            dependencies: ["Judge", "HTTP", "TestSupport"],
            path: "scripts/bench/judge_throughput"
        ),

        // MARK: - Tests (one target per module; shared helpers in TestSupport)
        .target(
            name: "TestSupport",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Tests/TestSupport"
        ),
        .testTarget(name: "SuiteTests", dependencies: ["Suite"]),
        .testTarget(name: "LocalInferenceTests", dependencies: ["LocalInference", "TestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "HTTPTests", dependencies: ["HTTP", "TestSupport"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "TestSupport"]),  // TestSupport: the PostgreSQL server
        .testTarget(name: "JudgeTests", dependencies: ["Judge", "TestSupport", "Server"]),  // Server: the local judge end to end
        .testTarget(name: "CandidatesTests", dependencies: ["Candidates", "TestSupport"]),
        .testTarget(name: "RankTests", dependencies: ["Rank"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ReportTests", dependencies: ["Report"]),
        .testTarget(name: "JudgeCLITests", dependencies: ["JudgeCLI", "TestSupport", "Store",
                                                   .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "ServerTests", dependencies: ["Server", "TestSupport"]),
    ],
    swiftLanguageModes: [.v5]
)
