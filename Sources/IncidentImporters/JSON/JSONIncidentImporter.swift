public import LedgerModel

/// The result of mapping one JSON document or JSON Lines file.
public struct JSONIncidentImport: Sendable {
    public var incidents: [ImportedIncident]
    public var warnings: [ImportWarning]
    /// Records that break the mapping's rules, each with its index, field and rule; none of their
    /// events is in `incidents`.
    public var rejected: [JSONRecordProblem]
    /// Records skipped with a warning (a duplicate id, no time to place the incident at).
    public var skippedIncidents: Int
    /// Incident records read.
    public var records: Int
    /// Every event, incident by incident, in order.
    public var events: [StreamEvent] { incidents.flatMap(\.events) }
}

/// One record that breaks the mapping's rules: which record, which field, which rule.
public struct JSONRecordProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// The record's number among the file's incident records (1 is the first).
    public var record: Int
    /// For JSON Lines, the line it is on.
    public var line: Int?
    /// The source's id, when it was read before the problem.
    public var incidentID: String?
    /// The mapping key, and the path read (`fields.severity at "priority.summary"`).
    public var field: String
    public var rule: String
    /// The record as the file has it, for a rejects file (null when the line is not JSON).
    public var content: JSONValue = .null

    /// `record 3 (line 3, id "Q1"): fields.severity at "urgency": "urgent" is …`
    public var description: String {
        var place = [String]()
        if let line { place.append("line \(line)") }
        if let incidentID { place.append("id \(MessageText.quoted(incidentID))") }
        return "record \(record)\(place.isEmpty ? "" : " (\(place.joined(separator: ", ")))"): \(field): \(rule)"
    }
}

/// The input is not JSON or JSON Lines, or holds no incidents where the mapping says.
public struct JSONIncidentImportError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Maps incidents kept as JSON to catalog events through a `JSONMapping`. Pure: bytes in, events,
/// warnings and refused records out.
///
/// Each incident goes through the rules every status-history importer shares (`SourceIncidentEvents`:
/// the end the source gives stands, a start that conflicts with it is marked unknown, no time is
/// invented). Event ids are version 8 UUIDs from SHA-256 of `json/<source>/<incident id>/<role>`
/// (roles `declared`, `description`, `update/<update id or UTC time>`, `…/status`, `resolved`), so a
/// re-import adds nothing.
public enum JSONIncidentImporter {
    public static let actor = Actor(kind: .tool, id: "json-import")

    /// How the input is laid out.
    public enum Format: String, Sendable, CaseIterable {
        /// One JSON document.
        case json
        /// JSON Lines: one JSON value per line (blank lines are ignored).
        case jsonl
    }

    /// Maps `bytes`; `format` nil recognises JSON Lines when the whole is not one document but its first
    /// line is. `prefix`, when given, replaces the mapping's `streamPrefix`.
    public static func map(
        _ bytes: [UInt8], mapping: JSONMapping, format: Format? = nil, prefix: String? = nil
    ) throws(JSONIncidentImportError) -> JSONIncidentImport {
        var records = [(value: JSONValue, number: Int, line: Int?)]()
        var rejected = [JSONRecordProblem]()
        var count = 0
        func collect(_ document: JSONValue, line: Int?) {
            guard let found = mapping.incidents.value(in: document), found != .null else {
                count += 1
                rejected.append(JSONRecordProblem(
                    record: count, line: line, field: "incidents at \(MessageText.quoted(mapping.incidents.description))", rule: "nothing is there"))
                return
            }
            for item in found.arrayValue ?? [found] {
                count += 1
                records.append((item, count, line))
            }
        }
        // Read as one document first; without a format given, a failure whose first line is a whole
        // value is JSON Lines.
        var document: JSONValue?
        if format != .jsonl {
            do {
                document = try JSONParser.parse(bytes)
            } catch {
                guard format == nil, let first = lines(bytes).first, (try? JSONParser.parse(first.bytes)) != nil else {
                    throw JSONIncidentImportError("not JSON: \(error.description) (give --format jsonl for JSON Lines)")
                }
            }
        }
        if let document {
            guard let found = mapping.incidents.value(in: document), found != .null else {
                throw JSONIncidentImportError("the mapping's incidents path \(MessageText.quoted(mapping.incidents.description)) leads to nothing in the document")
            }
            guard found.objectValue != nil || found.arrayValue != nil else {
                throw JSONIncidentImportError("the mapping's incidents path \(MessageText.quoted(mapping.incidents.description)) leads to \(found.typeName), not an array of incidents")
            }
            collect(document, line: nil)
        } else {
            for (number, line) in lines(bytes) {
                do {
                    collect(try JSONParser.parse(line), line: number)
                } catch {
                    count += 1
                    rejected.append(JSONRecordProblem(record: count, line: number, field: "the line", rule: "not JSON: \(error.description)"))
                }
            }
        }
        var result = JSONIncidentImport(incidents: [], warnings: [], rejected: rejected, skippedIncidents: 0, records: count)
        var seen = Set<String>()
        for record in records {
            var mapper = JSONRecordMapper(mapping: mapping, prefix: prefix ?? mapping.naming.streamPrefix, record: record.number, line: record.line)
            do {
                if var incident = try mapper.map(record.value, seen: &seen) {
                    incident.origin = SourceRecord(index: record.number, unit: .record, content: record.value)
                    result.incidents.append(incident)
                } else {
                    result.skippedIncidents += 1
                }
                result.warnings.append(contentsOf: mapper.warnings)
            } catch {
                var problem = error
                problem.content = record.value
                result.rejected.append(problem)
            }
        }
        result.rejected.sort { $0.record < $1.record }
        return result
    }

    /// The non-blank lines with their numbers (1 is the first), without `\r\n` line ends.
    static func lines(_ bytes: [UInt8]) -> [(number: Int, bytes: ArraySlice<UInt8>)] {
        var out = [(number: Int, bytes: ArraySlice<UInt8>)]()
        var number = 0
        for var line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            number += 1
            if line.last == 0x0D { line = line.dropLast() }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            out.append((number, line))
        }
        return out
    }
}

extension JSONValue {
    var arrayValue: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }
}
