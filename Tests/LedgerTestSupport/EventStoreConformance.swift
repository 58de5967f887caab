import Foundation
import Synchronization
public import LedgerModel
public import LedgerStore

/// The behaviour every ``EventStore`` must show, as checks any store's tests run: the LMDB ledger's
/// now, a PostgreSQL store's later. Each check gets a new, empty store and throws
/// ``ConformanceFailure`` at the first expectation the store does not meet.
public enum EventStoreConformance {
    /// One named check.
    public struct Check: Sendable, CustomStringConvertible {
        public let name: String
        public let run: @Sendable (any EventStore) async throws -> Void
        public var description: String { name }
    }

    /// An expectation a store did not meet.
    public struct ConformanceFailure: Error, CustomStringConvertible {
        public let description: String
    }

    public static let checks: [Check] = [
        Check(name: "appended events read back by position, stream and id", run: readsBack),
        Check(name: "a caller pages through the log", run: pages),
        Check(name: "expected versions are enforced and a refused append writes nothing", run: expectedVersions),
        Check(name: "a batch is atomic", run: atomicBatch),
        Check(name: "a retry is recognised; a reused id is refused", run: retries),
        Check(name: "a subscription catches up, then follows new commits", run: subscriptionFollows),
        Check(name: "a subscription ends when its task is cancelled", run: subscriptionCancels),
    ]

    static func require(_ condition: Bool, _ message: @autoclosure () -> String) throws {
        guard condition else { throw ConformanceFailure(description: message()) }
    }

    static func events(_ numbers: ClosedRange<Int>) -> [ProposedEvent] {
        numbers.map { SampleEvents.event($0) }
    }

    /// The error `body` throws as a ``LedgerError``, or a failure when it throws none.
    static func refusal(_ body: () async throws -> Void) async throws -> LedgerError {
        do {
            try await body()
        } catch let error as LedgerError {
            return error
        }
        throw ConformanceFailure(description: "an append that must be refused succeeded")
    }

    static func readsBack(_ store: any EventStore) async throws {
        try require(try await store.head() == .empty, "a new store's head is not empty")
        let a = try await store.append(events(1...3), to: "INC-1", expecting: .noStream)
        let b = try await store.append(events(4...5), to: "INC-2")
        try require(a.positions == 1...3 && a.streamVersion == 3 && !a.alreadyRecorded, "first append: \(a)")
        try require(b.positions == 4...5 && b.streamVersion == 2, "second append: \(b)")
        let head = try await store.head()
        let all = try await store.events(from: 1, limit: 100)
        try require(head.position == 5 && all.last?.recordedAt == head.recordedAt, "head \(head)")
        try require(all.map(\.position) == [1, 2, 3, 4, 5], "positions \(all.map(\.position))")
        try require(all.map(\.proposed) == events(1...5), "the events read back differ from those appended")
        try require(all.map(\.stream) == ["INC-1", "INC-1", "INC-1", "INC-2", "INC-2"], "streams \(all.map(\.stream))")
        try require(all.map(\.streamVersion) == [1, 2, 3, 1, 2], "stream versions \(all.map(\.streamVersion))")
        try require(all[0].previousHash == .zero, "the first event links to something")
        let stream = try await store.events(inStream: "INC-1", fromVersion: 2, limit: 100)
        try require(stream.map(\.streamVersion) == [2, 3] && stream.allSatisfy { $0.stream == "INC-1" }, "stream INC-1 from version 2")
        try require(try await store.events(inStream: "INC-1", fromVersion: 1, limit: 1).map(\.position) == [1], "a stream's first page")
        try require(try await store.events(inStream: "INC-", fromVersion: 1, limit: 10).isEmpty, "a prefix of a stream id is another stream")
        try require(try await store.event(id: SampleEvents.uuid(5))?.position == 5, "event by id")
        try require(try await store.event(id: SampleEvents.uuid(99)) == nil, "an unknown id finds an event")
        try require(try await store.version(ofStream: "INC-1") == 3, "version of INC-1")
        let missing = (try await store.version(ofStream: "INC-11"), try await store.version(ofStream: "INC-"))
        try require(missing == (0, 0), "version of a missing stream: \(missing)")
    }

    static func pages(_ store: any EventStore) async throws {
        _ = try await store.append(events(1...20), to: "INC-1")
        _ = try await store.append(events(21...25), to: "INC-2")
        var read = [UInt64]()
        var next: UInt64 = 1
        while true {
            let page = try await store.events(from: next, limit: 7)
            try require(page.count <= 7, "a page of \(page.count) events where 7 were asked")
            guard let last = page.last else { break }
            read += page.map(\.position)
            next = last.position + 1
        }
        try require(read == Array(1...25), "paging read \(read)")
        try require(try await store.events(from: 26, limit: 7).isEmpty, "events after the head")
        try require(try await store.events(from: 3, limit: 0).isEmpty, "a page of no events")
        let versions = try await store.events(inStream: "INC-1", fromVersion: 19, limit: 7).map(\.streamVersion)
        try require(versions == [19, 20], "the last page of a stream: \(versions)")
    }

    static func expectedVersions(_ store: any EventStore) async throws {
        _ = try await store.append(events(1...2), to: "INC-1", expecting: .noStream)
        let head = try await store.head()
        let again = try await refusal { _ = try await store.append(events(3...3), to: "INC-1", expecting: .noStream) }
        try require(again.code == .wrongExpectedVersion && again.currentVersion == 2, "no-stream on an existing stream: \(again.code)")
        let stale = try await refusal { _ = try await store.append(events(3...3), to: "INC-1", expecting: .exact(1)) }
        try require(stale.code == .wrongExpectedVersion && stale.currentVersion == 2, "a stale exact version: \(stale.code)")
        let missing = try await refusal { _ = try await store.append(events(3...3), to: "INC-2", expecting: .streamExists) }
        try require(missing.code == .wrongExpectedVersion && missing.currentVersion == 0, "stream-exists on a new stream: \(missing.code)")
        try require(try await store.head() == head, "a refused append moved the head")
        let exact = try await store.append(events(3...3), to: "INC-1", expecting: .exact(2))
        try require(exact.streamVersion == 3 && exact.positions == 3...3, "an exact version that matches: \(exact)")
        _ = try await store.append(events(4...4), to: "INC-1", expecting: .streamExists)
    }

    static func atomicBatch(_ store: any EventStore) async throws {
        _ = try await store.append(events(1...1), to: "INC-2")
        let refused = try await refusal {
            _ = try await store.append([
                StreamAppend(stream: "INC-1", expectedVersion: .noStream, events: events(2...3)),
                StreamAppend(stream: "INC-2", expectedVersion: .noStream, events: events(4...4)),
            ])
        }
        try require(refused.code == .wrongExpectedVersion, "the refused batch: \(refused.code)")
        let after = (try await store.head().position, try await store.version(ofStream: "INC-1"))
        try require(after == (1, 0), "a refused batch wrote part of itself: \(after)")
        let results = try await store.append([
            StreamAppend(stream: "INC-1", expectedVersion: .noStream, events: events(2...3)),
            StreamAppend(stream: "INC-2", expectedVersion: .exact(1), events: events(4...4)),
        ])
        try require(results.map(\.positions) == [2...3, 4...4] && results.map(\.streamVersion) == [2, 2], "a batch: \(results)")
    }

    static func retries(_ store: any EventStore) async throws {
        let first = try await store.append(events(1...3), to: "INC-1", expecting: .noStream)
        _ = try await store.append(events(4...4), to: "INC-2")
        let retry = try await store.append(events(1...3), to: "INC-1", expecting: .noStream)
        try require(retry.alreadyRecorded && retry.positions == first.positions && retry.streamVersion == 3, "a retry: \(retry)")
        try require(try await store.head().position == 4, "a retry wrote again")
        var changed = SampleEvents.event(5)
        changed.id = SampleEvents.uuid(1)
        let reused = try await refusal { _ = try await store.append([changed], to: "INC-3") }
        try require(reused.code == .duplicateEventID, "a reused id: \(reused.code)")
        try require(try await store.head().position == 4, "a refused id wrote")
    }

    static func subscriptionFollows(_ store: any EventStore) async throws {
        _ = try await store.append(events(1...3), to: "INC-1")
        let received = positions(of: store.subscribe(from: 2), count: 5)
        try await Task.sleep(for: .milliseconds(50))
        _ = try await store.append(events(4...5), to: "INC-2")
        _ = try await store.append(events(6...7), to: "INC-1")
        let positions = try await within(patience) { try await received.value }
        try require(positions == [2, 3, 4, 5, 6], "the subscription yielded \(String(describing: positions))")
    }

    static func subscriptionCancels(_ store: any EventStore) async throws {
        _ = try await store.append(events(1...1), to: "INC-1")
        let consumer = Task {
            var count = 0
            for try await _ in store.subscribe(from: 1) { count += 1 }
            return count
        }
        try await Task.sleep(for: .milliseconds(50))
        consumer.cancel()
        let count = try await within(patience) { try await consumer.value }
        try require(count == 1, "a cancelled subscription yielded \(String(describing: count)) events")
    }

    /// A task that reads the positions of the first `count` events a subscription yields.
    public static func positions(of subscription: AsyncThrowingStream<RecordedEvent, any Error>, count: Int) -> Task<[UInt64], any Error> {
        Task {
            var positions = [UInt64]()
            for try await event in subscription {
                positions.append(event.position)
                if positions.count == count { break }
            }
            return positions
        }
    }

    /// How long a subscription may take to deliver before the test fails: a bound that turns a hang
    /// into a failure, not a timing. In the full suite other tests block the two cooperative threads
    /// with synchronous child processes for up to a minute (the Volvo import), which starves a
    /// subscription's tasks; alone, these tests answer within about a second.
    public static let patience: Duration = .seconds(120)

    /// The result of `body`, or a failure when it takes longer than `limit` (a check fails, never
    /// hangs): a body still running then is cancelled and left behind, not awaited, since one that
    /// ignores cancellation (a query a lost connection never answers) would hold the test for ever.
    public static func within<Result: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> Result) async throws -> Result {
        let answer = FirstAnswer<Result>()
        return try await withCheckedThrowingContinuation { continuation in
            answer.hold(continuation)
            let work = Task {
                do {
                    answer.give(.success(try await body()))
                } catch {
                    answer.give(.failure(error))
                }
            }
            Task {
                try? await Task.sleep(for: limit)
                work.cancel()
                answer.give(.failure(ConformanceFailure(description: "no answer within \(limit)")))
            }
        }
    }
}

/// A continuation resumed by the first of several racing tasks; the others' answers are dropped.
private final class FirstAnswer<Result: Sendable>: Sendable {
    private let continuation = Mutex<CheckedContinuation<Result, any Error>?>(nil)

    func hold(_ continuation: CheckedContinuation<Result, any Error>) {
        self.continuation.withLock { $0 = continuation }
    }

    func give(_ answer: Swift.Result<Result, any Error>) {
        continuation.withLock { $0.take() }?.resume(with: answer)
    }
}
