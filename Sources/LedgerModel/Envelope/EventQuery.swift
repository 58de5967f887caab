/// Which events were asked for: all, or those of one incident, some types, or a time range (by when
/// they happened). `incidents log` filters by it, and an audit export records it in its manifest.
public struct EventQuery: Sendable, Equatable {
    public var incident: String?
    /// Event types; empty means every type.
    public var types: [String]
    /// Only events that happened at or after this time.
    public var since: Timestamp?
    /// Only events that happened before this time.
    public var until: Timestamp?

    public init(incident: String? = nil, types: [String] = [], since: Timestamp? = nil, until: Timestamp? = nil) {
        self.incident = incident
        self.types = Array(Set(types)).sorted()
        self.since = since
        self.until = until
    }

    /// True when the query leaves events out (an export then carries an inclusion proof for each event).
    public var isFiltered: Bool { incident != nil || !types.isEmpty || since != nil || until != nil }

    public func matches(_ event: RecordedEvent) -> Bool {
        if let incident, event.stream != incident { return false }
        if !types.isEmpty, !types.contains(event.type) { return false }
        if let since, event.occurredAt < since { return false }
        if let until, event.occurredAt >= until { return false }
        return true
    }
}
