public import IncidentProjections
public import LedgerModel

extension Timeline {
    /// How a status update's posting time stands to the time it shows, in the words every renderer
    /// uses: "posted 2026-03-17T09:12:00Z, 2d 9h after the time shown"; nil when it was posted at the
    /// time it shows.
    public static func postedNote(postedAt: Timestamp?, shownAt: Timestamp) -> String? {
        guard let postedAt, postedAt != shownAt else { return nil }
        let seconds = seconds(postedAt, shownAt)
        let relation = seconds >= 0 ? "\(PostmortemText.duration(seconds)) after" : "\(PostmortemText.duration(-seconds)) before"
        return "posted \(postedAt.rfc3339), \(relation) the time shown"
    }
}
