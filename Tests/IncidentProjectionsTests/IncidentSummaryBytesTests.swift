import IncidentEvents
import LedgerModel
import LedgerTestSupport
import Testing
@testable import IncidentProjections

/// The incident-state projection's stored bytes (format version 1) are pinned: a change to them
/// must come with a new projection version, which rebuilds every stored state. Projection version 4
/// added the tier of a message awaiting a reply.
@Suite struct IncidentSummaryBytesTests {
    static func at(_ minutes: Int64) -> Timestamp { SampleEvents.epoch.adding(seconds: minutes * 60) }

    /// A summary with every field set, lists with two elements and enums past their first case.
    static var everyField: IncidentSummary {
        var summary = IncidentSummary(incident: "INC-7")
        summary.title = "Checkout returning errors"
        summary.kind = .scheduledMaintenance
        summary.severity = .sev2
        summary.phase = .mitigated
        summary.services = ["checkout-api", "payments"]
        summary.regions = ["eu-west-1"]
        summary.customerSegments = ["enterprise", "business"]
        summary.customersAffected = 1200
        (summary.plannedStart, summary.plannedEnd, summary.impactStartedAt, summary.detectedAt) = (at(-60), at(-30), at(1), at(2))
        (summary.declaredAt, summary.acknowledgedAt, summary.firstPublicUpdateAt, summary.firstEscalatedAt) = (at(3), at(4), at(5), at(6))
        (summary.mitigatedAt, summary.resolvedAt, summary.closedAt) = (at(7), at(8), at(9))
        summary.reopenCount = 2
        summary.responders = [.init(person: "dana@example.com", role: .incidentCommander), .init(person: "li@example.com", role: .engineer)]
        summary.escalationCount = 3
        summary.executiveEscalationCount = 1
        summary.highestEscalationLevel = .executive
        summary.openEscalations = [
            .init(id: "esc-1", level: .executive, reason: .threatToCancel, customer: "acme", raisedAt: at(10), acknowledged: true),
            .init(id: "esc-2", level: .engineering, reason: .severity, customer: nil, raisedAt: at(11), acknowledged: false),
        ]
        summary.customers = ["acme", "globex"]
        summary.messageCount = 5
        summary.awaitingReply = [
            .init(messageId: "m-1", customer: "acme", channel: .socialMedia, receivedAt: at(12), tier: "enterprise"),
            .init(messageId: "m-2", customer: "globex", channel: .email, receivedAt: at(13)),
        ]
        summary.publicUpdateCount = 4
        summary.lastPublicUpdateAt = at(14)
        summary.lastPublicStatus = .monitoring
        summary.nextUpdatePromisedBy = at(15)
        summary.etaAt = at(16)
        summary.slaPolicies = ["standard"]
        summary.surveys = [
            .init(surveyId: "s-1", customer: "acme", scale: .nps, score: 9, expired: false),
            .init(surveyId: "s-2", customer: "globex", scale: .csat, score: nil, expired: true),
        ]
        summary.postmortem = .published
        summary.rootCause = "A pool was exhausted"
        summary.actionItems = [
            .init(id: "ai-1", title: "Guard the pool", owner: "team@example.com", dueAt: at(17), completedAt: at(18)),
            .init(id: "ai-2", title: "Alert on the pool", owner: "ops@example.com", dueAt: at(19), completedAt: nil),
        ]
        summary.links = ["INC-6", "INC-5"]
        summary.mergedInto = "INC-8"
        summary.eventCount = 42
        summary.correctionCount = 2
        summary.retractionCount = 1
        summary.lastPosition = UInt64.max - 3
        summary.phaseSetAt = at(20)
        return summary
    }

    @Test func theStoredBytesOfEveryFieldAreUnchanged() throws {
        let bytes = IncidentStateProjection.encode(Self.everyField)
        #expect(IncidentStateProjection.version == 4, "these bytes are version 4's")
        // 942 bytes in version 3; each awaited reply adds a presence byte for its tier, and a tier given
        // its length (8 bytes) and text.
        #expect(bytes.count == 942 + 2 + 8 + "enterprise".utf8.count)
        #expect(Hash256.sha256(bytes).hex == "dbd79493851e5838e02362f5424655d5c64eff2db95435be65aa820e3e520f32")
        #expect(try bytes.withUnsafeBytes { try IncidentStateProjection.decode($0) } == Self.everyField)
    }

    @Test func anEmptySummaryKeepsItsBytes() throws {
        let bytes = IncidentStateProjection.encode(IncidentSummary(incident: "INC-1"))
        #expect(bytes.count == 199)
        #expect(Hash256.sha256(bytes).hex == "6c75b686a1db7b01567c7afb019d08870165039080d2b4597e64ed01d694f6f5")
        #expect(try bytes.withUnsafeBytes { try IncidentStateProjection.decode($0) } == IncidentSummary(incident: "INC-1"))
    }
}
