import Foundation
import IncidentEvents
import IncidentMetrics
import IncidentProjections
import IncidentService
import LedgerModel
import LedgerStore
import LedgerTestSupport
import Testing

/// The playbook's checks as figures: the postmortem lists, and the review counts per rule and period,
/// exactly what recording warned about, under the policy in force when each event was recorded.
/// Checked against a history worked out by hand.
@Suite struct PlaybookFindingsTests {
    static func time(_ text: String) -> Timestamp { try! Timestamp(rfc3339: text) }

    static func service(_ directory: TemporaryDirectory) throws -> LedgerService {
        let ledger = try Ledger.create(at: directory.path)
        return LedgerService(ledger: ledger, defaults: RecordingDefaults(clock: { time("2026-06-01T00:00:00Z") }, newID: { UUID() }, actor: Actor(kind: .person, id: "jane")))
    }

    /// Records `event` at `at` and returns the warnings recording gave.
    @discardableResult
    static func record(_ service: LedgerService, _ stream: String, _ event: IncidentEvent, at: String, id: UUID? = nil) async throws -> [PlaybookFinding] {
        let payload = event.payload
        let draft = EventDraft(
            stream: stream, type: type(of: payload).type, schemaVersion: payload.writtenSchemaVersion, payload: Payload(payload.json), id: id,
            occurredAt: time(at), source: "test")
        return try await service.recordChecked(draft, strict: nil).warnings
    }

    static func update(_ status: PublicStatus, _ text: String, next: String? = nil, eta: String? = nil) -> IncidentEvent {
        .statusUpdatePublished(StatusUpdatePublished(status: status, channels: [.statusPage], text: text, nextUpdateBy: next.map(time), etaAt: eta.map(time)))
    }

    @Test func thePostmortemAndTheReviewCountWhatRecordingWarned() async throws {
        let directory = TemporaryDirectory()
        let service = try Self.service(directory)
        // The previous quarter: one incident, one update promising nothing.
        try await Self.record(service, "INC-0", .declared(IncidentDeclared(title: "Slow search", severity: .sev3)), at: "2025-12-01T10:00:00Z")
        let before = try await Self.record(service, "INC-0", Self.update(.investigating, "Search is slow."), at: "2025-12-01T10:05:00Z")
        #expect(before.map(\.rule) == [.updateNoNextUpdate])

        // This quarter, by hand: A breaks no-next-update and flagged-words; B keeps every rule; C slips
        // the ETA; D is behind the working status; E breaks no-next-update but is retracted.
        var warned = [PlaybookFinding]()
        try await Self.record(service, "INC-1", .declared(IncidentDeclared(title: "Payments failing", severity: .sev1)), at: "2026-03-14T09:00:00Z")
        warned += try await Self.record(service, "INC-1", Self.update(.investigating, "Payments fail; the database is down."), at: "2026-03-14T09:05:00Z")
        try await Self.record(service, "INC-1", .statusChanged(IncidentStatusChanged(status: .identified)), at: "2026-03-14T09:10:00Z")
        warned += try await Self.record(
            service, "INC-1", Self.update(.identified, "Cause found.", next: "2026-03-14T09:40:00Z", eta: "2026-03-14T10:00:00Z"), at: "2026-03-14T09:15:00Z")
        warned += try await Self.record(
            service, "INC-1", Self.update(.identified, "Fix takes longer.", next: "2026-03-14T10:00:00Z", eta: "2026-03-14T10:30:00Z"), at: "2026-03-14T09:35:00Z")
        try await Self.record(service, "INC-1", .statusChanged(IncidentStatusChanged(status: .mitigated)), at: "2026-03-14T09:50:00Z")
        warned += try await Self.record(service, "INC-1", Self.update(.investigating, "Still looking.", next: "2026-03-14T10:20:00Z"), at: "2026-03-14T09:55:00Z")
        let mistake = UUID()
        let retracted = try await Self.record(service, "INC-1", Self.update(.mitigated, "Wrong incident."), at: "2026-03-14T09:56:00Z", id: mistake)
        #expect(retracted.map(\.rule) == [.updateNoNextUpdate])
        try await Self.record(service, "INC-1", .retracted(EventRetracted(target: mistake.uuidString, reason: "wrong incident")), at: "2026-03-14T09:57:00Z")
        #expect(warned.map(\.rule) == [.updateNoNextUpdate, .updateFlaggedWords, .updateETASlipped, .updateStatusBehind])

        let report = try #require(try service.postmortem(of: "INC-1", asOf: Self.time("2026-06-01T00:00:00Z")))
        #expect(report.playbookFindings.map(\.finding) == warned)
        #expect(report.playbookFindings.map(\.occurredAt) == ["09:05", "09:05", "09:35", "09:55"].map { Self.time("2026-03-14T\($0):00Z") })

        let review = try #require(try service.review(of: .quarter(year: 2026, 1), context: MetricContext(asOf: Self.time("2026-06-01T00:00:00Z").microsecondsSinceEpoch)))
        let counts = Dictionary(uniqueKeysWithValues: review.playbook.rules.map { ($0.rule, ($0.current, $0.previous)) })
        #expect(counts["update-no-next-update"]! == (1, 1))
        #expect(counts["update-flagged-words"]! == (1, 0) && counts["update-eta-slipped"]! == (1, 0) && counts["update-status-behind"]! == (1, 0))
        #expect(counts["update-eta-before-identified"]! == (0, 0) && counts["update-social-media-too-long"]! == (0, 0))
        #expect(review.playbook.current == 4 && review.playbook.previous == 1 && review.playbook.incidentsWithFindings == 1)
        #expect(review.playbook.rules.map(\.rule) == PlaybookRule.all.map(\.rawValue))
    }

    @Test func eachEventIsJudgedByThePolicyInForceWhenItWasRecorded() async throws {
        let directory = TemporaryDirectory()
        let service = try Self.service(directory)
        try await Self.record(service, "INC-1", .declared(IncidentDeclared(title: "Login errors", severity: .sev2)), at: "2026-03-14T09:00:00Z")
        let early = try await Self.record(service, "INC-1", Self.update(.investigating, "A bug stops logins.", next: "2026-03-14T10:00:00Z"), at: "2026-03-14T09:05:00Z")
        #expect(early.isEmpty)
        var policy = PlaybookPolicy.standard
        policy.updates.flaggedWords = ["bug"]
        try await service.setPolicy(policy)
        let late = try await Self.record(service, "INC-1", Self.update(.investigating, "The bug is still there.", next: "2026-03-14T11:00:00Z"), at: "2026-03-14T10:00:00Z")
        #expect(late.map(\.rule) == [.updateFlaggedWords])
        let report = try #require(try service.postmortem(of: "INC-1", asOf: Self.time("2026-06-01T00:00:00Z")))
        #expect(report.playbookFindings.map(\.finding) == late)
    }

    /// The policy is decoded once per version of the playbook stream, so a policy set through another
    /// service on the same ledger (as another server would) is in force at the next recording.
    @Test func aPolicySetElsewhereIsInForceAtOnce() async throws {
        let directory = TemporaryDirectory()
        let service = try Self.service(directory)
        let other = LedgerService(ledger: service.ledger, defaults: service.defaults)
        try await Self.record(service, "INC-1", .declared(IncidentDeclared(title: "Login errors", severity: .sev2)), at: "2026-03-14T09:00:00Z")
        #expect(try service.policyInForce().position == nil)
        let before = try await Self.record(service, "INC-1", Self.update(.investigating, "Logins fail: a bug.", next: "2026-03-14T10:00:00Z"), at: "2026-03-14T09:05:00Z")
        #expect(before.isEmpty)
        var policy = PlaybookPolicy.standard
        policy.updates.flaggedWords = ["bug"]
        let set = try await other.setPolicy(policy)
        #expect(try service.policyInForce().position == set.positions.upperBound)
        let after = try await Self.record(service, "INC-1", Self.update(.investigating, "The bug is still there.", next: "2026-03-14T11:00:00Z"), at: "2026-03-14T10:00:00Z")
        #expect(after.map(\.rule) == [.updateFlaggedWords])
        // And the one acting in someone's name shares the service's cache and sees it too.
        #expect(try service.acting(as: Actor(kind: .person, id: "sam")).policy().updates.flaggedWords == ["bug"])
    }
}
