import Foundation
import LedgerModel
import LedgerTestSupport
import Testing
@testable import IncidentEvents

/// The rules of a good status update: each with an update that keeps it and one that breaks it.
@Suite struct UpdateChecksTests {
    static let start = SampleEvents.epoch
    static func at(_ minutes: Int64) -> Timestamp { start.adding(seconds: minutes * 60) }
    static let declared = IncidentDeclared(
        title: "Checkout errors", severity: .sev1, services: ["checkout-api"], regions: ["eu-west-1", "eu-central-1"])

    /// The facts after `events`, each recorded a minute after the one before, with its id.
    static func facts(_ events: [(UUID, IncidentEvent)]) -> IncidentFacts {
        var facts = IncidentFacts()
        for (index, (id, event)) in events.enumerated() {
            facts.apply(
                event, id: id, type: type(of: event.payload).type, schemaVersion: event.payload.writtenSchemaVersion,
                payload: Payload(event.payload.json), occurredAt: at(Int64(index)))
        }
        return facts
    }

    static func facts(_ events: [IncidentEvent]) -> IncidentFacts { facts(events.map { (UUID(), $0) }) }

    /// The rules broken by `update` at minute 10 after `earlier`.
    static func broken(_ update: StatusUpdatePublished, after earlier: [IncidentEvent] = [.declared(declared)], policy: PlaybookPolicy = .standard) -> [PlaybookRule] {
        findings(update, after: facts(earlier), policy: policy).map(\.rule)
    }

    static func findings(_ update: StatusUpdatePublished, after facts: IncidentFacts, policy: PlaybookPolicy = .standard) -> [PlaybookFinding] {
        PlaybookChecks.findings(for: .statusUpdatePublished(update), occurredAt: at(10), facts: facts, policy: policy)
    }

    /// A good update: investigating, next update within the sev1 cadence, both regions named.
    static func good(
        _ text: String = "Payments fail for some shoppers in eu-west-1 and eu-central-1. Next update within 30 minutes.",
        status: PublicStatus = .investigating, channels: [UpdateChannel] = [.statusPage], next: Int64? = 30, eta: Int64? = nil
    ) -> StatusUpdatePublished {
        StatusUpdatePublished(status: status, channels: channels, text: text, nextUpdateBy: next.map { at($0) }, etaAt: eta.map { at($0) })
    }

    @Test func aGoodUpdateBreaksNoRule() {
        #expect(Self.broken(Self.good()) == [])
        #expect(PlaybookRule.updateRules.count == 9 && PlaybookRule.updateRules.allSatisfy { PlaybookRule.all.contains($0) })
    }

    @Test func socialMediaAndSMSTextsAreLimitedAndRefusedAlways() throws {
        let short = String(repeating: "a", count: 160)
        #expect(Self.broken(Self.good(short, channels: [.socialMedia, .sms])) == [])
        let long = String(repeating: "é", count: 281)
        #expect(Self.broken(Self.good(long, channels: [.statusPage, .email])) == [])
        let findings = Self.findings(Self.good(long, channels: [.socialMedia, .sms]), after: Self.facts([.declared(Self.declared)]))
        #expect(findings.map(\.rule) == [.updateSocialMediaTooLong, .updateSMSTooLong])
        #expect(findings.allSatisfy { $0.rule.refusesAlways && $0.field == "payload.text" })
        #expect(findings[0].message.contains("281 characters and social media takes at most 280"))
        // The limit is the policy's: 140 for the old one; the internal audience is limited too.
        var old = PlaybookPolicy.standard
        old.updates.socialMediaCharacters = 140
        let tweet = StatusUpdatePublished(status: .investigating, audience: .internal, channels: [.socialMedia], text: String(repeating: "b", count: 141))
        #expect(Self.broken(tweet, policy: old) == [.updateSocialMediaTooLong])
        #expect(Self.broken(tweet) == [])
    }

    @Test func theNextUpdateIsPromisedWithinTheCadenceForTheSeverity() {
        #expect(Self.broken(Self.good(next: nil)) == [.updateNoNextUpdate])
        #expect(Self.broken(Self.good(next: 41)) == [.updateNextUpdateTooLate])  // 31 minutes after a sev1 update
        #expect(Self.broken(Self.good(next: 40)) == [])  // 30 minutes: the cadence itself
        // After the severity was lowered to sev2, an hour is within the cadence; a resolved update promises nothing.
        let lowered: [IncidentEvent] = [.declared(Self.declared), .severityChanged(IncidentSeverityChanged(severity: .sev2, reason: "cards only"))]
        #expect(Self.broken(Self.good(next: 70), after: lowered) == [])
        #expect(Self.broken(Self.good(next: 71), after: lowered) == [.updateNextUpdateTooLate])
        let resolved: [IncidentEvent] = [.declared(Self.declared), .resolved(IncidentResolved(summary: "fixed"))]
        #expect(Self.broken(Self.good(status: .resolved, next: nil), after: resolved) == [])
    }

    @Test func anETAWaitsForTheCauseAndASlippedETAIsCounted() {
        #expect(Self.broken(Self.good(eta: 60)) == [.updateETABeforeIdentified])
        let identified: [IncidentEvent] = [.declared(Self.declared), .statusChanged(IncidentStatusChanged(status: .identified))]
        #expect(Self.broken(Self.good(status: .identified, eta: 60), after: identified) == [])
        let promised = identified + [.statusUpdatePublished(Self.good(status: .identified, eta: 60))]
        #expect(Self.broken(Self.good(status: .identified, eta: 60), after: promised) == [])
        #expect(Self.broken(Self.good(status: .identified, eta: 50), after: promised) == [])
        #expect(Self.broken(Self.good(status: .identified, eta: 61), after: promised) == [.updateETASlipped])
        // A slipped ETA is counted, never refused, even strict; an early ETA is refused when strict.
        let slipped = Self.findings(Self.good(status: .identified, eta: 61), after: Self.facts(promised))
        #expect(slipped.count == 1 && !PlaybookChecks.refuses(slipped[0], strict: true) && !PlaybookChecks.refuses(slipped[0], strict: false))
        let early = Self.findings(Self.good(eta: 60), after: Self.facts([.declared(Self.declared)]))
        #expect(early.count == 1 && PlaybookChecks.refuses(early[0], strict: true) && !PlaybookChecks.refuses(early[0], strict: false))
        // An ETA given to the internal audience only is not a promise to customers.
        let internalOnly = identified + [.statusUpdatePublished(StatusUpdatePublished(status: .identified, audience: .internal, channels: [.email], text: "x", etaAt: Self.at(30)))]
        #expect(Self.broken(Self.good(status: .identified, eta: 60), after: internalOnly) == [])
        // Planned maintenance is known work: its ETA (the window's end) is not early, but may still slip.
        var maintenance = Self.declared
        maintenance.kind = .scheduledMaintenance
        maintenance.plannedStart = Self.at(5)
        maintenance.plannedEnd = Self.at(25)
        #expect(Self.broken(Self.good(status: .inProgress, eta: 25), after: [.declared(maintenance)]) == [])
        let windowEnd: [IncidentEvent] = [.declared(maintenance), .statusUpdatePublished(Self.good(status: .inProgress, eta: 25))]
        #expect(Self.broken(Self.good(status: .inProgress, eta: 40), after: windowEnd) == [.updateETASlipped])
    }

    @Test func thePublicStatusIsNotBehindTheWorkingStatus() {
        let mitigated: [IncidentEvent] = [.declared(Self.declared), .statusChanged(IncidentStatusChanged(status: .mitigated))]
        #expect(Self.broken(Self.good(status: .investigating), after: mitigated) == [.updateStatusBehind])
        #expect(Self.broken(Self.good(status: .mitigated), after: mitigated) == [])
        #expect(Self.broken(Self.good(status: .monitoring), after: mitigated) == [])
        let resolved = mitigated + [.resolved(IncidentResolved(summary: "fixed"))]
        #expect(Self.broken(Self.good(status: .monitoring), after: resolved) == [.updateStatusBehind])
        #expect(Self.broken(Self.good(status: .resolved, next: nil), after: resolved) == [])
    }

    @Test func flaggedWordsAreFoundAsWholeWordsWhateverTheirCase() {
        let finding = Self.findings(
            Self.good("A DATABASE at our vendor failed in eu-west-1 and eu-central-1."), after: Self.facts([.declared(Self.declared)]))
        #expect(finding.map(\.rule) == [.updateFlaggedWords])
        #expect(finding.first?.message.contains("'our vendor', 'database'") == true, "\(finding)")
        #expect(Self.broken(Self.good("Our databases team… no: payments fail in eu-west-1 and eu-central-1.")) == [])
        #expect(UpdateChecks.matches(of: ["500 error", "db"], in: "a 500 error; a 500 errors; adb") == ["500 error"])
    }

    @Test func theScopeNamedMatchesTheRecordedScope() {
        // Named in the customer's words only: nothing to judge.
        #expect(Self.broken(Self.good("Payments fail for shoppers in Europe.")) == [])
        #expect(Self.broken(Self.good("Payments fail in eu-west-1.")) == [.updateScopeMismatch])  // leaves out eu-central-1
        let narrowed: [IncidentEvent] = [.declared(Self.declared), .scopeChanged(IncidentScopeChanged(regions: ["eu-central-1"]))]
        let stale = Self.findings(Self.good("Payments fail in eu-west-1 and eu-central-1."), after: Self.facts(narrowed))
        #expect(stale.map(\.rule) == [.updateScopeMismatch])
        #expect(stale.first?.message.contains("names eu-west-1, no longer in the incident's recorded regions (eu-central-1)") == true, "\(stale)")
        #expect(Self.broken(Self.good("Payments fail in eu-central-1 (CHECKOUT-API)."), after: narrowed) == [])
    }

    @Test func correctionsAndRetractionsReachTheFactsTheRulesRead() {
        let change = UUID()
        let mitigated: [(UUID, IncidentEvent)] = [(UUID(), .declared(Self.declared)), (change, .statusChanged(IncidentStatusChanged(status: .mitigated)))]
        #expect(Self.findings(Self.good(), after: Self.facts(mitigated)).map(\.rule) == [.updateStatusBehind])
        let corrected = mitigated + [(UUID(), .corrected(EventCorrected(target: change.uuidString, fields: ["status": "investigating"], reason: "typo")))]
        #expect(Self.findings(Self.good(), after: Self.facts(corrected)) == [])
        #expect(Self.facts(corrected).updates.status == .investigating)
        let retracted = mitigated + [(UUID(), .retracted(EventRetracted(target: change.uuidString, reason: "wrong incident")))]
        #expect(Self.findings(Self.good(), after: Self.facts(retracted)) == [])
        #expect(Self.facts(retracted).updates.status == nil)
    }
}
