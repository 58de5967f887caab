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

    /// What the record holds, kept as the source gave it until a rejection needs it as JSON.
    enum Body: Sendable, Hashable {
        case json(JSONValue)
        case csv(header: [String], records: [CSVTable.Record])
    }

    /// 1-based: the line where the record begins, or its number among the document's records.
    public var index: Int
    public var unit: Unit
    let body: Body

    public init(index: Int, unit: Unit, content: JSONValue) {
        self.index = index
        self.unit = unit
        body = .json(content)
    }

    init(index: Int, unit: Unit, body: Body) {
        self.index = index
        self.unit = unit
        self.body = body
    }

    /// The record as the source has it, for the rejects file: a JSON value as it stands; CSV rows as
    /// `{"lines": [2, 5], "rows": [{"Column": "value", …}, …]}`, keyed by the header (fields past its end under `#N`).
    public var content: JSONValue {
        switch body {
        case .json(let value):
            return value
        case .csv(let header, let records):
            let rows: [JSONValue] = records.map { record in
                var object = [String: JSONValue]()
                for (column, field) in record.fields.enumerated() {
                    object[column < header.count ? header[column] : "#\(column + 1)"] = .string(field)
                }
                return .object(object)
            }
            return .object(["lines": .array(records.map { .integer(Int64($0.line)) }), "rows": .array(rows)])
        }
    }
}
