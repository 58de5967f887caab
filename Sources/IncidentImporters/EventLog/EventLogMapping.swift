public import IncidentEvents
import LedgerModel

/// How a CSV event log from a ticketing or service-management system maps to catalog events:
/// which columns hold what, and what the source's statuses, levels and impacts mean.
/// docs/importing.md describes every key; `Data/volvo-it-mapping.json` is an example.
public struct EventLogMapping: Sendable {
    /// The `kind` a mapping file for this importer declares.
    public static let kind = "event-log"

    /// What a source status means for the incident's lifecycle.
    public enum StatusMeaning: Sendable, Hashable {
        /// The incident is open (being worked on or waiting); with a working status, a change to it
        /// is recorded. `acknowledges`: the first such row records incident.acknowledged.
        case open(status: IncidentStatus?, acknowledges: Bool)
        /// Customers are no longer affected: incident.resolved.
        case resolved
        /// The incident is closed: incident.closed.
        case closed
        /// The status says nothing about the lifecycle; the row's other columns still count.
        case ignored
    }

    /// The columns a mapping can name.
    public struct Columns: Sendable {
        public var incident: ColumnSelection
        public var time: ColumnSelection
        public var status: ColumnSelection
        public var severity: ColumnSelection
        public var level: ColumnSelection?
        public var assignee: ColumnSelection?
        public var service: ColumnSelection?
        /// The source's own time the incident was opened: the declaration's time.
        public var opened: ColumnSelection?
        /// The source's own time the incident was resolved: the resolution's time.
        public var resolved: ColumnSelection?
        /// The source's own verdict on the incident's SLA, looked up in `slaVerdicts`.
        public var sla: ColumnSelection?
    }

    public var naming: SourceNaming
    /// How the file is written: separator, encoding, missing-value markers.
    public var format: CSVFormat
    public var columns: Columns
    public var time: TimestampFormat
    public var title: TextTemplate
    /// Source status (the status columns joined with " / ") → its meaning.
    public var statuses: [String: StatusMeaning]
    /// Source impact or priority → severity.
    public var severities: [String: Severity]
    /// Source support level → the catalog's escalation ladder; a move up the ladder is an escalation.
    public var levels: [String: EscalationLevel]
    public var escalationReason: EscalationReason
    /// The role an assignee takes (incident.responder_assigned).
    public var assigneeRole: ResponderRole
    /// Source SLA verdict → met or breached.
    public var slaVerdicts: [String: SLAVerdict]

    /// Reads a mapping file.
    public init(json bytes: [UInt8]) throws(MappingError) {
        let root = try MappingObject.document(bytes, kind: Self.kind)
        try root.allowOnly(Set([
            "kind", "description", "source", "streamPrefix", "columns", "time", "title", "statuses", "severities", "levels",
            "escalationReason", "assigneeRole", "slaVerdicts",
        ]).union(CSVFormat.keys))
        naming = try SourceNaming(root)
        format = try CSVFormat(root)
        let columnObject = try root.object("columns")
        try columnObject.allowOnly(["incident", "time", "status", "severity", "level", "assignee", "service", "opened", "resolved", "sla"])
        columns = Columns(
            incident: try .required(columnObject, "incident"), time: try .required(columnObject, "time"),
            status: try .required(columnObject, "status"), severity: try .required(columnObject, "severity"),
            level: try .optional(columnObject, "level"), assignee: try .optional(columnObject, "assignee"),
            service: try .optional(columnObject, "service"), opened: try .optional(columnObject, "opened"),
            resolved: try .optional(columnObject, "resolved"), sla: try .optional(columnObject, "sla"))
        time = try root.optionalObject("time").map { (object) throws(MappingError) in try TimestampFormat(mapping: object) } ?? .rfc3339
        title = try TextTemplate(try root.string("title"), key: "title")

        let statusObject = try root.object("statuses")
        guard !statusObject.fields.isEmpty else { throw MappingError("statuses must map at least one source status") }
        var statuses = [String: StatusMeaning]()
        for (value, meaning) in statusObject.fields {
            statuses[value] = try Self.meaning(MappingObject(meaning, path: statusObject.name(value)))
        }
        self.statuses = statuses

        let severityMap = try root.optionalStringMap("severities") ?? [:]
        guard !severityMap.isEmpty else { throw MappingError("severities must map at least one source value to sev1…sev4") }
        var severities = [String: Severity]()
        for (value, name) in severityMap { severities[value] = try root.catalogValue(name, key: "severities.\(value)", as: Severity.self) }
        self.severities = severities

        var levels = [String: EscalationLevel]()
        for (value, name) in try root.optionalStringMap("levels") ?? [:] {
            levels[value] = try root.catalogValue(name, key: "levels.\(value)", as: EscalationLevel.self)
        }
        if columns.level != nil, levels.isEmpty { throw MappingError("columns.level is given, so levels must map the source's levels to the escalation ladder") }
        self.levels = levels
        escalationReason = try root.catalogValue(try root.optionalString("escalationReason") ?? "other", key: "escalationReason", as: EscalationReason.self)
        assigneeRole = try root.catalogValue(try root.optionalString("assigneeRole") ?? "support", key: "assigneeRole", as: ResponderRole.self)
        var slaVerdicts = [String: SLAVerdict]()
        for (value, name) in try root.optionalStringMap("slaVerdicts") ?? [:] {
            slaVerdicts[value] = try root.catalogValue(name, key: "slaVerdicts.\(value)", as: SLAVerdict.self)
        }
        if columns.sla != nil, slaVerdicts.isEmpty { throw MappingError("columns.sla is given, so slaVerdicts must map its values to met or breached") }
        self.slaVerdicts = slaVerdicts
    }

    /// `{"lifecycle": "open", "status": "investigating", "acknowledges": true}` and the like.
    static func meaning(_ object: MappingObject) throws(MappingError) -> StatusMeaning {
        try object.allowOnly(["lifecycle", "status", "acknowledges"])
        let lifecycle = try object.string("lifecycle")
        let status = try object.optionalString("status").map { (text) throws(MappingError) in try object.catalogValue(text, key: "status", as: IncidentStatus.self) }
        let acknowledges = try object.optionalBool("acknowledges")
        if lifecycle != "open", status != nil || acknowledges != nil {
            throw MappingError("\(object.name("status")) and \(object.name("acknowledges")) apply only to lifecycle open")
        }
        switch lifecycle {
        case "open": return .open(status: status, acknowledges: acknowledges ?? false)
        case "resolved": return .resolved
        case "closed": return .closed
        case "ignored": return .ignored
        default: throw MappingError("\(object.name("lifecycle")) is \(MessageText.quoted(lifecycle)), not one of open, resolved, closed, ignored")
        }
    }
}
