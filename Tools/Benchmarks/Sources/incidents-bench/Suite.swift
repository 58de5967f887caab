import Foundation
import LedgerModel
import LedgerStore

/// How much each row of the benchmark does.
struct Sizes {
    /// Events in the bulk import, and so in the read, scan and verify rows.
    var events: Int
    /// Events in the single-event append rows (a, b, c).
    var single: Int
    /// Concurrent writers in rows (b) and P1–P4.
    var writers: Int
    /// Events in one `append([StreamAppend])` call of the bulk import.
    var batch: Int
    /// Bulk-import batches in flight at once.
    var inFlight: Int
    /// Interleaved rounds of rows a–c; each row reports its median round.
    var rounds: Int
    /// Records per transaction when `lmdb-raw` loads the same bytes.
    var rawBatch: Int = 100_000
    /// Incidents in the catalog-valid history of the projection rows.
    var incidents: Int = 10_000
    /// Incidents of the larger ledger for row (m); 0 skips it.
    var largeIncidents: Int = 0
    /// Concurrent clients (tasks in (s), connections in (t) and (u)) of the HTTP rows.
    var httpClients = 64
    /// Events each client records in rows s–u.
    var httpEvents = 250
    /// Live-tail subscribers in row (w).
    var subscribers = 100
    /// Events recorded while the subscribers of row (w) follow the tail.
    var tailEvents = 400
    /// Incidents in the generated history whose facts the review page rows (z) present.
    var pageIncidents = 10_000
    /// Timed renders (or requests) of each page row (y, z).
    var pageRenders = 50
    /// Events appended in each of rows P1–P4 (PostgreSQL).
    var postgresEvents = 30_000
}

/// Runs every row of the benchmark, in order, each on its own fresh ledger or file in `directory`.
struct Suite {
    let sizes: Sizes
    let directory: String
    let raw: RawLMDB

    /// Everything measured, in the order of the table.
    private(set) var rows: [Measurement] = []
    /// Facts about the run that belong under the table.
    var notes: [String] = []

    init(sizes: Sizes, directory: String, raw: RawLMDB) {
        self.sizes = sizes
        self.directory = directory
        self.raw = raw
    }

    mutating func run() async throws {
        // Rows a–c: durable appends of single events, the same events each time.
        progress("generating \(sizes.single) single events")
        let singles = Self.generatedEvents(count: sizes.single, seed: 1)
        // The disk's sync latency drifts (the machine may be shared), so these rows run in rounds,
        // interleaved, and each reports its median round.
        var rounds: [[Run]] = [[], [], []]
        for round in 1...sizes.rounds {
            progress("round \(round) of \(sizes.rounds)")
            rounds[0].append(try await singleWriter(singles, round: round))
            rounds[1].append(try await concurrentWriters(singles, round: round))
            rounds[2].append(try sqlite(singles, round: round))
        }
        for runs in rounds {
            let median = Run.median(runs)
            record(median.measurement)
            let spread = runs.map { Format.integer($0.measurement.eventsPerSecond) }.joined(separator: ", ")
            notes.append("(\(median.measurement.label)) median of \(runs.count) rounds (events/s: \(spread)); \(median.detail).")
        }

        // Rows d–h: one large ledger, imported, then read back in several ways.
        let ledger: Ledger
        do {
            // The generated events live only in this scope, so their memory is returned before reading.
            progress("generating \(Format.integer(Double(sizes.events))) events for the bulk import")
            let (batches, streams) = Self.bulkBatches(count: sizes.events, batch: sizes.batch)
            let (measurement, imported) = try await bulkImport(batches)
            record(measurement)
            ledger = imported
            notes.append(
                "(d) \(Format.integer(Double(sizes.events))) events over \(Format.integer(Double(streams))) incident streams, "
                    + "interleaved in the order they occurred; \(Format.integer(Double(batches.count))) batches of up to "
                    + "\(Format.integer(Double(sizes.batch))) events (consecutive events of one stream share a `StreamAppend`), "
                    + "\(sizes.inFlight) batches in flight; \(try CommitStatistics(ledger).summary).")
        }
        let (rawLoad, recordBytes) = try rawLoad(from: ledger)
        record(rawLoad)
        record(try readAndDecode(ledger))
        record(try rawScan())
        record(try verify(ledger))
        try runAuditRows(ledger)
        // Every row from (d) on moved the same records.
        for index in rows.indices where ["d", "e", "f", "g", "h"].contains(rows[index].label) {
            rows[index].bytes = recordBytes
        }
        let ledgerFile = Self.fileSize(path("bulk-ledger/data.mdb"))
        let rawFile = Self.fileSize(path("raw-lmdb/data.mdb"))
        notes.append(
            "Records: \(Format.integer(Double(recordBytes) / Double(max(1, sizes.events)))) bytes on average as stored "
                + "(record format 1: 84-byte header, envelope strings, canonical JSON payload); MB = 10⁶ bytes. "
                + "data.mdb: \(Format.megabytes(Double(ledgerFile) / 1e6)) MB for the ledger (log and both indexes), "
                + "\(Format.megabytes(Double(rawFile) / 1e6)) MB for the raw copy.")
        let projectionLedger = try await runProjectionRows()
        try await runReviewRows(projectionLedger)
        try await runHTTPRows()
        try await runPageRows()
        try await runPostgresRows()
        notes.append("Libraries: \(raw.libraryVersion()) (the ledger and `lmdb-raw` link the same one), SQLite \(SQLiteEventStore.libraryVersion).")
    }

    mutating func record(_ measurement: Measurement) {
        rows.append(measurement)
        if measurement.table == .pages, let latency = measurement.latency {
            progress("(\(measurement.label)) p50 \(Format.milliseconds(latency.p50)) ms, p99 \(Format.milliseconds(latency.p99)) ms")
            return
        }
        progress("(\(measurement.label)) \(Format.integer(measurement.eventsPerSecond)) events/s over \(Format.seconds(measurement.seconds)) s")
    }

    // MARK: Single-event appends

    /// (a) One writer awaiting each durable append before the next.
    private func singleWriter(_ events: [StreamEvent], round: Int) async throws -> Run {
        progress("(a) \(events.count) single-event appends, 1 writer")
        let ledger = try Ledger.create(at: path("single-writer-\(round)"))
        let (_, seconds, usage) = try await Self.measure {
            for item in events {
                _ = try await ledger.append([item.event], to: item.stream)
            }
        }
        try expectCount(ledger, events.count, row: "a")
        let measurement = Measurement(
            label: "a", name: "Durable single-event appends, 1 writer", events: events.count, seconds: seconds, usage: usage)
        return Run(measurement: measurement, detail: try CommitStatistics(ledger).summary)
    }

    /// (b) Many writers at once, each awaiting each of its appends: group commit shares fsyncs.
    private func concurrentWriters(_ events: [StreamEvent], round: Int) async throws -> Run {
        let writers = sizes.writers
        progress("(b) \(events.count) single-event appends, \(writers) writers")
        let ledger = try Ledger.create(at: path("concurrent-writers-\(round)"))
        let (_, seconds, usage) = try await Self.measure {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        for index in stride(from: writer, to: events.count, by: writers) {
                            _ = try await ledger.append([events[index].event], to: events[index].stream)
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        try expectCount(ledger, events.count, row: "b")
        let measurement = Measurement(
            label: "b", name: "Durable single-event appends, \(writers) concurrent writers", events: events.count, seconds: seconds,
            usage: usage, requirements: [.ratio(atLeast: 20, of: "c")])
        return Run(measurement: measurement, detail: try CommitStatistics(ledger).summary)
    }

    /// (c) The same events in SQLite, one durable transaction each.
    private func sqlite(_ events: [StreamEvent], round: Int) throws -> Run {
        progress("(c) \(events.count) single-event inserts into SQLite")
        let store = try SQLiteEventStore(path: path("sqlite-\(round).db"))
        let (_, seconds, usage) = try Self.measure {
            // What a SQLite event store does per event: assign position and stream version, encode
            // the event as JSON, commit.
            var versions = [String: UInt64]()
            for (offset, item) in events.enumerated() {
                let version = versions[item.stream, default: 0] + 1
                versions[item.stream] = version
                let recorded = RecordedEvent(
                    position: UInt64(offset + 1), stream: item.stream, streamVersion: version, recordedAt: .now(),
                    previousHash: .zero, event: item.event)
                try store.append(recorded, json: recorded.jsonLine)
            }
        }
        let measurement = Measurement(
            label: "c", name: "SQLite (WAL, synchronous=FULL), 1 insert per transaction, 1 writer", events: events.count,
            seconds: seconds, usage: usage)
        return Run(
            measurement: measurement,
            detail: "SQLite \(SQLiteEventStore.libraryVersion), WAL, synchronous=FULL, one BEGIN/INSERT/COMMIT per event; "
                + "columns position INTEGER PRIMARY KEY, stream, version, id BLOB UNIQUE, type, occurred_at, body (the event's JSON)")
    }

    // MARK: Bulk import

    /// The bulk events cut into `append([StreamAppend])` batches; also the number of streams.
    static func bulkBatches(count: Int, batch: Int) -> (batches: [[StreamAppend]], streams: Int) {
        let events = generatedEvents(count: count, seed: 2, correlationID: "import-2026-11-23")
        var streams = Set<String>()
        var batches = [[StreamAppend]]()
        for start in stride(from: 0, to: events.count, by: batch) {
            var appends = [StreamAppend]()
            for item in events[start..<min(start + batch, events.count)] {
                streams.insert(item.stream)
                if appends.last?.stream == item.stream {
                    appends[appends.count - 1].events.append(item.event)
                } else {
                    appends.append(StreamAppend(stream: item.stream, events: [item.event]))
                }
            }
            batches.append(appends)
        }
        return (batches, streams.count)
    }

    /// (d) The batches appended with several in flight at once, so that group commit can merge them.
    private func bulkImport(_ batches: [[StreamAppend]]) async throws -> (Measurement, Ledger) {
        let inFlight = sizes.inFlight
        let events = batches.reduce(0) { $0 + $1.reduce(0) { $0 + $1.events.count } }
        progress("(d) bulk import of \(Format.integer(Double(events))) events, \(inFlight) batches in flight")
        let ledger = try Ledger.create(at: path("bulk-ledger"))
        let (appended, seconds, usage) = try await Self.measure {
            try await withThrowingTaskGroup(of: Int.self) { group in
                // Task k takes batches k, k + inFlight, …; each awaits its append before the next.
                for task in 0..<inFlight {
                    group.addTask {
                        var appended = 0
                        for index in stride(from: task, to: batches.count, by: inFlight) {
                            let results = try await ledger.append(batches[index])
                            appended += results.reduce(0) { $0 + $1.positions.count }
                        }
                        return appended
                    }
                }
                return try await group.reduce(0, +)
            }
        }
        guard appended == events else {
            throw BenchFailure("(d) appended \(appended) events, expected \(events)")
        }
        let measurement = Measurement(
            label: "d", name: "Bulk import, `append([StreamAppend])`, batches of \(Format.integer(Double(sizes.batch)))",
            events: events, seconds: seconds, usage: usage, requirements: [.ratio(atLeast: 0.5, of: "e")])
        return (measurement, ledger)
    }

    /// (e) The ledger's own stored records, loaded into a new environment by `lmdb-raw`.
    private func rawLoad(from ledger: Ledger) throws -> (Measurement, recordBytes: Int) {
        progress("(e) exporting the stored records and loading them with lmdb-raw")
        let file = path("records.bin")
        let (records, bytes) = try RecordExport.write(ledger, to: file)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let before = ResourceUsage.ofChildren()
        let timing = try raw.load(into: path("raw-lmdb"), from: file, batch: sizes.rawBatch)
        // The child's usage includes reading the file before its clock started; the CPU of that is small.
        let usage = ResourceUsage.ofChildren() - before
        guard timing.records == records else {
            throw BenchFailure("lmdb-raw loaded \(timing.records) records of \(records)")
        }
        let measurement = Measurement(
            label: "e", name: "Raw LMDB in C: the same record bytes, `MDB_APPEND`, \(Format.integer(Double(sizes.rawBatch))) per transaction",
            events: records, seconds: timing.seconds, usage: usage)
        return (measurement, bytes)
    }

    // MARK: Reading

    /// (f) Every event read and decoded, in log order.
    private func readAndDecode(_ ledger: Ledger) throws -> Measurement {
        progress("(f) reading and decoding every event")
        var count = 0
        var checksum: UInt64 = 0
        let (_, seconds, usage) = try Self.measure {
            try ledger.read { reader in
                try reader.forEachEvent { event in
                    count += 1
                    // Touch decoded fields so the decoding cannot be optimised away.
                    checksum &+= event.streamVersion &+ UInt64(event.payload.canonicalBytes.count)
                    return true
                }
            }
        }
        guard count == sizes.events else {
            throw BenchFailure("(f) read \(count) events, expected \(sizes.events)")
        }
        progress("(f) checksum \(checksum)")
        return Measurement(
            label: "f", name: "Read and decode every event, `forEachEvent`", events: count, seconds: seconds, usage: usage,
            requirements: [.rate(atLeast: 2_000_000), .ratio(atLeast: 0.1, of: "g")])
    }

    /// (g) A plain C cursor scan over the same bytes (the copy made in (e); the ledger's log is a
    /// named database, the copy's records are in the main one).
    private func rawScan() throws -> Measurement {
        progress("(g) scanning the same records with lmdb-raw")
        let before = ResourceUsage.ofChildren()
        let timing = try raw.scan(path("raw-lmdb"))
        let usage = ResourceUsage.ofChildren() - before
        return Measurement(
            label: "g", name: "Raw LMDB in C: cursor scan of the same records", events: timing.records, seconds: timing.seconds,
            usage: usage)
    }

    /// (h) The whole hash chain and both indexes checked.
    private func verify(_ ledger: Ledger) throws -> Measurement {
        progress("(h) verifying the ledger")
        let (report, seconds, usage) = try Self.measure { try ledger.verify() }
        guard report.isIntact else {
            throw BenchFailure("(h) verify found a problem: \(report.problem.map(String.init(describing:)) ?? "?")")
        }
        return Measurement(
            label: "h", name: "`verify()`: hash chain and indexes", events: report.eventsChecked, seconds: seconds, usage: usage)
    }

    // MARK: Helpers

    /// Times `body` and takes this process's CPU time and storage writes meanwhile.
    static func measure<Result>(_ body: () throws -> Result) rethrows -> (Result, Double, ResourceUsage) {
        let before = ResourceUsage.ofThisProcess()
        let (result, seconds) = try Stopwatch.time(body)
        return (result, seconds, ResourceUsage.ofThisProcess() - before)
    }

    /// Times `body` and takes this process's CPU time and storage writes meanwhile.
    static func measure<Result>(_ body: () async throws -> Result) async rethrows -> (Result, Double, ResourceUsage) {
        let before = ResourceUsage.ofThisProcess()
        let (result, seconds) = try await Stopwatch.time(body)
        return (result, seconds, ResourceUsage.ofThisProcess() - before)
    }

    func path(_ name: String) -> String {
        URL(fileURLWithPath: directory).appendingPathComponent(name).path
    }

    private static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
    }

    func expectCount(_ ledger: Ledger, _ expected: Int, row: String) throws {
        let count = try ledger.read { try $0.eventCount() }
        guard count == expected else {
            throw BenchFailure("(\(row)) the ledger holds \(count) events, expected \(expected)")
        }
    }
}

/// One round of a repeated row, with a fact about it for the notes.
struct Run {
    var measurement: Measurement
    var detail: String

    /// The round with the median events per second (the upper middle one of an even count).
    static func median(_ runs: [Run]) -> Run {
        let sorted = runs.sorted { $0.measurement.eventsPerSecond < $1.measurement.eventsPerSecond }
        return sorted[sorted.count / 2]
    }
}

/// How the ledger grouped appends into commits, read back from the ledger itself: every event of
/// one write transaction carries that transaction's `recordedAt`, so each run of equal times is
/// one commit (and one pair of fsyncs). Two commits within one microsecond would count as one.
struct CommitStatistics {
    var commits = 0
    var events = 0
    var largest = 0

    init(_ ledger: Ledger) throws {
        var current: Timestamp? = nil
        var size = 0
        try ledger.read { reader in
            try reader.forEachEvent { event in
                if event.recordedAt != current {
                    commits += 1
                    current = event.recordedAt
                    size = 0
                }
                size += 1
                events += 1
                largest = max(largest, size)
                return true
            }
        }
    }

    var summary: String {
        let mean = Double(events) / Double(max(1, commits))
        return "\(Format.integer(Double(events))) events in \(Format.integer(Double(commits))) commits, "
            + "\(mean >= 100 ? Format.integer(mean) : String(format: "%.1f", mean)) per commit on average, at most \(Format.integer(Double(largest)))"
    }
}

/// A benchmark that could not be measured as intended.
struct BenchFailure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}

/// When the run started, for the times in progress lines (set by the first line).
private let runStart = ContinuousClock.now

/// A line on standard error, with the seconds since the first, so that a long run shows where it
/// is without touching the table.
func progress(_ message: String) {
    let elapsed = Stopwatch.seconds(runStart.duration(to: .now))
    FileHandle.standardError.write(Data("incidents-bench [\(String(format: "%7.2f", elapsed)) s]: \(message)\n".utf8))
}
