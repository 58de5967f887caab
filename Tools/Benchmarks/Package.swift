// swift-tools-version:6.2
import PackageDescription

// The benchmarks are a package of their own so that users of IncidentLedger never build them,
// nor SQLite. They depend on the root package by path: the ledger measured is the one in this
// checkout, as it is now.
//
// A path dependency's identity is the name of its directory, which depends on where the
// repository was cloned, so it is computed here rather than written down.
let rootPackage = Context.packageDirectory
    .split(separator: "/").dropLast(2).last.map { String($0).lowercased() } ?? "main"

let package = Package(
    name: "IncidentLedgerBenchmarks",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "incidents-bench", targets: ["incidents-bench"]),
        .executable(name: "lmdb-raw", targets: ["lmdb-raw"]),
    ],
    dependencies: [
        .package(path: "../.."),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // The HTTP rows: the server in this process, and a bare Hummingbird route beside it.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // The PostgreSQL rows: a plain client inserting the store's rows, PostgreSQL's own limit.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // SQLite from Debian's libsqlite3-dev: the store a user would otherwise pick.
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // The physical limit: the same record bytes appended to and scanned from LMDB by plain C.
        .executableTarget(
            name: "lmdb-raw",
            linkerSettings: [.linkedLibrary("lmdb")]
        ),
        // The benchmark itself: one run, one Markdown table.
        .executableTarget(
            name: "incidents-bench",
            dependencies: [
                "CSQLite",
                // Built with the bench so that `swift run incidents-bench` finds it beside itself.
                "lmdb-raw",
                .product(name: "LedgerAudit", package: rootPackage),
                .product(name: "LedgerStore", package: rootPackage),
                .product(name: "LedgerPostgres", package: rootPackage),
                .product(name: "LedgerModel", package: rootPackage),
                .product(name: "IncidentProjections", package: rootPackage),
                .product(name: "IncidentGenerator", package: rootPackage),
                .product(name: "IncidentMetrics", package: rootPackage),
                .product(name: "IncidentReports", package: rootPackage),
                .product(name: "IncidentService", package: rootPackage),
                .product(name: "IncidentServer", package: rootPackage),
                .product(name: "IncidentEvents", package: rootPackage),
                // The tests' throwaway PostgreSQL cluster, for rows P1–P4.
                .product(name: "LedgerTestSupport", package: rootPackage),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: [
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("MemberImportVisibility"),
                .enableUpcomingFeature("InternalImportsByDefault"),
                .enableUpcomingFeature("NonisolatedNonsendingByDefault"),
                .treatAllWarnings(as: .error),
            ]
        ),
    ]
)
