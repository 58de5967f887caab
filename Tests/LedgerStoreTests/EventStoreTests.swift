import Dispatch
import Foundation
import LedgerModel
import LedgerTestSupport
import Testing
@testable import LedgerStore

/// The LMDB ledger as an ``EventStore`` and ``ProjectionStore``: the conformance suite every store
/// runs, and what is particular to LMDB (one store per directory, commits signalled in-process).
@Suite struct EventStoreTests {
    @Test(arguments: EventStoreConformance.checks)
    func theLedgerConforms(_ check: EventStoreConformance.Check) async throws {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.create(at: directory.path, clock: SampleEvents.fixedClock())
        try await check.run(ledger)
        #expect(try ledger.verify().isIntact)
    }

    @Test func twoTasksOpeningOneLedgerShareOneStore() async throws {
        let directory = TemporaryDirectory()
        do { _ = try Ledger.create(at: directory.path) }
        let path = directory.path
        async let first = Task { try Ledger.open(at: path) }.value
        async let second = Task { try Ledger.open(at: path + "/.") }.value
        let (a, b) = try await (first, second)
        #expect(a === b)
        _ = try await a.append([SampleEvents.event(1)], to: "INC-1")
        _ = try await b.append([SampleEvents.event(2)], to: "INC-2")
        #expect(try await a.events(from: 1, limit: 10).map(\.position) == [1, 2])
        #expect(try await b.events(from: 1, limit: 10).map(\.position) == [1, 2])
        // A read-only open of a ledger open for writing gets a read-only view of the shared store.
        let readOnly = try Ledger.open(at: path, readOnly: true)
        #expect(!readOnly.isWritable && readOnly.access == .readOnly && a.isWritable)
        #expect(readOnly.environment === a.environment)
        await #expect { _ = try await readOnly.append([SampleEvents.event(3)], to: "INC-3") } throws: {
            ($0 as? LedgerError)?.code == .permissionDenied
        }
        _ = try await a.append([SampleEvents.event(4)], to: "INC-4")
        #expect(try await readOnly.head().position == 3)
    }

    @Test func aLedgerNobodyHoldsClosesAndOpensAgain() async throws {
        let directory = TemporaryDirectory()
        weak var released: Ledger?
        do {
            let ledger = try Ledger.create(at: directory.path)
            _ = try await ledger.append([SampleEvents.event(1)], to: "INC-1")
            released = ledger
        }
        #expect(released == nil)
        let reopened = try Ledger.open(at: directory.path, readOnly: true)
        #expect(!reopened.isWritable)
        #expect(try await reopened.head().position == 1)
    }

    @Test func aSubscriptionHearsThisProcessCommitAtOnce() async throws {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.create(at: directory.path)
        let subscription = ledger.subscribe(from: 1)
        let received = Task {
            for try await event in subscription { return event.position }
            return 0
        }
        // Caught up on an empty ledger, the subscription now waits for a commit.
        try await Task.sleep(for: .milliseconds(200))
        let generation = ledger.commits.generation
        _ = try await ledger.append([SampleEvents.event(1)], to: "INC-1")
        // The writer's signal, not the poll for other processes' commits, wakes the subscription.
        #expect(ledger.commits.generation == generation + 1, "the writer signals its commit")
        let position = try await EventStoreConformance.within(EventStoreConformance.patience) { try await received.value }
        #expect(position == 1)
    }

    @Test func aSubscriptionSeesAnotherProcessCommitWithinThePollInterval() async throws {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.create(at: directory.path)
        let received = EventStoreConformance.positions(of: ledger.subscribe(from: 1), count: 6)
        let path = directory.path
        // Three events to its own stream and three to "shared", committed by the child's own writer.
        let child = try await Task.detached {
            try ChildProcess.run(ChildProcess.executable("LedgerTestChild"), ["count", path, "P", "3"])
        }.value
        #expect(child.status == 0, "\(child.stderr)")
        let positions = try await EventStoreConformance.within(EventStoreConformance.patience) { try await received.value }
        #expect(positions == Array(1...6))
    }

    @Test func projectionStatesAndCheckpointCommitTogether() async throws {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.create(at: directory.path)
        try await ProjectionStoreConformance.statesAndCheckpointCommitTogether(ledger)
        try ledger.read { try $0.checkProjection("p") }
    }

    /// A read inside a read on one thread, while a resize of the map waits for the exclusive lock:
    /// the inner read must not queue behind the resize, which waits for the outer read to end.
    @Test func aReadInsideAReadGoesOnWhileAResizeWaits() {
        let lock = ResizeLock()
        let finished = DispatchSemaphore(value: 0)
        let resizerStarted = DispatchSemaphore(value: 0)
        let resized = DispatchSemaphore(value: 0)
        Thread {
            lock.withShared {
                Thread {
                    resizerStarted.signal()
                    lock.withExclusive {}
                    resized.signal()
                }.start()
                resizerStarted.wait()
                usleep(200_000)  // the resizer is now blocked in pthread_rwlock_wrlock
                lock.withShared {}
            }
            finished.signal()
        }.start()
        // Without the fix both threads wait for each other forever: fail after a bound instead.
        #expect(finished.wait(timeout: .now() + 20) == .success)
        #expect(resized.wait(timeout: .now() + 5) == .success)
    }

    @Test func aNestedLedgerReadSeesItsOwnSnapshot() async throws {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.create(at: directory.path)
        _ = try await ledger.append([SampleEvents.event(1)], to: "INC-1")
        let positions = try ledger.read { outer in
            (try outer.head().position, try ledger.read { try $0.head().position })
        }
        #expect(positions.0 == 1 && positions.1 == 1)
    }
}
