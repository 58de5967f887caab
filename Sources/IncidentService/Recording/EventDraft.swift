public import Foundation
public import LedgerModel

/// An event as an entry point receives it: its type and payload, and whatever of the envelope the
/// caller gave. ``LedgerService/record(_:expectedVersion:)`` fills in the rest from its
/// ``RecordingDefaults``.
public struct EventDraft: Sendable {
    /// The incident.
    public var stream: String
    public var type: String
    public var schemaVersion: UInt16
    public var payload: Payload
    /// The event id; a new one when nil. Give one to make a retry safe.
    public var id: UUID?
    /// When it happened; "now" when nil, or for a retry of ``id`` the time first recorded.
    public var occurredAt: Timestamp?
    /// When another system first recorded it.
    public var sourceRecordedAt: Timestamp?
    /// Who records it; the defaults' actor when nil.
    public var actor: Actor?
    /// The channel or tool the fact came through.
    public var source: String
    public var correlationID: String?
    public var causationID: String?

    public init(
        stream: String, type: String, schemaVersion: UInt16, payload: Payload, id: UUID? = nil, occurredAt: Timestamp? = nil,
        sourceRecordedAt: Timestamp? = nil, actor: Actor? = nil, source: String, correlationID: String? = nil, causationID: String? = nil
    ) {
        self.stream = stream
        self.type = type
        self.schemaVersion = schemaVersion
        self.payload = payload
        self.id = id
        self.occurredAt = occurredAt
        self.sourceRecordedAt = sourceRecordedAt
        self.actor = actor
        self.source = source
        self.correlationID = correlationID
        self.causationID = causationID
    }
}
