public import Foundation
public import LedgerModel
import IncidentEvents

/// Events given as JSON, as `append` reads them: one document (possibly over many lines), or JSON
/// Lines, one event per line. Every event is a record of its own; a line that is not JSON or not an
/// event envelope is a rejection naming its line, field and rule, and the others still read.
public struct EventLines: Sendable {
    /// The input as a whole is not events: empty, an array, or neither one document nor JSON Lines.
    public struct Failure: Error, Sendable {
        /// What follows the input's name in a message: ` is empty; …` or `: malformed JSON …`.
        public var sentence: String
    }

    /// One record per event that reads as an envelope, in input order.
    public var records: [ImportedIncident]
    /// The lines that do not.
    public var rejections: [RecordRejection]
    /// Records in the input, good and bad.
    public var count: Int { records.count + rejections.count }

    /// What an event that leaves out its actor, source or id gets: the server records in the name of the
    /// caller (a token's holder, a webhook receiver) through its route; a webhook receiver derives ids
    /// from the delivery, so that the same delivery again is an exact retry.
    public struct Defaults {
        public var actor: Actor
        public var source: String
        /// The id of the record at `index` (a line number, or 1 for one document); nil leaves a fresh one.
        public var id: ((_ index: Int) -> UUID)?

        public init(actor: Actor, source: String, id: ((_ index: Int) -> UUID)? = nil) {
            self.actor = actor
            self.source = source
            self.id = id
        }
    }

    /// Reads `bytes`; with `defaults`, an event that names no actor, source or id gets them.
    public init(parsing bytes: [UInt8], defaults: Defaults? = nil) throws(Failure) {
        records = []
        rejections = []
        guard bytes.contains(where: { !Self.isWhitespace($0) }) else {
            throw Failure(sentence: " is empty; give one JSON event or JSON Lines")
        }
        // One document (possibly pretty-printed over many lines), or else one document per line.
        let whole: JSONValue
        do {
            whole = try JSONParser.parse(bytes)
        } catch let wholeError {
            let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
            let nonBlank = lines.filter { $0.contains(where: { !Self.isWhitespace($0) }) }
            guard nonBlank.count > 1, (try? JSONParser.parse(nonBlank[0])) != nil else {
                throw Failure(sentence: ": \(wholeError); nothing was written")
            }
            for (number, line) in lines.enumerated() where line.contains(where: { !Self.isWhitespace($0) }) {
                do {
                    add(try JSONParser.parse(line), index: number + 1, unit: .line, defaults: defaults)
                } catch {
                    let text = String(decoding: line, as: UTF8.self)
                    rejections.append(RecordRejection(
                        index: number + 1, unit: .line, incidentID: nil, field: "", rule: "\(error.reason) (column \(error.column))",
                        record: .string(text)))
                }
            }
            return
        }
        if case .array = whole {
            throw Failure(sentence: " holds a JSON array; give one event, or one event per line (JSON Lines)")
        }
        add(whole, index: 1, unit: .record, defaults: defaults)
    }

    private mutating func add(_ value: JSONValue, index: Int, unit: SourceRecord.Unit, defaults: Defaults?) {
        let origin = SourceRecord(index: index, unit: unit, content: value)
        var filled = value
        if let defaults, case .object(var members) = value {
            if members["actor"] == nil { members["actor"] = ["kind": .string(defaults.actor.kind.name), "id": .string(defaults.actor.id)] }
            if members["source"] == nil { members["source"] = .string(defaults.source) }
            if members["id"] == nil, let id = defaults.id { members["id"] = .string(id(index).uuidString.lowercased()) }
            filled = .object(members)
        }
        do {
            let event = try StreamEvent(json: filled, defaultSchemaVersion: Catalog.currentVersion(of:))
            records.append(ImportedIncident(sourceID: event.stream, stream: event.stream, events: [event], origin: origin))
        } catch {
            rejections.append(RecordRejection(
                index: index, unit: unit, incidentID: value["stream"]?.stringValue, field: error.field, rule: error.reason, record: value))
        }
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
