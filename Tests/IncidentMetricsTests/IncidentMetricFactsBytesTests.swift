import IncidentEvents
import LedgerModel
import IncidentMetrics
import Testing

/// The incident-metrics projection's stored bytes (format version 4, projection version 6: executive
/// sponsorship, each survey's customer and the regions were added) are pinned: a change to them must
/// come with a new projection version, which rebuilds every stored state.
@Suite struct IncidentMetricFactsBytesTests {
    /// Facts with every field set, lists with two or more elements and enums past their first case;
    /// customers and tiers repeat, so their tables are shared.
    static var everyField: IncidentMetricFacts {
        var facts = IncidentMetricFacts(incident: "INC-7")
        facts.title = "Checkout returning errors"
        facts.kind = .scheduledMaintenance
        facts.severity = .sev2
        facts.services = ["checkout-api", "payments"]
        facts.customerSegments = ["enterprise"]
        facts.unknownTimes = .start
        (facts.declared, facts.impactStarted, facts.detected, facts.acknowledged) = (100, -50, 80, 120)
        (facts.firstPublicUpdate, facts.firstEscalation, facts.mitigated, facts.resolved) = (130, 140, 150, 160)
        (facts.publicUpdates, facts.promisesMade, facts.promisesKept, facts.promisesPending, facts.promisesMissed) = (5, 4, 2, 1, 1)
        facts.gaps = [.init(from: 130, to: 190), .init(from: 200, to: 260)]
        facts.pendingPromiseDue = 300
        facts.etaLateBySeconds = 45
        facts.messages = [
            .init(customer: "acme", channel: .chat, tier: "enterprise", threatensToLeave: true, received: 90, firstReply: 95),
            .init(customer: "globex", channel: .email, tier: nil, threatensToLeave: false, received: 91),
            .init(customer: "acme", channel: .socialMedia, tier: "business", threatensToLeave: false, received: 92, firstReply: 99),
            .init(customer: "initech", channel: .ticket, tier: "enterprise", threatensToLeave: false, received: 93),
        ]
        facts.customersAffected = 1200
        facts.escalations = [.init(level: .executive, reason: .threatToCancel, customer: "acme", at: 140), .init(level: .engineering, reason: .severity, at: 141)]
        facts.levelSpells = [.init(level: .engineering, reason: .severity, from: 141, to: 150), .init(level: .executive, reason: .threatToCancel, from: 150)]
        facts.policies = [
            .init(policyId: "standard", name: "Standard", clock: .calendar, firstResponseMinutes: 15, updateCadenceMinutes: 45, resolutionMinutes: 240),
            .init(policyId: "gold", name: "Gold", customer: "acme", clock: .businessHours, calendar: "support-berlin", firstResponseMinutes: 5),
        ]
        facts.plannedStart = 10
        facts.plannedEnd = 20
        facts.maintenanceStarted = 12
        facts.surveys = [.init(scale: .nps, score: 9, expired: false, customer: "acme"), .init(scale: .csat, expired: true, customer: "globex")]
        facts.postmortemPublished = 900
        facts.actionItems = [.init(due: 1000, completed: 990), .init(due: 1100)]
        facts.sourceSLA = .breached
        facts.regions = ["eu-west-1", "us-east-1"]
        facts.sponsorshipChanges = [.init(customer: "acme", sponsor: "coo", at: 95, position: 12), .init(customer: "acme", sponsor: nil, at: 970, position: 40)]
        facts.executiveContacts = [.init(customer: "acme", threatened: 90, contacted: 95), .init(customer: "initech", threatened: 93)]
        return facts
    }

    @Test func theStoredBytesOfEveryFieldAreUnchanged() throws {
        let bytes = Self.everyField.encoded()
        #expect(bytes.count == 1048)
        #expect(Hash256.sha256(bytes).hex == "dff4c99d35c4d05c7bfc8fa9a173c7876ce79a0ea817660d927ac48c3202a2e4")
        #expect(try bytes.withUnsafeBytes { try IncidentMetricFacts(encoded: $0) } == Self.everyField)
    }

    @Test func emptyFactsKeepTheirBytes() throws {
        let bytes = IncidentMetricFacts(incident: "INC-1").encoded()
        #expect(bytes.count == 186)
        #expect(Hash256.sha256(bytes).hex == "00818d7fa2a65f36861544dd43e27323112504e0ad184456f5c2eda9ed86fbaa")
        #expect(try bytes.withUnsafeBytes { try IncidentMetricFacts(encoded: $0) } == IncidentMetricFacts(incident: "INC-1"))
    }

    /// A message naming a customer or tier beyond the tables is damage, not a message.
    @Test func anIndexBeyondATableIsRefused() throws {
        var facts = IncidentMetricFacts(incident: "INC-1")
        facts.messages = [.init(customer: "acme", channel: .chat, tier: "gold", threatensToLeave: false, received: 1)]
        let bytes = facts.encoded()
        #expect(try bytes.withUnsafeBytes { try IncidentMetricFacts(encoded: $0) } == facts)
        // After the tier table ("gold") come the number of messages, the customer's index, the
        // channel and the tier's index (0 for none, else its place plus one).
        let gold = Array("gold".utf8)
        let tableEnd = try #require(bytes.indices.first { Array(bytes[$0..<min(bytes.count, $0 + 4)]) == gold }) + 4
        let customer = tableEnd + 8, tier = customer + 8 + 1
        for (offset, value) in [(customer, 1 as UInt8), (tier, 2)] {
            var damaged = bytes
            damaged[offset] = value
            #expect(throws: (any Error).self) { try damaged.withUnsafeBytes { try IncidentMetricFacts(encoded: $0) } }
        }
    }
}
