public import Foundation

/// An event as the ledger holds it: the proposed event plus what was assigned at append.
public struct RecordedEvent: Sendable, Hashable {
    /// The global position: 1, 2, 3, … in commit order, with no gaps.
    public var position: UInt64
    /// The stream (incident id) the event belongs to.
    public var stream: String
    /// The event's version within its stream: 1, 2, 3, … with no gaps.
    public var streamVersion: UInt64
    public var id: UUID
    public var type: String
    public var schemaVersion: UInt16
    public var occurredAt: Timestamp
    /// When the ledger appended it, from the ledger's clock. Never decreases along positions.
    public var recordedAt: Timestamp
    /// When another system first recorded the fact (see ``ProposedEvent/sourceRecordedAt``);
    /// stored only in record format 2.
    public var sourceRecordedAt: Timestamp?
    public var actor: Actor
    public var source: String
    public var correlationID: String?
    public var causationID: String?
    public var payload: Payload
    /// The hash of the stored record at `position - 1` (zero for the first).
    public var previousHash: Hash256

    public init(
        position: UInt64, stream: String, streamVersion: UInt64, recordedAt: Timestamp,
        previousHash: Hash256, event: ProposedEvent
    ) {
        self.position = position
        self.stream = stream
        self.streamVersion = streamVersion
        self.id = event.id
        self.type = event.type
        self.schemaVersion = event.schemaVersion
        self.occurredAt = event.occurredAt
        self.recordedAt = recordedAt
        self.sourceRecordedAt = event.sourceRecordedAt
        self.actor = event.actor
        self.source = event.source
        self.correlationID = event.correlationID
        self.causationID = event.causationID
        self.payload = event.payload
        self.previousHash = previousHash
    }

    /// Every field given directly, as the record decoder does (no intermediate `ProposedEvent`).
    public init(
        position: UInt64, stream: String, streamVersion: UInt64, id: UUID, type: String, schemaVersion: UInt16,
        occurredAt: Timestamp, recordedAt: Timestamp, sourceRecordedAt: Timestamp? = nil, actor: Actor, source: String,
        correlationID: String?, causationID: String?, payload: Payload, previousHash: Hash256
    ) {
        self.position = position
        self.stream = stream
        self.streamVersion = streamVersion
        self.id = id
        self.type = type
        self.schemaVersion = schemaVersion
        self.occurredAt = occurredAt
        self.recordedAt = recordedAt
        self.sourceRecordedAt = sourceRecordedAt
        self.actor = actor
        self.source = source
        self.correlationID = correlationID
        self.causationID = causationID
        self.payload = payload
        self.previousHash = previousHash
    }

    /// The event as it was proposed, without what the ledger assigned.
    public var proposed: ProposedEvent {
        ProposedEvent(
            id: id, type: type, schemaVersion: schemaVersion, occurredAt: occurredAt, sourceRecordedAt: sourceRecordedAt,
            actor: actor, source: source, correlationID: correlationID, causationID: causationID, payload: payload)
    }

    /// When the fact became known: when its source recorded it, else when the ledger did. What
    /// "late" and "as known at" are measured by.
    public var knownAt: Timestamp { sourceRecordedAt ?? recordedAt }
}
