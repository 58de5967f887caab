public import LedgerModel

/// Corrects fields of an earlier event of the same incident. The original stays in the log;
/// projections apply the correction.
public struct EventCorrected: EventPayload {
    public static let type = "event.corrected"
    public static let schemaVersion: UInt16 = 1
    public static let summary = "Corrects fields of an earlier event of the same incident (for example the real detection time, a mistyped severity). The original stays in the log."

    /// The id of the event corrected.
    public var target: String
    /// The payload fields replaced, with their corrected values.
    public var fields: [String: JSONValue]
    public var reason: String

    public init(target: String, fields: [String: JSONValue], reason: String) {
        self.target = target
        self.fields = fields
        self.reason = reason
    }
    public init(from r: inout PayloadReader) throws(EventInputError) {
        target = try r.string("target", "The id of the event corrected; it must be in the same incident.", maxLength: 36)
        fields = try r.anyObject("fields", "The payload fields replaced, with their corrected values; the corrected payload must still be valid.")
        reason = try r.string("reason", "Why the earlier event was wrong.", maxLength: 2000)
    }
    /// The target's payload with this correction's fields replaced. A payload that is not a JSON
    /// object (never one the ledger stored) is returned as it is, for the decoder to refuse.
    public func applied(to payload: Payload) -> Payload {
        guard var members = try? payload.decoded().objectValue else { return payload }
        members.merge(fields) { _, corrected in corrected }
        return Payload(members)
    }

    public func write(to w: inout PayloadWriter) {
        w.set("target", target)
        w.set("fields", fields)
        w.set("reason", reason)
    }
    public static let examples = [
        EventCorrected(target: "6f1c2a10-0000-4000-8000-000000000001", fields: ["detectedAt": "2026-03-14T23:07:00Z"], reason: "The first alert fired at 23:07")
    ]
}

/// Withdraws an event recorded by mistake. The original stays in the log; projections ignore it.
public struct EventRetracted: EventPayload {
    public static let type = "event.retracted"
    public static let schemaVersion: UInt16 = 1
    public static let summary = "Withdraws an earlier event of the same incident recorded by mistake. The original stays in the log."

    public var target: String
    public var reason: String

    public init(target: String, reason: String) {
        self.target = target
        self.reason = reason
    }
    public init(from r: inout PayloadReader) throws(EventInputError) {
        target = try r.string("target", "The id of the event withdrawn; it must be in the same incident.", maxLength: 36)
        reason = try r.string("reason", "Why the event was recorded by mistake.", maxLength: 2000)
    }
    public func write(to w: inout PayloadWriter) {
        w.set("target", target)
        w.set("reason", reason)
    }
    public static let examples = [EventRetracted(target: "6f1c2a10-0000-4000-8000-000000000005", reason: "Recorded against the wrong incident")]
}
