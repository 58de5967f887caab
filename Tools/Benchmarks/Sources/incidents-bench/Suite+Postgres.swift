import Foundation
import LedgerModel
import LedgerPostgres
import LedgerStore
import LedgerTestSupport
import Logging
import NIOCore
import PostgresNIO

/// Rows P1–P4 (issue #18): durable appends from many concurrent tasks to the PostgreSQL store,
/// against PostgreSQL's own limit for the same rows (a plain client inserting them in batches of
/// the store's group size), the LMDB ledger, and two stores on one database — all in one run, on a
/// throwaway server of this run.
extension Suite {
    mutating func runPostgresRows() async throws {
        progress("starting a throwaway PostgreSQL server")
        // The tests' throwaway cluster (LedgerTestSupport): stopped and deleted when the bench exits.
        let server = try await PostgresCluster.shared()
        let settings = try server.settings()
        progress(settings)
        let writers = sizes.writers
        progress("generating \(Format.integer(Double(sizes.postgresEvents))) events for rows P1–P4")
        let events = Self.generatedEvents(count: sizes.postgresEvents, seed: 3)

        // P2 first: its mean group size is the batch size of P1, and P1 inserts the rows P2 wrote.
        let store = try await PostgresEventStore.create(url: try server.createDatabase("store"))
        let appended = try await concurrentAppends(
            events, to: [store], label: "P2",
            name: "`PostgresEventStore`: 1 event per append, \(writers) concurrent tasks",
            requirements: [.ratio(atLeast: 0.5, of: "P1"), .rate(atLeast: 5_000)])
        let storeHead = try await store.verify()
        await store.close()
        guard storeHead.position == UInt64(events.count) else {
            throw BenchFailure("(P2) the store holds \(storeHead.position) events, expected \(events.count)")
        }
        let groupSize = max(1, Int(appended.perCommit!.rounded()))
        let plain = try await plainInsert(
            try await EventRows.read(from: server, database: "store"), batch: groupSize, server: server, database: "store")

        let ledger = try Ledger.create(at: path("postgres-rows-lmdb"))
        let lmdb = try await concurrentAppends(
            events, to: [ledger], label: "P3", name: "LMDB `Ledger`: the same appends, \(writers) concurrent tasks")
        try expectCount(ledger, events.count, row: "P3")

        let first = try await PostgresEventStore.create(url: try server.createDatabase("two_stores"))
        let second = try await PostgresEventStore.open(url: server.url(database: "two_stores"))
        let twoStores = try await concurrentAppends(
            events, to: [first, second], label: "P4",
            name: "Two `PostgresEventStore`s on one database (standing in for two servers), \(writers) tasks split between them",
            requirements: [.ratio(atLeast: 1, of: "P2")])
        let twoHead = try await first.verify()
        await first.close()
        await second.close()
        guard twoHead.position == UInt64(events.count) else {
            throw BenchFailure("(P4) the database holds \(twoHead.position) events, expected \(events.count)")
        }

        for measurement in [plain, appended, lmdb, twoStores] { record(measurement) }
        func ratio(_ row: Measurement, _ other: Measurement) -> String { Format.factor(row.eventsPerSecond / max(other.eventsPerSecond, 1e-9)) }
        notes.append(
            "(P1–P4) \(Format.integer(Double(events.count))) generated events (the generator of rows a–d, seed 3), each appended alone "
                + "by one of \(writers) tasks (task k takes events k, k + \(writers), …, awaiting each append before the next); "
                + "every append durable (`synchronous_commit=on`, `fsync=on`); p50/p99: the time each append took. "
                + "(P1) the very rows (P2) wrote (position, stream, version, event_id, record, hash), read back and inserted into a "
                + "`plain_events` table beside the store's (`CREATE TABLE … (LIKE events INCLUDING ALL)`: the same columns, constraints and indexes) by a plain postgres-nio client: \(writers) connections, each committing batches of "
                + "\(groupSize) rows (the mean group size of (P2), rounded), one `INSERT … SELECT FROM unnest(…)` per batch in autocommit; "
                + "its p50/p99 is per batch. (P4) two stores, each with its own connection pool and group committer, stand in for two "
                + "servers; (P2) and (P4) end with the store's `verify()`: positions 1…N with no gap and an unbroken chain.")
        notes.append(
            "(P1–P4) ratios: P2/P1 = \(ratio(appended, plain)) (target ≥ 0.5), P2 = \(Format.integer(appended.eventsPerSecond)) events/s "
                + "(target ≥ 5,000), P4/P2 = \(ratio(twoStores, appended)) (target ≥ 1), P2/P3 = \(ratio(appended, lmdb)) (LMDB).")
        notes.append(
            "(P1–P4) \(settings); the cluster is made by `initdb` for this run in \(server.path) "
                + "on \(MachineDescription.filesystem(of: server.path)) and runs on the same cores; its CPU is not in CPU s.")
    }

    /// Appends `events` one at a time from ``Sizes/writers`` tasks (task k to `stores[k % stores.count]`);
    /// the row's `perCommit` is the stores' mean group size.
    private func concurrentAppends(
        _ events: [StreamEvent], to stores: [any EventStore], label: String, name: String, requirements: [Requirement] = []
    ) async throws -> Measurement {
        let writers = sizes.writers
        progress("(\(label)) \(events.count) single-event appends, \(writers) tasks on \(stores.count) store(s)")
        let (samples, seconds, usage) = try await Self.measure {
            try await withThrowingTaskGroup(of: [Double].self) { group in
                for writer in 0..<writers {
                    let store = stores[writer % stores.count]
                    group.addTask {
                        var samples = [Double]()
                        let clock = ContinuousClock()
                        for index in stride(from: writer, to: events.count, by: writers) {
                            let start = clock.now
                            _ = try await store.append([events[index].event], to: events[index].stream)
                            samples.append(Stopwatch.seconds(start.duration(to: clock.now)))
                        }
                        return samples
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
        }
        let totals = stores.compactMap { ($0 as? PostgresEventStore)?.commitTotals ?? ($0 as? Ledger)?.commitTotals }
        let perCommit = Double(totals.reduce(0) { $0 + $1.appends }) / Double(max(1, totals.reduce(0) { $0 + $1.commits }))
        return Measurement(
            label: label, name: name, events: samples.count, seconds: seconds, usage: usage, latency: Latency(samples),
            perCommit: perCommit, table: .postgres, requirements: requirements)
    }

    /// (P1) The rows inserted into a copy of the store's table in its database by a plain client:
    /// `writers` connections, each committing `batch` rows at a time, batch k going to connection k mod `writers`.
    private func plainInsert(_ rows: EventRows, batch: Int, server: PostgresCluster, database: String) async throws -> Measurement {
        let writers = sizes.writers
        progress("(P1) \(rows.count) rows by a plain client, batches of \(batch), \(writers) connections")
        // Beside the store's table, with the same columns, constraints and indexes.
        _ = try server.sql("CREATE TABLE plain_events (LIKE events INCLUDING ALL)", database: database)
        let batches = stride(from: 0, to: rows.count, by: batch).map { $0..<min($0 + batch, rows.count) }
        let (samples, seconds, usage) = try await PlainClient.with(server, database: database, connections: writers) { client in
            try await Self.measure {
                try await withThrowingTaskGroup(of: [Double].self) { group in
                    for writer in 0..<writers {
                        group.addTask {
                            var samples = [Double]()
                            let clock = ContinuousClock()
                            for index in stride(from: writer, to: batches.count, by: writers) {
                                let start = clock.now
                                try await client.query(rows.insert(batches[index]), logger: Self.quietLogger)
                                samples.append(Stopwatch.seconds(start.duration(to: clock.now)))
                            }
                            return samples
                        }
                    }
                    return try await group.reduce(into: []) { $0 += $1 }
                }
            }
        }
        let count = try server.sql("SELECT count(*) FROM plain_events", database: database).trimmingCharacters(in: .whitespacesAndNewlines)
        guard count == String(rows.count) else {
            throw BenchFailure("(P1) the table holds \(count) rows, expected \(rows.count)")
        }
        return Measurement(
            label: "P1", name: "Plain batched `INSERT` of the same rows, batches of \(batch), \(writers) connections",
            events: rows.count, seconds: seconds, usage: usage, latency: Latency(samples), perCommit: Double(rows.count) / Double(batches.count),
            table: .postgres)
    }
}

/// The `events` rows of a store's database, column by column, in position order.
struct EventRows: Sendable {
    var positions: [Int64] = []
    var streams: [String] = []
    var versions: [Int64] = []
    var ids: [UUID] = []
    var records: [ByteBuffer] = []
    var hashes: [ByteBuffer] = []

    var count: Int { positions.count }

    static func read(from server: PostgresCluster, database: String) async throws -> EventRows {
        try await PlainClient.with(server, database: database, connections: 1) { client in
            var rows = EventRows()
            let query: PostgresQuery = "SELECT position, stream, version, event_id, record, hash FROM events ORDER BY position"
            let decoded = try await client.query(query, logger: Suite.quietLogger).decode((Int64, String, Int64, UUID, ByteBuffer, ByteBuffer).self)
            for try await (position, stream, version, id, record, hash) in decoded {
                rows.positions.append(position)
                rows.streams.append(stream)
                rows.versions.append(version)
                rows.ids.append(id)
                rows.records.append(record)
                rows.hashes.append(hash)
            }
            return rows
        }
    }

    /// One statement inserting the rows in `range` into `plain_events`, as the store's append transaction inserts its group.
    func insert(_ range: Range<Int>) -> PostgresQuery {
        let (positions, streams, versions) = (Array(positions[range]), Array(streams[range]), Array(versions[range]))
        let (ids, records, hashes) = (Array(ids[range]), Array(records[range]), Array(hashes[range]))
        return """
            INSERT INTO plain_events (position, stream, version, event_id, record, hash)
            SELECT * FROM unnest(\(positions)::bigint[], \(streams)::text[], \(versions)::bigint[], \(ids)::uuid[], \(records)::bytea[], \(hashes)::bytea[])
            """
    }
}

/// A plain postgres-nio client of the server, its connections opened before `body` runs.
enum PlainClient {
    static func with<Result: Sendable>(
        _ server: PostgresCluster, database: String, connections: Int, _ body: (PostgresClient) async throws -> Result
    ) async throws -> Result {
        var configuration = PostgresClient.Configuration(
            host: "127.0.0.1", port: server.port, username: "postgres", password: nil, database: database, tls: .disable)
        configuration.options.minimumConnections = connections
        configuration.options.maximumConnections = connections
        let client = PostgresClient(configuration: configuration, backgroundLogger: Suite.quietLogger)
        let running = Task { await client.run() }
        let outcome: Swift.Result<Result, any Error>
        do {
            // Every connection open before the clock starts: as many leases as connections, held together.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<connections {
                    group.addTask { try await client.query("SELECT pg_sleep(0.05)", logger: Suite.quietLogger) }
                }
                try await group.waitForAll()
            }
            outcome = .success(try await body(client))
        } catch {
            outcome = .failure(error)
        }
        running.cancel()
        await running.value
        return try outcome.get()
    }
}
