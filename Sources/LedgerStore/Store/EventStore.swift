public import Foundation
public import LedgerModel

/// An append-only, hash-chained event log, read and written asynchronously: what every use case
/// needs of a store, whichever store holds the ledger.
///
/// Modelled on GRDB's `DatabaseReader`/`DatabaseWriter`: the LMDB ``Ledger`` is one implementation,
/// and a second store (PostgreSQL) implements the same protocol, kept honest by one conformance
/// suite run against both. No method holds a storage transaction across an `await`: each call is one
/// snapshot (or one durable commit) run on the store's own threads, so the calling task's thread is
/// never blocked.
///
/// Positions start at 1 and have no gaps; a stream's versions start at 1 (version 0 is "no events").
public protocol EventStore: AnyObject, Sendable {
    /// Where the store keeps the ledger (for an LMDB ledger, its directory), for messages.
    var location: String { get }

    /// Appends to several streams in one atomic batch and returns once it is durably committed:
    /// every event is appended, or none. Each stream's ``ExpectedVersion`` is checked first; a retry
    /// of an append that already landed (same ids, same events) succeeds without writing.
    func append(_ batch: [StreamAppend]) async throws(LedgerError) -> [AppendResult]

    /// The last event's position, hash and recorded-at time (``LedgerHead/empty`` for an empty log).
    func head() async throws(LedgerError) -> LedgerHead

    /// Up to `limit` events from `position` on, in log order; fewer (or none) at the end of the log.
    /// A caller pages by asking again from the last position + 1.
    func events(from position: UInt64, limit: Int) async throws(LedgerError) -> [RecordedEvent]

    /// Up to `limit` events of one stream from `version` on, in stream order.
    func events(inStream stream: String, fromVersion version: UInt64, limit: Int) async throws(LedgerError) -> [RecordedEvent]

    /// The event with this id, or nil.
    func event(id: UUID) async throws(LedgerError) -> RecordedEvent?

    /// The number of events in a stream; 0 when there is no such stream.
    func version(ofStream stream: String) async throws(LedgerError) -> UInt64

    /// Every event from `position` on: first those already committed, then each new one as it is
    /// committed, until the consumer stops iterating (or its task is cancelled). A storage failure
    /// ends the sequence with that error. The sequence is pulled: nothing is read ahead of the
    /// consumer by more than one page.
    func subscribe(from position: UInt64) -> AsyncThrowingStream<RecordedEvent, any Error>
}

extension EventStore {
    /// Appends events to one stream and returns once they are durably committed.
    public func append(
        _ events: [ProposedEvent], to stream: String, expecting expectedVersion: ExpectedVersion = .any
    ) async throws(LedgerError) -> AppendResult {
        try await append([StreamAppend(stream: stream, expectedVersion: expectedVersion, events: events)])[0]
    }
}

/// What the projection engine needs of storage for derived data: where a projection has got to,
/// its stored states, and committing new states together with a new checkpoint.
///
/// Derived data lives beside the log but outside the hash chain; a rebuild from the log makes it
/// again. States are opaque bytes: the store knows nothing of what they mean.
public protocol ProjectionStore: AnyObject, Sendable {
    /// The checkpoint of a projection, or nil if it was never built. Throws ``ProjectionDamage``
    /// when the stored record is damaged.
    func checkpoint(ofProjection name: String) async throws -> ProjectionCheckpoint?

    /// The stored states of the given keys of a projection; a key without a state is absent.
    /// Throws ``ProjectionDamage`` for a state that fails its check.
    func states(ofProjection name: String, keys: [String]) async throws -> [String: [UInt8]]

    /// Writes a projection's changed states and its new checkpoint atomically and durably.
    ///
    /// - Parameters:
    ///   - expected: the checkpoint the states were computed from; if another writer moved it
    ///     meanwhile, nothing is written and ``LedgerError/Code/wrongExpectedVersion`` is thrown.
    ///     A reset does not look at it.
    ///   - reset: drop every earlier state of the projection first (a rebuild).
    func commit(
        projection name: String, states: [String: [UInt8]], checkpoint: ProjectionCheckpoint,
        expecting expected: ProjectionCheckpoint?, reset: Bool
    ) async throws(LedgerError)
}
