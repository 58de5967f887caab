import Foundation
import LedgerModel
import LedgerTestSupport
import Testing
@testable import LedgerStore

@Suite struct AppendAndReadTests {
    @Test func appendedEventsReadBackExactly() async throws {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.create(at: directory.path, clock: SampleEvents.fixedClock())
        let first = (1...3).map { SampleEvents.event($0) }
        let second = (4...5).map { SampleEvents.event($0) }
        let a = try await ledger.append(first, to: "INC-1", expecting: .noStream)
        let b = try await ledger.append(second, to: "INC-2")
        #expect(a.positions == 1...3 && a.streamVersion == 3 && !a.alreadyRecorded)
        #expect(b.positions == 4...5 && b.streamVersion == 2)

        try ledger.read { reader throws in
            var all = [RecordedEvent]()
            try reader.forEachEvent { all.append($0); return true }
            #expect(all.map(\.position) == [1, 2, 3, 4, 5])
            #expect(all.map(\.proposed) == first + second)
            #expect(all.map(\.stream) == ["INC-1", "INC-1", "INC-1", "INC-2", "INC-2"])
            #expect(all.map(\.streamVersion) == [1, 2, 3, 1, 2])
            #expect(all.allSatisfy { $0.recordedAt == SampleEvents.fixedClock()() })
            // Each record links to the hash of the one before.
            #expect(all[0].previousHash == .zero)
            var incident = [RecordedEvent]()
            try reader.forEachEvent(inStream: "INC-1", fromVersion: 2) { incident.append($0); return true }
            #expect(incident.map(\.streamVersion) == [2, 3])
            #expect(try reader.event(id: second[1].id)?.position == 5)
            #expect(try reader.event(at: 9) == nil)
            #expect(try reader.version(ofStream: "INC-1") == 3)
            #expect(try reader.version(ofStream: "INC-") == 0)
            #expect(try reader.version(ofStream: "INC-11") == 0)
            #expect(try reader.head().position == 5)
            #expect(try reader.eventCount() == 5)
        }
        #expect(try ledger.verify().isIntact)
    }

    @Test func recordedAtNeverGoesBackEvenWhenTheClockDoes() async throws {
        let directory = TemporaryDirectory()
        do {
            let ledger = try Ledger.create(at: directory.path, clock: SampleEvents.fixedClock(offsetSeconds: 500))
            _ = try await ledger.append([SampleEvents.event(1)], to: "INC-1")
        }
        let ledger = try Ledger.open(at: directory.path, clock: SampleEvents.fixedClock(offsetSeconds: 100))
        _ = try await ledger.append([SampleEvents.event(2)], to: "INC-1")
        let recordedAt = try ledger.read { try $0.event(at: 2)?.recordedAt }
        #expect(recordedAt == SampleEvents.epoch.adding(seconds: 500))
        #expect(try ledger.verify().isIntact)
    }

    @Test func aReopenedLedgerContinuesTheChain() async throws {
        let directory = TemporaryDirectory()
        let headBefore: LedgerHead
        do {
            let ledger = try Ledger.create(at: directory.path)
            _ = try await ledger.append((1...10).map { SampleEvents.event($0) }, to: "INC-1")
            headBefore = try ledger.read { try $0.head() }
        }
        let ledger = try Ledger.open(at: directory.path)
        #expect(try ledger.read { try $0.head() } == headBefore)
        let result = try await ledger.append([SampleEvents.event(11)], to: "INC-1", expecting: .exact(10))
        #expect(result.positions == 11...11)
        #expect(try ledger.read { try $0.event(at: 11)?.previousHash } == headBefore.hash)
        #expect(try ledger.verify().isIntact)
    }

    @Test func refusesInvalidEventsBeforeWritingAnything() async throws {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.create(at: directory.path)
        var bad = SampleEvents.event(2)
        bad.type = "Not A Type"
        await #expect {
            _ = try await ledger.append([SampleEvents.event(1), bad], to: "INC-1")
        } throws: { error in
            let error = error as? LedgerError
            return error?.code == .invalidInput && error?.message.contains("event 2: type") == true
        }
        var huge = SampleEvents.event(3)
        huge.payload = Payload(["body": .string(String(repeating: "x", count: EnvelopeRules.maximumPayloadBytes + 1))])
        await #expect(throws: LedgerError.self) { _ = try await ledger.append([huge], to: "INC-1") }
        await #expect(throws: LedgerError.self) { _ = try await ledger.append([], to: "INC-1") }
        await #expect(throws: LedgerError.self) { _ = try await ledger.append([SampleEvents.event(4)], to: "") }
        #expect(try ledger.read { try $0.eventCount() } == 0)
    }

    /// More than the initial 64 MiB map: the map must grow by itself, and nothing may be lost.
    @Test func theMapGrowsAsTheLedgerGrows() async throws {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.create(at: directory.path)
        let mapBefore = try ledger.info().mapBytes
        let body = String(repeating: "0123456789abcdef", count: 12_000)  // 192 KB per event
        for batch in 0..<8 {
            let events = (0..<60).map { index -> ProposedEvent in
                var event = SampleEvents.event(batch * 100 + index)
                event.payload = Payload(["body": .string(body)])
                return event
            }
            _ = try await ledger.append(events, to: "INC-big")
        }
        let info = try ledger.info()
        #expect(info.eventCount == 480)
        #expect(info.mapBytes > mapBefore)
        #expect(info.fileBytes > 64 << 20)
        #expect(try ledger.verify().isIntact)
    }
}
