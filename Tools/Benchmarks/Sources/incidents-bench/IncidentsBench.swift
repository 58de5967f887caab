import ArgumentParser
import Foundation

/// `incidents-bench`: measures the ledger against the physical limit (raw LMDB in C) and the
/// alternative a user would pick (SQLite), and prints one Markdown table with every row measured
/// in the same run.
@main
struct IncidentsBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incidents-bench",
        abstract: "Measure the incident ledger's appends, reads and verify against raw LMDB and SQLite.",
        discussion: """
            Build and run in release: swift run -c release --package-path Tools/Benchmarks incidents-bench
            Every append measured is durable: it returns after the data is synced to disk.
            Rows s–w (the server over HTTP), y–z (the web pages) and P1–P4 (PostgreSQL, on a throwaway server this run starts) run in every run, last;
            --http-only, --pages-only and --postgres-only run only them.
            """)

    @Option(help: "Events in the bulk import, read and verify rows (default 1,000,000; 20,000 with --quick).")
    var events: Int?

    @Option(help: "Events in the single-event append rows (default 2,000; 200 with --quick).")
    var single: Int?

    @Option(help: "Interleaved rounds of the single-event rows (a–c); each row reports its median round.")
    var rounds = 3

    @Option(help: "Concurrent writers in the group-commit rows (b, P1–P4).")
    var writers = 64

    @Option(help: "Events in each bulk-import batch (default 20,000; 2,000 with --quick).")
    var batch: Int?

    @Option(name: .customLong("in-flight"), help: "Bulk-import batches in flight at once.")
    var inFlight = 3

    @Option(help: "A new or empty directory to work in, kept afterwards (default: a fresh temporary directory, removed at the end).")
    var dir: String?

    @Flag(help: "Small sizes, for a smoke run.")
    var quick = false

    @Option(help: "Incidents in the generated history for the projection and review rows (i–k, n–r); about 75 events each.")
    var incidents: Int?

    @Option(help: "Also build a ledger of this many incidents (10 × --incidents for the 'ten times larger' check) and time timelines on it (row m). 0 skips it.")
    var largeIncidents: Int = 0

    @Option(name: .customLong("http-clients"), help: "Concurrent clients of the HTTP rows (s–u): tasks in process, keep-alive connections over HTTP.")
    var httpClients = 64

    @Option(name: .customLong("http-events"), help: "Events each HTTP client records in rows s–u (default 250; 25 with --quick).")
    var httpEvents: Int?

    @Option(help: "Live-tail subscribers in row (w).")
    var subscribers = 100

    @Option(name: .customLong("tail-events"), help: "Events recorded while the live tail is followed in row (w) (default 400; 80 with --quick).")
    var tailEvents: Int?

    @Flag(name: .customLong("http-only"), help: "Only the HTTP rows (s–w): the server against the store and a bare route.")
    var httpOnly = false

    @Option(name: .customLong("page-incidents"), help: "Incidents in the generated history of the review page rows (z) (default 10,000; 500 with --quick).")
    var pageIncidents: Int?

    @Option(name: .customLong("page-renders"), help: "Timed renders or requests of each page row (y, z), after 3 untimed (default 50; 30 with --quick).")
    var pageRenders: Int?

    @Flag(name: .customLong("pages-only"), help: "Only the page rows (y–z): the incident and review pages against the plain report renderers.")
    var pagesOnly = false

    @Option(name: .customLong("postgres-events"), help: "Events appended in each PostgreSQL row (P1–P4) (default 30,000; 3,000 with --quick).")
    var postgresEvents: Int?

    @Flag(name: .customLong("postgres-only"), help: "Only the PostgreSQL rows (P1–P4): the store against plain batched inserts, LMDB and two stores on one database.")
    var postgresOnly = false

    var sizes: Sizes {
        Sizes(
            events: events ?? (quick ? 20_000 : 1_000_000),
            single: single ?? (quick ? 200 : 2_000),
            writers: writers,
            batch: batch ?? (quick ? 2_000 : 20_000),
            inFlight: inFlight,
            rounds: rounds,
            incidents: incidents ?? (quick ? 200 : 10_000),
            largeIncidents: largeIncidents,
            httpClients: httpClients,
            httpEvents: httpEvents ?? (quick ? 25 : 250),
            subscribers: subscribers,
            tailEvents: tailEvents ?? (quick ? 80 : 400),
            pageIncidents: pageIncidents ?? (quick ? 500 : 10_000),
            pageRenders: pageRenders ?? (quick ? 30 : 50),
            postgresEvents: postgresEvents ?? (quick ? 3_000 : 30_000))
    }

    func validate() throws {
        let sizes = sizes
        for (name, value) in [("--events", sizes.events), ("--single", sizes.single), ("--writers", sizes.writers),
                              ("--batch", sizes.batch), ("--in-flight", sizes.inFlight), ("--rounds", sizes.rounds),
                              ("--http-clients", sizes.httpClients), ("--http-events", sizes.httpEvents), ("--subscribers", sizes.subscribers),
                              ("--tail-events", sizes.tailEvents), ("--page-incidents", sizes.pageIncidents), ("--page-renders", sizes.pageRenders),
                              ("--postgres-events", sizes.postgresEvents)] where value < 1 {
            throw ValidationError("\(name) must be at least 1, not \(value)")
        }
        if [httpOnly, pagesOnly, postgresOnly].filter({ $0 }).count > 1 {
            throw ValidationError("--http-only, --pages-only and --postgres-only exclude each other; give one")
        }
        if sizes.batch > 100_000 {
            throw ValidationError("--batch must be at most 100,000: the ledger refuses larger batches")
        }
    }

    func run() async throws {
        let raw = try RawLMDB.besideThisProgram()
        let workspace = try Workspace(requested: dir)
        defer { workspace.removeIfTemporary() }

        var machine = MachineDescription.current(directory: workspace.path)
        var suite = Suite(sizes: sizes, directory: workspace.path, raw: raw)
        if httpOnly {
            try await suite.runHTTPRows()
        } else if pagesOnly {
            try await suite.runPageRows()
        } else if postgresOnly {
            try await suite.runPostgresRows()
        } else {
            try await suite.run()
        }
        machine.loadAverageAfter = MachineDescription.loadAverage()

        let report = Report(machine: machine, command: Self.commandLine, rows: suite.rows, notes: suite.notes)
        print(report.markdown)
    }

    /// The command as typed: `Tools/Benchmarks/run` passes it in `INCIDENTS_BENCH_COMMAND`; otherwise
    /// the program's own name and arguments.
    static var commandLine: String {
        if let given = ProcessInfo.processInfo.environment["INCIDENTS_BENCH_COMMAND"], !given.isEmpty {
            return given
        }
        return (["incidents-bench"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
    }
}

/// The directory the run works in: the one asked for, or a fresh temporary one removed afterwards.
struct Workspace {
    let path: String
    let isTemporary: Bool

    init(requested: String?) throws {
        let files = FileManager.default
        if let requested {
            let contents = (try? files.contentsOfDirectory(atPath: requested)) ?? []
            guard contents.isEmpty else {
                throw ValidationError("--dir \(requested) is not empty; name a new or empty directory")
            }
            try files.createDirectory(atPath: requested, withIntermediateDirectories: true)
            path = URL(fileURLWithPath: requested).standardizedFileURL.path
            isTemporary = false
        } else {
            path = files.temporaryDirectory.appendingPathComponent("incidents-bench-\(UUID().uuidString.lowercased())").path
            try files.createDirectory(atPath: path, withIntermediateDirectories: true)
            isTemporary = true
        }
    }

    func removeIfTemporary() {
        guard isTemporary else { return }
        try? FileManager.default.removeItem(atPath: path)
    }
}
