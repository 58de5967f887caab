import Foundation
import IncidentEvents
import IncidentGenerator
import LedgerModel
import LedgerStore
import LedgerTestSupport
import IncidentMetrics
import IncidentProjections
import Testing

/// The facts the metrics read, derived from real events in a real ledger.
@Suite struct IncidentMetricsProjectionTests {
    static let person = Actor(kind: .person, id: "jane@example.com")

    static func at(_ text: String) -> Timestamp { try! Timestamp(rfc3339: text) }
    static func micros(_ text: String) -> Int64 { at(text).microsecondsSinceEpoch }

    /// Appends one incident's events (with their times) and returns its caught-up facts.
    static func facts(_ events: [(IncidentEvent, String)], ids: [UUID]? = nil, stream: String = "INC-1") async throws -> IncidentMetricFacts {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.create(at: directory.path, clock: SampleEvents.fixedClock(offsetSeconds: 30 * 86_400))
        let proposed = events.enumerated().map { index, item in
            Catalog.proposed(item.0, id: ids?[index] ?? SampleEvents.uuid(index + 1), occurredAt: at(item.1), actor: person, source: "cli")
        }
        _ = try await ledger.append([StreamAppend(stream: stream, events: proposed)])
        let runner = ProjectionRunner(ledger: ledger)
        try runner.catchUp(IncidentMetricsProjection.self)
        return try #require(try runner.states(IncidentMetricsProjection.self).first)
    }

    static let declared = IncidentEvent.declared(IncidentDeclared(
        title: "Checkout errors", kind: .unplanned, severity: .sev2, services: ["checkout"], regions: [], customerSegments: [],
        impactStartedAt: at("2026-03-14T09:00:00Z"), detectedAt: at("2026-03-14T09:04:00Z")))

    @Test func responseMomentsComeFromResponseFigures() async throws {
        let facts = try await Self.facts([
            (Self.declared, "2026-03-14T09:06:00Z"),
            (.acknowledged(IncidentAcknowledged(by: "jane")), "2026-03-14T09:10:00Z"),
            (.acknowledged(IncidentAcknowledged(by: "joe")), "2026-03-14T09:08:00Z"),  // recorded later, happened earlier
            (.messageReceived(CustomerMessageReceived(messageId: "m1", channel: .email, customer: "acme", tier: "enterprise")), "2026-03-14T09:20:00Z"),
            (.replySent(CustomerReplySent(inReplyTo: "m1", channel: .email, customer: "acme")), "2026-03-14T09:35:00Z"),
            (.messageReceived(CustomerMessageReceived(messageId: "m2", channel: .chat, customer: "zeta")), "2026-03-14T09:21:00Z"),
            (.statusChanged(IncidentStatusChanged(status: .mitigated)), "2026-03-14T09:50:00Z"),
            (.resolved(IncidentResolved(summary: "Rolled back")), "2026-03-14T10:00:00Z"),
        ])
        #expect(facts.declared == Self.micros("2026-03-14T09:06:00Z"))
        #expect(facts.impactStarted == Self.micros("2026-03-14T09:00:00Z"))
        #expect(facts.detected == Self.micros("2026-03-14T09:04:00Z"))
        #expect(facts.acknowledged == Self.micros("2026-03-14T09:08:00Z"))
        #expect(facts.mitigated == Self.micros("2026-03-14T09:50:00Z"))
        #expect(facts.resolved == Self.micros("2026-03-14T10:00:00Z"))
        #expect(facts.messages.count == 2)
        #expect(facts.messages[0].firstReply == Self.micros("2026-03-14T09:35:00Z"))
        #expect(facts.messages[1].firstReply == nil)
        #expect(facts.customersAffected == 2)
    }

    @Test func aCorrectionMovesTheClockAndARetractionRemovesTheEvent() async throws {
        let ack = SampleEvents.uuid(2)
        let facts = try await Self.facts([
            (Self.declared, "2026-03-14T09:06:00Z"),
            (.acknowledged(IncidentAcknowledged(by: "jane")), "2026-03-14T09:30:00Z"),
            (.escalationRaised(EscalationRaised(escalationId: "e1", fromLevel: .support, toLevel: .executive, reason: .threatToCancel)), "2026-03-14T09:40:00Z"),
            // The impact began earlier than first thought; the escalation was entered on the wrong incident.
            (.corrected(EventCorrected(target: SampleEvents.uuid(1).lowercasedString, fields: ["impactStartedAt": .string("2026-03-14T08:30:00Z")], reason: "Logs show earlier errors")), "2026-03-14T11:00:00Z"),
            (.retracted(EventRetracted(target: SampleEvents.uuid(3).lowercasedString, reason: "Wrong incident")), "2026-03-14T11:05:00Z"),
        ])
        #expect(facts.impactStarted == Self.micros("2026-03-14T08:30:00Z"))
        #expect(facts.acknowledged == Self.micros("2026-03-14T09:30:00Z"))
        #expect(facts.escalations.isEmpty)
        #expect(facts.firstEscalation == nil)
        _ = ack
    }

    @Test func escalationSpellsFollowTheLevels() async throws {
        let facts = try await Self.facts([
            (Self.declared, "2026-03-14T09:06:00Z"),
            (.escalationRaised(EscalationRaised(escalationId: "e1", fromLevel: .support, toLevel: .executive, reason: .threatToCancel, customer: "acme")), "2026-03-14T09:30:00Z"),
            (.escalationDeescalated(EscalationDeescalated(escalationId: "e1", toLevel: .escalationManager, reason: "Customer calmed")), "2026-03-14T10:00:00Z"),
            (.escalationRaised(EscalationRaised(escalationId: "e2", fromLevel: .support, toLevel: .engineering, reason: .severity)), "2026-03-14T09:45:00Z"),
            (.escalationClosed(EscalationClosed(escalationId: "e2", resolution: "Fixed")), "2026-03-14T10:15:00Z"),
            (.resolved(IncidentResolved(summary: "Done")), "2026-03-14T11:00:00Z"),
        ])
        let spells = facts.levelSpells.map { "\($0.level.rawValue) \(($0.to! - $0.from) / 60_000_000)" }
        #expect(spells == ["executive 30", "engineering 30", "escalation_manager 60"])
        #expect(facts.escalations.map(\.level) == [.executive, .engineering])
        #expect(facts.firstEscalation == Self.micros("2026-03-14T09:30:00Z"))
    }

    @Test func slaTargetsAreReadForTheFinalSeverity() async throws {
        let policy = SLAPolicyAttached(
            policyId: "gold", name: "Gold", clock: .calendar,
            targets: [SLATarget(severity: .sev1, firstResponseMinutes: 10), SLATarget(severity: .sev2, firstResponseMinutes: 30)])
        let facts = try await Self.facts([
            (Self.declared, "2026-03-14T09:06:00Z"),
            (.slaPolicyAttached(policy), "2026-03-14T09:07:00Z"),
            (.severityChanged(IncidentSeverityChanged(severity: .sev1, reason: "Worse")), "2026-03-14T09:20:00Z"),
        ])
        #expect(facts.severity == .sev1)
        #expect(facts.policies.map(\.firstResponseMinutes) == [10])
    }

    /// For random histories and random catch-up points, the facts reached step by step equal the
    /// facts of one full rebuild, byte for byte.
    @Test(arguments: [11, 12, 13] as [UInt64])
    func incrementalCatchUpEqualsAFullRebuild(seed: UInt64) async throws {
        var generator = HistoryGenerator(.init(incidents: 8, seed: seed, days: 20))
        let history = generator.events()
        let clock = SampleEvents.fixedClock(offsetSeconds: 10 * 86_400)
        let fullDirectory = TemporaryDirectory(), stepDirectory = TemporaryDirectory()
        let full = try Ledger.create(at: fullDirectory.path, clock: clock)
        let stepped = try Ledger.create(at: stepDirectory.path, clock: clock)
        try await full.append(inOrder: history[...])
        try ProjectionRunner(ledger: full).catchUp(IncidentMetricsProjection.self)

        var random = SeededGenerator(seed: seed &* 31)
        var runner = ProjectionRunner(ledger: stepped)
        runner.batchSize = Int.random(in: 3...40, using: &random)
        var offset = 0
        while offset < history.count {
            let next = min(history.count, offset + Int.random(in: 1...150, using: &random))
            try await stepped.append(inOrder: history[offset..<next], chunk: Int.random(in: 1...30, using: &random))
            offset = next
            if Bool.random(using: &random) { try runner.catchUp(IncidentMetricsProjection.self) }
        }
        try runner.catchUp(IncidentMetricsProjection.self)
        let a = try Self.stored(full), b = try Self.stored(stepped)
        #expect(a.count == 8)
        #expect(a == b)

        // The compact stored form reads back to the same facts; damaged bytes are refused, not misread.
        let facts = try ProjectionRunner(ledger: full).states(IncidentMetricsProjection.self)
        #expect(facts.count == 8)
        for fact in facts {
            let bytes = fact.encoded()
            #expect(try bytes.withUnsafeBytes { try IncidentMetricFacts(encoded: $0) } == fact)
            #expect(throws: (any Error).self) { try bytes.dropLast().withUnsafeBytes { try IncidentMetricFacts(encoded: $0) } }
            #expect(throws: (any Error).self) { try ([99] + bytes.dropFirst()).withUnsafeBytes { try IncidentMetricFacts(encoded: $0) } }
        }
        #expect(facts.contains { !$0.messages.isEmpty && $0.messages.contains { $0.tier != nil } })
        #expect(facts.contains { !$0.policies.isEmpty && !$0.surveys.isEmpty })
    }

    static func stored(_ ledger: Ledger) throws -> [String: [UInt8]] {
        try ledger.storedProjectionStates(IncidentMetricsProjection.name)
    }
}

@Suite struct SourceSLAFactsTests {
    /// The source's SLA verdict is kept in the stored facts, and a damaged verdict byte is refused.
    @Test func theSourcesVerdictRoundTrips() throws {
        var facts = IncidentMetricFacts(incident: "D-1")
        facts.sourceSLA = .breached
        let bytes = facts.encoded()
        #expect(try bytes.withUnsafeBytes { try IncidentMetricFacts(encoded: $0) }.sourceSLA == .breached)
        #expect(throws: (any Error).self) { try (bytes.dropLast() + [9]).withUnsafeBytes { try IncidentMetricFacts(encoded: $0) } }
    }
}
