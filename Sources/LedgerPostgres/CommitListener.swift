import LedgerStore
import Logging
import PostgresNIO
import Synchronization

/// Listens on the commit channel on one connection of the pool, from the first subscription on,
/// and turns every notification into a ``CommitSignal`` so that subscriptions read at once. A lost
/// connection is replaced after a pause; meanwhile subscriptions fall back to polling.
final class CommitListener: Sendable {
    /// How long to wait before listening again after the connection was lost.
    static let reconnectPause: Duration = .milliseconds(500)

    private let client: PostgresClient
    private let commits: CommitSignal
    private let logger: Logger
    private let task = Mutex<Task<Void, Never>?>(nil)
    private let stopped = Mutex(false)

    init(client: PostgresClient, commits: CommitSignal, logger: Logger) {
        self.client = client
        self.commits = commits
        self.logger = logger
    }

    /// Starts listening, unless already listening or stopped.
    func start() {
        // The task holds the client and the signal, never the store, so the store can be released.
        let (client, commits, logger) = (client, commits, logger)
        task.withLock { task in
            guard task == nil, !stopped.withLock({ $0 }) else { return }
            task = Task {
                while !Task.isCancelled {
                    do {
                        try await client.withConnection { connection in
                            try await connection.listen(on: PostgresSchema.commitChannel) { notifications in
                                // Anything committed while the listener was away is found by the first read.
                                commits.signal()
                                for try await _ in notifications { commits.signal() }
                            }
                        }
                    } catch {
                        logger.debug("the commit listener lost its connection", metadata: ["error": "\(PostgresEventStore.describe(error))"])
                    }
                    try? await Task.sleep(for: Self.reconnectPause)
                }
            }
        }
    }

    /// Stops listening for good.
    func stop() {
        stopped.withLock { $0 = true }
        task.withLock { $0?.cancel() }
    }
}
