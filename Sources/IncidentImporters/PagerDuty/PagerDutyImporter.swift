public import Foundation
public import IncidentEvents
public import LedgerModel

/// One PagerDuty webhook (v3) delivery, read: the event and what it says of its incident.
public struct PagerDutyEvent: Sendable, Hashable {
    /// The incident as the delivery describes it: in full for incident events, by reference for notes.
    public struct Incident: Sendable, Hashable {
        /// PagerDuty's id of the incident (`PGR0VU2`), the same in every delivery about it.
        public var id: String
        /// The incident's number in the account (`1234`), when the delivery carries the whole incident.
        public var number: Int64?
        public var title: String?
        public var createdAt: Timestamp?
        /// The service's name (`service.summary`).
        public var service: String?
        /// The priority's name (`P1`), when the account uses priorities and the incident has one.
        public var priority: String?
        /// `high` or `low`.
        public var urgency: String?
        /// The assignees' names, in the delivery's order.
        public var assignees: [String] = []
    }

    /// PagerDuty's id of the event: the same on every redelivery, so a redelivery is an exact retry.
    public var id: String
    /// `incident.triggered`, `incident.acknowledged`, …
    public var type: String
    public var occurredAt: Timestamp
    /// Who did it, by PagerDuty's name for them (`agent.summary`), when the delivery says.
    public var agent: String?
    /// The agent is a user (not a service, an integration or an automation).
    public var agentIsUser: Bool
    /// The incident, for incident events; nil for others (`service.updated`).
    public var incident: Incident?
    /// A note's text (`incident.annotated`).
    public var noteText: String?
    /// PagerDuty shortened the note's text (`trimmed`): the whole note is only in PagerDuty.
    public var noteTrimmed = false

    public init(id: String, type: String, occurredAt: Timestamp, agent: String?, agentIsUser: Bool, incident: Incident?) {
        self.id = id
        self.type = type
        self.occurredAt = occurredAt
        self.agent = agent
        self.agentIsUser = agentIsUser
        self.incident = incident
    }

    /// The incident's stream in the ledger: `prefix` and its number, or its id when the delivery
    /// carries no number (a note's reference).
    public func stream(prefix: String) -> String? {
        incident.map { prefix + ($0.number.map(String.init) ?? $0.id) }
    }
}

/// The events of one PagerDuty delivery, ready to record, and what could not be mapped as it stands.
public struct PagerDutyImport: Sendable {
    /// Nil when the delivery is about no incident, or of a type the ledger does not map (a warning says which).
    public var incident: ImportedIncident?
    public var warnings: [ImportWarning]
}

/// The body is not a PagerDuty webhook (v3) delivery.
public struct PagerDutyImportError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Maps PagerDuty webhook (v3) deliveries (`{"event": {"id", "event_type", "occurred_at", "agent",
/// "data"}}`) to catalog events. Pure: bytes in, events and warnings out. docs/server.md ("Webhook
/// receivers") gives the mapping; event ids derive from PagerDuty's event id, so a redelivery adds nothing.
public enum PagerDutyImporter {
    public static let actor = Actor(kind: .tool, id: "pagerduty")
    public static let source = "webhook:pagerduty"
    /// The incident prefix a receiver uses unless told otherwise.
    public static let defaultPrefix = "PD-"
    /// The event types mapped to catalog events; others are answered and recorded as nothing.
    public static let mappedTypes: [String] = [
        "incident.triggered", "incident.acknowledged", "incident.escalated", "incident.reassigned", "incident.delegated",
        "incident.priority_updated", "incident.annotated", "incident.resolved", "incident.reopened",
    ]

    /// Reads a delivery, refusing a body that is not one.
    public static func read(_ bytes: [UInt8]) throws(PagerDutyImportError) -> PagerDutyEvent {
        let document: JSONValue
        do {
            document = try JSONParser.parse(bytes)
        } catch {
            throw PagerDutyImportError("not a PagerDuty webhook: \(error.description)")
        }
        guard let event = document["event"]?.objectValue else {
            throw PagerDutyImportError("not a PagerDuty webhook (v3): expected {\"event\": {…}} at the top level")
        }
        guard let id = event["id"]?.stringValue, !id.isEmpty else {
            throw PagerDutyImportError("not a PagerDuty webhook (v3): event.id is missing")
        }
        guard let type = event["event_type"]?.stringValue, !type.isEmpty else {
            throw PagerDutyImportError("not a PagerDuty webhook (v3): event.event_type is missing")
        }
        guard let occurredText = event["occurred_at"]?.stringValue, let occurredAt = try? Timestamp(rfc3339: occurredText) else {
            throw PagerDutyImportError("not a PagerDuty webhook (v3): event.occurred_at is not an RFC 3339 time")
        }
        let agent = event["agent"]?.objectValue
        var result = PagerDutyEvent(
            id: id, type: type, occurredAt: occurredAt, agent: nonEmpty(agent?["summary"]?.stringValue),
            agentIsUser: agent?["type"]?.stringValue == "user_reference", incident: nil)
        guard let data = event["data"]?.objectValue else { return result }
        if data["type"]?.stringValue == "incident" {
            result.incident = incident(data)
        } else if let reference = data["incident"]?.objectValue, let incidentID = nonEmpty(reference["id"]?.stringValue) {
            result.incident = PagerDutyEvent.Incident(id: incidentID, title: nonEmpty(reference["summary"]?.stringValue))
        }
        if data["type"]?.stringValue == "incident_note", let content = data["content"]?.stringValue {
            result.noteText = content
            result.noteTrimmed = data["trimmed"] == .bool(true)
        }
        return result
    }

    private static func incident(_ data: [String: JSONValue]) -> PagerDutyEvent.Incident? {
        guard let id = nonEmpty(data["id"]?.stringValue) else { return nil }
        var incident = PagerDutyEvent.Incident(id: id)
        if case .integer(let number)? = data["number"] { incident.number = number }
        incident.title = nonEmpty(data["title"]?.stringValue)
        incident.createdAt = data["created_at"]?.stringValue.flatMap { try? Timestamp(rfc3339: $0) }
        incident.service = nonEmpty(data["service"]?["summary"]?.stringValue)
        incident.priority = nonEmpty(data["priority"]?["summary"]?.stringValue)
        incident.urgency = nonEmpty(data["urgency"]?.stringValue)
        if case .array(let assignees)? = data["assignees"] {
            incident.assignees = assignees.compactMap { nonEmpty($0["summary"]?.stringValue) }
        }
        return incident
    }

    private static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        return text
    }

    /// Maps a delivery to the events of incident `stream`. When `incidentKnown` is false (the ledger
    /// holds nothing of the incident yet) and the delivery is not its trigger, the incident is declared
    /// first from what the delivery says of it, with an `undeclared_incident` warning.
    public static func map(_ event: PagerDutyEvent, stream: String, incidentKnown: Bool) -> PagerDutyImport {
        var mapper = PagerDutyMapper(event: event, stream: stream)
        mapper.map(incidentKnown: incidentKnown)
        let incident = mapper.events.isEmpty ? nil : ImportedIncident(sourceID: event.incident?.id ?? event.id, stream: stream, events: mapper.events)
        return PagerDutyImport(incident: incident, warnings: mapper.warnings)
    }

    /// The id of the event that declares PagerDuty incident `incident`: the same whichever delivery
    /// declared it, so the incident's stream can be found from any later delivery.
    public static func declarationID(incident: String) -> UUID {
        SourceEventID.make("pagerduty/incident/\(incident)/declared")
    }

    /// The id of the event (or the `part` of it) that a PagerDuty event maps to.
    public static func eventID(event: String, part: String? = nil) -> UUID {
        SourceEventID.make("pagerduty/event/\(event)" + (part.map { "/\($0)" } ?? ""))
    }

    /// The severity a PagerDuty incident stands for: its priority `P1`…`P5` (or `SEV1`…, `SEV-1`…) as
    /// sev1…sev4 (P5 is sev4); without a priority of that form, its urgency (high: sev2, low: sev3);
    /// without either, sev3. `readFrom` says which, for a reason or a warning.
    public static func severity(priority: String?, urgency: String?) -> (severity: Severity, readFrom: String) {
        if let priority, let level = priorityLevel(priority) {
            return ([.sev1, .sev2, .sev3, .sev4][min(level, 4) - 1], "priority \(priority)")
        }
        switch urgency {
        case "high": return (.sev2, "urgency high")
        case "low": return (.sev3, "urgency low")
        default: return (.sev3, "no priority or urgency")
        }
    }

    /// 1 for `P1`, `p1`, `SEV1`, `SEV-1`; nil for a name of another form.
    static func priorityLevel(_ name: String) -> Int? {
        var rest = Substring(name.trimmingCharacters(in: .whitespaces).uppercased())
        if rest.hasPrefix("SEV") {
            rest = rest.dropFirst(3)
            if rest.hasPrefix("-") || rest.hasPrefix(" ") { rest = rest.dropFirst() }
        } else if rest.hasPrefix("P") {
            rest = rest.dropFirst()
        } else {
            return nil
        }
        guard let level = Int(rest), level >= 1, level <= 5 else { return nil }
        return level
    }
}

/// Maps one delivery, collecting its events and warnings.
struct PagerDutyMapper: WarningReporter {
    let event: PagerDutyEvent
    let stream: String
    private(set) var events = [StreamEvent]()
    private(set) var warnings = [ImportWarning]()

    init(event: PagerDutyEvent, stream: String) {
        self.event = event
        self.stream = stream
    }

    mutating func warn(_ kind: ImportWarning.Kind, _ message: String) {
        warnings.append(ImportWarning(kind, incidentID: event.incident?.id, message))
    }

    private mutating func add(_ payload: IncidentEvent, id: UUID, at time: Timestamp) {
        let proposed = Catalog.proposed(
            payload, id: id, occurredAt: time, sourceRecordedAt: time, actor: PagerDutyImporter.actor, source: PagerDutyImporter.source)
        events.append(StreamEvent(stream: stream, event: proposed))
    }

    private mutating func add(_ payload: IncidentEvent, part: String? = nil) {
        add(payload, id: PagerDutyImporter.eventID(event: event.id, part: part), at: event.occurredAt)
    }

    private var agent: String { event.agent ?? "PagerDuty" }

    mutating func map(incidentKnown: Bool) {
        guard let incident = event.incident else {
            warn(.unknownValue, "event \(event.id) (\(event.type)) is about no incident; nothing recorded")
            return
        }
        guard PagerDutyImporter.mappedTypes.contains(event.type) else {
            warn(.unknownValue, "event \(event.id) is \(event.type), which the ledger does not map; nothing recorded")
            return
        }
        if event.type == "incident.triggered" {
            declare(incident, fromTrigger: true)
            return
        }
        if !incidentKnown {
            warn(.undeclaredIncident, "\(event.type) arrived before the ledger knew the incident; it is declared first from the delivery's incident data")
            declare(incident, fromTrigger: false)
        }
        switch event.type {
        case "incident.acknowledged":
            add(.acknowledged(IncidentAcknowledged(by: clip(event.agent ?? incident.assignees.first ?? "PagerDuty", maxLength: 1000, what: "the agent"))))
        case "incident.escalated", "incident.reassigned", "incident.delegated":
            guard !incident.assignees.isEmpty else {
                warn(.missingField, "\(event.type) event \(event.id) names no assignees; nothing recorded for it")
                return
            }
            for (index, person) in incident.assignees.enumerated() {
                add(.responderAssigned(ResponderAssigned(person: clip(person, maxLength: 1000, what: "an assignee"), role: .engineer)), part: "assignee/\(index + 1)")
            }
        case "incident.priority_updated":
            let (severity, readFrom) = PagerDutyImporter.severity(priority: incident.priority, urgency: incident.urgency)
            let change = incident.priority == nil ? "priority removed (\(readFrom))" : "\(readFrom)"
            add(.severityChanged(IncidentSeverityChanged(severity: severity, reason: clip("PagerDuty \(change), set by \(agent)", maxLength: 2000, what: "the reason"))))
        case "incident.annotated":
            guard let text = event.noteText, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                warn(.missingField, "note event \(event.id) has no content; nothing recorded for it")
                return
            }
            if event.noteTrimmed { warn(.truncated, "PagerDuty sent note event \(event.id) trimmed; the whole note is in PagerDuty") }
            add(.noteAdded(InternalNoteAdded(text: clip(text, maxLength: 10_000, what: "the note"))))
        case "incident.resolved":
            let title = incident.title.map { ": \($0)" } ?? ""
            add(.resolved(IncidentResolved(summary: clip("Resolved in PagerDuty by \(agent)\(title)", maxLength: 4000, what: "the summary"))))
        case "incident.reopened":
            add(.reopened(IncidentReopened(reason: "Reopened in PagerDuty by \(agent)")))
        default:
            break
        }
    }

    /// Declares the incident: from its trigger, or from a later delivery's incident data (then, with
    /// no creation time in the delivery, at the delivery's time with its start marked unknown).
    private mutating func declare(_ incident: PagerDutyEvent.Incident, fromTrigger: Bool) {
        let (severity, readFrom) = PagerDutyImporter.severity(priority: incident.priority, urgency: incident.urgency)
        if incident.priority != nil, PagerDutyImporter.priorityLevel(incident.priority!) == nil {
            warn(.unknownValue, "priority \(MessageText.quoted(incident.priority!)) is not P1–P5 or SEV1–SEV5; severity \(severity.rawValue) from its \(readFrom)")
        }
        var title = incident.title ?? "PagerDuty incident \(incident.number.map { "#\($0)" } ?? incident.id)"
        if incident.title == nil { warn(.missingField, "the delivery gives no title; declared as \(MessageText.quoted(title))") }
        title = clip(title, maxLength: 300, what: "the title")
        let createdAt = incident.createdAt ?? (fromTrigger ? event.occurredAt : nil)
        if createdAt == nil {
            warn(.missingField, "the delivery gives no creation time; declared at the delivery's time (\(event.occurredAt.rfc3339)) with its start marked unknown")
        }
        let declared = IncidentDeclared(
            title: title, severity: severity, services: incident.service.map { [clip($0, maxLength: 200, what: "the service")] } ?? [],
            detectedAt: createdAt, detectedBy: event.agentIsUser && fromTrigger ? .internalReport : (fromTrigger ? .monitoring : nil),
            unknownTimes: createdAt == nil ? .start : nil)
        add(.declared(declared), id: PagerDutyImporter.declarationID(incident: incident.id), at: createdAt ?? event.occurredAt)
    }
}
