import Foundation
import IncidentEvents
import IncidentGenerator
import LedgerModel
import LedgerStore
import LedgerTestSupport
import Synchronization
import IncidentService
import Testing
@testable import IncidentProjections

/// A clock a test moves by hand, to control recordedAt.
final class ManualClock: Sendable {
    private let now = Mutex(SampleEvents.epoch)
    func set(_ time: Timestamp) { now.withLock { $0 = time } }
    func read() -> Timestamp { now.withLock { $0 } }
}

@Suite struct ReplayTests {
    func at(_ minutes: Int64) -> Timestamp { SampleEvents.epoch.adding(seconds: minutes * 60) }

    /// Declared at 0 (detected at 5), a message at 10 recorded at 60, a correction of the detection
    /// time recorded at 120.
    func ledger() async throws -> (TemporaryDirectory, Ledger) {
        let directory = TemporaryDirectory()
        let clock = ManualClock()
        let ledger = try Ledger.create(at: directory.path, clock: { clock.read() })
        let recorder = EventRecorder(ledger: ledger, clock: { clock.read() })
        let actor = Actor(kind: .person, id: "p")
        let declared = UUID.version7()
        clock.set(at(1))
        _ = try await recorder.record([StreamEvent(stream: "INC-1", event: Catalog.proposed(
            .declared(IncidentDeclared(title: "t", severity: .sev2, detectedAt: at(5))), id: declared, occurredAt: at(0), actor: actor, source: "t"))])
        clock.set(at(60))
        _ = try await recorder.record([StreamEvent(stream: "INC-1", event: Catalog.proposed(
            .messageReceived(CustomerMessageReceived(messageId: "m", channel: .phone, customer: "c")), occurredAt: at(10), actor: actor, source: "t"))])
        clock.set(at(120))
        _ = try await recorder.record([StreamEvent(stream: "INC-1", event: Catalog.proposed(
            .corrected(EventCorrected(target: declared.uuidString, fields: ["detectedAt": .string(at(3).rfc3339)], reason: "r")),
            occurredAt: at(120), actor: actor, source: "t"))])
        return (directory, ledger)
    }

    @Test func asKnownShowsOnlyWhatWasRecordedByThen() async throws {
        let (_, ledger) = try await ledger()
        try ledger.read { reader throws in
            let at30 = try #require(try Replay.asKnown("INC-1", at: at(30), in: reader))
            #expect(at30.messageCount == 0, "the message was recorded only at 60")
            #expect(at30.detectedAt == at(5))
            let at90 = try #require(try Replay.asKnown("INC-1", at: at(90), in: reader))
            #expect(at90.messageCount == 1)
            #expect(at90.detectedAt == at(5), "the correction was recorded only at 120")
            #expect(try Replay.asKnown("INC-1", at: at(0), in: reader) == nil)
        }
    }

    @Test func asOccurredAppliesWhatWasLearnedLater() async throws {
        let (_, ledger) = try await ledger()
        try ledger.read { reader throws in
            let at30 = try #require(try Replay.asOccurred("INC-1", at: at(30), in: reader))
            #expect(at30.messageCount == 1, "the message happened at 10")
            #expect(at30.detectedAt == at(3), "corrected later")
            let at5 = try #require(try Replay.asOccurred("INC-1", at: at(5), in: reader))
            #expect(at5.messageCount == 0)
        }
    }

    @Test func stepsShowWhatEachEventChanged() async throws {
        let (_, ledger) = try await ledger()
        let steps = try ledger.read { try Replay.steps("INC-1", in: $0) }
        #expect(steps.count == 3)
        #expect(steps[1].changes.contains { $0.field == "messageCount" && $0.before == "0" && $0.after == "1" })
        #expect(steps[2].changes.contains { $0.field == "detectedAt" && $0.after == "\"\(at(3).rfc3339)\"" })
    }

    /// For generated histories with every event type (corrections and retractions among them), each
    /// step's state and changes are those of folding the corrected history up to that event again
    /// from the start (what `steps` did for every event before it kept one running state).
    @Test(arguments: [1, 2, 3] as [UInt64])
    func stepsEqualFoldingEachPrefixAgain(seed: UInt64) async throws {
        let history = HistoryGenerator.everyFamily(incidents: 4, seed: seed)
        let directory = TemporaryDirectory()
        let ledger = try Ledger.create(at: directory.path, clock: SampleEvents.fixedClock(offsetSeconds: 10 * 86_400))
        try await ledger.append(inOrder: history[...])
        var corrections = 0
        for stream in Set(history.map(\.stream)).sorted() {
            let events = try ledger.read { try $0.events(inStream: stream) }
            let steps = Replay.steps(stream, events: events)
            #expect(steps.map(\.event.position) == events.map(\.position))
            var previous = Replay.fields(of: IncidentSummary(incident: stream))
            for (index, step) in steps.enumerated() {
                let current = Replay.fields(of: Replay.fold(stream, EffectiveHistory.apply(Array(events[...index]))))
                let changed = current.keys.sorted().filter { $0 != "eventCount" && $0 != "lastPosition" && current[$0] != previous[$0] }
                #expect(step.changes.map(\.field) == changed, "\(stream) step \(index + 1): \(step.event.type)")
                #expect(step.changes.map(\.after) == changed.map { current[$0] ?? "—" })
                previous = current
            }
            corrections += events.filter { $0.type == EventCorrected.type || $0.type == EventRetracted.type }.count
        }
        #expect(corrections > 0, "the histories hold corrections or retractions")
    }
}
