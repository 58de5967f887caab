import Foundation
import IncidentEvents
import IncidentGenerator
import LedgerModel
import LedgerStore
import LedgerTestSupport
import IncidentService
import Testing
@testable import IncidentProjections

@Suite struct ProjectionEngineTests {
    /// Every stored state of a projection, as the bytes stored.
    static func storedStates(_ ledger: Ledger, _ name: String) throws -> [String: [UInt8]] {
        try ledger.storedProjectionStates(name)
    }

    /// For generated histories with every event type and random catch-up points, the state reached
    /// incrementally equals the state of one full rebuild, byte for byte, and both equal a plain
    /// fold of each incident's corrected history.
    @Test(arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
    func incrementalCatchUpEqualsAFullRebuild(seed: UInt64) async throws {
        let history = HistoryGenerator.everyFamily(incidents: 12, seed: seed)
        let types = Set(history.map(\.event.type))
        #expect(Catalog.entries.filter { !types.contains($0.type) }.map(\.type) == [], "every event type is generated")

        let fullDirectory = TemporaryDirectory()
        let full = try Ledger.create(at: fullDirectory.path, clock: SampleEvents.fixedClock(offsetSeconds: 10 * 86_400))
        try await full.append(inOrder: history[...])
        let runner = ProjectionRunner(ledger: full)
        #expect(try runner.catchUp(IncidentStateProjection.self) == history.count)

        let stepDirectory = TemporaryDirectory()
        let stepped = try Ledger.create(at: stepDirectory.path, clock: SampleEvents.fixedClock(offsetSeconds: 10 * 86_400))
        var random = SeededGenerator(seed: seed &* 7919)
        var steppedRunner = ProjectionRunner(ledger: stepped)
        steppedRunner.batchSize = Int.random(in: 3...50, using: &random)
        var offset = 0
        while offset < history.count {
            let next = min(history.count, offset + Int.random(in: 1...60, using: &random))
            try await stepped.append(inOrder: history[offset..<next], chunk: Int.random(in: 1...20, using: &random))
            offset = next
            if Bool.random(using: &random) { try steppedRunner.catchUp(IncidentStateProjection.self) }
        }
        try steppedRunner.catchUp(IncidentStateProjection.self)

        let fullStates = try Self.storedStates(full, IncidentStateProjection.name)
        let steppedStates = try Self.storedStates(stepped, IncidentStateProjection.name)
        #expect(fullStates.count == 12)
        #expect(fullStates == steppedStates)

        // The reference: fold each incident's corrected history directly. The stored bytes read back
        // to that summary, and damaged bytes are refused rather than misread.
        try full.read { reader throws in
            for (key, bytes) in fullStates {
                var summary = IncidentSummary(incident: key)
                for event in try EffectiveHistory.events(of: key, in: reader) { summary.apply(event) }
                #expect(IncidentStateProjection.encode(summary) == bytes, "\(key)")
                #expect(try bytes.withUnsafeBytes { try IncidentStateProjection.decode($0) } == summary)
                #expect(throws: (any Error).self) { try bytes.dropLast().withUnsafeBytes { try IncidentStateProjection.decode($0) } }
            }
        }
        // Every list and rarely set field of the stored bytes was written and read back.
        let summaries = try fullStates.values.map { bytes in try bytes.withUnsafeBytes { try IncidentStateProjection.decode($0) } }
        #expect(summaries.contains { !$0.responders.isEmpty } && summaries.contains { !$0.surveys.isEmpty })
        #expect(summaries.contains { !$0.actionItems.isEmpty } && summaries.contains { !$0.links.isEmpty })
        #expect(summaries.contains { $0.mergedInto != nil } && summaries.contains { $0.reopenCount > 0 })
        #expect(summaries.contains { $0.correctionCount > 0 } && summaries.contains { $0.retractionCount > 0 })
    }

    @Test func aVersionChangeOrARebuildStartsOver() async throws {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.create(at: directory.path)
        try await ledger.append(inOrder: HistoryGenerator.everyFamily(incidents: 3, seed: 42)[...])
        let runner = ProjectionRunner(ledger: ledger)
        try runner.catchUp(IncidentStateProjection.self)
        let before = try Self.storedStates(ledger, IncidentStateProjection.name)
        #expect(try runner.status(IncidentStateProjection.self).isCurrent)
        #expect(try runner.catchUp(IncidentStateProjection.self) == 0)

        // A stored checkpoint of another version is rebuilt from the start.
        let head = try ledger.read { try $0.head().position }
        try ledger.commitProjection(
            IncidentStateProjection.name, expected: ProjectionCheckpoint(version: IncidentStateProjection.version, position: head),
            to: ProjectionCheckpoint(version: 99, position: head), states: ["stale": Array("{}".utf8)], reset: false)
        #expect(try runner.catchUp(IncidentStateProjection.self) == Int(head))
        #expect(try Self.storedStates(ledger, IncidentStateProjection.name) == before)

        #expect(try runner.rebuild(IncidentStateProjection.self) == Int(head))
        #expect(try Self.storedStates(ledger, IncidentStateProjection.name) == before)
    }

    @Test func correctionsReachTheStateAndRetractionsLeaveIt() async throws {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.create(at: directory.path, clock: SampleEvents.fixedClock(offsetSeconds: 86_400))
        let recorder = EventRecorder(ledger: ledger, clock: SampleEvents.fixedClock(offsetSeconds: 86_400))
        let declared = UUID.version7()
        let message = UUID.version7()
        func at(_ minutes: Int64) -> Timestamp { SampleEvents.epoch.adding(seconds: minutes * 60) }
        let actor = Actor(kind: .person, id: "p")
        _ = try await recorder.record([
            StreamEvent(stream: "INC-1", event: Catalog.proposed(.declared(IncidentDeclared(title: "t", severity: .sev1, detectedAt: at(5))), id: declared, occurredAt: at(6), actor: actor, source: "t")),
            StreamEvent(stream: "INC-1", event: Catalog.proposed(.messageReceived(CustomerMessageReceived(messageId: "m-1", channel: .chat, customer: "acme")), id: message, occurredAt: at(7), actor: actor, source: "t")),
        ])
        let runner = ProjectionRunner(ledger: ledger)
        try runner.catchUp(IncidentStateProjection.self)
        #expect(try runner.state(IncidentStateProjection.self, key: "INC-1")?.messageCount == 1)
        _ = try await recorder.record([
            StreamEvent(stream: "INC-1", event: Catalog.proposed(.corrected(EventCorrected(target: declared.uuidString, fields: ["severity": "sev3", "detectedAt": "2026-03-14T09:02:00Z"], reason: "r")), occurredAt: at(8), actor: actor, source: "t")),
            StreamEvent(stream: "INC-1", event: Catalog.proposed(.retracted(EventRetracted(target: message.uuidString, reason: "wrong incident")), occurredAt: at(9), actor: actor, source: "t")),
        ])
        try runner.catchUp(IncidentStateProjection.self)
        let summary = try #require(try runner.state(IncidentStateProjection.self, key: "INC-1"))
        #expect(summary.severity == .sev3)
        #expect(summary.detectedAt == (try Timestamp(rfc3339: "2026-03-14T09:02:00Z")))
        #expect(summary.messageCount == 0)
        #expect(summary.customers.isEmpty)
        #expect(summary.correctionCount == 1 && summary.retractionCount == 1)
    }
}

@Suite struct IncidentSummaryOrderTests {
    func event(_ event: IncidentEvent, minutes: Int64, position: UInt64) -> ProjectedEvent {
        let proposed = Catalog.proposed(event, occurredAt: SampleEvents.epoch.adding(seconds: minutes * 60), actor: Actor(kind: .person, id: "p"), source: "t")
        let recorded = RecordedEvent(position: position, stream: "INC-1", streamVersion: position, recordedAt: SampleEvents.epoch.adding(seconds: 86_400), previousHash: .zero, event: proposed)
        return ProjectedEvent(recorded: recorded, event: event)
    }

    /// A status recorded late, about a moment before the resolution, records the mitigation time
    /// but does not move a resolved incident back to mitigated; internal updates are not public ones.
    @Test func lateFactsCountWhenTheyHappened() {
        var summary = IncidentSummary(incident: "INC-1")
        summary.apply(event(.declared(IncidentDeclared(title: "t", severity: .sev2)), minutes: 0, position: 1))
        summary.apply(event(.statusUpdatePublished(StatusUpdatePublished(status: .investigating, audience: .internal, channels: [.email], text: "internal")), minutes: 5, position: 2))
        summary.apply(event(.resolved(IncidentResolved(summary: "done")), minutes: 60, position: 3))
        summary.apply(event(.statusChanged(IncidentStatusChanged(status: .mitigated)), minutes: 40, position: 4))
        #expect(summary.phase == .resolved)
        #expect(summary.mitigatedAt == SampleEvents.epoch.adding(seconds: 40 * 60))
        #expect(summary.publicUpdateCount == 0)
        #expect(summary.firstPublicUpdateAt == nil)
        summary.apply(event(.statusUpdatePublished(StatusUpdatePublished(status: .resolved, channels: [.statusPage], text: "public")), minutes: 61, position: 5))
        #expect(summary.publicUpdateCount == 1)
    }
}
