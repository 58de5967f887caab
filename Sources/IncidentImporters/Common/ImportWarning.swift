/// Something in the source that could not be imported exactly as it stands. Every importer reports
/// with this one type; docs/importing.md lists each kind and what is imported despite it.
public struct ImportWarning: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Created and resolved at one instant: the real timeline is only in the update text, so the
        /// declaration says its times are not known (`unknownTimes: all`) and no clock measures it.
        case backfilled
        /// The incident is resolved but has no resolved_at: it is resolved at its last update's time, or,
        /// with nothing dated after its creation, at its creation with its times marked unknown.
        case resolvedWithoutTime = "resolved_without_time"
        /// resolved_at is before the impact began: the resolution is kept, the impact start is not recorded.
        case resolutionBeforeStart = "resolution_before_start"
        /// resolved_at is before created_at: the resolution is kept, the declaration's time is marked
        /// unknown (`unknownTimes: start`), so no clock runs from it.
        case resolutionBeforeCreation = "resolution_before_creation"
        /// An event log's opened time is after the incident's first row: declared at the first row, its
        /// time marked unknown (`unknownTimes: start`).
        case openedAfterActivity = "opened_after_activity"
        /// An update is dated more than an hour before the incident was created: kept at its time.
        case backdatedUpdate = "backdated_update"
        /// An update was posted (Statuspage's `created_at`) longer after the time it shows (`display_at`)
        /// than the importer's interval (`--backdated-after`, 1 hour by default): it stands at the time it
        /// shows, with the posting time kept (`postedAt`), from which time to first public update counts.
        case postedAfterShownTime = "posted_after_shown_time"
        /// A maintenance without a complete window: imported as unplanned.
        case maintenanceWindowMissing = "maintenance_window_missing"
        /// A field needed for the mapping is missing or unreadable: what depends on it is skipped.
        case missingField = "missing_field"
        /// A time that cannot be read with the mapping's format: the row is skipped (no time is invented).
        case badTimestamp = "bad_timestamp"
        /// A status, impact or similar value this importer does not know: what depends on it is skipped.
        case unknownValue = "unknown_value"
        /// Text longer than the catalog allows was shortened.
        case truncated
        /// The same incident id appears twice in the document: the later one is skipped.
        case duplicateIncident = "duplicate_incident"
        /// An incident's rows are not in time order in the file: they are imported in time order.
        case outOfOrder = "out_of_order"
        /// Work resumed after the incident was resolved or closed: an incident.reopened is recorded.
        case reopened
        /// A resolution or closure repeated without a reopen in between: the repeat is skipped.
        case repeatedStatus = "repeated_status"
        /// Closed without a resolution first: the closure is recorded, no resolution time is invented.
        case closedWithoutResolution = "closed_without_resolution"
        /// A severity or scope change on a closed incident (the rules forbid it): skipped.
        case changedAfterClosure = "changed_after_closure"
        /// A survey answer that cannot stand (score off the scale, answered before sent): skipped.
        case invalidAnswer = "invalid_answer"
        /// A survey id used twice in one incident: the later row is skipped.
        case duplicateSurvey = "duplicate_survey"
        /// Events the ledger recorded from an earlier import differ from what the source gives now
        /// (edited at the source since, or mapped by an earlier build): the ledger keeps what it recorded.
        case changedSinceImport = "changed_since_import"
        /// A webhook delivery about an incident the ledger does not know yet (an acknowledgement before
        /// any trigger): the incident is declared first, from what the delivery says of it.
        case undeclaredIncident = "undeclared_incident"
    }

    public var kind: Kind
    /// The source's incident id, when the warning is about one incident.
    public var incidentID: String?
    /// The line of the source file where the record begins (1 is the first line), for row-based sources.
    public var row: Int?
    public var message: String

    public init(_ kind: Kind, incidentID: String?, row: Int? = nil, _ message: String) {
        self.kind = kind
        self.incidentID = incidentID
        self.row = row
        self.message = message
    }

    /// `[kind] id (line N): message`, as printed after `warning: `.
    public var line: String {
        var subject = incidentID ?? ""
        if let row { subject += subject.isEmpty ? "line \(row)" : " (line \(row))" }
        return "[\(kind.rawValue)] \(subject.isEmpty ? "" : "\(subject): ")\(message)"
    }
}
