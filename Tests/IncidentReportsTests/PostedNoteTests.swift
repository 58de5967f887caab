import IncidentProjections
import IncidentReports
import LedgerModel
import Testing

/// The note beside a status update posted at another time than it shows, as every renderer writes it.
@Suite struct PostedNoteTests {
    static let shown = Timestamp(microsecondsSinceEpoch: 1_773_738_720_000_000)  // 2026-03-17T09:12:00Z

    @Test func anUpdatePostedAtTheTimeItShowsHasNoNote() {
        #expect(Timeline.postedNote(postedAt: nil, shownAt: Self.shown) == nil)
        #expect(Timeline.postedNote(postedAt: Self.shown, shownAt: Self.shown) == nil)
    }

    @Test func aBackDatedPostSaysHowMuchLaterItWasPosted() {
        let posted = Timestamp(microsecondsSinceEpoch: Self.shown.microsecondsSinceEpoch + (2 * 86_400 + 9 * 3600) * 1_000_000)
        #expect(Timeline.postedNote(postedAt: posted, shownAt: Self.shown) == "posted \(posted.rfc3339), 2d 9h after the time shown")
        let earlier = Timestamp(microsecondsSinceEpoch: Self.shown.microsecondsSinceEpoch - 90 * 1_000_000)
        #expect(Timeline.postedNote(postedAt: earlier, shownAt: Self.shown) == "posted \(earlier.rfc3339), 1m 30s before the time shown")
    }
}
