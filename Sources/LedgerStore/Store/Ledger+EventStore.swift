import CLMDB
public import Foundation
public import LedgerModel

extension Ledger: EventStore {
    /// How often a subscription that has caught up looks for commits made by other processes.
    /// Commits of this process wake it at once (the writer signals them); another process's commits
    /// are seen within this interval.
    public static let subscriptionPollInterval: Duration = .seconds(1)

    /// The ledger's directory.
    public var location: String { path }

    /// Runs `body` in a snapshot on the ledger's own threads and returns its result, so the calling
    /// task's thread is never blocked by LMDB and no transaction spans an `await` (GRDB's async `read`).
    public func asyncRead<Result: Sendable>(
        _ body: @escaping @Sendable (borrowing LedgerReader) throws -> Result
    ) async throws(LedgerError) -> Result {
        let outcome: Swift.Result<Result, LedgerError> = await withCheckedContinuation { continuation in
            workQueue.async {
                continuation.resume(returning: Swift.Result { () throws(LedgerError) -> Result in
                    do {
                        return try self.read(body)
                    } catch {
                        throw Self.readError(error)
                    }
                })
            }
        }
        return try outcome.get()
    }

    /// A failure of a read in the ledger's terms.
    static func readError(_ error: any Error) -> LedgerError {
        LedgerError(converting: error) ?? LedgerError(.storage, "a read of the ledger failed: \(error)", cause: error)
    }

    public func head() async throws(LedgerError) -> LedgerHead {
        try await asyncRead { try $0.head() }
    }

    public func events(from position: UInt64, limit: Int) async throws(LedgerError) -> [RecordedEvent] {
        guard limit > 0 else { return [] }
        return try await asyncRead { reader in
            var events = [RecordedEvent]()
            try reader.forEachEvent(from: max(position, 1)) { event in
                events.append(event)
                return events.count < limit
            }
            return events
        }
    }

    public func events(inStream stream: String, fromVersion version: UInt64, limit: Int) async throws(LedgerError) -> [RecordedEvent] {
        guard limit > 0 else { return [] }
        return try await asyncRead { try $0.events(inStream: stream, fromVersion: version, limit: limit) }
    }

    public func event(id: UUID) async throws(LedgerError) -> RecordedEvent? {
        try await asyncRead { try $0.event(id: id) }
    }

    public func version(ofStream stream: String) async throws(LedgerError) -> UInt64 {
        try await asyncRead { try $0.version(ofStream: stream) }
    }

    public func subscribe(from position: UInt64) -> AsyncThrowingStream<RecordedEvent, any Error> {
        SubscriptionCursor.stream(of: self, from: position, commits: commits, pollInterval: Self.subscriptionPollInterval)
    }
}

extension Ledger: ProjectionStore {
    public func checkpoint(ofProjection name: String) async throws -> ProjectionCheckpoint? {
        try await onWorkQueue { try self.read { try $0.projectionCheckpoint(name) } }
    }

    public func states(ofProjection name: String, keys: [String]) async throws -> [String: [UInt8]] {
        try await onWorkQueue {
            try self.read { reader in
                var states = [String: [UInt8]]()
                for key in keys {
                    if let state = try reader.projectionState(name, key: key) { states[key] = state }
                }
                return states
            }
        }
    }

    public func commit(
        projection name: String, states: [String: [UInt8]], checkpoint: ProjectionCheckpoint,
        expecting expected: ProjectionCheckpoint?, reset: Bool
    ) async throws(LedgerError) {
        let outcome: Result<Void, LedgerError> = await withCheckedContinuation { continuation in
            workQueue.async {
                continuation.resume(returning: Result { () throws(LedgerError) in
                    try self.commitProjection(name, expected: expected, to: checkpoint, states: states, reset: reset)
                })
            }
        }
        try outcome.get()
    }

    /// Runs `work` on the ledger's own threads; its errors (``ProjectionDamage`` among them) pass as they are.
    private func onWorkQueue<Result: Sendable>(_ work: @escaping @Sendable () throws -> Result) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            workQueue.async { continuation.resume(with: Swift.Result { try work() }) }
        }
    }
}
