public import LedgerModel

/// A time in examples.
func exampleTime(_ text: String) -> Timestamp { try! Timestamp(rfc3339: text) }

/// An incident begins: what is affected, how badly, since when, and how it was found.
public struct IncidentDeclared: EventPayload {
    public static let type = "incident.declared"
    public static let schemaVersion: UInt16 = 2
    public static let summary = "An incident is declared: the first event of every incident."

    public var title: String
    public var kind: IncidentKind
    public var severity: Severity
    public var services: [String]
    public var regions: [String]
    public var customerSegments: [String]
    /// For scheduled maintenance: the announced window.
    public var plannedStart: Timestamp?
    public var plannedEnd: Timestamp?
    public var impactStartedAt: Timestamp?
    public var detectedAt: Timestamp?
    public var detectedBy: DetectionMethod?
    /// Imports only: which times the source never recorded (nil: every time stands as recorded).
    public var unknownTimes: UnknownTimes?

    public init(
        title: String, kind: IncidentKind = .unplanned, severity: Severity, services: [String] = [], regions: [String] = [],
        customerSegments: [String] = [], plannedStart: Timestamp? = nil, plannedEnd: Timestamp? = nil,
        impactStartedAt: Timestamp? = nil, detectedAt: Timestamp? = nil, detectedBy: DetectionMethod? = nil,
        unknownTimes: UnknownTimes? = nil
    ) {
        self.title = title
        self.kind = kind
        self.severity = severity
        self.services = services
        self.regions = regions
        self.customerSegments = customerSegments
        self.plannedStart = plannedStart
        self.plannedEnd = plannedEnd
        self.impactStartedAt = impactStartedAt
        self.detectedAt = detectedAt
        self.detectedBy = detectedBy
        self.unknownTimes = unknownTimes
    }

    public init(from r: inout PayloadReader) throws(EventInputError) {
        self = try Self.readVersion1Fields(&r)
        unknownTimes = try r.optionalValue(
            "unknownTimes",
            "Set by importers only: all when the source back-filled the incident (its times are not the response's), start when the source's start conflicts with its end. The clocks that depend on them are left out of the metrics, with this reason.")
    }

    /// The fields version 1 has, which version 2 keeps as they were.
    static func readVersion1Fields(_ r: inout PayloadReader) throws(EventInputError) -> IncidentDeclared {
        var d = IncidentDeclared(title: "", severity: .sev4)
        d.title = try r.string("title", "What is wrong, as customers would say it.", maxLength: 300)
        d.kind = try r.value("kind", "unplanned, or scheduled_maintenance announced in advance.")
        d.severity = try r.value("severity", "sev1 (worst) to sev4.")
        d.services = try r.strings("services", "The services or components affected.")
        d.regions = try r.strings("regions", "The regions affected.")
        d.customerSegments = try r.strings("customerSegments", "The customer segments or tiers affected.")
        d.plannedStart = try r.optionalTimestamp("plannedStart", "Scheduled maintenance: when the announced window opens. Required for scheduled_maintenance.")
        d.plannedEnd = try r.optionalTimestamp("plannedEnd", "Scheduled maintenance: when the announced window closes. Required for scheduled_maintenance.")
        d.impactStartedAt = try r.optionalTimestamp("impactStartedAt", "When customers started to be affected, if known.")
        d.detectedAt = try r.optionalTimestamp("detectedAt", "When the problem was detected.")
        d.detectedBy = try r.optionalValue("detectedBy", "How it was detected.")
        return d
    }

    public func write(to w: inout PayloadWriter) {
        w.set("title", title)
        w.set("kind", kind)
        w.set("severity", severity)
        w.set("services", services)
        w.set("regions", regions)
        w.set("customerSegments", customerSegments)
        w.set("plannedStart", plannedStart)
        w.set("plannedEnd", plannedEnd)
        w.set("impactStartedAt", impactStartedAt)
        w.set("detectedAt", detectedAt)
        w.set("detectedBy", detectedBy)
        w.set("unknownTimes", unknownTimes)
    }

    public func validate() throws(EventInputError) {
        if unknownTimes == .all, detectedAt != nil {
            throw EventInputError(field: "payload.detectedAt", reason: "a back-filled incident (unknownTimes all) has no known detection time")
        }
        if kind == .scheduledMaintenance {
            guard let plannedStart, let plannedEnd else {
                throw EventInputError(field: "payload.plannedStart", reason: "scheduled maintenance needs plannedStart and plannedEnd")
            }
            guard plannedEnd > plannedStart else {
                throw EventInputError(field: "payload.plannedEnd", reason: "must be after plannedStart (a window cannot have a negative length)")
            }
        } else if plannedStart != nil || plannedEnd != nil {
            throw EventInputError(field: "payload.plannedStart", reason: "only scheduled_maintenance has a planned window")
        }
        if let impactStartedAt, let detectedAt, detectedAt < impactStartedAt {
            throw EventInputError(field: "payload.detectedAt", reason: "is before impactStartedAt (time to detect cannot be negative)")
        }
    }

    public static let examples = [
        IncidentDeclared(
            title: "Checkout API returning errors in eu-west-1", severity: .sev1, services: ["checkout-api"],
            regions: ["eu-west-1"], customerSegments: ["enterprise", "business"],
            impactStartedAt: exampleTime("2026-03-14T23:04:00Z"), detectedAt: exampleTime("2026-03-14T23:09:00Z"),
            detectedBy: .monitoring),
        IncidentDeclared(
            title: "Database upgrade", kind: .scheduledMaintenance, severity: .sev4, services: ["reporting"],
            plannedStart: exampleTime("2026-03-21T23:00:00Z"), plannedEnd: exampleTime("2026-03-21T23:20:00Z")),
    ]
}

extension IncidentDeclared {
    /// Version 1 → 2: version 2 only adds the optional `unknownTimes`, so a version 1 payload reads as it stands.
    static func upcastFromVersion1(_ payload: [String: JSONValue]) -> [String: JSONValue] { payload }

    /// The version 1 fields, for the version 1 schema.
    struct Version1: EventPayload {
        static let type = IncidentDeclared.type
        static let schemaVersion: UInt16 = 1
        static let summary = "An incident is declared: the first event of every incident (superseded by version 2)."
        var current: IncidentDeclared

        init(_ current: IncidentDeclared) { self.current = current }
        init(from r: inout PayloadReader) throws(EventInputError) { current = try IncidentDeclared.readVersion1Fields(&r) }
        func write(to w: inout PayloadWriter) {
            var version1 = current
            version1.unknownTimes = nil
            version1.write(to: &w)
        }
        func validate() throws(EventInputError) { try current.validate() }
        static let examples = IncidentDeclared.examples.map(Version1.init)
    }
}

/// A responder takes the incident on.
public struct IncidentAcknowledged: EventPayload {
    public static let type = "incident.acknowledged"
    public static let schemaVersion: UInt16 = 1
    public static let summary = "A responder acknowledged the incident: the clock for time to acknowledge stops."

    public var by: String

    public init(by: String) { self.by = by }
    public init(from r: inout PayloadReader) throws(EventInputError) {
        by = try r.string("by", "Who acknowledged it.")
    }
    public func write(to w: inout PayloadWriter) { w.set("by", by) }
    public static let examples = [IncidentAcknowledged(by: "oncall@example.com")]
}

/// The incident's working status moves on.
public struct IncidentStatusChanged: EventPayload {
    public static let type = "incident.status_changed"
    public static let schemaVersion: UInt16 = 1
    public static let summary = "The working status changed (investigating, identified, mitigated, monitoring). Resolution is incident.resolved."

    public var status: IncidentStatus
    public var note: String?

    public init(status: IncidentStatus, note: String? = nil) {
        self.status = status
        self.note = note
    }
    public init(from r: inout PayloadReader) throws(EventInputError) {
        status = try r.value("status", "The new status; mitigated stops the clock for time to mitigate.")
        note = try r.optionalString("note", "What changed.", maxLength: 2000)
    }
    public func write(to w: inout PayloadWriter) {
        w.set("status", status)
        w.set("note", note)
    }
    public static let examples = [IncidentStatusChanged(status: .identified, note: "A configuration change to the payment gateway pool")]
}

public struct IncidentSeverityChanged: EventPayload {
    public static let type = "incident.severity_changed"
    public static let schemaVersion: UInt16 = 1
    public static let summary = "The severity was raised or lowered, with the reason."

    public var severity: Severity
    public var reason: String

    public init(severity: Severity, reason: String) {
        self.severity = severity
        self.reason = reason
    }
    public init(from r: inout PayloadReader) throws(EventInputError) {
        severity = try r.value("severity", "The new severity.")
        reason = try r.string("reason", "Why it changed.", maxLength: 2000)
    }
    public func write(to w: inout PayloadWriter) {
        w.set("severity", severity)
        w.set("reason", reason)
    }
    public static let examples = [IncidentSeverityChanged(severity: .sev2, reason: "Only card payments are affected")]
}

/// What the incident affects now; each list given replaces the one before.
public struct IncidentScopeChanged: EventPayload {
    public static let type = "incident.scope_changed"
    public static let schemaVersion: UInt16 = 1
    public static let summary = "The scope changed: services, regions, segments or the number of customers affected. A list given replaces the earlier one."

    public var services: [String]
    public var regions: [String]
    public var customerSegments: [String]
    public var customersAffected: Int64?
    public var note: String?

    public init(services: [String] = [], regions: [String] = [], customerSegments: [String] = [], customersAffected: Int64? = nil, note: String? = nil) {
        self.services = services
        self.regions = regions
        self.customerSegments = customerSegments
        self.customersAffected = customersAffected
        self.note = note
    }
    public init(from r: inout PayloadReader) throws(EventInputError) {
        services = try r.strings("services", "The services or components affected now.")
        regions = try r.strings("regions", "The regions affected now.")
        customerSegments = try r.strings("customerSegments", "The customer segments affected now.")
        customersAffected = try r.optionalInteger("customersAffected", "How many customers are affected.", in: 0...Int64(Int32.max))
        note = try r.optionalString("note", "What changed.", maxLength: 2000)
    }
    public func write(to w: inout PayloadWriter) {
        w.set("services", services)
        w.set("regions", regions)
        w.set("customerSegments", customerSegments)
        w.set("customersAffected", customersAffected)
        w.set("note", note)
    }
    public func validate() throws(EventInputError) {
        if services.isEmpty, regions.isEmpty, customerSegments.isEmpty, customersAffected == nil {
            throw EventInputError(field: "payload", reason: "a scope change must name services, regions, customerSegments or customersAffected")
        }
    }
    public static let examples = [IncidentScopeChanged(services: ["checkout-api", "payments"], regions: ["eu-west-1", "eu-central-1"], customersAffected: 1200)]
}

public struct ResponderAssigned: EventPayload {
    public static let type = "incident.responder_assigned"
    public static let schemaVersion: UInt16 = 1
    public static let summary = "A person took a role in the response."

    public var person: String
    public var role: ResponderRole

    public init(person: String, role: ResponderRole) {
        self.person = person
        self.role = role
    }
    public init(from r: inout PayloadReader) throws(EventInputError) {
        person = try r.string("person", "The person who took the role.")
        role = try r.value("role", "The role taken.")
    }
    public func write(to w: inout PayloadWriter) {
        w.set("person", person)
        w.set("role", role)
    }
    public static let examples = [ResponderAssigned(person: "dana@example.com", role: .incidentCommander)]
}

public struct ResponderReleased: EventPayload {
    public static let type = "incident.responder_released"
    public static let schemaVersion: UInt16 = 1
    public static let summary = "A person left a role in the response."

    public var person: String
    public var role: ResponderRole

    public init(person: String, role: ResponderRole) {
        self.person = person
        self.role = role
    }
    public init(from r: inout PayloadReader) throws(EventInputError) {
        person = try r.string("person", "The person who left the role.")
        role = try r.value("role", "The role left.")
    }
    public func write(to w: inout PayloadWriter) {
        w.set("person", person)
        w.set("role", role)
    }
    public static let examples = [ResponderReleased(person: "dana@example.com", role: .incidentCommander)]
}

/// Version 1 had no `sourceSLA`; ``Catalog`` reads it as it stands.
public struct IncidentResolved: EventPayload {
    public static let type = "incident.resolved"
    public static let schemaVersion: UInt16 = 2
    public static let summary = "The incident is resolved: customers are no longer affected. Its occurredAt stops the clock for time to resolve."

    public var summary: String
    /// Imports only: the source's own verdict on the incident's SLA, as it claims it.
    public var sourceSLA: SLAVerdict?

    public init(summary: String, sourceSLA: SLAVerdict? = nil) {
        self.summary = summary
        self.sourceSLA = sourceSLA
    }
    public init(from r: inout PayloadReader) throws(EventInputError) {
        summary = try r.string("summary", "What was wrong and what fixed it.", maxLength: 4000)
        sourceSLA = try r.optionalValue(
            "sourceSLA",
            "Set by importers only: whether the source says the incident met its SLA. A claim, compared with the ledger's own SLA figures in the review; no metric reads it.")
    }
    public func write(to w: inout PayloadWriter) {
        w.set("summary", summary)
        w.set("sourceSLA", sourceSLA)
    }
    /// Version 1 when there is no source verdict: resolutions stay what earlier builds wrote.
    public var writtenSchemaVersion: UInt16 { sourceSLA == nil ? 1 : Self.schemaVersion }
    public static let examples = [
        IncidentResolved(summary: "A gateway pool change was rolled back; payments recovered at 00:01 UTC."),
        IncidentResolved(summary: "Status 'Resolved' in servicenow", sourceSLA: .breached),
    ]

    /// Version 1 → 2: version 2 only adds the optional `sourceSLA`, so a version 1 payload reads as it stands.
    static func upcastFromVersion1(_ payload: [String: JSONValue]) -> [String: JSONValue] { payload }

    /// The version 1 fields, for the version 1 schema.
    struct Version1: EventPayload {
        static let type = IncidentResolved.type
        static let schemaVersion: UInt16 = 1
        static let summary = "The incident is resolved (superseded by version 2)."
        var summary: String

        init(summary: String) { self.summary = summary }
        init(from r: inout PayloadReader) throws(EventInputError) {
            summary = try r.string("summary", "What was wrong and what fixed it.", maxLength: 4000)
        }
        func write(to w: inout PayloadWriter) { w.set("summary", summary) }
        static let examples = [Version1(summary: "A gateway pool change was rolled back; payments recovered at 00:01 UTC.")]
    }
}

public struct IncidentReopened: EventPayload {
    public static let type = "incident.reopened"
    public static let schemaVersion: UInt16 = 1
    public static let summary = "A resolved or closed incident is open again."

    public var reason: String

    public init(reason: String) { self.reason = reason }
    public init(from r: inout PayloadReader) throws(EventInputError) {
        reason = try r.string("reason", "Why it was reopened.", maxLength: 2000)
    }
    public func write(to w: inout PayloadWriter) { w.set("reason", reason) }
    public static let examples = [IncidentReopened(reason: "Errors returned after the rollback")]
}

public struct IncidentClosed: EventPayload {
    public static let type = "incident.closed"
    public static let schemaVersion: UInt16 = 1
    public static let summary = "The incident is closed: resolved and its postmortem done. Only a reopen may change its status afterwards."

    public var note: String?

    public init(note: String? = nil) { self.note = note }
    public init(from r: inout PayloadReader) throws(EventInputError) {
        note = try r.optionalString("note", "A closing note.", maxLength: 2000)
    }
    public func write(to w: inout PayloadWriter) { w.set("note", note) }
    public static let examples = [IncidentClosed(note: "Postmortem published; all action items tracked")]
}

public struct IncidentLinked: EventPayload {
    public static let type = "incident.linked"
    public static let schemaVersion: UInt16 = 1
    public static let summary = "The incident is linked to another incident."

    public var otherIncident: String
    public var relation: LinkRelation

    public init(otherIncident: String, relation: LinkRelation) {
        self.otherIncident = otherIncident
        self.relation = relation
    }
    public init(from r: inout PayloadReader) throws(EventInputError) {
        otherIncident = try r.string("otherIncident", "The other incident's id.", maxLength: 128)
        relation = try r.value("relation", "How they relate.")
    }
    public func write(to w: inout PayloadWriter) {
        w.set("otherIncident", otherIncident)
        w.set("relation", relation)
    }
    public static let examples = [IncidentLinked(otherIncident: "INC-2026-0041", relation: .causedBy)]
}

public struct IncidentMerged: EventPayload {
    public static let type = "incident.merged"
    public static let schemaVersion: UInt16 = 1
    public static let summary = "The incident was merged into another; it is closed, and the other carries on."

    public var into: String

    public init(into: String) { self.into = into }
    public init(from r: inout PayloadReader) throws(EventInputError) {
        into = try r.string("into", "The incident that carries on.", maxLength: 128)
    }
    public func write(to w: inout PayloadWriter) { w.set("into", into) }
    public static let examples = [IncidentMerged(into: "INC-2026-0042")]
}
