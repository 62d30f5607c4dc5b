// swift-tools-version:6.0
// judge — an LLM-as-judge evaluation harness.
//
// The data flows suite → candidates → comparisons → verdicts → ratings → reports,
// and the modules follow it:
//
//   Suite           suite YAML + items JSONL                      (Yams)
//   LocalInference  GGUF models on the CPU: candidates            (COpenBLAS, CPrefetch, CInt8VNNI)
//   HTTP            async HTTP on libcurl                         (CCurl)
//   Store           SQLite store of everything                    (GRDB)
//   OpenAIWire      the OpenAI chat format: messages, request,    (pure Swift)
//                   reply, chunks, logprobs, error JSON
//   ChatCompletions the chat-completions client with retries      (OpenAIWire, HTTP)
//   Judge           pairwise judging over chat completions        (ChatCompletions, Store, Suite)
//   Candidates      generates missing candidate outputs           (LocalInference, ChatCompletions)
//   Rank            Bradley-Terry ratings, held-out check         (pure Swift)
//   Comparisons     judge configurations, the two-order rule,     (Store, Rank)
//                   stored judgments → Rank's comparisons
//   Report          HTML / Markdown reports, nightly leaderboard  (Comparisons, Rank, Store)
//   Evaluation      the compare pipeline: generate, plan, judge   (the stages, Server)
//                   (adaptive rounds, embedded judge), rate, report
//   Server          OpenAI-compatible server over LocalInference  (OpenAIWire, swift-nio)
//   JudgeCLI        the `judge` command                           (everything)
import Foundation
import PackageDescription

/// `JUDGE_FUZZ=1` (scripts/fuzz.sh): adds the libFuzzer harness `judge-fuzz` and keeps every runtime check.
let fuzzing = ProcessInfo.processInfo.environment["JUDGE_FUZZ"] == "1"

/// Numeric modules are built with checks off in release builds; debug builds keep every check.
let numericSettings: [SwiftSetting] = fuzzing ? [] : [
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
        /// The innermost loops of the VNNI kernels (`vpdpbusd`, which Swift cannot emit; see CInt8VNNI.h),
        /// compiled per function for AVX-512 VNNI and AVX-VNNI and chosen at run time.
        .target(name: "CInt8VNNI"),

        // MARK: - The build's commit, for reports (written by the BuildVersion plugin before every build)
        .plugin(name: "BuildVersion", capability: .buildTool()),
        .target(name: "BuildInfo", plugins: ["BuildVersion"]),

        // MARK: - Stages of the pipeline
        .target(name: "Suite", dependencies: [.product(name: "Yams", package: "Yams")]),
        .target(name: "OpenAIWire"),
        .target(name: "LocalInference", dependencies: ["COpenBLAS", "CPrefetch", "CInt8VNNI", "OpenAIWire"], swiftSettings: kernelSettings),
        .target(name: "HTTP", dependencies: ["CCurl"]),
        .target(name: "Store", dependencies: [
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
        ]),
        .target(name: "ChatCompletions", dependencies: ["OpenAIWire", "HTTP"]),
        .target(name: "Judge", dependencies: ["ChatCompletions", "OpenAIWire", "HTTP", "Store", "Suite"]),
        .target(name: "Candidates", dependencies: ["LocalInference", "ChatCompletions", "OpenAIWire", "Store", "Suite", "HTTP"]),
        .target(name: "Rank", swiftSettings: numericSettings),
        .target(name: "Comparisons", dependencies: ["Store", "Rank"]),
        .target(name: "Report", dependencies: ["Comparisons", "Rank", "Store", "BuildInfo"]),
        .target(
            name: "Server",
            dependencies: [
                "LocalInference", "OpenAIWire",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .target(
            name: "Evaluation",
            dependencies: ["Suite", "Store", "HTTP", "OpenAIWire", "ChatCompletions", "Judge", "Candidates", "Comparisons",
                           "Rank", "Report", "Server"]
        ),
        .executableTarget(
            name: "JudgeCLI",
            dependencies: [
                "Suite", "LocalInference", "HTTP", "Store", "OpenAIWire", "ChatCompletions", "Judge", "Candidates", "Rank",
                "Comparisons", "Report", "Server", "Evaluation",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: x86V3 ? [.define("JUDGE_X86_V3")] : []
        ),

        // MARK: - Benchmarks (scripts/bench; not part of the product)
        .executableTarget(
            name: "judge-throughput",
            dependencies: ["Judge", "ChatCompletions", "OpenAIWire", "HTTP", "TestSupport"],
            path: "scripts/bench/judge_throughput"
        ),

        // MARK: - Tests (one target per module; shared helpers in TestSupport)
        .target(
            name: "TestSupport",
            dependencies: [
                "OpenAIWire",
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
        .target(name: "StoreTestSupport", dependencies: ["Store"], path: "Tests/StoreTestSupport"),
        .testTarget(name: "StoreTests", dependencies: ["Store", "StoreTestSupport", "TestSupport"]),  // TestSupport: the PostgreSQL server
        .testTarget(name: "OpenAIWireTests", dependencies: ["OpenAIWire"]),
        .testTarget(name: "ChatCompletionsTests", dependencies: ["ChatCompletions", "OpenAIWire", "HTTP", "TestSupport"]),
        .testTarget(name: "JudgeTests", dependencies: ["Judge", "Comparisons", "Candidates", "ChatCompletions", "OpenAIWire",
                                                   "TestSupport", "Server"]),  // Server: the local judge end to end; Candidates: Suite+StoreDefinition
        .testTarget(name: "CandidatesTests", dependencies: ["Candidates", "Store", "StoreTestSupport", "TestSupport"]),
        .testTarget(name: "RankTests", dependencies: ["Rank"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ComparisonsTests", dependencies: ["Comparisons", "StoreTestSupport"]),
        .testTarget(name: "ReportTests", dependencies: ["Report", "StoreTestSupport"]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "Judge", "Rank", "Store", "StoreTestSupport",
                                                      "TestSupport"]),  // TestSupport: the loopback Batch API
        .testTarget(name: "JudgeCLITests", dependencies: ["JudgeCLI", "TestSupport", "Store", "StoreTestSupport",
                                                   "ChatCompletions", "OpenAIWire", "HTTP",
                                                   .product(name: "ArgumentParser", package: "swift-argument-parser"),
                                                   .product(name: "GRDB", package: "GRDB.swift")],
                    exclude: ["Snapshots"]),  // read by path (HelpSnapshotTests), not bundled
        .testTarget(name: "ServerTests", dependencies: ["Server", "OpenAIWire", "TestSupport", .product(name: "NIOCore", package: "swift-nio")]),
    ],
    swiftLanguageModes: [.v5]
)

// MARK: - Fuzzing (scripts/fuzz.sh; FuzzTesting/README.md)
if fuzzing {
    package.targets.append(.executableTarget(
        name: "judge-fuzz",
        dependencies: [
            "Suite", "LocalInference", "Judge", "Candidates", "ChatCompletions", "OpenAIWire", "Server",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ],
        path: "FuzzTesting/judge-fuzz",
        swiftSettings: [.unsafeFlags(["-parse-as-library"])]
    ))
}
