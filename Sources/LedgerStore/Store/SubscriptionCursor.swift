package import LedgerModel

/// Where one subscription stands: the page of events read ahead and the next position to read.
/// Pulled one event at a time, so a slow consumer holds back the reading. Every store's
/// `subscribe(from:)` is one of these over its own reads and its own ``CommitSignal``.
package actor SubscriptionCursor {
    static let pageSize = 512

    let store: any EventStore
    let commits: CommitSignal
    /// How long a caught-up subscription waits for a signal before it reads again anyway.
    let pollInterval: Duration
    private var next: UInt64
    private var page: [RecordedEvent] = []
    private var index = 0

    init(store: any EventStore, next: UInt64, commits: CommitSignal, pollInterval: Duration) {
        self.store = store
        self.next = next
        self.commits = commits
        self.pollInterval = pollInterval
    }

    /// Every event of `store` from `position` on, waking on `commits` or every `pollInterval`.
    package static func stream(
        of store: any EventStore, from position: UInt64, commits: CommitSignal, pollInterval: Duration
    ) -> AsyncThrowingStream<RecordedEvent, any Error> {
        let cursor = SubscriptionCursor(store: store, next: max(position, 1), commits: commits, pollInterval: pollInterval)
        return AsyncThrowingStream(unfolding: { try await cursor.next() })
    }

    /// The next event, waiting for one to be committed when the subscription has caught up; nil
    /// when the consuming task is cancelled.
    func next() async throws -> RecordedEvent? {
        while index == page.count {
            if Task.isCancelled { return nil }
            // The generation is read before the log, so a commit in between is not missed.
            let generation = commits.generation
            do {
                page = try await store.events(from: next, limit: Self.pageSize)
            } catch where Task.isCancelled {
                // A store whose reads stop on cancellation (a connection pool's lease) ends quietly too.
                return nil
            }
            index = 0
            if let last = page.last {
                next = last.position + 1
            } else {
                await commits.wait(after: generation, timeout: pollInterval)
            }
        }
        defer { index += 1 }
        return page[index]
    }
}
