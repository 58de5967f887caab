public import Foundation
import IncidentEvents
public import LedgerModel

/// The result of mapping one Statuspage document.
public struct StatuspageImport: Sendable {
    public var incidents: [ImportedIncident]
    public var warnings: [ImportWarning]
    /// Incidents in the document that could not be mapped at all.
    public var skippedIncidents: Int
    /// Every event, incident by incident, in order.
    public var events: [StreamEvent] { incidents.flatMap(\.events) }
}

/// The document is not a Statuspage incidents document at all.
public struct StatuspageImportError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Maps Atlassian Statuspage incidents (`GET /api/v2/incidents.json`, `{"incident": …}` or one bare
/// incident) to catalog events. Pure: bytes in, events and warnings out.
public enum StatuspageImporter {
    public static let actor = Actor(kind: .tool, id: "statuspage-import")
    public static let source = "statuspage"
    /// Prepended to a Statuspage incident's id to make the ledger's incident id, unless told otherwise.
    public static let defaultPrefix = "SP-"
    /// Updates dated more than this before the incident's creation are reported.
    public static let backdatedThresholdSeconds: Int64 = 3600
    /// By default, updates posted (`created_at`) more than this after the time they show
    /// (`display_at`) are reported as back-dated.
    public static let defaultBackdatedAfterSeconds: Int64 = 3600

    /// Maps a document; an update posted more than `backdatedAfterSeconds` after the time it shows is reported.
    /// `actor` and `source` name who records the events: the import by default, a webhook receiver for a delivery.
    public static func map(
        _ bytes: [UInt8], prefix: String = defaultPrefix, backdatedAfterSeconds: Int64 = defaultBackdatedAfterSeconds,
        actor: Actor = StatuspageImporter.actor, source: String = StatuspageImporter.source
    ) throws(StatuspageImportError) -> StatuspageImport {
        let document: JSONValue
        do {
            document = try JSONParser.parse(bytes)
        } catch {
            throw StatuspageImportError("not a Statuspage document: \(error.description)")
        }
        guard let root = document.objectValue else {
            throw StatuspageImportError("not a Statuspage document: the top level is \(document.typeName), not an object")
        }
        let sources: [JSONValue]
        if let list = root["incidents"] {
            guard case .array(let items) = list else {
                throw StatuspageImportError("not a Statuspage document: \"incidents\" is \(list.typeName), not an array")
            }
            sources = items
        } else if let single = root["incident"] {
            guard single.objectValue != nil else {
                throw StatuspageImportError("not a Statuspage document: \"incident\" is \(single.typeName), not an object")
            }
            sources = [single]
        } else if root["id"] != nil, root["incident_updates"] != nil || root["created_at"] != nil {
            sources = [document]
        } else if root["component_update"] != nil {
            // A component's webhook: the incident webhooks carry what the ledger records of it.
            let warning = ImportWarning(.unknownValue, incidentID: nil, "a component update, not an incident; nothing to import")
            return StatuspageImport(incidents: [], warnings: [warning], skippedIncidents: 0)
        } else {
            throw StatuspageImportError("not a Statuspage document: expected {\"incidents\": [...]}, {\"incident\": {...}} or an incident object")
        }
        var result = StatuspageImport(incidents: [], warnings: [], skippedIncidents: 0)
        var seen = Set<String>()
        for (index, item) in sources.enumerated() {
            var mapper = IncidentMapper(prefix: prefix, backdatedAfterSeconds: backdatedAfterSeconds, actor: actor, source: source)
            if var incident = mapper.map(item, index: index, seen: &seen) {
                incident.origin = SourceRecord(index: index + 1, unit: .record, content: item)
                result.incidents.append(incident)
            } else {
                result.skippedIncidents += 1
            }
            result.warnings.append(contentsOf: mapper.warnings)
        }
        return result
    }

    /// A version 8 UUID from the first 16 bytes of SHA-256 of `statuspage/<incident id>/<role>`.
    public static func eventID(incident: String, role: String) -> UUID {
        SourceEventID.make("statuspage/\(incident)/\(role)")
    }

    /// Update bodies as plain text: tags stripped, entities decoded, blank runs collapsed.
    public static func plainText(_ html: String) -> String {
        var text = ""
        var inTag = false
        var tag = ""
        let characters = Array(html)
        for (index, character) in characters.enumerated() {
            if inTag {
                if character == ">" {
                    inTag = false
                    let name = tag.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "/ ")).prefix { $0.isLetter || $0.isNumber }
                    if ["br", "p", "li", "div", "ul", "ol", "tr", "h1", "h2", "h3", "h4"].contains(String(name)) { text.append("\n") }
                } else {
                    tag.append(character)
                }
            } else if character == "<", index + 1 < characters.count,
                      characters[index + 1].isLetter || characters[index + 1] == "/" || characters[index + 1] == "!" {
                inTag = true
                tag = ""
            } else {
                text.append(character)
            }
        }
        if inTag { text.append("<" + tag) }  // a lone "<" was text, not a tag
        text = decodeEntities(text)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true).map {
            $0.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\u{A0}" }).joined(separator: " ")
        }
        return lines.filter { !$0.isEmpty }.joined(separator: "\n")
    }

    static let namedEntities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ", "mdash": "—", "ndash": "–",
        "hellip": "…", "rsquo": "’", "lsquo": "‘", "rdquo": "”", "ldquo": "“",
    ]

    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let after = rest[rest.index(after: amp)...]
            if let semi = after.prefix(12).firstIndex(of: ";") {
                let name = after[..<semi]
                var decoded: String?
                if name.hasPrefix("#x") || name.hasPrefix("#X") {
                    decoded = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
                } else if name.hasPrefix("#") {
                    decoded = UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
                } else {
                    decoded = namedEntities[String(name)]
                }
                if let decoded {
                    out += decoded
                    rest = after[after.index(after: semi)...]
                    continue
                }
            }
            out += "&"
            rest = after
        }
        out += rest
        return out
    }
}

/// Maps one incident, collecting its warnings.
struct IncidentMapper {
    let prefix: String
    let backdatedAfterSeconds: Int64
    /// Who records the events, and through what.
    let recorder: (actor: Actor, source: String)
    var warnings = [ImportWarning]()
    private var incidentID: String?

    init(prefix: String, backdatedAfterSeconds: Int64, actor: Actor, source: String) {
        self.prefix = prefix
        self.backdatedAfterSeconds = backdatedAfterSeconds
        recorder = (actor, source)
    }

    private mutating func warn(_ kind: ImportWarning.Kind, _ message: String) {
        warnings.append(ImportWarning(kind, incidentID: incidentID, message))
    }

    private static let maintenanceStatuses: Set<String> = ["scheduled", "in_progress", "verifying", "completed"]
    private static let resolvedStatuses: Set<String> = ["resolved", "postmortem", "completed"]

    private func time(_ object: [String: JSONValue], _ key: String) -> Timestamp? {
        guard let text = object[key]?.stringValue else { return nil }
        return try? Timestamp(rfc3339: text)
    }

    /// True when the key holds something other than null that is not a readable time.
    private func unreadable(_ object: [String: JSONValue], _ key: String) -> Bool {
        guard let value = object[key], value != .null else { return false }
        return time(object, key) == nil
    }

    mutating func map(_ value: JSONValue, index: Int, seen: inout Set<String>) -> ImportedIncident? {
        guard let object = value.objectValue else {
            warn(.missingField, "incident #\(index + 1) is \(value.typeName), not an object; skipped")
            return nil
        }
        guard let id = object["id"]?.stringValue, !id.isEmpty else {
            warn(.missingField, "incident #\(index + 1) has no id; skipped")
            return nil
        }
        incidentID = id
        guard seen.insert(id).inserted else {
            warn(.duplicateIncident, "appears more than once in the document; the later copy is skipped")
            return nil
        }
        guard let createdAt = time(object, "created_at") else {
            warn(.missingField, "has no readable created_at; skipped (no time is invented)")
            return nil
        }
        guard let name = object["name"]?.stringValue, !name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            warn(.missingField, "has no name; skipped")
            return nil
        }
        let severity: Severity
        switch object["impact"]?.stringValue {
        case "critical": severity = .sev1
        case "major": severity = .sev2
        case "minor": severity = .sev3
        case "none": severity = .sev4
        case let other?:
            warn(.unknownValue, "impact \(MessageText.quoted(other)) is not critical, major, minor or none; skipped")
            return nil
        case nil:
            warn(.missingField, "has no impact, so no severity; skipped")
            return nil
        }
        let stream = prefix + id
        let startedAt = time(object, "started_at")
        if unreadable(object, "started_at") { warn(.missingField, "started_at is not a readable time; ignored") }
        let resolvedAt = time(object, "resolved_at")
        if unreadable(object, "resolved_at") { warn(.missingField, "resolved_at is not a readable time; ignored") }
        let status = object["status"]?.stringValue

        // Components named by the incident, in its order.
        var services = [String]()
        if case .array(let components)? = object["components"] {
            for component in components {
                if let name = component["name"]?.stringValue, !name.isEmpty, !services.contains(name) { services.append(name) }
            }
        }

        // Updates in time order.
        var updates = [SourceIncident.Update]()
        if case .array(let items)? = object["incident_updates"] {
            for (position, item) in items.enumerated() {
                guard let update = item.objectValue else {
                    warn(.missingField, "update #\(position + 1) is not an object; skipped")
                    continue
                }
                guard let updateID = update["id"]?.stringValue, !updateID.isEmpty else {
                    warn(.missingField, "update #\(position + 1) has no id; skipped")
                    continue
                }
                guard let at = time(update, "display_at") ?? time(update, "created_at") else {
                    warn(.missingField, "update \(updateID) has neither display_at nor created_at; skipped (no time is invented)")
                    continue
                }
                guard let updateStatus = update["status"]?.stringValue else {
                    warn(.missingField, "update \(updateID) has no status; skipped")
                    continue
                }
                var affected = [(name: String, status: String)]()
                if case .array(let components)? = update["affected_components"] {
                    for component in components {
                        if let name = component["name"]?.stringValue, let status = component["new_status"]?.stringValue {
                            affected.append((name, status))
                        }
                    }
                }
                updates.append(SourceIncident.Update(
                    key: updateID, label: "update \(updateID)", at: at, created: time(update, "created_at"), sourceStatus: updateStatus,
                    status: PublicStatus(rawValue: updateStatus), text: StatuspageImporter.plainText(update["body"]?.stringValue ?? ""),
                    affected: affected))
            }
        } else if object["incident_updates"] != nil, object["incident_updates"] != .null {
            warn(.missingField, "incident_updates is not an array; no updates imported")
        }
        updates.sort { ($0.at, $0.created ?? $0.at, $0.key) < ($1.at, $1.created ?? $1.at, $1.key) }

        // Declaration.
        var isMaintenance = Self.maintenanceStatuses.contains(status ?? "") || updates.contains { Self.maintenanceStatuses.contains($0.sourceStatus) }
        let hasWindowField = [object["scheduled_for"], object["scheduled_until"]].contains { $0 != nil && $0 != .null }
        isMaintenance = isMaintenance || hasWindowField
        var kind = IncidentKind.unplanned
        var plannedStart: Timestamp?
        var plannedEnd: Timestamp?
        if isMaintenance {
            if let start = time(object, "scheduled_for"), let end = time(object, "scheduled_until"), end > start {
                kind = .scheduledMaintenance
                plannedStart = start
                plannedEnd = end
            } else {
                warn(.maintenanceWindowMissing, "looks like scheduled maintenance but has no complete scheduled_for/scheduled_until window; imported as unplanned")
            }
        }
        let isResolved = status.map { Self.resolvedStatuses.contains($0) } ?? false
        let source = SourceIncident(
            id: id, title: name, severity: severity, services: services, kind: kind, plannedStart: plannedStart, plannedEnd: plannedEnd,
            createdAt: createdAt, startedAt: startedAt, resolvedAt: resolvedAt, status: status, isResolved: isResolved, updates: updates)
        var mapper = SourceIncidentEvents(
            stream: stream, actor: recorder.actor, source: recorder.source, fields: SourceIncident.FieldNames(),
            backdatedAfterSeconds: backdatedAfterSeconds, eventID: { StatuspageImporter.eventID(incident: id, role: $0) })
        mapper.map(source)
        warnings.append(contentsOf: mapper.warnings)
        return ImportedIncident(sourceID: id, stream: stream, events: mapper.events)
    }
}
