public import LedgerModel

/// One incident's events, ready for `EventRecorder.record`.
public struct ImportedIncident: Sendable, Hashable {
    /// The incident's id in the source.
    public var sourceID: String
    /// The incident's stream in the ledger.
    public var stream: String
    public var events: [StreamEvent]
    /// Where the incident stands in the source, for a rejection to point at and a rejects file to hold.
    public var origin: SourceRecord?

    public init(sourceID: String, stream: String, events: [StreamEvent], origin: SourceRecord? = nil) {
        self.sourceID = sourceID
        self.stream = stream
        self.events = events
        self.origin = origin
    }
}

/// A record of a source file: its place (a line, or a record's number) and what it holds.
public struct SourceRecord: Sendable, Hashable {
    /// How a record's index counts: lines of a text file (the first is 1), or records of a document.
    public enum Unit: String, Sendable, Hashable {
        case line, record
    }

    /// 1-based: the line where the record begins, or its number among the document's records.
    public var index: Int
    public var unit: Unit
    /// The record as the source has it (a CSV record's rows keyed by the header, a JSON object), for the rejects file.
    public var content: JSONValue

    public init(index: Int, unit: Unit, content: JSONValue) {
        self.index = index
        self.unit = unit
        self.content = content
    }
}
