/// The limits and shapes every event envelope must keep, checked before anything is written.
public enum EnvelopeRules {
    /// The largest canonical payload the ledger accepts, in bytes.
    public static let maximumPayloadBytes = 256 * 1024
    /// The longest stream (incident) id, in UTF-8 bytes.
    public static let maximumStreamBytes = 128
    /// The longest event type name, in bytes.
    public static let maximumTypeBytes = 64
    /// The longest actor id, source, correlation id or causation id, in UTF-8 bytes.
    public static let maximumLabelBytes = 256

    /// Checks one event; throws the first rule it breaks.
    public static func validate(_ item: StreamEvent) throws(EventInputError) {
        try validateStream(item.stream)
        let event = item.event
        try validateType(event.type)
        guard event.schemaVersion >= 1 else {
            throw EventInputError(field: "schemaVersion", reason: "must be 1 or more")
        }
        try validateLabel(event.actor.id, field: "actor.id")
        try validateLabel(event.source, field: "source")
        if let correlation = event.correlationID { try validateLabel(correlation, field: "correlationId") }
        if let causation = event.causationID { try validateLabel(causation, field: "causationId") }
        guard event.payload.canonicalBytes.count <= maximumPayloadBytes else {
            throw EventInputError(
                field: "payload",
                reason: "is \(event.payload.canonicalBytes.count) bytes as canonical JSON; the limit is \(maximumPayloadBytes) bytes — keep large attachments outside the ledger and record a link"
            )
        }
    }

    /// A stream id: 1 to 128 bytes of UTF-8 with no control characters.
    public static func validateStream(_ stream: String) throws(EventInputError) {
        let field = "stream"
        guard !stream.isEmpty else { throw EventInputError(field: field, reason: "must not be empty") }
        guard stream.utf8.count <= maximumStreamBytes else {
            throw EventInputError(field: field, reason: "is longer than \(maximumStreamBytes) bytes")
        }
        guard !stream.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw EventInputError(field: field, reason: "must not contain control characters")
        }
    }

    /// A type name: lower-case dotted words such as `incident.declared` or `survey.response_received`.
    public static func validateType(_ type: String) throws(EventInputError) {
        let rule = "must be lower-case words joined by dots, such as incident.declared"
        guard !type.isEmpty, type.utf8.count <= maximumTypeBytes else {
            throw EventInputError(field: "type", reason: "must be 1 to \(maximumTypeBytes) characters; \(rule)")
        }
        var dots = 0
        var atWordStart = true
        for byte in type.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"):
                atWordStart = false
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
                guard !atWordStart else { throw EventInputError(field: "type", reason: rule) }
            case UInt8(ascii: "."):
                guard !atWordStart else { throw EventInputError(field: "type", reason: rule) }
                dots += 1
                atWordStart = true
            default:
                throw EventInputError(field: "type", reason: rule)
            }
        }
        guard dots >= 1, !atWordStart else { throw EventInputError(field: "type", reason: rule) }
    }

    /// `sourceRecordedAt` must not be later than `recordedAt`, the ledger's time of recording:
    /// a source cannot have recorded a fact after the ledger did. It may be earlier than
    /// `occurredAt` (a source that back-dated its entry).
    public static func validateSourceRecordedAt(_ event: ProposedEvent, recordedAt: Timestamp) throws(EventInputError) {
        guard let sourceRecordedAt = event.sourceRecordedAt, sourceRecordedAt > recordedAt else { return }
        throw EventInputError(
            field: "sourceRecordedAt",
            reason: "\(sourceRecordedAt.rfc3339) is in the future (the ledger's clock reads \(recordedAt.rfc3339)); it is when another system recorded the fact, which cannot be later than when the ledger records it — give that system's record time"
        )
    }

    /// An actor id, source, correlation or causation id: 1 to 256 bytes of UTF-8 with no control characters.
    public static func validateLabel(_ value: String, field: String) throws(EventInputError) {
        guard !value.isEmpty else { throw EventInputError(field: field, reason: "must not be empty") }
        guard value.utf8.count <= maximumLabelBytes else {
            throw EventInputError(field: field, reason: "is longer than \(maximumLabelBytes) bytes")
        }
        guard !value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw EventInputError(field: field, reason: "must not contain control characters")
        }
    }
}
