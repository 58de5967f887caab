import Foundation
import LedgerModel
import LedgerStore
import LedgerTestSupport
import PostgresNIO
import Synchronization
import Testing
@testable import LedgerPostgres

/// The PostgreSQL store on a real server (one cluster per test process, a new database per test):
/// the conformance suite every store runs, and what sharing a database among processes adds.
@Suite struct PostgresEventStoreTests {
    /// A store on a new, empty database, closed after `body`.
    static func withStore<Result>(
        clock: @escaping @Sendable () -> Timestamp = SampleEvents.fixedClock(),
        _ body: (PostgresEventStore, String) async throws -> Result
    ) async throws -> Result {
        let url = try await PostgresCluster.shared().createDatabase()
        let store = try await PostgresEventStore.create(url: url, clock: clock)
        do {
            let result = try await body(store, url)
            await store.close()
            return result
        } catch {
            await store.close()
            throw error
        }
    }

    @Test(arguments: EventStoreConformance.checks)
    func theStoreConforms(_ check: EventStoreConformance.Check) async throws {
        try await Self.withStore { store, _ in
            try await check.run(store)
            let verified = try await store.verify()
            #expect(try await verified == store.head())
        }
    }

    /// The same appends give the same chain head in PostgreSQL as in LMDB: the records are made by the same code.
    @Test func theChainHeadIsTheLMDBLedgers() async throws {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.create(at: directory.path, clock: SampleEvents.fixedClock())
        try await Self.withStore { store, _ in
            for target in [ledger as any EventStore, store] {
                _ = try await target.append((1...3).map { SampleEvents.event($0) }, to: "INC-1", expecting: .noStream)
                _ = try await target.append([
                    StreamAppend(stream: "INC-2", expectedVersion: .noStream, events: (4...5).map { SampleEvents.event($0) }),
                    StreamAppend(stream: "INC-1", expectedVersion: .exact(3), events: [SampleEvents.event(6)]),
                ])
                var late = SampleEvents.event(7)
                late.sourceRecordedAt = SampleEvents.epoch
                _ = try await target.append([late], to: "INC-3")
            }
            let (lmdb, postgres) = (try await ledger.head(), try await store.head())
            #expect(postgres.position == 7)
            #expect(postgres == lmdb)
            #expect(try await store.events(from: 1, limit: 10) == ledger.events(from: 1, limit: 10))
        }
    }

    /// 64 tasks appending at once: positions 1…N with no gap, each event once, fewer commits than appends.
    @Test func concurrentAppendsAreGapFree() async throws {
        try await Self.withStore { store, _ in
            let tasks = 64
            let perTask = 5
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<tasks {
                    group.addTask {
                        for round in 0..<perTask {
                            let number = task * perTask + round + 1
                            _ = try await store.append([SampleEvents.event(number)], to: "INC-\(task)")
                        }
                    }
                }
                try await group.waitForAll()
            }
            let all = try await store.events(from: 1, limit: 1000)
            #expect(all.map(\.position) == Array(1...UInt64(tasks * perTask)))
            #expect(Set(all.map(\.id)).count == tasks * perTask)
            #expect(try await store.verify().position == UInt64(tasks * perTask))
            let totals = store.commitTotals
            #expect(totals.appends == UInt64(tasks * perTask))
            #expect(totals.commits < totals.appends, "group commit shared no transaction: \(totals)")
        }
    }

    /// Two stores on one database, as two processes would be: one serial chain, gap-free, each event once.
    @Test func twoStoresOnOneDatabaseKeepOneChain() async throws {
        try await Self.withStore(clock: Timestamp.now) { first, url in
            let second = try await PostgresEventStore.open(url: url)
            let tasks = 16
            let perTask = 8
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<tasks {
                    let store = task.isMultiple(of: 2) ? first : second
                    group.addTask {
                        for round in 0..<perTask {
                            let number = task * perTask + round + 1
                            // Both stores append to one shared stream too: its versions must stay serial as well.
                            _ = try await store.append([SampleEvents.event(number)], to: round.isMultiple(of: 2) ? "shared" : "INC-\(task)")
                        }
                    }
                }
                try await group.waitForAll()
            }
            let all = try await first.events(from: 1, limit: 1000)
            #expect(all.map(\.position) == Array(1...UInt64(tasks * perTask)))
            #expect(Set(all.map(\.id)).count == tasks * perTask)
            let shared = try await second.events(inStream: "shared", fromVersion: 1, limit: 1000).map(\.streamVersion)
            #expect(shared == Array(1...UInt64(shared.count)))
            #expect(try await first.verify() == second.head())
            await second.close()
        }
    }

    /// A subscription on one store hears another store's commits through NOTIFY, well within the poll interval.
    @Test func aSubscriptionHearsAnotherStoresCommit() async throws {
        try await Self.withStore { first, url in
            let second = try await PostgresEventStore.open(url: url, clock: SampleEvents.fixedClock())
            let received = EventStoreConformance.positions(of: first.subscribe(from: 1), count: 3)
            try await Task.sleep(for: .milliseconds(300))
            let generation = first.commits.generation
            _ = try await second.append((1...3).map { SampleEvents.event($0) }, to: "INC-1")
            let positions = try await EventStoreConformance.within(EventStoreConformance.patience) { try await received.value }
            #expect(positions == [1, 2, 3])
            #expect(first.commits.generation > generation, "the notification signalled the first store")
            await second.close()
        }
    }

    @Test func aDatabaseOfANewerSchemaIsRefused() async throws {
        let cluster = try await PostgresCluster.shared()
        let url = try await cluster.createDatabase()
        await (try PostgresEventStore.create(url: url)).close()
        _ = try cluster.sql("UPDATE schema_version SET version = \(PostgresSchema.version + 1)", database: String(url.split(separator: "/").last!))
        await #expect { _ = try await PostgresEventStore.open(url: url) } throws: { error in
            let error = error as? LedgerError
            return error?.code == .unsupportedFormat && error?.message.contains("schema version \(PostgresSchema.version + 1)") == true
        }
    }

    /// A database of schema version 1 (before the shared settings) is upgraded in place on open:
    /// its events kept, the settings tables made, the version moved on; opened again, it stays so.
    @Test func aDatabaseOfAnOlderSchemaIsUpgradedOnOpen() async throws {
        let cluster = try await PostgresCluster.shared()
        let url = try await cluster.createDatabase()
        let database = String(url.split(separator: "/").last!)
        let made = try await PostgresEventStore.create(url: url)
        _ = try await made.append([SampleEvents.event(1)], to: "INC-1")
        await made.close()
        _ = try cluster.sql("DROP TABLE settings; DROP TABLE settings_version; UPDATE schema_version SET version = 1", database: database)

        let upgraded = try await PostgresEventStore.open(url: url)
        #expect(try cluster.sql("SELECT version FROM schema_version", database: database).trimmingCharacters(in: .whitespacesAndNewlines) == "\(PostgresSchema.version)")
        #expect(try await upgraded.verify().position == 1)
        try await upgraded.setSetting("token/abc", [1, 2, 3])
        #expect(try await upgraded.settings().all.map(\.key) == ["token/abc"])
        await upgraded.close()
        await (try PostgresEventStore.open(url: url)).close()
    }

    @Test func anEmptyDatabaseIsNoLedgerAndALedgerIsNotCreatedTwice() async throws {
        let url = try await PostgresCluster.shared().createDatabase()
        await #expect { _ = try await PostgresEventStore.open(url: url) } throws: { ($0 as? LedgerError)?.code == .ledgerNotFound }
        await (try PostgresEventStore.create(url: url)).close()
        await #expect { _ = try await PostgresEventStore.create(url: url) } throws: { ($0 as? LedgerError)?.code == .alreadyExists }
    }

    @Test func aChangedRecordFailsVerification() async throws {
        try await Self.withStore { store, url in
            _ = try await store.append((1...3).map { SampleEvents.event($0) }, to: "INC-1")
            _ = try await store.verify()
            let database = String(url.split(separator: "/").last!)
            // One byte of the payload of the second record, as a person with SQL access might change it.
            _ = try await PostgresCluster.shared().sql(
                "UPDATE events SET record = set_byte(record, length(record) - 3, get_byte(record, length(record) - 3) # 1) WHERE position = 2",
                database: database)
            await #expect { _ = try await store.verify() } throws: {
                ($0 as? LedgerError)?.code == .corrupt && ($0 as? LedgerError)?.detail == .damagedLog
            }
        }
    }

    /// A connection lost while COMMIT is in flight: the append is reported as of unknown outcome, and
    /// a retry with the same ids lands exactly once.
    @Test func aLostConnectionDuringCommitIsAnUnknownOutcome() async throws {
        try await Self.withStore { store, url in
            let cluster = try await PostgresCluster.shared()
            let database = String(url.split(separator: "/").last!)
            // A deferred trigger holds COMMIT on the server for a while, and the session is ended meanwhile.
            _ = try cluster.sql("""
                CREATE FUNCTION slow_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(3); RETURN NULL; END $$;
                CREATE CONSTRAINT TRIGGER slow_commit AFTER INSERT ON events DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION slow_commit();
                """, database: database)
            let logger = store.logger
            store.writer.beforeCommit.withLock {
                $0 = { connection in
                    guard let pid = try? await connection.query("SELECT pg_backend_pid()", logger: logger).collect().first?.decode(Int32.self) else { return }
                    Task.detached {
                        try await Task.sleep(for: .milliseconds(500))
                        _ = try cluster.sql("SELECT pg_terminate_backend(\(pid))", database: database)
                    }
                }
            }
            let events = (1...2).map { SampleEvents.event($0) }
            await #expect { _ = try await store.append(events, to: "INC-1", expecting: .noStream) } throws: { error in
                let error = error as? LedgerError
                return error?.code == .outcomeUnknown && error?.message.contains("retrying it with the same event ids is safe") == true
            }
            store.writer.beforeCommit.withLock { $0 = nil }
            _ = try cluster.sql("DROP TRIGGER slow_commit ON events", database: database)
            let retry = try await store.append(events, to: "INC-1", expecting: .noStream)
            #expect(retry.positions == 1...2)
            #expect(try await store.head().position == 2)
            #expect(try await store.verify().position == 2)
        }
    }

    /// A transaction the database does not answer in time (frozen, or cut off without a reset) fails
    /// at its deadline instead of holding this process's appends for as long as TCP takes to notice:
    /// before COMMIT, having written nothing; during it, as an unknown outcome that a retry settles.
    @Test func aTransactionTheDatabaseDoesNotAnswerEndsAtItsDeadline() async throws {
        try await Self.withStore { store, url in
            let cluster = try await PostgresCluster.shared()
            let database = String(url.split(separator: "/").last!)
            store.writer.deadline.withLock { $0 = .seconds(2) }
            // Before COMMIT: the transaction stalls past its deadline (without one it would commit at 4 s).
            store.writer.beforeCommit.withLock { $0 = { _ in try? await Task.sleep(for: .seconds(4)) } }
            let first = [SampleEvents.event(1)]
            await #expect { _ = try await store.append(first, to: "INC-1", expecting: .noStream) } throws: { error in
                let error = error as? LedgerError
                return error?.code == .unavailable && error?.message.contains("did not answer within 2") == true
                    && error?.message.contains("nothing was written") == true
            }
            store.writer.beforeCommit.withLock { $0 = nil }
            #expect(try await store.head().position == 0)

            // During COMMIT: a deferred trigger holds it on the server past the deadline.
            _ = try cluster.sql("""
                CREATE FUNCTION slow_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(6); RETURN NULL; END $$;
                CREATE CONSTRAINT TRIGGER slow_commit AFTER INSERT ON events DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION slow_commit();
                """, database: database)
            await #expect { _ = try await store.append(first, to: "INC-1", expecting: .noStream) } throws: { error in
                let error = error as? LedgerError
                return error?.code == .outcomeUnknown && error?.message.contains("did not answer within 2") == true
            }
            _ = try cluster.sql("DROP TRIGGER slow_commit ON events", database: database)
            store.writer.deadline.withLock { $0 = AnswerDeadline.standard }
            // The server finishes that COMMIT on its own; the retry with the same ids finds it, or writes it.
            let retry = try await store.append(first, to: "INC-1")
            #expect(retry.positions == 1...1)
            #expect(try await store.verify().position == 1)
        }
    }

    /// A read the database does not answer in time ends at its deadline as `unavailable`.
    @Test func aReadTheDatabaseDoesNotAnswerEndsAtItsDeadline() async throws {
        try await Self.withStore { store, url in
            let cluster = try await PostgresCluster.shared()
            let database = String(url.split(separator: "/").last!)
            _ = try await store.append([SampleEvents.event(1)], to: "INC-1")
            store.readDeadline.withLock { $0 = .seconds(2) }
            // Another session holds the chain head's table, so reading it waits (at most a minute here).
            let holder = Task { try? await onItsOwnThread { try cluster.sql("BEGIN; LOCK TABLE chain_head IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(60); COMMIT;", database: database) } }
            let held = "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'chain_head' AND l.mode = 'AccessExclusiveLock' AND l.granted"
            for _ in 0..<300 where try cluster.sql(held, database: database).trimmingCharacters(in: .whitespacesAndNewlines) != "1" {
                try await Task.sleep(for: .milliseconds(100))
            }
            await #expect { _ = try await store.head() } throws: { error in
                let error = error as? LedgerError
                return error?.code == .unavailable && error?.message.contains("could not read the chain head") == true
                    && error?.message.contains("did not answer within 2") == true
            }
            _ = try cluster.sql("SELECT pg_terminate_backend(pid) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'chain_head' AND l.mode = 'AccessExclusiveLock'", database: database)
            _ = await holder.value
            store.readDeadline.withLock { $0 = AnswerDeadline.standard }
            #expect(try await store.head().position == 1)
        }
    }

    /// A connection that is gone before COMMIT is sent wrote nothing: the append is tried again on a new connection.
    @Test func aConnectionLostBeforeCommitIsRetried() async throws {
        try await Self.withStore { store, _ in
            let logger = store.logger
            let lost = Once()
            store.writer.beforeCommit.withLock {
                $0 = { connection in
                    guard lost.first() else { return }
                    _ = try? await connection.query("SELECT pg_terminate_backend(pg_backend_pid())", logger: logger)
                    for _ in 0..<500 where !connection.isClosed { try? await Task.sleep(for: .milliseconds(10)) }
                }
            }
            let result = try await store.append((1...2).map { SampleEvents.event($0) }, to: "INC-1", expecting: .noStream)
            #expect(!lost.first(), "the connection was lost once")
            #expect(result.positions == 1...2 && !result.alreadyRecorded)
            #expect(try await store.verify().position == 2)
        }
    }

    /// When no connection can be had, the appends waiting behind the group fail with it, at once,
    /// rather than each group after a connection wait of its own; nothing is written.
    @Test func appendsWaitingWhenTheDatabaseIsGoneFailTogether() async throws {
        try await Self.withStore { store, url in
            let cluster = try await PostgresCluster.shared()
            let database = String(url.split(separator: "/").last!)
            let lost = Once()
            store.writer.beforeCommit.withLock {
                $0 = { connection in
                    guard lost.first() else { return }
                    // The database stops taking connections and every one of the store's is ended:
                    // the group's retry finds none.
                    _ = try? cluster.sql("ALTER DATABASE \(database) ALLOW_CONNECTIONS false", database: "postgres")
                    _ = try? cluster.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(database)'", database: "postgres")
                    for _ in 0..<500 where !connection.isClosed { try? await Task.sleep(for: .milliseconds(10)) }
                    // Meanwhile the others queue behind this group.
                    for _ in 0..<1000 where store.commitTotals.waiting < 8 { try? await Task.sleep(for: .milliseconds(10)) }
                }
            }
            let started = ContinuousClock.now
            let appends = (0...8).map { number in
                Task { () -> (LedgerError?, ContinuousClock.Instant) in
                    // The others once the first group is in its transaction (at most a minute: a hook never
                    // reached fails the test below, not hangs it).
                    if number > 0 { for _ in 0..<12_000 where !lost.wasAsked { try? await Task.sleep(for: .milliseconds(5)) } }
                    do {
                        _ = try await store.append([SampleEvents.event(number + 1)], to: "INC-\(number)")
                        return (nil, .now)
                    } catch {
                        return (error as? LedgerError, .now)
                    }
                }
            }
            var endings = [(LedgerError?, ContinuousClock.Instant)]()
            for append in appends { endings.append(await append.value) }
            _ = try cluster.sql("ALTER DATABASE \(database) ALLOW_CONNECTIONS true", database: "postgres")
            #expect(endings.allSatisfy { $0.0?.code == .unavailable }, "\(endings.map { $0.0?.message ?? "recorded" })")
            let times = endings.map(\.1)
            #expect(times.max()! - times.min()! < .seconds(5), "they failed over \(times.max()! - times.min()!), after \(times.max()! - started)")
            #expect(try await store.head().position == 0, "nothing was written")
        }
    }

    @Test func aURLWithoutDatabaseIsRefused() async throws {
        await #expect { _ = try await PostgresEventStore.open(url: "postgres://postgres@127.0.0.1:1") } throws: {
            ($0 as? LedgerError)?.code == .invalidInput
        }
        #expect(try PostgresLocation(url: "postgres://ops:secret@db.example:6543/ledger").description == "postgres://ops@db.example:6543/ledger")
    }
}

/// Projection states and checkpoints in PostgreSQL, checked as the LMDB ledger's are.
@Suite struct PostgresProjectionStoreTests {
    @Test func projectionStatesAndCheckpointCommitTogether() async throws {
        try await PostgresEventStoreTests.withStore { postgres, _ in
            try await ProjectionStoreConformance.statesAndCheckpointCommitTogether(postgres)
        }
    }
}

/// True the first time it is asked, false after.
private final class Once: Sendable {
    private let asked = Mutex(false)

    /// Whether ``first()`` has been called.
    var wasAsked: Bool { asked.withLock { $0 } }

    func first() -> Bool {
        asked.withLock { asked in
            defer { asked = true }
            return !asked
        }
    }
}
