// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "IncidentLedger",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "incidents", targets: ["IncidentsCLI"]),
        .library(name: "LedgerStore", targets: ["LedgerStore"]),
        .library(name: "LedgerModel", targets: ["LedgerModel"]),
        .library(name: "LedgerPostgres", targets: ["LedgerPostgres"]),
        .library(name: "IncidentEvents", targets: ["IncidentEvents"]),
        .library(name: "IncidentProjections", targets: ["IncidentProjections"]),
        .library(name: "IncidentGenerator", targets: ["IncidentGenerator"]),
        .library(name: "IncidentMetrics", targets: ["IncidentMetrics"]),
        .library(name: "LedgerAudit", targets: ["LedgerAudit"]),
        .library(name: "IncidentService", targets: ["IncidentService"]),
        // For the tests and the benchmark package (Tools/Benchmarks): sample events, temporary
        // directories, child processes, a throwaway PostgreSQL cluster.
        .library(name: "LedgerTestSupport", targets: ["LedgerTestSupport"]),
        .library(name: "IncidentReports", targets: ["IncidentReports"]),
        .library(name: "IncidentServer", targets: ["IncidentServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-async-algorithms", from: "1.1.4"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // LMDB from Debian's liblmdb-dev, found with pkg-config; no vendored C sources.
        .systemLibrary(
            name: "CLMDB",
            pkgConfig: "lmdb",
            providers: [.apt(["liblmdb-dev"])]
        ),
        // zlib from Debian's zlib1g-dev, for reading gzip-compressed imports.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // The event envelope, its canonical byte encoding, JSON, timestamps.
        .target(
            name: "LedgerModel",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]
        ),
        // The append-only log in LMDB: write path (group commit), read path, verification.
        .target(
            name: "LedgerStore",
            dependencies: [
                "CLMDB",
                "LedgerModel",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The log in PostgreSQL, the shared store: the same records and hash chain as LedgerStore's,
        // positions serialised by one locked chain-head row, LISTEN/NOTIFY for followers.
        .target(
            name: "LedgerPostgres",
            dependencies: [
                "LedgerModel",
                "LedgerStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                // Only to read why a connection failed (NIOConnectionError).
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The event catalog: every event type, its payload, schema, rules and upcasters.
        .target(
            name: "IncidentEvents",
            dependencies: ["LedgerModel"]
        ),
        // Realistic synthetic incident histories, for tests, benchmarks and demonstrations.
        .target(
            name: "IncidentGenerator",
            dependencies: ["IncidentEvents", "LedgerModel"]
        ),
        // Read models rebuilt from the log: incident state, timelines, replay, the postmortem report's content.
        .target(
            name: "IncidentProjections",
            dependencies: ["IncidentEvents", "LedgerModel", "LedgerStore"]
        ),
        // Response-time metrics and the quarterly review: per-incident facts (a derived projection),
        // metric definitions, business-hours calendars, statistics, and the review's content.
        .target(
            name: "IncidentMetrics",
            dependencies: ["IncidentEvents", "LedgerModel", "LedgerStore", "IncidentProjections"]
        ),
        // Importers of other tools' incident records: pure mappings from their documents to catalog events.
        .target(
            name: "IncidentImporters",
            dependencies: ["CZlib", "IncidentEvents", "LedgerModel", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Audit exports: signed checkpoints, Ed25519 key files, export bundles and their verification.
        .target(
            name: "LedgerAudit",
            dependencies: ["LedgerModel", "LedgerStore", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Every use case once, for every entry point: recording (envelope defaults, the catalog's rules,
        // the append expecting the versions checked), importing, queries, reports, verification, export.
        .target(
            name: "IncidentService",
            dependencies: [
                "LedgerModel", "LedgerStore", "IncidentEvents", "IncidentProjections", "IncidentMetrics",
                "IncidentImporters", "LedgerAudit", "IncidentGenerator",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The renderers of the read models: postmortems, reviews, timelines and summaries as text,
        // Markdown, HTML, SVG, CSV and JSON, with one wording layer and one HTML frame for every format.
        .target(
            name: "IncidentReports",
            dependencies: ["LedgerModel", "IncidentEvents", "IncidentProjections", "IncidentMetrics"]
        ),
        // The HTTP server (`incidents serve`), a thin adapter like the CLI: routes under Routes/ call
        // LedgerService; bearer tokens and roles, RFC 9457 problems, the live tail, Prometheus metrics.
        .target(
            name: "IncidentServer",
            dependencies: [
                "IncidentService", "IncidentReports", "IncidentEvents", "IncidentImporters", "IncidentProjections", "IncidentMetrics",
                "LedgerAudit", "LedgerModel", "LedgerStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        // The `incidents` command-line tool: one file per verb under Commands/.
        .executableTarget(
            name: "IncidentsCLI",
            dependencies: [
                "IncidentService",
                "IncidentServer",
                "IncidentReports",
                "LedgerAudit",
                "IncidentEvents",
                "IncidentGenerator",
                "IncidentImporters",
                "IncidentMetrics",
                "IncidentProjections",
                "LedgerModel",
                "LedgerStore",
                "LedgerPostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // A child process for the crash and multi-process tests: appends in a loop and reports
        // every acknowledged position on standard output.
        .executableTarget(
            name: "LedgerTestChild",
            dependencies: ["LedgerModel", "LedgerStore"],
            path: "Tests/LedgerTestChild"
        ),
        .target(
            name: "LedgerTestSupport",
            dependencies: ["LedgerModel", "LedgerStore", "IncidentGenerator"],
            path: "Tests/LedgerTestSupport"
        ),
        .testTarget(
            name: "LedgerPostgresTests",
            // A real PostgreSQL cluster per test process (LedgerTestSupport's PostgresCluster), a database per test.
            dependencies: [
                "LedgerPostgres", "LedgerStore", "LedgerModel", "LedgerTestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        .testTarget(
            name: "LedgerModelTests",
            dependencies: ["LedgerModel", "LedgerTestSupport"]
        ),
        .testTarget(
            name: "LedgerStoreTests",
            // IncidentsCLI: the damage tests run the built `incidents` tool as a child process.
            dependencies: ["LedgerStore", "LedgerModel", "LedgerTestSupport", "LedgerTestChild", "CLMDB", "IncidentsCLI"]
        ),
        .testTarget(
            name: "IncidentEventsTests",
            dependencies: ["IncidentService", "IncidentEvents", "LedgerModel", "LedgerStore", "LedgerTestSupport"]
        ),
        .testTarget(
            name: "IncidentGeneratorTests",
            dependencies: ["IncidentService", "IncidentGenerator", "IncidentEvents", "LedgerModel", "LedgerStore", "LedgerTestSupport"]
        ),
        .testTarget(
            name: "IncidentProjectionsTests",
            dependencies: ["IncidentService", "IncidentReports", "IncidentProjections", "IncidentEvents", "IncidentGenerator", "LedgerModel", "LedgerStore", "LedgerTestSupport"]
        ),
        .testTarget(
            name: "IncidentMetricsTests",
            dependencies: ["IncidentService", "IncidentReports", "IncidentMetrics", "IncidentProjections", "IncidentEvents", "IncidentGenerator", "LedgerModel", "LedgerStore", "LedgerTestSupport"]
        ),
        .testTarget(
            name: "IncidentReportsTests",
            dependencies: ["IncidentReports", "IncidentService", "IncidentMetrics", "IncidentProjections", "IncidentEvents", "IncidentGenerator", "LedgerModel", "LedgerStore", "LedgerTestSupport"]
        ),
        .testTarget(
            name: "IncidentImportersTests",
            dependencies: ["IncidentService", "IncidentImporters", "IncidentEvents", "IncidentMetrics", "IncidentProjections", "LedgerModel", "LedgerStore", "LedgerTestSupport"],
            // Webhook deliveries as the tools send them, read by path from this and the server's tests.
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "IncidentServiceTests",
            dependencies: ["IncidentService", "IncidentImporters", "IncidentEvents", "IncidentMetrics", "IncidentProjections", "LedgerModel", "LedgerStore", "LedgerTestSupport"]
        ),
        .testTarget(
            name: "LedgerAuditTests",
            dependencies: ["LedgerAudit", "IncidentGenerator", "LedgerModel", "LedgerStore", "LedgerTestSupport"]
        ),
        .testTarget(
            name: "IncidentServerTests",
            // IncidentsCLI: some tests run `incidents serve` as a child process and kill it.
            dependencies: [
                "IncidentServer", "IncidentService", "IncidentsCLI", "IncidentEvents", "LedgerModel", "LedgerStore", "LedgerTestSupport",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "IncidentsCLITests",
            dependencies: ["IncidentsCLI", "IncidentEvents", "IncidentImporters", "LedgerModel", "LedgerStore", "LedgerTestSupport"]
        ),
    ]
)

for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    settings.append(.enableUpcomingFeature("InternalImportsByDefault"))
    settings.append(.enableUpcomingFeature("NonisolatedNonsendingByDefault"))
    settings.append(.treatAllWarnings(as: .error))
    target.swiftSettings = settings
}
