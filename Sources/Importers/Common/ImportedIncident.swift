public import LedgerModel

/// One incident's events, ready for `EventRecorder.record`.
public struct ImportedIncident: Sendable, Hashable {
    /// The incident's id in the source.
    public var sourceID: String
    /// The incident's stream in the ledger.
    public var stream: String
    public var events: [StreamEvent]

    public init(sourceID: String, stream: String, events: [StreamEvent]) {
        self.sourceID = sourceID
        self.stream = stream
        self.events = events
    }
}
