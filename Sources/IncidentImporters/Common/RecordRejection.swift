public import LedgerModel

/// A record of the input that the ledger would refuse: where it is, which field broke which rule,
/// and the record itself. Every importer and `append` report bad records with this one type, and a
/// rejects file holds one per line (``jsonLine``).
public struct RecordRejection: Sendable, Hashable {
    /// 1-based, in ``unit``s: the line where the record begins, or its number in the document.
    public var index: Int
    public var unit: SourceRecord.Unit
    /// The source's incident id, when the record is about one incident.
    public var incidentID: String?
    /// The field at fault, as a JSON path of the event (`payload.severity`), or empty for the record as a whole.
    public var field: String
    /// The rule the record breaks, for a person to read.
    public var rule: String
    /// The record as the source has it.
    public var record: JSONValue

    public init(index: Int, unit: SourceRecord.Unit, incidentID: String?, field: String, rule: String, record: JSONValue) {
        self.index = index
        self.unit = unit
        self.incidentID = incidentID
        self.field = field
        self.rule = rule
        self.record = record
    }

    /// A rejection of an imported incident, from the error the ledger's check gave for one of its events.
    public init(_ incident: ImportedIncident, position: Int, error: EventInputError) {
        let origin = incident.origin ?? SourceRecord(index: position, unit: .record, content: .null)
        var field = error.field
        // Which of the incident's events broke the rule matters when the record holds several.
        if incident.events.count > 1, let number = error.index, number >= 1, number <= incident.events.count {
            let type = incident.events[number - 1].event.type
            field = field.isEmpty ? type : "\(type) \(field)"
        }
        self.init(index: origin.index, unit: origin.unit, incidentID: incident.sourceID, field: field, rule: error.reason, record: origin.content)
    }

    /// A record of a JSON file that breaks its mapping's rules.
    public init(_ problem: JSONRecordProblem) {
        self.init(
            index: problem.record, unit: .record, incidentID: problem.incidentID, field: problem.field, rule: problem.rule,
            record: problem.line.map { problem.content == .null ? .object(["line": .integer(Int64($0))]) : problem.content } ?? problem.content)
    }

    /// `line 7 (incident 1-364285768): payload.severity: must be one of …`, one line.
    public var message: String {
        var text = "\(unit.rawValue) \(index)"
        if let incidentID { text += " (incident \(MessageText.quoted(incidentID)))" }
        if !field.isEmpty { text += ": \(field)" }
        return text + ": \(rule)"
    }

    /// `{"index": …, "unit": …, "incident": …, "field": …, "rule": …, "message": …, "record": …}`.
    public var jsonLine: JSONValue {
        var object: [String: JSONValue] = [
            "index": .integer(Int64(index)), "unit": .string(unit.rawValue), "field": .string(field), "rule": .string(rule),
            "message": .string(message), "record": record,
        ]
        if let incidentID { object["incident"] = .string(incidentID) }
        return .object(object)
    }

    /// A rejects file: one JSON object per line, in the order of the input.
    public static func jsonLines(_ rejections: [RecordRejection]) -> [UInt8] {
        var out = [UInt8]()
        for rejection in rejections {
            rejection.jsonLine.writeCanonical(into: &out)
            out.append(0x0A)
        }
        return out
    }
}

/// The input holds records the ledger would refuse, and the import is all or nothing: nothing was
/// written. Names the first few bad records and how many more there are.
public struct ImportRefusal: Error, Sendable, CustomStringConvertible {
    /// How many bad records the message names before "and K more".
    public static let listed = 5

    public var rejections: [RecordRejection]
    /// The records in the input, bad ones included.
    public var records: Int

    public init(rejections: [RecordRejection], records: Int) {
        self.rejections = rejections
        self.records = records
    }

    public var description: String {
        let count = rejections.count
        var text = "\(count) of \(records) record\(records == 1 ? "" : "s") \(count == 1 ? "is" : "are") refused: "
        text += rejections.prefix(Self.listed).map(\.message).joined(separator: "; ")
        if count > Self.listed { text += "; and \(count - Self.listed) more" }
        return text + "; nothing was written — correct \(count == 1 ? "it" : "them"), or give --keep-going to record the others and write \(count == 1 ? "it" : "these") to a rejects file"
    }
}
