public import Foundation

/// An event on its way into the ledger: everything but what the ledger assigns at append
/// (position, stream version, recorded-at time and the link to the previous event).
public struct ProposedEvent: Sendable, Hashable {
    /// Unique for all time; a retried append with the same ids is recognised and writes nothing.
    public var id: UUID
    /// What kind of fact this is, for example `incident.declared`.
    public var type: String
    /// The version of the payload's schema for this type.
    public var schemaVersion: UInt16
    /// When it happened in the world; may be earlier than when it is recorded.
    public var occurredAt: Timestamp
    /// When another system (a status page, a ticketing tool) first recorded the fact: when it
    /// became known. Nil for a fact the ledger is the first to record. Never later than the
    /// ledger's `recordedAt`; may be earlier than `occurredAt` (a back-dated entry).
    public var sourceRecordedAt: Timestamp?
    public var actor: Actor
    /// The channel or tool the fact came through, for example `cli`, `statuspage`, `email`.
    public var source: String
    /// Groups events that belong to one piece of work, for example one import run.
    public var correlationID: String?
    /// The id of the event or command that caused this one.
    public var causationID: String?
    public var payload: Payload

    public init(
        id: UUID = .version7(),
        type: String,
        schemaVersion: UInt16 = 1,
        occurredAt: Timestamp,
        sourceRecordedAt: Timestamp? = nil,
        actor: Actor,
        source: String,
        correlationID: String? = nil,
        causationID: String? = nil,
        payload: Payload = .empty
    ) {
        self.id = id
        self.type = type
        self.schemaVersion = schemaVersion
        self.occurredAt = occurredAt
        self.sourceRecordedAt = sourceRecordedAt
        self.actor = actor
        self.source = source
        self.correlationID = correlationID
        self.causationID = causationID
        self.payload = payload
    }
}

/// A proposed event together with the stream (incident) it belongs to.
public struct StreamEvent: Sendable, Hashable {
    public var stream: String
    public var event: ProposedEvent

    public init(stream: String, event: ProposedEvent) {
        self.stream = stream
        self.event = event
    }
}
