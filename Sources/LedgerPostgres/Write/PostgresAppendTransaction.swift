import Foundation
import LedgerModel
import LedgerStore
import Logging
import NIOCore
import PostgresNIO

/// Where a group's transaction stands as its submissions are applied in order: the head, the
/// versions and event ids it knows, and the rows it will insert. A value, so a refused submission
/// is undone by keeping the copy made before it (LMDB's nested transaction).
struct AppendPlan {
    /// The head before this transaction: positions after it are in ``rows``.
    let startHead: LedgerHead
    var head: LedgerHead
    /// Current versions of the streams the group touches (stored, then moved on by ``rows``).
    var versions: [String: UInt64]
    /// Positions of the group's event ids that are stored or in ``rows``.
    var positions: [UUID: UInt64]
    var rows: [Row] = []

    struct Row {
        var position: UInt64
        var stream: String
        var version: UInt64
        var id: UUID
        var record: [UInt8]
        var hash: Hash256
    }

    /// Reads a stored record, for recognising a retry of an append committed earlier.
    typealias StoredRecord = (UInt64) async throws -> RecordedEvent?

    /// Appends one stream's events, or throws the ``LedgerError`` the LMDB ledger throws for the
    /// same request in the same state (`AppendTransaction`).
    mutating func append(_ prepared: PreparedAppend, recordedAt: Timestamp, stored: StoredRecord) async throws -> AppendResult {
        let request = prepared.request
        guard let first = request.events.first else { throw LedgerError.emptyAppend(to: request.stream) }
        let current = versions[request.stream] ?? 0
        guard request.expectedVersion.admits(currentVersion: current) else {
            // A retry of an append that already landed finds its stream moved on: recognise it.
            if let existing = positions[first.id] {
                return try await retry(request, firstPosition: existing, stored: stored)
            }
            throw LedgerError.wrongExpectedVersion(stream: request.stream, current: current, expected: request.expectedVersion)
        }
        let firstPosition = head.position + 1
        var version = current
        for (index, event) in request.events.enumerated() {
            let position = head.position + 1
            guard positions[event.id] == nil else {
                if index == 0, let existing = positions[event.id] {
                    return try await retry(request, firstPosition: existing, stored: stored)
                }
                throw LedgerError.duplicateEventID(event.id)
            }
            positions[event.id] = position
            try StreamAppend.validateSourceRecordedAt(event, recordedAt: recordedAt)
            version += 1
            var record = prepared.records[index]
            RecordCodec.assign(&record, position: position, streamVersion: version, previousHash: head.hash, recordedAt: recordedAt)
            let hash = Hash256.sha256(record)
            rows.append(Row(position: position, stream: request.stream, version: version, id: event.id, record: record, hash: hash))
            head = LedgerHead(position: position, hash: hash, recordedAt: recordedAt)
        }
        versions[request.stream] = version
        return AppendResult(stream: request.stream, positions: firstPosition...head.position, streamVersion: version, alreadyRecorded: false)
    }

    /// An append whose first event is already recorded succeeds only as an exact retry: the same
    /// events, at the same place of the same stream, under a compatible expectation.
    private func retry(_ request: StreamAppend, firstPosition: UInt64, stored: StoredRecord) async throws -> AppendResult {
        var firstVersion: UInt64 = 0
        for (offset, event) in request.events.enumerated() {
            let position = firstPosition + UInt64(offset)
            let recorded = try await record(at: position, stored: stored)
            guard let recorded, positions[event.id] == position, recorded.stream == request.stream, recorded.proposed == event else {
                throw LedgerError.notAnExactRetry(request, firstPosition: firstPosition)
            }
            if offset == 0 { firstVersion = recorded.streamVersion }
        }
        return try request.retried(at: firstPosition, firstVersion: firstVersion)
    }

    /// The record at `position`: one this transaction made, or a stored one.
    private func record(at position: UInt64, stored: StoredRecord) async throws -> RecordedEvent? {
        guard position > startHead.position else { return try await stored(position) }
        let index = Int(position - startHead.position - 1)
        guard index < rows.count else { return nil }
        return try rows[index].record.withUnsafeBytes { try RecordCodec.decode($0) }
    }
}

/// The work of one group-commit transaction on one connection: lock the chain head, read the
/// versions and ids the group needs, apply each submission in order (a refused one leaves the
/// others intact), insert the new rows, move the head and announce the commit, commit.
///
/// Five round trips: `BEGIN`; the lock; one read; one write; `COMMIT`. The lock is its own
/// statement: a statement that waited for it would read with the snapshot taken before the wait,
/// missing what the holder committed.
struct PostgresAppendTransaction {
    let connection: PostgresConnection
    let logger: Logger
    /// Runs just before `COMMIT` is sent (tests arrange to lose the connection during it).
    var beforeCommit: (@Sendable (PostgresConnection) async -> Void)?

    typealias Outcome = Result<[AppendResult], LedgerError>

    /// The connection was found closed before a statement was sent (``PostgresConnection/send(_:logger:)``).
    struct ConnectionClosed: Error, CustomStringConvertible {
        var description: String { "the connection was closed before the transaction committed" }
    }

    /// Where the transaction failed: before `COMMIT` was sent, nothing was written; during it, the
    /// outcome is unknown.
    struct Failure: Error {
        var error: any Error
        var duringCommit: Bool
    }

    /// Begins the transaction and locks the chain head (`SELECT … FOR UPDATE`), which puts the
    /// appends of every process in one order; returns the head.
    func lockHead() async throws(Failure) -> LedgerHead {
        do {
            // The pool may lease a connection whose end it has not heard of yet: `send` finds it closed.
            try await connection.send("BEGIN", logger: logger)
            let rows = try await connection.send("SELECT position, hash, recorded_at FROM chain_head FOR UPDATE", logger: logger)
            guard let row = rows.first else { throw LedgerError(.corrupt, "the chain_head row is missing", detail: .damagedLog) }
            return try PostgresEventStore.head(from: row)
        } catch {
            throw await rolledBack(error)
        }
    }

    /// Applies `submissions` after ``lockHead()`` and commits; returns each submission's outcome and
    /// the new head when anything was written.
    func run(
        _ submissions: [[PreparedAppend]], lockedHead: LedgerHead, recordedAt: Timestamp
    ) async throws(Failure) -> (outcomes: [Outcome], committed: LedgerHead?) {
        var plan: AppendPlan
        var outcomes = [Outcome]()
        do {
            plan = try await start(submissions, head: lockedHead)
            let recordedAt = max(recordedAt, plan.head.recordedAt)
            let stored: AppendPlan.StoredRecord = { position in try await self.storedRecord(at: position) }
            for submission in submissions {
                var trial = plan
                do {
                    var results = [AppendResult]()
                    for prepared in submission {
                        results.append(try await trial.append(prepared, recordedAt: recordedAt, stored: stored))
                    }
                    plan = trial
                    outcomes.append(.success(results))
                } catch let refusal as LedgerError {
                    outcomes.append(.failure(refusal))
                }
            }
            guard !plan.rows.isEmpty else {
                try await connection.send("ROLLBACK", logger: logger)
                return (outcomes, nil)
            }
            try await Self.insert(plan.rows, head: plan.head, on: connection, logger: logger)
            await beforeCommit?(connection)
        } catch {
            throw await rolledBack(error)
        }
        do {
            try await connection.send("COMMIT", logger: logger)
        } catch let error as ConnectionClosed {
            // Closed before `COMMIT` was written: the transaction certainly rolled back with its connection.
            throw Failure(error: error, duringCommit: false)
        } catch {
            throw Failure(error: error, duringCommit: true)
        }
        return (outcomes, plan.head)
    }

    /// A failure before `COMMIT` was sent, the transaction rolled back.
    private func rolledBack(_ error: any Error) async -> Failure {
        // The connection goes back to the pool: it must not stay inside the failed transaction.
        // (A closed one rolled back on the server, and `send` does not write to it.)
        _ = try? await connection.send("ROLLBACK", logger: logger)
        return Failure(error: error, duringCommit: false)
    }

    /// Reads, in one statement, the stored versions of the group's streams and the positions of its ids.
    private func start(_ submissions: [[PreparedAppend]], head: LedgerHead) async throws -> AppendPlan {
        let requests = submissions.flatMap { $0.map(\.request) }
        let streams = Array(Set(requests.map(\.stream)))
        let ids = requests.flatMap { $0.events.map(\.id) }
        var versions = [String: UInt64]()
        var positions = [UUID: UInt64]()
        let query: PostgresQuery = """
            SELECT stream, max(version), NULL::uuid FROM events WHERE stream = ANY(\(streams)) GROUP BY stream
            UNION ALL SELECT NULL, position, event_id FROM events WHERE event_id = ANY(\(ids))
            """
        for row in try await connection.send(query, logger: logger) {
            let (stream, number, id) = try row.decode((String?, Int64, UUID?).self)
            if let stream { versions[stream] = UInt64(number) }
            if let id { positions[id] = UInt64(number) }
        }
        return AppendPlan(startHead: head, head: head, versions: versions, positions: positions)
    }

    private func storedRecord(at position: UInt64) async throws -> RecordedEvent? {
        let query: PostgresQuery = "SELECT record FROM events WHERE position = \(Int64(position))"
        guard let row = try await connection.send(query, logger: logger).first else { return nil }
        return try PostgresEventStore.decode(try row.decode(ByteBuffer.self), at: position)
    }

    /// Inserts rows, moves the head to `head` and announces it (delivered on commit), in one statement.
    static func insert(_ rows: [AppendPlan.Row], head: LedgerHead, on connection: PostgresConnection, logger: Logger) async throws {
        let positions = rows.map { Int64($0.position) }
        let streams = rows.map(\.stream)
        let versions = rows.map { Int64($0.version) }
        let ids = rows.map(\.id)
        let records = rows.map { ByteBuffer(bytes: $0.record) }
        let hashes = rows.map { row in row.hash.withUnsafeBytes { ByteBuffer(bytes: $0) } }
        let hash = head.hash.withUnsafeBytes { ByteBuffer(bytes: $0) }
        // Data-modifying WITH clauses run once each, whether or not the outer SELECT reads them.
        let write: PostgresQuery = """
            WITH inserted AS (
                INSERT INTO events (position, stream, version, event_id, record, hash)
                SELECT * FROM unnest(\(positions)::bigint[], \(streams)::text[], \(versions)::bigint[], \(ids)::uuid[], \(records)::bytea[], \(hashes)::bytea[])),
            moved AS (
                UPDATE chain_head SET position = \(Int64(head.position)), hash = \(hash), recorded_at = \(head.recordedAt.microsecondsSinceEpoch))
            SELECT pg_notify(\(PostgresSchema.commitChannel), \(String(head.position)))
            """
        try await connection.send(write, logger: logger)
    }
}
