import IncidentEvents
import LedgerModel
import Testing
@testable import IncidentProjections
@testable import IncidentReports

/// The postmortem's sentences are built once (PostmortemText) and each format only renders them:
/// the same words in Markdown and HTML, a value from an event escaped for one and isolated for the other.
@Suite struct PostmortemWordingTests {
    static let at = Timestamp(microsecondsSinceEpoch: 1_773_738_720_000_000)  // 2026-03-17T09:12:00Z

    @Test func anEscalationStepSaysTheSameInEveryFormat() {
        let step = PostmortemReport.Escalation.Step(kind: .closed, at: Self.at, position: 7, text: "پایان *done* <b>", level: nil)
        let sentence = PostmortemText.step(step)
        #expect(sentence.plain == "closed at 2026-03-17T09:12:00Z (#7): پایان *done* <b>")
        #expect(PostmortemMarkdown.text(sentence) == "closed at 2026-03-17T09:12:00Z (#7): پایان \\*done\\* \\<b\\>")
        #expect(HTML.html(sentence) == "closed at 2026-03-17T09:12:00Z (#7): <bdi>پایان *done* &lt;b&gt;</bdi>")

        let down = PostmortemReport.Escalation.Step(kind: .deescalated, at: Self.at, position: 9, text: "stable", level: .escalationManager)
        #expect(HTML.html(PostmortemText.step(down)) == "down to escalation manager at 2026-03-17T09:12:00Z (#9): <bdi>stable</bdi>")
    }

    @Test func theReviewStateNamesItsOwnerAsAValueAndItsAddressOnlyOncePublished() {
        var review = PostmortemReport.Review(owner: "dana", startedAt: Self.at, dueAt: nil, rootCause: nil, publishedAt: nil, documentUrl: "https://x", publishedSummary: nil)
        var (state, url) = PostmortemText.reviewState(review)
        #expect(HTML.html(state) == "started 2026-03-17T09:12:00Z by <bdi>dana</bdi>; not published")
        #expect(url == nil)
        review.publishedAt = Self.at
        (state, url) = PostmortemText.reviewState(review)
        #expect(PostmortemMarkdown.text(state) == "started 2026-03-17T09:12:00Z by dana; published 2026-03-17T09:12:00Z")
        #expect(url == "https://x")
    }
}
