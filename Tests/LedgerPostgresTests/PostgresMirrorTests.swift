import Foundation
import LedgerModel
import LedgerStore
import LedgerTestSupport
import Testing
@testable import LedgerPostgres

/// The ledger in PostgreSQL as the layers above use it: an LMDB mirror per process that follows the
/// database and sends its writes there; and migration between the two stores.
@Suite struct PostgresMirrorTests {
    /// A mirror of a new ledger in a new database, in a new directory, closed after `body`.
    static func withMirror<Result>(
        url given: String? = nil, _ body: (PostgresMirror, String) async throws -> Result
    ) async throws -> Result {
        let url: String
        if let given {
            url = given
        } else {
            url = try await PostgresCluster.shared().createDatabase()
            try await PostgresEventStore.create(url: url).close()
        }
        let directory = TemporaryDirectory("mirror")
        let mirror = try await PostgresMirror.open(url: url, mirrorDirectory: directory.path + "/mirror")
        do {
            let result = try await body(mirror, url)
            await mirror.close()
            return result
        } catch {
            await mirror.close()
            throw error
        }
    }

    static func events(_ numbers: ClosedRange<Int>) -> [ProposedEvent] {
        numbers.map { SampleEvents.event($0) }
    }

    /// Every store check holds for the mirror's `Ledger`, which everything above the store uses.
    @Test(arguments: EventStoreConformance.checks)
    func theMirrorConforms(_ check: EventStoreConformance.Check) async throws {
        try await Self.withMirror { mirror, _ in
            try await check.run(mirror.ledger)
            // The database holds what the mirror shows, byte for byte.
            #expect(try await mirror.store.verify() == mirror.ledger.head())
            #expect(try await mirror.store.events(from: 1, limit: 1000) == mirror.ledger.events(from: 1, limit: 1000))
            #expect(try mirror.ledger.verify().problem == nil)
        }
    }

    /// An append through one process's mirror is in another's mirror at once (NOTIFY), with the
    /// same head; a setting too; and a mirror opened later copies everything.
    @Test func twoMirrorsOfOneDatabaseAgree() async throws {
        try await Self.withMirror { first, url in
            try await Self.withMirror(url: url) { second, _ in
                let results = try await first.ledger.append(Self.events(1...3), to: "INC-1", expecting: .noStream)
                #expect(results.positions == 1...3)
                // Read-your-writes: the writer's mirror holds the append when it returns.
                #expect(try await first.ledger.head().position == 3)
                let followed = try await EventStoreConformance.within(.seconds(30)) {
                    while try await second.ledger.head().position < 3 { try await Task.sleep(for: .milliseconds(20)) }
                    return try await second.ledger.head()
                }
                #expect(try await followed == first.ledger.head())
                _ = try await second.ledger.append(Self.events(4...4), to: "INC-1", expecting: .exact(3))
                #expect(try await first.store.head().position == 4)

                try await first.ledger.setSetting("token/abc", [1, 2, 3])
                #expect(try first.ledger.setting("token/abc") == [1, 2, 3])
                let copied = try await EventStoreConformance.within(.seconds(30)) {
                    while try second.ledger.setting("token/abc") == nil { try await Task.sleep(for: .milliseconds(20)) }
                    return try second.ledger.setting("token/abc")
                }
                #expect(copied == [1, 2, 3])
            }
            try await Self.withMirror(url: url) { late, _ async throws in
                #expect(try await late.ledger.head().position == 4)
                #expect(try late.ledger.setting("token/abc") == [1, 2, 3])
            }
        }
    }

    /// A commit that is visible but not yet announced (as one waiting for its synchronous standby
    /// is) is not copied: a failover could lose it. Its announcement lets the mirror copy it.
    @Test func theMirrorCopiesOnlyWhatIsProvedDurable() async throws {
        try await Self.withMirror { mirror, url in
            _ = try await mirror.ledger.append(Self.events(1...1), to: "INC-1")
            let head = try await mirror.store.head()
            let event = RecordedEvent(
                position: 2, stream: "INC-1", streamVersion: 2, recordedAt: head.recordedAt, previousHash: head.hash, event: SampleEvents.event(2))
            let record = RecordCodec.encode(event)
            let hash = Hash256.sha256(record)
            // Written as a commit is, without its NOTIFY: visible to every reader, announced to none.
            let database = String(url.split(separator: "/").last!)
            let cluster = try await PostgresCluster.shared()
            _ = try cluster.sql(
                """
                BEGIN;
                INSERT INTO events (position, stream, version, event_id, record, hash)
                  VALUES (2, 'INC-1', 2, '\(event.id.lowercasedString)', decode('\(record.map { String(format: "%02x", $0) }.joined())', 'hex'), decode('\(hash.hex)', 'hex'));
                UPDATE chain_head SET position = 2, hash = decode('\(hash.hex)', 'hex');
                COMMIT;
                """, database: database)
            try await Task.sleep(for: PostgresEventStore.subscriptionPollInterval * 2)
            #expect(try await mirror.ledger.head().position == 1, "an unannounced commit was copied")
            _ = try cluster.sql("NOTIFY \(PostgresSchema.commitChannel), '2'", database: database)
            let copied = try await EventStoreConformance.within(.seconds(30)) {
                while try await mirror.ledger.head().position < 2 { try await Task.sleep(for: .milliseconds(20)) }
                return try await mirror.ledger.head()
            }
            #expect(copied.hash == hash)
        }
    }

    /// A mirror directory opened as a plain ledger refuses appends (they would fork the log); a
    /// ledger directory of its own is not taken for a mirror.
    @Test func aMirrorIsWrittenOnlyThroughTheDatabase() async throws {
        let directory = TemporaryDirectory("mirror")
        let url = try await PostgresCluster.shared().createDatabase()
        try await PostgresEventStore.create(url: url).close()
        let mirror = try await PostgresMirror.open(url: url, mirrorDirectory: directory.path)
        _ = try await mirror.ledger.append(Self.events(1...1), to: "INC-1")
        await mirror.close()
        let plain = try Ledger.open(at: directory.path)
        #expect(plain.mirrorOf != nil)
        let refusal = await #expect(throws: LedgerError.self) { _ = try await plain.append(Self.events(2...2), to: "INC-1") }
        #expect(refusal?.code == .permissionDenied && refusal?.detail == .mirror)
        #expect(try await plain.head().position == 1)

        let own = TemporaryDirectory("own")
        _ = try Ledger.create(at: own.path)
        let wrong = await #expect(throws: LedgerError.self) { _ = try await PostgresMirror.open(url: url, mirrorDirectory: own.path) }
        #expect(wrong?.message.contains("not a mirror") == true)
    }

    /// A mirror that holds what the database does not (another ledger, or one that lost commits)
    /// is refused, and nothing is changed in either.
    @Test func aMirrorOfAnotherLedgerIsRefused() async throws {
        let directory = TemporaryDirectory("mirror")
        let (one, other) = (try await PostgresCluster.shared().createDatabase(), try await PostgresCluster.shared().createDatabase())
        for url in [one, other] { try await PostgresEventStore.create(url: url).close() }
        let mirror = try await PostgresMirror.open(url: one, mirrorDirectory: directory.path)
        _ = try await mirror.ledger.append(Self.events(1...2), to: "INC-1")
        await mirror.close()
        // Another ledger with fewer records, then one with as many but other records.
        let refusedShort = await #expect(throws: LedgerError.self) { _ = try await PostgresMirror.open(url: other, mirrorDirectory: directory.path) }
        #expect(refusedShort?.detail == .mirrorDiverged)
        #expect(refusedShort?.message.contains("only 0") == true)
        let store = try await PostgresEventStore.open(url: other)
        _ = try await store.append(Self.events(5...6), to: "INC-9")
        await store.close()
        let refusedOther = await #expect(throws: LedgerError.self) { _ = try await PostgresMirror.open(url: other, mirrorDirectory: directory.path) }
        #expect(refusedOther?.detail == .mirrorDiverged)
        #expect(try Ledger.open(at: directory.path).info().head.position == 2)
        // The database it copies is still followed.
        let again = try await PostgresMirror.open(url: one, mirrorDirectory: directory.path)
        #expect(try await again.ledger.head().position == 2)
        await again.close()
    }

    /// A directory ledger copied into PostgreSQL and back has the same records, head and settings;
    /// a destination that holds a ledger is refused.
    @Test func migrationRoundTrips() async throws {
        let source = TemporaryDirectory("source")
        let ledger = try Ledger.create(at: source.path)
        _ = try await ledger.append(Self.events(1...40), to: "INC-1")
        var late = SampleEvents.event(41)
        late.sourceRecordedAt = SampleEvents.epoch
        _ = try await ledger.append([late], to: "INC-2")
        try await ledger.setSetting("token/x", [9])
        let head = try await ledger.head()

        let url = try await PostgresCluster.shared().createDatabase()
        let there = try await LedgerMigration.copy(from: source.path, to: url)
        #expect(there.head == head)
        #expect(there.settings == 1)
        let back = TemporaryDirectory("back")
        let returned = try await LedgerMigration.copy(from: url, to: back.path + "/ledger")
        #expect(returned.head == head)
        let copy = try Ledger.open(at: back.path + "/ledger")
        #expect(copy.mirrorOf == nil)
        #expect(try await copy.events(from: 1, limit: 100) == ledger.events(from: 1, limit: 100))
        #expect(try copy.setting("token/x") == [9])
        #expect(try copy.info().formatVersion == Ledger.formatVersion)

        let refused = await #expect(throws: LedgerError.self) { _ = try await LedgerMigration.copy(from: source.path, to: url) }
        #expect(refused?.code == .alreadyExists)
        let sameKind = await #expect(throws: LedgerError.self) { _ = try await LedgerMigration.copy(from: source.path, to: back.path + "/other") }
        #expect(sameKind?.code == .invalidInput)
    }
}
