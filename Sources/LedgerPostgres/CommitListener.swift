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
    private let confirmed: ConfirmedHead
    private let settings: AnnouncementCount
    private let logger: Logger
    private let task = Mutex<Task<Void, Never>?>(nil)
    private let stopped = Mutex(false)

    init(client: PostgresClient, commits: CommitSignal, confirmed: ConfirmedHead, settings: AnnouncementCount, logger: Logger) {
        self.client = client
        self.commits = commits
        self.confirmed = confirmed
        self.settings = settings
        self.logger = logger
    }

    /// Starts listening, unless already listening or stopped.
    func start() {
        // The task holds the client and the signal, never the store, so the store can be released.
        let (client, commits, confirmed, settings, logger) = (client, commits, confirmed, settings, logger)
        task.withLock { task in
            guard task == nil, !stopped.withLock({ $0 }) else { return }
            task = Task {
                while !Task.isCancelled {
                    do {
                        try await client.withConnection { connection in
                            try await connection.listen(on: PostgresSchema.commitChannel) { notifications in
                                // What was committed while the listener was away: taken as durable
                                // (a commit still waiting for its standby at this moment is the one
                                // case where that is wrong; docs/postgres.md).
                                let head = try await connection.send("SELECT position FROM chain_head", logger: logger).first?.decode(Int64.self)
                                confirmed.raise(to: UInt64(max(head ?? 0, 0)))
                                // And the settings may have changed meanwhile.
                                settings.note()
                                commits.signal()
                                for try await notification in notifications {
                                    // A commit's payload is its head position; a settings change's is "settings".
                                    if let position = UInt64(notification.payload) {
                                        confirmed.raise(to: position)
                                    } else if notification.payload == PostgresSchema.settingsAnnouncement {
                                        settings.note()
                                    }
                                    commits.signal()
                                }
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

/// How many times something was announced: a reader compares it with the count it last acted on.
final class AnnouncementCount: Sendable {
    private let count = Atomic<UInt64>(0)

    var value: UInt64 { count.load(ordering: .acquiring) }

    func note() {
        count.add(1, ordering: .acquiringAndReleasing)
    }
}
