import IncidentEvents
import IncidentReports
import LedgerModel
import Testing
@testable import IncidentProjections

/// What an incident needs done, judged just before, at and after each deadline. Every deadline here
/// is worked out by hand from the standard policy (first reply 60 minutes, 30 for enterprise;
/// escalations acknowledged within 15; a survey within 24 hours of the resolution; a postmortem
/// started within 5 days for sev2; a 15-minute window), not by the code under test.
@Suite struct DueItemTests {
    static let responses = PlaybookPolicy.standard.responses

    static func time(_ text: String) -> Timestamp { try! Timestamp(rfc3339: text) }
    static func micro(_ text: String, _ offset: Int64) -> Timestamp { Timestamp(microsecondsSinceEpoch: time(text).microsecondsSinceEpoch + offset) }

    /// An open sev1: an update at 09:05 promised the next by 09:35; acme (enterprise) wrote at 09:10,
    /// zeta (no tier) at 09:12; escalation esc-1 to engineering at 09:20, esc-2 acknowledged.
    static var open: IncidentSummary {
        var summary = IncidentSummary(incident: "INC-1")
        summary.severity = .sev1
        summary.phase = .identified
        summary.lastPublicUpdateAt = time("2026-03-14T09:05:00Z")
        summary.nextUpdatePromisedBy = time("2026-03-14T09:35:00Z")
        summary.customers = ["acme", "zeta"]
        summary.awaitingReply = [
            .init(messageId: "m-1", customer: "acme", channel: .email, receivedAt: time("2026-03-14T09:10:00Z"), tier: "enterprise"),
            .init(messageId: "m-2", customer: "zeta", channel: .chat, receivedAt: time("2026-03-14T09:12:00Z")),
        ]
        summary.openEscalations = [
            .init(id: "esc-1", level: .engineering, reason: .severity, customer: nil, raisedAt: time("2026-03-14T09:20:00Z"), acknowledged: false),
            .init(id: "esc-2", level: .executive, reason: .threatToCancel, customer: "acme", raisedAt: time("2026-03-14T09:00:00Z"), acknowledged: true),
        ]
        return summary
    }

    /// A sev2 resolved at 08:30 on 2026-03-14, after acme wrote in; no survey, no postmortem yet.
    static var resolved: IncidentSummary {
        var summary = IncidentSummary(incident: "INC-2")
        summary.severity = .sev2
        summary.phase = .resolved
        summary.resolvedAt = time("2026-03-14T08:30:00Z")
        summary.customers = ["acme"]
        return summary
    }

    static let deadlines: [(DueItem.Kind, String?, String, IncidentSummary)] = [
        (.update, nil, "2026-03-14T09:35:00Z", open),
        (.firstReply, "m-1", "2026-03-14T09:40:00Z", open),  // enterprise: 30 minutes
        (.firstReply, "m-2", "2026-03-14T10:12:00Z", open),  // no tier: 60 minutes
        (.escalationAcknowledgement, "esc-1", "2026-03-14T09:35:00Z", open),
        (.survey, nil, "2026-03-15T08:30:00Z", resolved),
        (.postmortem, nil, "2026-03-19T08:30:00Z", resolved),
    ]

    static func item(_ summary: IncidentSummary, at now: Timestamp, _ kind: DueItem.Kind, _ reference: String?) -> DueItem? {
        summary.due(at: now, responses: responses).first { $0.kind == kind && $0.reference == reference }
    }

    @Test(arguments: deadlines.indices)
    func anItemIsListedFromTheWindowBeforeItsDeadlineAndOverdueAfterIt(index: Int) {
        let (kind, reference, deadline, summary) = Self.deadlines[index]
        let window: Int64 = 15 * 60 * 1_000_000
        #expect(Self.item(summary, at: Self.micro(deadline, -window - 1), kind, reference) == nil, "not yet within the window")
        let early = Self.item(summary, at: Self.micro(deadline, -window), kind, reference)
        #expect(early?.overdue == false, "listed from the window's start")
        #expect(early?.dueAt == Self.time(deadline))
        #expect(Self.item(summary, at: Self.time(deadline), kind, reference)?.overdue == false, "at the deadline: due, not overdue")
        #expect(Self.item(summary, at: Self.micro(deadline, 1), kind, reference)?.overdue == true, "a microsecond later: overdue")
        #expect(Self.item(summary, at: Self.micro(deadline, 30 * 86_400 * 1_000_000), kind, reference)?.overdue == true, "and it stays so")
    }

    @Test func itemsCarryWhatToAnswerAndComeMostUrgentFirst() {
        let items = Self.open.due(at: Self.time("2026-03-14T10:00:00Z"), responses: Self.responses)
        #expect(items.map(\.kind) == [.escalationAcknowledgement, .update, .firstReply, .firstReply])
        #expect(items.map(\.reference) == ["esc-1", nil, "m-1", "m-2"])
        #expect(items.map(\.overdue) == [true, true, true, false])
        let reply = items[2]
        #expect(reply.subject == "acme" && reply.tier == "enterprise" && reply.since == Self.time("2026-03-14T09:10:00Z"))
        #expect(items[0].subject == "engineering" && items[0].since == Self.time("2026-03-14T09:20:00Z"))
        #expect(items[1].since == Self.time("2026-03-14T09:05:00Z"))
        #expect(items.allSatisfy { $0.incident == "INC-1" })
    }

    @Test func aWiderWindowAndAnotherPolicyMoveWhatIsListed() {
        let now = Self.time("2026-03-14T09:00:00Z")
        #expect(Self.open.due(at: now, responses: Self.responses).isEmpty)
        // Two hours ahead: everything but the acknowledged escalation.
        #expect(Self.open.due(at: now, responses: Self.responses, window: 2 * 3_600_000_000).count == 4)
        var fast = Self.responses
        fast.firstReplyMinutes = 5
        fast.firstReplyMinutesByTier = [:]
        let replies = Self.open.due(at: Self.time("2026-03-14T09:16:00Z"), responses: fast).filter { $0.kind == .firstReply }
        #expect(replies.map(\.dueAt) == [Self.time("2026-03-14T09:15:00Z"), Self.time("2026-03-14T09:17:00Z")])
        #expect(replies.map(\.overdue) == [true, false])
    }

    @Test func followUpsEndWhenDoneOrClosedAndOpenWorkEndsWithTheResolution() {
        let late = Self.time("2026-04-30T00:00:00Z")
        #expect(Self.resolved.due(at: late, responses: Self.responses).map(\.kind) == [.survey, .postmortem])
        var done = Self.resolved
        done.surveys = [.init(surveyId: "s-1", customer: "acme", scale: .csat, score: nil, expired: false)]
        done.postmortem = .started
        #expect(done.due(at: late, responses: Self.responses).isEmpty)
        var quiet = Self.resolved
        quiet.customers = []
        quiet.severity = .sev4  // the standard policy needs no postmortem for sev4
        #expect(quiet.due(at: late, responses: Self.responses).isEmpty)
        var closed = Self.resolved
        closed.phase = .closed
        #expect(closed.due(at: late, responses: Self.responses).isEmpty)
        // A resolved incident owes no update or reply any more.
        var settled = Self.open
        settled.phase = .resolved
        settled.resolvedAt = Self.time("2026-03-14T11:00:00Z")
        settled.postmortem = .started
        settled.surveys = [.init(surveyId: "s-1", customer: "acme", scale: .csat, score: nil, expired: false)]
        #expect(settled.due(at: late, responses: Self.responses).isEmpty)
    }

    /// Customers who were told of an incident hear that it is over: 30 minutes after the resolution
    /// (08:30 → 09:00, worked by hand), unless the last public update already said so; customers
    /// never told are owed nothing.
    @Test func aResolutionIsAnnouncedToCustomersWhoWereTold() {
        var told = Self.resolved
        told.lastPublicUpdateAt = Self.time("2026-03-14T08:10:00Z")
        told.lastPublicStatus = .identified
        let kind = DueItem.Kind.resolutionAnnouncement
        #expect(Self.item(told, at: Self.micro("2026-03-14T08:45:00Z", -1), kind, nil) == nil, "before the window")
        let listed = Self.item(told, at: Self.time("2026-03-14T08:45:00Z"), kind, nil)
        #expect(listed?.dueAt == Self.time("2026-03-14T09:00:00Z") && listed?.overdue == false && listed?.since == told.resolvedAt)
        #expect(Self.item(told, at: Self.time("2026-03-14T09:00:00Z"), kind, nil)?.overdue == false, "at the deadline: due")
        #expect(Self.item(told, at: Self.micro("2026-03-14T09:00:00Z", 1), kind, nil)?.overdue == true, "after it: overdue")
        #expect(listed.map { String(describing: $0.what) }?.contains("a public update that the incident is resolved") == true)
        var announced = told
        announced.lastPublicStatus = .resolved
        #expect(Self.item(announced, at: Self.time("2026-04-30T00:00:00Z"), kind, nil) == nil)
        #expect(Self.item(Self.resolved, at: Self.time("2026-04-30T00:00:00Z"), kind, nil) == nil, "never told")
        var longer = Self.responses
        longer.resolutionAnnouncedWithinMinutes = 120
        #expect(told.due(at: Self.time("2026-03-14T10:30:00Z"), responses: longer).first { $0.kind == kind }?.dueAt == Self.time("2026-03-14T10:30:00Z"))
    }

    /// The words `incidents due` and the pages share: the customer's name is a value, isolated in HTML.
    @Test func theWordsOfAnItemOnTheCommandLineAndOnAPage() {
        let items = Self.open.due(at: Self.time("2026-03-14T09:36:00Z"), responses: Self.responses)
        #expect(items.map(\.what.plain) == [
            "an acknowledgement of the escalation esc-1 to engineering, raised 2026-03-14T09:20:00Z",
            "the next public update, promised in the update of 2026-03-14T09:05:00Z",
            "a first reply to acme (enterprise), message m-1, received 2026-03-14T09:10:00Z",
        ])
        #expect(items.map(\.deadline) == ["overdue since 2026-03-14T09:35:00Z", "overdue since 2026-03-14T09:35:00Z", "due by 2026-03-14T09:40:00Z"])
        let html = IncidentListPage.dueList(items)
        #expect(html.contains(#"<li class="due-item" data-kind="first-reply">Due by 2026-03-14T09:40:00Z: a first reply to <bdi>acme</bdi> (<bdi>enterprise</bdi>), message <bdi>m-1</bdi>"#))
        #expect(html.contains(#"<li class="due-item" data-kind="update" data-overdue>Overdue since 2026-03-14T09:35:00Z: the next public update"#))
        #expect(IncidentListPage.dueList([]) == #"<span class="muted">—</span>"#)
    }
}
