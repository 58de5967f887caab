public import LedgerModel

public struct EscalationRaised: EventPayload {
    public static let type = "escalation.raised"
    public static let schemaVersion: UInt16 = 1
    public static let summary = "The incident or a customer's case was escalated up the ladder: support, escalation manager, engineering, executive."

    public var escalationId: String
    public var fromLevel: EscalationLevel
    public var toLevel: EscalationLevel
    public var reason: EscalationReason
    public var customer: String?
    public var note: String?

    public init(escalationId: String, fromLevel: EscalationLevel, toLevel: EscalationLevel, reason: EscalationReason, customer: String? = nil, note: String? = nil) {
        self.escalationId = escalationId
        self.fromLevel = fromLevel
        self.toLevel = toLevel
        self.reason = reason
        self.customer = customer
        self.note = note
    }
    public init(from r: inout PayloadReader) throws(EventInputError) {
        escalationId = try r.string("escalationId", "The escalation's id, unique within the incident; later escalation events refer to it.", maxLength: 200)
        fromLevel = try r.value("fromLevel", "The level it leaves.")
        toLevel = try r.value("toLevel", "The level it goes to; higher than fromLevel.")
        reason = try r.value("reason", "Why it was escalated.")
        customer = try r.optionalString("customer", "The customer account concerned, if any.", maxLength: 200)
        note = try r.optionalString("note", "Context for the receiving level.", maxLength: 4000)
    }
    public func write(to w: inout PayloadWriter) {
        w.set("escalationId", escalationId)
        w.set("fromLevel", fromLevel)
        w.set("toLevel", toLevel)
        w.set("reason", reason)
        w.set("customer", customer)
        w.set("note", note)
    }
    public func validate() throws(EventInputError) {
        guard toLevel > fromLevel else {
            throw EventInputError(field: "payload.toLevel", reason: "must be above fromLevel (\(fromLevel.rawValue)); use escalation.deescalated to go down")
        }
    }
    public static let examples = [
        EscalationRaised(escalationId: "esc-1", fromLevel: .support, toLevel: .escalationManager, reason: .threatToCancel, customer: "acme-retail")
    ]
}

public struct EscalationAcknowledged: EventPayload {
    public static let type = "escalation.acknowledged"
    public static let schemaVersion: UInt16 = 1
    public static let summary = "The receiving level took the escalation on."

    public var escalationId: String
    public var by: String

    public init(escalationId: String, by: String) {
        self.escalationId = escalationId
        self.by = by
    }
    public init(from r: inout PayloadReader) throws(EventInputError) {
        escalationId = try r.string("escalationId", "The escalation.", maxLength: 200)
        by = try r.string("by", "Who took it on.")
    }
    public func write(to w: inout PayloadWriter) {
        w.set("escalationId", escalationId)
        w.set("by", by)
    }
    public static let examples = [EscalationAcknowledged(escalationId: "esc-1", by: "escalations@example.com")]
}

public struct EscalationDeescalated: EventPayload {
    public static let type = "escalation.deescalated"
    public static let schemaVersion: UInt16 = 1
    public static let summary = "The escalation went back down to a lower level."

    public var escalationId: String
    public var toLevel: EscalationLevel
    public var reason: String

    public init(escalationId: String, toLevel: EscalationLevel, reason: String) {
        self.escalationId = escalationId
        self.toLevel = toLevel
        self.reason = reason
    }
    public init(from r: inout PayloadReader) throws(EventInputError) {
        escalationId = try r.string("escalationId", "The escalation.", maxLength: 200)
        toLevel = try r.value("toLevel", "The lower level it goes back to.")
        reason = try r.string("reason", "Why it went back down.", maxLength: 2000)
    }
    public func write(to w: inout PayloadWriter) {
        w.set("escalationId", escalationId)
        w.set("toLevel", toLevel)
        w.set("reason", reason)
    }
    public static let examples = [EscalationDeescalated(escalationId: "esc-1", toLevel: .support, reason: "Customer satisfied with the workaround")]
}

public struct EscalationClosed: EventPayload {
    public static let type = "escalation.closed"
    public static let schemaVersion: UInt16 = 1
    public static let summary = "The escalation is over."

    public var escalationId: String
    public var resolution: String

    public init(escalationId: String, resolution: String) {
        self.escalationId = escalationId
        self.resolution = resolution
    }
    public init(from r: inout PayloadReader) throws(EventInputError) {
        escalationId = try r.string("escalationId", "The escalation.", maxLength: 200)
        resolution = try r.string("resolution", "How it ended.", maxLength: 4000)
    }
    public func write(to w: inout PayloadWriter) {
        w.set("escalationId", escalationId)
        w.set("resolution", resolution)
    }
    public static let examples = [EscalationClosed(escalationId: "esc-1", resolution: "Service credit agreed; customer stays")]
}

public struct SponsorshipEnrolled: EventPayload {
    public static let type = "customer.sponsorship_enrolled"
    public static let schemaVersion: UInt16 = 1
    public static let summary = "A customer was enrolled in the executive sponsorship programme."

    public var customer: String
    public var sponsor: String

    public init(customer: String, sponsor: String) {
        self.customer = customer
        self.sponsor = sponsor
    }
    public init(from r: inout PayloadReader) throws(EventInputError) {
        customer = try r.string("customer", "The customer account.", maxLength: 200)
        sponsor = try r.string("sponsor", "The executive sponsor.")
    }
    public func write(to w: inout PayloadWriter) {
        w.set("customer", customer)
        w.set("sponsor", sponsor)
    }
    public static let examples = [SponsorshipEnrolled(customer: "acme-retail", sponsor: "coo@example.com")]
}

public struct SponsorshipEnded: EventPayload {
    public static let type = "customer.sponsorship_ended"
    public static let schemaVersion: UInt16 = 1
    public static let summary = "A customer left the executive sponsorship programme."

    public var customer: String
    public var reason: String?

    public init(customer: String, reason: String? = nil) {
        self.customer = customer
        self.reason = reason
    }
    public init(from r: inout PayloadReader) throws(EventInputError) {
        customer = try r.string("customer", "The customer account.", maxLength: 200)
        reason = try r.optionalString("reason", "Why the sponsorship ended.", maxLength: 2000)
    }
    public func write(to w: inout PayloadWriter) {
        w.set("customer", customer)
        w.set("reason", reason)
    }
    public static let examples = [SponsorshipEnded(customer: "acme-retail", reason: "Stable for two quarters")]
}
