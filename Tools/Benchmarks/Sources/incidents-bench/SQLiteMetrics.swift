import CSQLite
import Foundation
import LedgerModel

/// Row (r): the same events as rows of SQLite, and the five headline figures of
/// `Tools/crosscheck-metrics.py` computed by SQL over their JSON payloads.
///
/// The table is what a user keeping incident events in SQLite would have: one row per event with
/// its stream, type, time and canonical JSON payload, and an index on (type, stream) so that each
/// query reads only the event types it needs, stream by stream.
final class SQLiteMetrics {
    private let database: OpaquePointer

    init(path: String) throws {
        var handle: OpaquePointer?
        guard sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(handle)
            throw BenchFailure("cannot open \(path): \(message)")
        }
        database = handle
        do {
            // A generous page cache and memory-mapped reads, so that the queries are not held up by
            // I/O the ledger (LMDB, memory-mapped) does not do either; a rollback journal, so that
            // the loaded table is in the database file itself rather than in a WAL.
            try execute("""
                PRAGMA journal_mode=DELETE;
                PRAGMA synchronous=NORMAL;
                PRAGMA cache_size=-262144;
                PRAGMA mmap_size=1073741824;
                PRAGMA temp_store=MEMORY;
                CREATE TABLE events (
                    stream TEXT NOT NULL,
                    type TEXT NOT NULL,
                    occurred_at INTEGER NOT NULL,
                    position INTEGER NOT NULL,
                    payload TEXT NOT NULL
                );
                """)
        } catch {
            sqlite3_close_v2(handle)
            throw error
        }
    }

    deinit {
        sqlite3_close_v2(database)
    }

    /// Inserts every event in one transaction, then builds the index (not timed by the caller).
    func load(_ forEach: ((RecordedEvent) -> Void) throws -> Void) throws -> Int {
        try execute("BEGIN")
        let insert = try prepare("INSERT INTO events (stream, type, occurred_at, position, payload) VALUES (?, ?, ?, ?, ?)")
        defer { sqlite3_finalize(insert) }
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)  // SQLITE_TRANSIENT: SQLite copies
        var count = 0
        var failure: String?
        try forEach { event in
            guard failure == nil else { return }
            sqlite3_bind_text(insert, 1, event.stream, -1, transient)
            sqlite3_bind_text(insert, 2, event.type, -1, transient)
            sqlite3_bind_int64(insert, 3, event.occurredAt.microsecondsSinceEpoch)
            sqlite3_bind_int64(insert, 4, Int64(event.position))
            event.payload.canonicalBytes.withUnsafeBytes { text in
                _ = sqlite3_bind_text(insert, 5, text.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(text.count), transient)
            }
            if sqlite3_step(insert) != SQLITE_DONE { failure = String(cString: sqlite3_errmsg(database)) }
            sqlite3_reset(insert)
            count += 1
        }
        if let failure {
            _ = sqlite3_exec(database, "ROLLBACK", nil, nil, nil)
            throw BenchFailure("SQLite: \(failure)")
        }
        try execute("CREATE INDEX events_type_stream ON events (type, stream); COMMIT; ANALYZE;")
        return count
    }

    /// The five figures, one query each.
    func headlineFigures() throws -> HeadlineFigures {
        HeadlineFigures(
            timeToAcknowledge: try durations(Self.timeToAcknowledge),
            timeToResolveFromDeclaration: try durations(Self.timeToResolveFromDeclaration),
            timeToFirstReply: try durations(Self.timeToFirstReply),
            slaResolution: try share(Self.slaResolution),
            csat: try share(Self.csat))
    }

    // MARK: The SQL

    /// Each incident's first declaration (by time, then position), with the fields the figures use.
    /// A missing `kind` counts as unplanned, as in the cross-check.
    static let declarations = """
        declared AS (
            SELECT stream, occurred_at AS declared_at,
                   coalesce(json_extract(payload, '$.kind'), 'unplanned') AS kind,
                   json_extract(payload, '$.severity') AS severity,
                   json_extract(payload, '$.detectedAt') AS detected_text
            FROM (SELECT stream, occurred_at, payload,
                         ROW_NUMBER() OVER (PARTITION BY stream ORDER BY occurred_at, position) AS number
                  FROM events WHERE type = 'incident.declared')
            WHERE number = 1
        )
        """

    /// The standing resolution: the latest `incident.resolved` (by time, then position), unless an
    /// `incident.reopened` came after it.
    static let standingResolutions = """
        latest_resolved AS (
            SELECT stream, occurred_at AS resolved_at, position
            FROM (SELECT stream, occurred_at, position,
                         ROW_NUMBER() OVER (PARTITION BY stream ORDER BY occurred_at DESC, position DESC) AS number
                  FROM events WHERE type = 'incident.resolved')
            WHERE number = 1
        ),
        resolved AS (
            SELECT stream, resolved_at FROM latest_resolved r
            WHERE NOT EXISTS (
                SELECT 1 FROM events o
                WHERE o.type = 'incident.reopened' AND o.stream = r.stream
                  AND (o.occurred_at, o.position) > (r.resolved_at, r.position))
        )
        """

    /// n, twice the median, p90, p95 and maximum of the whole seconds in `seconds(value)`. The median
    /// is the conventional one, returned doubled to stay an integer: the sum of the values at ranks
    /// (n + 1) / 2 and n / 2 + 1 (the middle one twice for an odd n). p90 and p95 by nearest rank: the
    /// value at 1-based rank ⌈p × n / 100⌉ of the sorted values (integer division truncates, so
    /// ⌈x / 100⌉ = (x + 99) / 100).
    static let nearestRank = """
        ranked AS (
            SELECT value, ROW_NUMBER() OVER (ORDER BY value) AS rank, COUNT(*) OVER () AS n FROM seconds
        )
        SELECT count(*),
               max(CASE WHEN rank = (n + 1) / 2 THEN value END) + max(CASE WHEN rank = n / 2 + 1 THEN value END),
               max(CASE WHEN rank = (n * 90 + 99) / 100 THEN value END),
               max(CASE WHEN rank = (n * 95 + 99) / 100 THEN value END),
               max(value)
        FROM ranked
        """

    /// Detected (`detectedAt` of the declaration, or the declaration's time) → the earliest
    /// `incident.acknowledged`; unplanned incidents. Microseconds divided by 10⁶ truncate toward
    /// zero, as the ledger's whole seconds do. `unixepoch` reads `detectedAt` to the second (the
    /// generator's times are whole seconds).
    static let timeToAcknowledge = """
        WITH \(declarations),
        acknowledged AS (
            SELECT stream, min(occurred_at) AS acknowledged_at FROM events WHERE type = 'incident.acknowledged' GROUP BY stream
        ),
        seconds AS (
            SELECT (a.acknowledged_at - coalesce(unixepoch(d.detected_text) * 1000000, d.declared_at)) / 1000000 AS value
            FROM declared d JOIN acknowledged a ON a.stream = d.stream
            WHERE d.kind = 'unplanned'
        ),
        \(nearestRank)
        """

    /// Declared → the standing resolution; unplanned incidents.
    static let timeToResolveFromDeclaration = """
        WITH \(declarations), \(standingResolutions),
        seconds AS (
            SELECT (r.resolved_at - d.declared_at) / 1000000 AS value
            FROM declared d JOIN resolved r ON r.stream = d.stream
            WHERE d.kind = 'unplanned'
        ),
        \(nearestRank)
        """

    /// Each `customer.message_received` → the earliest `customer.reply_sent` of the same incident
    /// whose `inReplyTo` is its `messageId`; every kind of incident. `MATERIALIZED` lets SQLite
    /// join on an automatic index of (stream, message id) instead of extracting every message id of
    /// the incident again for each reply (12 times faster).
    static let timeToFirstReply = """
        WITH messages AS MATERIALIZED (
            SELECT stream, json_extract(payload, '$.messageId') AS message, occurred_at AS received_at
            FROM events WHERE type = 'customer.message_received'
        ),
        replies AS (
            SELECT stream, json_extract(payload, '$.inReplyTo') AS message, min(occurred_at) AS replied_at
            FROM events WHERE type = 'customer.reply_sent' GROUP BY stream, message
        ),
        seconds AS (
            SELECT (r.replied_at - m.received_at) / 1000000 AS value
            FROM messages m JOIN replies r ON r.stream = m.stream AND r.message = m.message
        ),
        \(nearestRank)
        """

    /// For each `sla.policy_attached` and each of its targets for the incident's final severity
    /// (the latest `incident.severity_changed` by time, else the declared one) with a
    /// `resolutionMinutes`: met when declared → resolved ≤ resolutionMinutes × 60 s. Unplanned,
    /// resolved incidents. Yes, n.
    static let slaResolution = """
        WITH \(declarations), \(standingResolutions),
        changed AS (
            SELECT stream, severity
            FROM (SELECT stream, json_extract(payload, '$.severity') AS severity,
                         ROW_NUMBER() OVER (PARTITION BY stream ORDER BY occurred_at DESC, position DESC) AS number
                  FROM events WHERE type = 'incident.severity_changed')
            WHERE number = 1
        ),
        incidents AS (
            SELECT d.stream, (r.resolved_at - d.declared_at) / 1000000 AS seconds, coalesce(c.severity, d.severity) AS severity
            FROM declared d
            JOIN resolved r ON r.stream = d.stream
            LEFT JOIN changed c ON c.stream = d.stream
            WHERE d.kind = 'unplanned'
        )
        SELECT coalesce(sum(i.seconds <= json_extract(t.value, '$.resolutionMinutes') * 60), 0), count(*)
        FROM incidents i
        JOIN events p ON p.type = 'sla.policy_attached' AND p.stream = i.stream,
             json_each(p.payload, '$.targets') t
        WHERE json_extract(t.value, '$.severity') = i.severity
          AND json_extract(t.value, '$.resolutionMinutes') IS NOT NULL
        """

    /// Answers (`survey.answered`) to surveys sent on the 1–5 scale (joined to `survey.sent` by
    /// stream and `surveyId`): satisfied when the score is 4 or 5. Yes, n.
    static let csat = """
        WITH sent AS (
            SELECT stream, json_extract(payload, '$.surveyId') AS survey
            FROM events WHERE type = 'survey.sent' AND json_extract(payload, '$.scale') = 'csat_1_5'
            GROUP BY stream, survey
        )
        SELECT coalesce(sum(json_extract(a.payload, '$.score') >= 4), 0), count(*)
        FROM events a JOIN sent s ON s.stream = a.stream AND s.survey = json_extract(a.payload, '$.surveyId')
        WHERE a.type = 'survey.answered'
        """

    // MARK: Running queries

    private func durations(_ sql: String) throws -> HeadlineFigures.Durations {
        let row = try single(sql, columns: 5)
        return .init(count: Int(row[0] ?? 0), median: row[1].map { Double($0) / 2 }, p90: row[2], p95: row[3], maximum: row[4])
    }

    private func share(_ sql: String) throws -> HeadlineFigures.Share {
        let row = try single(sql, columns: 2)
        return .init(yes: Int(row[0] ?? 0), count: Int(row[1] ?? 0))
    }

    /// The one row of an aggregate query, as integers (nil for NULL).
    private func single(_ sql: String, columns: Int32) throws -> [Int64?] {
        let statement = try prepare(sql)
        defer { sqlite3_finalize(statement) }
        guard sqlite3_step(statement) == SQLITE_ROW else {
            throw BenchFailure("SQLite: \(String(cString: sqlite3_errmsg(database)))")
        }
        return (0..<columns).map { column in
            sqlite3_column_type(statement, column) == SQLITE_NULL ? nil : sqlite3_column_int64(statement, column)
        }
    }

    private func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(database, sql, nil, nil, &message) == SQLITE_OK else {
            defer { sqlite3_free(message) }
            throw BenchFailure("SQLite: \(message.map { String(cString: $0) } ?? "unknown error")")
        }
    }

    private func prepare(_ sql: String) throws -> OpaquePointer {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(database, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw BenchFailure("SQLite: \(String(cString: sqlite3_errmsg(database)))")
        }
        return statement
    }
}

/// The five figures of `Tools/crosscheck-metrics.py`, however computed.
struct HeadlineFigures: Equatable {
    struct Durations: Equatable {
        var count: Int
        /// The conventional median: a whole or half number of seconds.
        var median: Double?
        var p90: Int64?
        var p95: Int64?
        var maximum: Int64?

        var summary: String {
            func text(_ value: Int64?) -> String { value.map { String($0) } ?? "—" }
            return "n \(count), median \(median.map { $0 == $0.rounded() ? String(Int64($0)) : String($0) } ?? "—") s, p90 \(text(p90)) s, p95 \(text(p95)) s, max \(text(maximum)) s"
        }
    }

    struct Share: Equatable {
        var yes: Int
        var count: Int

        var summary: String { "\(yes) of \(count)" }
    }

    var timeToAcknowledge: Durations
    var timeToResolveFromDeclaration: Durations
    var timeToFirstReply: Durations
    var slaResolution: Share
    var csat: Share

    /// Each figure by name, in the order of the cross-check.
    var named: [(String, String)] {
        [
            ("time_to_acknowledge", timeToAcknowledge.summary),
            ("time_to_resolve_from_declaration", timeToResolveFromDeclaration.summary),
            ("time_to_first_reply", timeToFirstReply.summary),
            ("sla_resolution", slaResolution.summary),
            ("csat", csat.summary),
        ]
    }
}
