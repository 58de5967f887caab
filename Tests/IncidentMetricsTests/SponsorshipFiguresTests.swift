import Foundation
import IncidentEvents
import IncidentReports
import LedgerModel
import LedgerStore
import LedgerTestSupport
import IncidentMetrics
import IncidentProjections
import Testing

/// Executive sponsorship in the figures, on a hand-worked ledger of four incidents (every value below
/// is worked out by hand from the events, not by the code under test):
///
/// - INC-0 (2025-12-01, the quarter before): hooli enrolled with ceo, never leaves.
/// - INC-1 (2026-01-10 10:00–11:00): acme threatens to leave by message at 10:10; an escalation
///   for acme (threat_to_cancel) to executive at 10:20 is taken on at 10:50 (contact: 40m); acme
///   enrolled with coo at 10:55. globex threatens at 10:15 and no executive contacts them. Surveys:
///   acme CSAT 2, globex CSAT 5.
/// - INC-2 (2026-02-01 09:00–10:00): acme (sponsored since INC-1) writes in at 09:10; initech's
///   escalation (threat_to_cancel) to executive at 09:20 goes down to engineering at 09:25 and is
///   taken on there at 09:30 (not an executive's contact); initech enrolled with vp at 09:45
///   (contact: 25m). Surveys: acme CSAT 4, umbrella CSAT 1, initech NPS 10. acme leaves the
///   programme on 2026-02-15 (recorded in INC-2).
/// - INC-3 (2026-03-01 09:00–10:00): acme writes in, no longer sponsored. Survey: acme CSAT 3.
@Suite struct SponsorshipFiguresTests {
    static let person = Actor(kind: .person, id: "jane@example.com")
    static func at(_ text: String) -> Timestamp { try! Timestamp(rfc3339: text) }

    static func declared(_ title: String) -> IncidentEvent { .declared(IncidentDeclared(title: title, severity: .sev2)) }
    static func message(_ id: String, _ customer: String, threatens: Bool = false) -> IncidentEvent {
        .messageReceived(CustomerMessageReceived(messageId: id, channel: .email, customer: customer, threatensToLeave: threatens ? true : nil))
    }
    static func survey(_ id: String, _ customer: String, _ scale: SurveyScale = .csat) -> IncidentEvent {
        .surveySent(SurveySent(surveyId: id, customer: customer, channel: .email, scale: scale))
    }
    static func answer(_ id: String, _ score: Int64) -> IncidentEvent { .surveyAnswered(SurveyAnswered(surveyId: id, score: score)) }
    static let resolved = IncidentEvent.resolved(IncidentResolved(summary: "Fixed"))

    static let incidents: [(String, [(IncidentEvent, String)])] = [
        ("INC-0", [
            (declared("Old outage"), "2025-12-01T09:00:00Z"),
            (.sponsorshipEnrolled(SponsorshipEnrolled(customer: "hooli", sponsor: "ceo")), "2025-12-01T09:30:00Z"),
            (resolved, "2025-12-01T10:00:00Z"),
        ]),
        ("INC-1", [
            (declared("Checkout errors"), "2026-01-10T10:00:00Z"),
            (message("m-1", "acme", threatens: true), "2026-01-10T10:10:00Z"),
            (message("m-2", "globex", threatens: true), "2026-01-10T10:15:00Z"),
            (.escalationRaised(EscalationRaised(escalationId: "e-1", fromLevel: .support, toLevel: .executive, reason: .threatToCancel, customer: "acme")), "2026-01-10T10:20:00Z"),
            (.escalationAcknowledged(EscalationAcknowledged(escalationId: "e-1", by: "coo")), "2026-01-10T10:50:00Z"),
            (.sponsorshipEnrolled(SponsorshipEnrolled(customer: "acme", sponsor: "coo")), "2026-01-10T10:55:00Z"),
            (resolved, "2026-01-10T11:00:00Z"),
            (survey("s-1", "acme"), "2026-01-10T12:00:00Z"), (answer("s-1", 2), "2026-01-10T13:00:00Z"),
            (survey("s-2", "globex"), "2026-01-10T12:00:00Z"), (answer("s-2", 5), "2026-01-10T13:00:00Z"),
        ]),
        ("INC-2", [
            (declared("Login slow"), "2026-02-01T09:00:00Z"),
            (message("m-1", "acme"), "2026-02-01T09:10:00Z"),
            (.escalationRaised(EscalationRaised(escalationId: "e-1", fromLevel: .support, toLevel: .executive, reason: .threatToCancel, customer: "initech")), "2026-02-01T09:20:00Z"),
            (.escalationDeescalated(EscalationDeescalated(escalationId: "e-1", toLevel: .engineering, reason: "a workaround")), "2026-02-01T09:25:00Z"),
            (.escalationAcknowledged(EscalationAcknowledged(escalationId: "e-1", by: "eng-lead")), "2026-02-01T09:30:00Z"),
            (.sponsorshipEnrolled(SponsorshipEnrolled(customer: "initech", sponsor: "vp")), "2026-02-01T09:45:00Z"),
            (resolved, "2026-02-01T10:00:00Z"),
            (survey("s-1", "acme"), "2026-02-01T12:00:00Z"), (answer("s-1", 4), "2026-02-01T13:00:00Z"),
            (survey("s-2", "umbrella"), "2026-02-01T12:00:00Z"), (answer("s-2", 1), "2026-02-01T13:00:00Z"),
            (survey("s-3", "initech", .nps), "2026-02-01T12:00:00Z"), (answer("s-3", 10), "2026-02-01T13:00:00Z"),
            (.sponsorshipEnded(SponsorshipEnded(customer: "acme", reason: "Stable again")), "2026-02-15T00:00:00Z"),
        ]),
        ("INC-3", [
            (declared("Search down"), "2026-03-01T09:00:00Z"),
            (message("m-1", "acme"), "2026-03-01T09:10:00Z"),
            (resolved, "2026-03-01T10:00:00Z"),
            (survey("s-1", "acme"), "2026-03-01T12:00:00Z"), (answer("s-1", 3), "2026-03-01T13:00:00Z"),
        ]),
    ]

    static func ledger() async throws -> (TemporaryDirectory, Ledger) {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.create(at: directory.path, clock: SampleEvents.fixedClock(offsetSeconds: 400 * 86_400))
        var number = 0
        for (stream, events) in incidents {
            let proposed = events.map { event, time in
                number += 1
                return Catalog.proposed(event, id: SampleEvents.uuid(number), occurredAt: at(time), actor: person, source: "cli")
            }
            _ = try await ledger.append([StreamAppend(stream: stream, events: proposed)])
        }
        return (directory, ledger)
    }

    static func review(_ ledger: Ledger) throws -> QuarterlyReview {
        let runner = ProjectionRunner(ledger: ledger)
        try runner.catchUp(IncidentMetricsProjection.self)
        let facts = try runner.states(IncidentMetricsProjection.self)
        let head = try ledger.read { try $0.head() }
        return QuarterlyReview.build(
            period: .quarter(year: 2026, 1), facts: facts, head: head, context: MetricContext(asOf: at("2026-06-01T00:00:00Z").microsecondsSinceEpoch))
    }

    @Test func theReviewCountsTheProgrammeAndComparesItsCustomers() async throws {
        let (_, ledger) = try await Self.ledger()
        let sponsorship = try Self.review(ledger).sponsorship

        #expect(sponsorship.members.map(\.customer) == ["acme", "hooli", "initech"])
        #expect(sponsorship.members.map(\.sponsor) == ["coo", "ceo", "vp"])
        #expect(sponsorship.members.map(\.from) == ["2026-01-10T10:55:00Z", "2025-12-01T09:30:00Z", "2026-02-01T09:45:00Z"])
        #expect(sponsorship.members.map(\.to) == ["2026-02-15T00:00:00Z", nil, nil])
        #expect(sponsorship.members.map(\.incidents) == [["INC-1", "INC-2"], [], ["INC-2"]])
        #expect(sponsorship.incidentsAffected == ["INC-1", "INC-2"])

        // Threat → executive contact: acme 40m and initech 25m (sponsored); globex never contacted.
        #expect(sponsorship.executiveContactSponsored.count == 2)
        #expect(sponsorship.executiveContactSponsored.statistics?.median == 1950)
        #expect(sponsorship.executiveContactSponsored.statistics?.maximum == 2400)
        #expect(sponsorship.executiveContactOthers.count == 0)
        #expect(sponsorship.executiveContactOthers.excluded == ["no executive contact recorded": 1])

        // Sponsored: acme 2 (INC-1), acme 4 (INC-2), initech NPS 10. Everyone else: globex 5, umbrella 1, acme 3 (INC-3).
        #expect(sponsorship.sponsored.csat.ratio == 0.5)
        #expect(sponsorship.sponsored.csatScore.statistics?.mean == 3)
        #expect(sponsorship.sponsored.nps.ratio == 100)
        #expect(sponsorship.sponsored.responseRate.ratio == 1)
        #expect(sponsorship.others.csat.count == 3 && sponsorship.others.csat.total == 1)
        #expect(sponsorship.others.csatScore.statistics?.mean == 3)
        #expect(sponsorship.others.nps.count == 0)

        let text = ReviewText.render(try Self.review(ledger), markdown: false)
        #expect(text.contains("3 customers in the executive sponsorship programme during the period; 2 incidents of the period affected them"))
        #expect(text.contains("acme      coo      2026-01-10T10:55:00Z  2026-02-15T00:00:00Z  INC-1, INC-2"))
        let html = ReviewHTML.render(try Self.review(ledger))
        #expect(html.contains("<section id=\"sponsorship\"><h2>Executive sponsorship</h2>"))
    }

    @Test func theMetricMeasuresEveryThreatToAnExecutivesContact() async throws {
        let (_, ledger) = try await Self.ledger()
        let runner = ProjectionRunner(ledger: ledger)
        try runner.catchUp(IncidentMetricsProjection.self)
        let facts = try runner.states(IncidentMetricsProjection.self)
        let metric = try #require(MetricCatalog.named("time_to_executive_contact"))
        let result = MetricResult.compute(metric, over: facts, filter: IncidentFilter(), breakdown: .incident, context: MetricContext(asOf: 0))
        #expect(result.overall.count == 2 && result.overall.excluded == ["no executive contact recorded": 1])
        #expect(result.groups.map(\.name) == ["INC-1", "INC-2"])
        #expect(result.groups.map { $0.value.statistics?.median } == [2400, 1500])
    }

    @Test func thePostmortemShowsTheProgrammeAsTheLedgerHoldsIt() async throws {
        let (_, ledger) = try await Self.ledger()
        let runner = ProjectionRunner(ledger: ledger)
        try runner.catchUp(IncidentMetricsProjection.self)
        let programme = SponsorshipProgramme(try runner.states(IncidentMetricsProjection.self))
        let asOf = Self.at("2026-06-01T00:00:00Z")
        func report(_ stream: String) throws -> PostmortemReport {
            try #require(try ledger.read { try PostmortemReport.build(stream, programme: programme, asOf: asOf, in: $0) })
        }
        // INC-2: acme (sponsored since INC-1) and initech (enrolled during it); umbrella never.
        let second = try report("INC-2")
        #expect(second.sponsoredCustomers.map { [$0.customer, $0.sponsor] } == [["acme", "coo"], ["initech", "vp"]])
        let contact = try #require(second.figures.executiveContacts.first)
        #expect(second.figures.executiveContacts.count == 1 && contact.customer == "initech")
        #expect(contact.figure.seconds == 1500 && contact.contactKind == .sponsorshipEnrolled)
        let markdown = PostmortemMarkdown.render(second)
        #expect(markdown.contains("In the executive sponsorship programme while the incident was open: acme (sponsor coo), initech (sponsor vp)."))
        #expect(markdown.contains("- initech enrolled, sponsor vp, at 2026-02-01T09:45:00Z"))
        #expect(markdown.contains("- acme left the programme at 2026-02-15T00:00:00Z"))
        #expect(markdown.contains("| initech | 2026-02-01T09:20:00Z (#"))
        #expect(markdown.contains("an executive sponsor was assigned | **25m** |"))

        // INC-1: globex's threat has no contact; INC-3: acme has left.
        let first = try report("INC-1")
        #expect(first.figures.executiveContacts.map(\.customer) == ["acme", "globex"])
        #expect(first.figures.executiveContacts.map(\.figure.seconds) == [2400, nil])
        #expect(first.figures.executiveContacts.first?.contactKind == .escalationAcknowledged)
        #expect(PostmortemMarkdown.render(first).contains("| globex | 2026-01-10T10:15:00Z (#"))
        #expect(try report("INC-3").sponsoredCustomers.isEmpty)
        #expect(PostmortemMarkdown.render(try report("INC-3")).contains("No customer of this incident was in the executive sponsorship programme while it was open."))
    }
}
