import Foundation
import LedgerModel
import LedgerTestSupport
import Testing
@testable import LedgerStore

/// The optimistic-concurrency contract: every expectation against an empty and a non-empty stream,
/// and every kind of retry.
@Suite struct ExpectedVersionTests {
    /// (expectation, events already in the stream, whether the append must succeed)
    static let matrix: [(ExpectedVersion, Int, Bool)] = [
        (.any, 0, true), (.any, 2, true),
        (.noStream, 0, true), (.noStream, 2, false),
        (.streamExists, 0, false), (.streamExists, 2, true),
        (.exact(0), 0, true), (.exact(0), 2, false),
        (.exact(2), 0, false), (.exact(2), 2, true),
        (.exact(1), 2, false), (.exact(3), 2, false),
    ]

    @Test(arguments: matrix)
    func expectationAgainstStreamState(expected: ExpectedVersion, existing: Int, succeeds: Bool) async throws {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.create(at: directory.path)
        if existing > 0 {
            _ = try await ledger.append((1...existing).map { SampleEvents.event($0) }, to: "INC-1")
        }
        let event = SampleEvents.event(100)
        if succeeds {
            let result = try await ledger.append([event], to: "INC-1", expecting: expected)
            #expect(result.streamVersion == UInt64(existing + 1))
        } else {
            await #expect {
                _ = try await ledger.append([event], to: "INC-1", expecting: expected)
            } throws: { error in
                let error = error as? LedgerError
                return error?.code == .wrongExpectedVersion && error?.currentVersion == UInt64(existing)
                    && error?.message.contains("is at version \(existing)") == true
            }
            #expect(try ledger.read { try $0.eventCount() } == existing)
        }
    }

    @Test(arguments: [ExpectedVersion.any, .noStream, .exact(0)])
    func anExactRetryWritesNothingAndReturnsTheOriginalPositions(expected: ExpectedVersion) async throws {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.create(at: directory.path)
        _ = try await ledger.append([SampleEvents.event(50)], to: "INC-0")
        let events = (1...3).map { SampleEvents.event($0) }
        let original = try await ledger.append(events, to: "INC-1", expecting: expected)
        _ = try await ledger.append([SampleEvents.event(4)], to: "INC-1")
        let retried = try await ledger.append(events, to: "INC-1", expecting: expected)
        #expect(retried.positions == original.positions)
        #expect(retried.streamVersion == 3)
        #expect(retried.alreadyRecorded)
        #expect(try ledger.read { try $0.eventCount() } == 5)
    }

    @Test func aRetryUnderAnIncompatibleExpectationFails() async throws {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.create(at: directory.path)
        let events = [SampleEvents.event(1)]
        _ = try await ledger.append(events, to: "INC-1")
        await #expect {
            _ = try await ledger.append(events, to: "INC-1", expecting: .exact(5))
        } throws: { ($0 as? LedgerError)?.code == .wrongExpectedVersion }
    }

    @Test func reusedIdsThatAreNotAnExactRetryAreRefused() async throws {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.create(at: directory.path)
        let events = (1...2).map { SampleEvents.event($0) }
        _ = try await ledger.append(events, to: "INC-1")
        // Same ids, another stream.
        await #expect { _ = try await ledger.append(events, to: "INC-2") } throws: { ($0 as? LedgerError)?.code == .duplicateEventID }
        // Same first id, then a new event.
        await #expect {
            _ = try await ledger.append([events[0], SampleEvents.event(3)], to: "INC-1")
        } throws: { ($0 as? LedgerError)?.code == .duplicateEventID }
        // Same id, different content.
        var changed = events[0]
        changed.payload = Payload(["status": "resolved"])
        await #expect { _ = try await ledger.append([changed], to: "INC-1") } throws: { ($0 as? LedgerError)?.code == .duplicateEventID }
        // A new first event followed by a recorded id.
        await #expect {
            _ = try await ledger.append([SampleEvents.event(4), events[1]], to: "INC-1")
        } throws: { ($0 as? LedgerError)?.code == .duplicateEventID }
        // The same id twice in one batch.
        let twice = SampleEvents.event(5)
        await #expect { _ = try await ledger.append([twice, twice], to: "INC-3") } throws: { ($0 as? LedgerError)?.code == .duplicateEventID }
        #expect(try ledger.read { try $0.eventCount() } == 2)
        #expect(try ledger.verify().isIntact)
    }
}
