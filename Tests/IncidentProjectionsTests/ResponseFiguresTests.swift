import Foundation
import IncidentEvents
import LedgerModel
import LedgerStore
import LedgerTestSupport
import IncidentService
import Testing
@testable import IncidentProjections

/// One incident's events, each dated a whole number of minutes after ``SampleEvents/epoch``
/// (09:00Z), recorded through the catalog's rules into a real ledger with a fixed clock. Event ids
/// are fixed too, so two ledgers made from one script are the same, byte for byte.
struct IncidentScript {
    var stream = "INC-1"
    var events = [StreamEvent]()
    /// The salt of the event ids, so two scripts can share a ledger without sharing ids.
    var salt: UInt8 = 1

    static func at(_ minute: Int64) -> Timestamp { SampleEvents.epoch.adding(seconds: minute * 60) }

    /// Adds an event at `minute`; returns its id, for corrections and retractions.
    @discardableResult
    mutating func add(_ event: IncidentEvent, at minute: Int64) -> UUID {
        let id = SampleEvents.uuid(events.count + 1, salt: salt)
        events.append(StreamEvent(stream: stream, event: Catalog.proposed(
            event, id: id, occurredAt: Self.at(minute), actor: Actor(kind: .person, id: "responder@example.com"), source: "test")))
        return id
    }

    /// Records the events, in order, into a new ledger whose clock stands at `clockMinute`.
    func record(clockMinute: Int64 = 24 * 60) async throws -> (TemporaryDirectory, Ledger) {
        let directory = TemporaryDirectory("postmortem")
        let clock = SampleEvents.fixedClock(offsetSeconds: clockMinute * 60)
        let ledger = try Ledger.create(at: directory.path, clock: clock)
        _ = try await EventRecorder(ledger: ledger, clock: clock).record(events)
        return (directory, ledger)
    }

    /// The figures of the incident in `ledger`, as of the ledger's last recorded time; `version`
    /// stops the history early (to see the figures before a correction).
    static func figures(_ ledger: Ledger, stream: String = "INC-1", upToVersion version: UInt64? = nil) throws -> ResponseFigures {
        try ledger.read { reader in
            let history = try EffectiveHistory.events(of: stream, upToVersion: version, in: reader)
            return ResponseFigures.compute(history: history, asOf: try reader.head().recordedAt)
        }
    }
}

@Suite struct ResponseFiguresTests {
    /// A small incident worked out by hand (minutes after 09:00):
    ///
    ///  2 impact starts · 6 detected (corrected to 4) · 10 declared · 12 acknowledged
    ///  13 internal update (not public) · 15 U1 promises 30, ETA 10:00 · 16 m-1 · 18 m-2 (never answered)
    ///  19 m-3 · 21 reply to m-1 · 25 escalated · 36 U2, 6 minutes after U1's promise; promises 60, ETA 09:50
    ///  40 reply to m-3 · 45 second reply to m-3 · 55 resolved · 58 U3 (after resolution) ·
    ///  50 mitigated, recorded late (after the resolution) · 60 the correction of the detection time
    static func handWorked() -> (IncidentScript, declaration: UUID) {
        var script = IncidentScript()
        let at = IncidentScript.at
        let declaration = script.add(.declared(IncidentDeclared(
            title: "Checkout errors", severity: .sev1, services: ["checkout"], impactStartedAt: at(2), detectedAt: at(6), detectedBy: .monitoring)), at: 10)
        script.add(.acknowledged(IncidentAcknowledged(by: "oncall")), at: 12)
        script.add(.statusUpdatePublished(StatusUpdatePublished(status: .investigating, audience: .internal, channels: [.email], text: "internal heads-up")), at: 13)
        script.add(.statusUpdatePublished(StatusUpdatePublished(
            status: .investigating, channels: [.statusPage], text: "Looking into it", nextUpdateBy: at(30), etaAt: at(60))), at: 15)
        script.add(.messageReceived(CustomerMessageReceived(messageId: "m-1", channel: .email, customer: "acme")), at: 16)
        script.add(.messageReceived(CustomerMessageReceived(messageId: "m-2", channel: .chat, customer: "acme")), at: 18)
        script.add(.messageReceived(CustomerMessageReceived(messageId: "m-3", channel: .phone, customer: "globex", threatensToLeave: true)), at: 19)
        script.add(.replySent(CustomerReplySent(inReplyTo: "m-1", channel: .email, customer: "acme")), at: 21)
        script.add(.escalationRaised(EscalationRaised(escalationId: "e-1", fromLevel: .support, toLevel: .engineering, reason: .severity)), at: 25)
        script.add(.statusUpdatePublished(StatusUpdatePublished(
            status: .identified, channels: [.statusPage], text: "Found it", nextUpdateBy: at(60), etaAt: at(50))), at: 36)
        script.add(.replySent(CustomerReplySent(inReplyTo: "m-3", channel: .phone, customer: "globex")), at: 40)
        script.add(.replySent(CustomerReplySent(inReplyTo: "m-3", channel: .email, customer: "globex")), at: 45)
        script.add(.resolved(IncidentResolved(summary: "Rolled back")), at: 55)
        script.add(.statusUpdatePublished(StatusUpdatePublished(status: .resolved, channels: [.statusPage], text: "Fixed")), at: 58)
        script.add(.statusChanged(IncidentStatusChanged(status: .mitigated)), at: 50)
        script.add(.corrected(EventCorrected(target: declaration.uuidString, fields: ["detectedAt": .string(at(4).rfc3339)], reason: "first alert at 09:04")), at: 60)
        return (script, declaration)
    }

    @Test func handWorkedFigures() async throws {
        let (script, _) = Self.handWorked()
        let (_, ledger) = try await script.record()
        let figures = try IncidentScript.figures(ledger)

        #expect(figures.timeToDetect.seconds == 120, "09:02 → 09:04, as corrected")
        #expect(figures.timeToDetect.stop?.correctedBy == [16])
        #expect(figures.timeToDetect.start?.correctedBy == [], "the correction touched detectedAt only")
        #expect(figures.timeToAcknowledge.seconds == 480, "detected 09:04 → acknowledged 09:12")
        #expect(figures.timeToAcknowledge.start?.kind == .detected)
        #expect(figures.timeToFirstPublicUpdateFromImpact.seconds == 780, "the internal update at 09:13 is not public")
        #expect(figures.timeToFirstPublicUpdateFromDeclaration.seconds == 300)
        #expect(figures.timeToFirstPublicUpdateFromDeclaration.stop?.position == 4)
        #expect(figures.timeToEscalate.seconds == 900)
        #expect(figures.timeToMitigateFromImpact.seconds == 2880, "the late mitigated status at 09:50 counts, not the resolution")
        #expect(figures.timeToMitigateFromImpact.stop?.kind == .mitigated)
        #expect(figures.timeToMitigateFromDeclaration.seconds == 2400)
        #expect(figures.timeToResolveFromImpact.seconds == 3180)
        #expect(figures.timeToResolveFromDeclaration.seconds == 2700)
        #expect(figures.duration.seconds == 3180)

        #expect(figures.firstReplies.map(\.messageId) == ["m-1", "m-2", "m-3"])
        #expect(figures.firstReplies.map(\.figure.seconds) == [300, nil, 21 * 60], "m-2 unanswered; m-3's second reply does not count")
        #expect(figures.firstReplies.map(\.isAnswered) == [true, false, true])
        #expect(figures.firstReplies[2].threatensToLeave)

        // Gaps while open: U1 09:15 → U2 09:36; U2 09:36 → the resolution 09:55; U3 came after it.
        #expect(figures.updateGaps.map(\.seconds) == [1260, 1140])
        #expect(figures.updateGaps.map(\.endedBy) == [.nextUpdate, .resolution])
        #expect(figures.longestUpdateGap?.afterPosition == 4)

        #expect(figures.updatePromises.made == 2)
        #expect(figures.updatePromises.kept == 1)
        #expect(figures.updatePromises.pending == 0)
        let missed = try #require(figures.updatePromises.missed.first)
        #expect(figures.updatePromises.missed.count == 1)
        #expect(missed.promisedIn == 4 && missed.promisedBy == IncidentScript.at(30))
        #expect(missed.fulfilledAt == IncidentScript.at(36) && missed.lateBySeconds == 360)

        let eta = try #require(figures.eta)
        #expect(eta.eta == IncidentScript.at(50) && eta.promisedIn == 10 && eta.etasGiven == 2)
        #expect(eta.lateBySeconds == 300, "resolved 09:55, five minutes after the last ETA")
    }

    @Test func aCorrectionChangesTheFigures() async throws {
        let (script, _) = Self.handWorked()
        let (_, ledger) = try await script.record()
        // The history before the correction (version 15) measures the detection as first recorded.
        let before = try IncidentScript.figures(ledger, upToVersion: 15)
        #expect(before.timeToDetect.seconds == 240)
        #expect(before.timeToAcknowledge.seconds == 360)
        #expect(before.timeToDetect.stop?.correctedBy == [])
        let after = try IncidentScript.figures(ledger)
        #expect(after.timeToDetect.seconds == 120)
        #expect(after.timeToAcknowledge.seconds == 480)
    }

    @Test func missingStartsAndStopsAreNotRecordedNeverZero() async throws {
        var script = IncidentScript()
        script.add(.declared(IncidentDeclared(title: "Quiet", severity: .sev3)), at: 0)
        script.add(.noteAdded(InternalNoteAdded(text: "watching")), at: 5)
        let (_, ledger) = try await script.record(clockMinute: 60)
        let figures = try IncidentScript.figures(ledger)
        let all = [
            figures.duration, figures.timeToDetect, figures.timeToAcknowledge, figures.timeToFirstPublicUpdateFromImpact,
            figures.timeToFirstPublicUpdateFromDeclaration, figures.timeToEscalate, figures.timeToMitigateFromImpact,
            figures.timeToMitigateFromDeclaration, figures.timeToResolveFromImpact, figures.timeToResolveFromDeclaration,
        ]
        #expect(all.allSatisfy { $0.seconds == nil })
        #expect(figures.timeToAcknowledge.start?.kind == .declared, "without a detection time the declaration starts the clock")
        #expect(figures.duration.start?.kind == .declared, "without an impact start the declaration starts the duration")
        #expect(figures.timeToDetect.start == nil && figures.timeToDetect.stop == nil)
        #expect(figures.firstReplies.isEmpty && figures.updateGaps.isEmpty && figures.longestUpdateGap == nil)
        #expect(figures.eta == nil)
        #expect(figures.updatePromises == ResponseFigures.UpdatePromises(made: 0, kept: 0, pending: 0, missed: []))
    }

    @Test func acknowledgementFallsBackToTheDeclarationAndMitigationToTheResolution() async throws {
        var script = IncidentScript()
        script.add(.declared(IncidentDeclared(title: "t", severity: .sev2, impactStartedAt: IncidentScript.at(0))), at: 10)
        script.add(.acknowledged(IncidentAcknowledged(by: "a")), at: 13)
        script.add(.acknowledged(IncidentAcknowledged(by: "b")), at: 11)
        script.add(.statusChanged(IncidentStatusChanged(status: .monitoring)), at: 20)
        script.add(.resolved(IncidentResolved(summary: "done")), at: 30)
        let (_, ledger) = try await script.record()
        let figures = try IncidentScript.figures(ledger)
        #expect(figures.timeToAcknowledge.start?.kind == .declared)
        #expect(figures.timeToAcknowledge.seconds == 60, "the earliest acknowledgement, recorded late, counts")
        #expect(figures.timeToAcknowledge.stop?.position == 3)
        #expect(figures.timeToDetect.seconds == nil)
        #expect(figures.timeToMitigateFromImpact.stop?.kind == .resolved, "monitoring is not mitigated; the resolution stops the clock")
        #expect(figures.timeToMitigateFromImpact.seconds == 1800)
    }

    @Test func aReopenedIncidentIsNotResolvedAndItsGapsRunToTheLedgerEnd() async throws {
        var script = IncidentScript()
        let at = IncidentScript.at
        script.add(.declared(IncidentDeclared(title: "t", severity: .sev2, impactStartedAt: at(0))), at: 0)
        script.add(.statusUpdatePublished(StatusUpdatePublished(status: .investigating, channels: [.email], text: "a", nextUpdateBy: at(20))), at: 5)
        script.add(.resolved(IncidentResolved(summary: "done")), at: 10)
        script.add(.reopened(IncidentReopened(reason: "back")), at: 30)
        script.add(.statusUpdatePublished(StatusUpdatePublished(status: .investigating, channels: [.email], text: "b", nextUpdateBy: at(50))), at: 40)
        // The ledger's clock stands at minute 45: the second promise is not yet due.
        let (_, ledger) = try await script.record(clockMinute: 45)
        let figures = try IncidentScript.figures(ledger)
        #expect(figures.timeToResolveFromImpact.seconds == nil)
        #expect(figures.duration.seconds == nil)
        #expect(figures.timeToMitigateFromImpact.seconds == 600, "the first resolution stopped the mitigation clock")
        #expect(figures.updateGaps.map(\.endedBy) == [.resolution, .ledgerEnd])
        #expect(figures.updateGaps.map(\.seconds) == [300, 300])
        #expect(figures.updatePromises.pending == 1)
        #expect(figures.updatePromises.missed.map(\.promisedIn) == [2], "the second update came after the first promise")
        #expect(figures.updatePromises.kept == 0)
    }

    /// declared 01:00 (impact from 00:00), resolved 00:30, an update 01:00: the resolution ends the open
    /// period it was recorded to end, so the update comes after the end and starts no silence; a
    /// "now" years later changes nothing.
    @Test func aResolutionDatedBeforeTheDeclarationEndsTheOpenPeriod() async throws {
        var script = IncidentScript()
        let at = IncidentScript.at
        script.add(.declared(IncidentDeclared(title: "t", severity: .sev2, impactStartedAt: at(0))), at: 60)
        script.add(.resolved(IncidentResolved(summary: "done")), at: 30)
        script.add(.statusUpdatePublished(StatusUpdatePublished(status: .resolved, channels: [.statusPage], text: "Fixed")), at: 60)
        let (_, ledger) = try await script.record(clockMinute: 2162 * 24 * 60)
        let figures = try IncidentScript.figures(ledger)
        #expect(figures.updateGaps.isEmpty)
        #expect(figures.longestUpdateGap == nil)
        let resolveSeconds = try #require(figures.timeToResolveFromImpact.seconds)
        #expect(resolveSeconds == 1800, "\(String(describing: figures.timeToResolveFromImpact))")
        #expect(ResponseFigures.openPeriods(try ledger.read { try EffectiveHistory.events(of: "INC-1", upToVersion: nil, in: $0) }).map { $0.end } == [at(60)])
    }

    @Test func anOutstandingPromiseIsJudgedAgainstTheTimeGivenNotTheWallClock() async throws {
        var script = IncidentScript()
        let at = IncidentScript.at
        script.add(.declared(IncidentDeclared(title: "t", severity: .sev2)), at: 0)
        script.add(.statusUpdatePublished(StatusUpdatePublished(status: .investigating, channels: [.email], text: "a", nextUpdateBy: at(20))), at: 10)
        let (_, late) = try await script.record(clockMinute: 60)
        let missed = try IncidentScript.figures(late).updatePromises
        #expect(missed.missed.map(\.lateBySeconds) == [40 * 60])
        #expect(missed.missed.first?.fulfilledAt == nil)
        // The same events in a ledger whose last recorded time is before the promise: still pending,
        // although the wall clock is long past it.
        let (_, early) = try await script.record(clockMinute: 15)
        let pending = try IncidentScript.figures(early).updatePromises
        #expect(pending.missed.isEmpty && pending.pending == 1 && pending.kept == 0)
        #expect(try IncidentScript.figures(early).updateGaps.map(\.seconds) == [5 * 60])
    }

    /// The figures besides the clocks, one definition each: scope by the order things happened,
    /// customers affected with its source, promises of public updates only, the first public update
    /// by the time it was posted, surveys and action items.
    @Test func scopeCustomersPromisesSurveysAndActionItemsHaveOneDefinition() async throws {
        var script = IncidentScript()
        let at = IncidentScript.at
        script.add(.declared(IncidentDeclared(title: "t", severity: .sev3, services: ["api"], regions: ["eu"])), at: 0)
        // Recorded in this order, happened in the other: the later in time stands.
        script.add(.scopeChanged(IncidentScopeChanged(services: ["api", "web"], customersAffected: 300)), at: 20)
        script.add(.scopeChanged(IncidentScopeChanged(customersAffected: 120)), at: 10)
        script.add(.severityChanged(IncidentSeverityChanged(severity: .sev1, reason: "worse")), at: 15)
        script.add(.messageReceived(CustomerMessageReceived(messageId: "m-1", channel: .email, customer: "acme")), at: 5)
        // An internal update's promise is no promise; the public one shown at 3 was posted at 25.
        script.add(.statusUpdatePublished(StatusUpdatePublished(status: .investigating, audience: .internal, channels: [.email], text: "i", nextUpdateBy: at(4))), at: 2)
        script.add(.statusUpdatePublished(StatusUpdatePublished(status: .investigating, channels: [.statusPage], text: "p", nextUpdateBy: at(30), postedAt: at(25))), at: 3)
        script.add(.statusUpdatePublished(StatusUpdatePublished(status: .identified, channels: [.statusPage], text: "q")), at: 28)
        script.add(.resolved(IncidentResolved(summary: "done")), at: 40)
        script.add(.surveySent(SurveySent(surveyId: "s-1", customer: "acme", channel: .email, scale: .nps)), at: 50)
        script.add(.surveySent(SurveySent(surveyId: "s-2", customer: "zeta", channel: .email, scale: .nps)), at: 51)
        script.add(.surveyAnswered(SurveyAnswered(surveyId: "s-1", score: 10)), at: 60)
        script.add(.surveyExpired(SurveyExpired(surveyId: "s-2")), at: 70)
        script.add(.actionItemOpened(ActionItemOpened(actionItemId: "ai-1", title: "a", owner: "o", dueAt: at(200))), at: 80)
        script.add(.actionItemCompleted(ActionItemCompleted(actionItemId: "ai-1", note: "first")), at: 90)
        let (_, ledger) = try await script.record()
        let figures = try IncidentScript.figures(ledger)

        #expect(figures.scope.severity == .sev1)
        #expect(figures.scope.services == ["api", "web"] && figures.scope.regions == ["eu"])
        #expect(figures.scope.customersAffected == ResponseFigures.CustomersAffected(count: 300, recordedIn: 2))
        #expect(figures.publicUpdates == 2)
        #expect(figures.updatePromises.made == 1 && figures.updatePromises.kept == 1 && figures.updatePromises.missed.isEmpty)
        #expect(figures.timeToFirstPublicUpdateFromDeclaration.seconds == Int64(25 * 60))
        #expect(figures.timeToFirstPublicUpdateFromDeclaration.stop?.shownAt == at(3))
        #expect(figures.surveys.map(\.score) == [10, nil] && figures.surveys.map(\.expired) == [false, true])
        #expect(SurveyScoring.netPromoterScore(figures.surveys.compactMap(\.score)) == 100)
        #expect(figures.actionItems.first?.completedAt == at(90))
        #expect(!ResponseFigures.ActionItemOutcome.isOverdue(dueAt: at(200).microsecondsSinceEpoch, completedAt: nil, asOf: at(200).microsecondsSinceEpoch))
        #expect(ResponseFigures.ActionItemOutcome.isOverdue(dueAt: at(200).microsecondsSinceEpoch, completedAt: nil, asOf: at(201).microsecondsSinceEpoch))

        // Without a number from a scope change, the customers who wrote in, said as such; without
        // either, not recorded (never 0).
        var quiet = IncidentScript()
        quiet.add(.declared(IncidentDeclared(title: "t", severity: .sev3)), at: 0)
        let (_, none) = try await quiet.record()
        #expect(try IncidentScript.figures(none).scope.customersAffected == nil)
        quiet.add(.messageReceived(CustomerMessageReceived(messageId: "m-1", channel: .email, customer: "acme")), at: 5)
        quiet.add(.messageReceived(CustomerMessageReceived(messageId: "m-2", channel: .chat, customer: "acme")), at: 6)
        let (_, wrote) = try await quiet.record()
        #expect(try IncidentScript.figures(wrote).scope.customersAffected == ResponseFigures.CustomersAffected(count: 1, recordedIn: nil))
    }
}
